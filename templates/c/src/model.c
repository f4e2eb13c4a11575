#include "model.h"

static json_t *model_json_column(const struct db_rows *rows, int row, int col)
{
	json_t *v = json_loads(db_value(rows, row, col), 0, NULL);

	return v ? v : json_null();
}

json_t *model_payment(const struct db_rows *rows, int row)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:I, s:I, s:s}",
			 "id", db_value(rows, row, 0),
			 "amount", (json_int_t)db_int(rows, row, 1),
			 "currency", db_value(rows, row, 2),
			 "customer_id", db_value(rows, row, 3),
			 "metadata", model_json_column(rows, row, 4),
			 "status", db_value(rows, row, 5),
			 "decision", db_value(rows, row, 6),
			 "decision_reasons", model_json_column(rows, row, 7),
			 "captured_amount", (json_int_t)db_int(rows, row, 8),
			 "refunded_amount", (json_int_t)db_int(rows, row, 9),
			 "created_at", db_value(rows, row, 10));
}

json_t *model_refund(const struct db_rows *rows, int row)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:o, s:s, s:s}",
			 "id", db_value(rows, row, 0),
			 "payment_id", db_value(rows, row, 1),
			 "amount", (json_int_t)db_int(rows, row, 2),
			 "currency", db_value(rows, row, 3),
			 "reason", db_is_null(rows, row, 4) ? json_null()
							    : json_string(db_value(rows, row, 4)),
			 "status", "succeeded",
			 "created_at", db_value(rows, row, 5));
}
