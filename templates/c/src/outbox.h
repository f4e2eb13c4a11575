/* The outbox worker: a thread that delivers outbox rows as signed webhooks.
 *
 * Each round claims up to OUTBOX_BATCH_SIZE due rows with one UPDATE whose
 * subquery uses FOR UPDATE SKIP LOCKED and pushes next_attempt_at forward
 * by a lease, so several processes can run workers on one database without
 * delivering a row twice at once (a crashed worker's rows come back when
 * the lease ends). Deliveries are POSTs with a timeout; results are written
 * back in one statement: delivered, retried later with exponential backoff
 * and jitter, or dead-lettered after OUTBOX_MAX_ATTEMPTS. The same thread
 * also deletes expired idempotency keys. */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stdint.h>

struct app;
struct outbox;

struct outbox *outbox_start(struct app *app);
/* Wakes the worker, lets the current delivery finish, joins the thread. */
void outbox_stop(struct outbox *ob);
/* Delay before attempt n+1 after n failed attempts: base * 2^(n-1), capped
 * at max, then "equal jitter": half fixed, half random from rnd. */
long outbox_backoff_ms(int attempts, long base_ms, long max_ms, uint32_t rnd);

#endif
