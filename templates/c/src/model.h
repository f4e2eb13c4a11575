/* Payments and refunds as the API shows them: the column lists every query
 * selects (never SELECT *) and the row-to-JSON conversions that go with
 * them, so GET, POST, list, replay and outbox events agree. */
#ifndef MODEL_H
#define MODEL_H

#include <jansson.h>

#include "db.h"

/* RFC 3339 UTC with microseconds; also the cursor's timestamp format. */
#define SQL_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define PAYMENT_COLUMNS \
	"id, amount, currency, customer_id, metadata::text, status, decision, " \
	"decision_reasons::text, captured_amount, refunded_amount, " SQL_TS("created_at")
#define PAYMENT_COL_ID 0
#define PAYMENT_COL_CREATED_AT 10

#define REFUND_COLUMNS "id, payment_id, amount, currency, reason, " SQL_TS("created_at")

json_t *model_payment(const struct db_rows *rows, int row);
json_t *model_refund(const struct db_rows *rows, int row);

#endif
