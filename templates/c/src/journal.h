/* The audit log and the outbox, written together by one statement inside
 * the caller's transaction: a state change, its audit row and its event
 * commit or roll back as one. */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <jansson.h>

#include "db.h"
#include "http.h"

struct journal_entry {
	const char *actor;       /* the merchant (JWT sub) or "provider" */
	const char *action;      /* also the event type, e.g. "payment.created" */
	const char *entity_type; /* "payment", "refund" */
	const char *entity_id;
	const json_t *details;   /* audit details */
	const json_t *payload;   /* the event's data: the entity as the API shows it */
};

int journal_write(struct pool_conn *conn, const struct request *req,
		  const struct journal_entry *e, struct err *err);

#endif
