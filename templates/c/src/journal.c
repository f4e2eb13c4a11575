#include "journal.h"

#include <stdlib.h>

static const struct db_statement stmt_journal = { "journal_write",
	"WITH audit AS ("
	" INSERT INTO audit_log (actor, action, entity_type, entity_id, request_id, details)"
	" VALUES ($1, $2, $3, $4, $5, $6::jsonb))"
	" INSERT INTO outbox (event_type, aggregate_id, payload, traceparent)"
	" VALUES ($2, $4, $7::jsonb, $8)" };

int journal_write(struct pool_conn *conn, const struct request *req,
		  const struct journal_entry *e, struct err *err)
{
	char *details = json_dumps(e->details, JSON_COMPACT);
	char *payload = json_dumps(e->payload, JSON_COMPACT);
	char traceparent[56];
	int rc;

	trace_format(&req->trace, traceparent);
	if (details == NULL || payload == NULL) {
		rc = err_set(err, ERR_INTERNAL, "out of memory writing the journal");
	} else {
		const char *params[8] = { e->actor, e->action, e->entity_type, e->entity_id,
					  req->request_id, details, payload, traceparent };

		rc = db_query(conn, &stmt_journal, 8, params, NULL, err);
	}
	free(details);
	free(payload);
	return rc;
}
