/* Idempotency keys for POST requests, stored in PostgreSQL so they hold
 * across processes.
 *
 * idem_run() claims the key with one INSERT ... ON CONFLICT (a claim is a
 * row with locked_until in the future), runs the work inside a transaction,
 * and when the work produced a 2xx response stores that response in the
 * same transaction. Same key and same request fingerprint: the stored
 * response is replayed. Different fingerprint: 409. Still running: 409 with
 * Retry-After. A failed attempt deletes its claim so the client can retry;
 * a crashed one expires with its lease. */
#ifndef IDEMPOTENCY_H
#define IDEMPOTENCY_H

#include <jansson.h>

#include "db.h"
#include "http.h"

struct app;

#define IDEMPOTENCY_KEY_MAX 255

/* The work: runs inside an open transaction on conn and fills res. A 2xx
 * response commits; anything else (or a non-zero return) rolls back. */
typedef int (*idem_work_fn)(struct app *app, struct request *req, struct pool_conn *conn,
			    void *arg, struct err *err);

/* 1 when the Idempotency-Key header is present and well formed; otherwise
 * the 400 problem is already in req->response. */
int idem_key_check(struct request *req);
/* SHA-256 hex of method, path and the body's canonical JSON. */
void idem_fingerprint(const char *method, const char *path, const json_t *body,
		      char out[65]);
void idem_run(struct app *app, struct request *req, const char *fingerprint,
	      idem_work_fn work, void *arg);

#endif
