/* POST /v1/payments/{id}/refunds, inside idem_run(): the payment row is
 * locked (FOR UPDATE) so concurrent refunds serialise, the amount is
 * checked against what remains captured, and the refund, the payment's new
 * refunded_amount, the audit row and the outbox event commit together. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cursor.h"
#include "handlers.h"
#include "idempotency.h"
#include "journal.h"
#include "model.h"
#include "validate.h"

static const struct db_statement stmt_refund_lock = { "refund_lock_payment",
	"SELECT status, captured_amount - refunded_amount, currency FROM payments"
	" WHERE id = $1 AND merchant_id = $2 FOR UPDATE" };

static const struct db_statement stmt_refund_insert = { "refund_insert",
	"WITH r AS (INSERT INTO refunds (payment_id, merchant_id, amount, currency, reason)"
	" VALUES ($1, $2, $3, $4, $5)"
	" RETURNING id, payment_id, amount, currency, reason, created_at),"
	" p AS (UPDATE payments SET refunded_amount = refunded_amount + $3, updated_at = now()"
	" WHERE id = $1)"
	" SELECT " REFUND_COLUMNS " FROM r" };

/* 1 when the refund may proceed; otherwise the 404/422 is in the response. */
static int refund_allowed(struct request *req, const struct db_rows *rows,
			  const struct refund_input *in)
{
	struct response *res = &req->response;

	if (db_rows_count(rows) == 0) {
		response_problem(res, req, PROBLEM_NOT_FOUND, "no payment %s", req->path_param);
		return 0;
	}
	if (strcmp(db_value(rows, 0, 0), "captured") != 0) {
		response_problem(res, req, PROBLEM_PAYMENT_NOT_REFUNDABLE,
				 "only captured payments can be refunded; this one is %s",
				 db_value(rows, 0, 0));
		return 0;
	}
	if (in->amount > db_int(rows, 0, 1)) {
		response_problem(res, req, PROBLEM_REFUND_EXCEEDS,
				 "refund of %lld exceeds the %lld still captured", in->amount,
				 db_int(rows, 0, 1));
		return 0;
	}
	return 1;
}

static int refund_record(struct request *req, struct pool_conn *conn,
			 const struct refund_input *in, const char *currency, struct err *err)
{
	struct db_rows *rows = NULL;
	json_t *refund, *details;
	struct journal_entry entry;
	char amount[24];
	int rc;

	snprintf(amount, sizeof(amount), "%lld", in->amount);
	const char *params[5] = { req->path_param, req->principal, amount, currency, in->reason };
	if (db_query(conn, &stmt_refund_insert, 5, params, &rows, err) != 0)
		return err->kind;
	refund = model_refund(rows, 0);
	details = json_pack("{s:s, s:I}", "payment_id", req->path_param, "amount",
			    (json_int_t)in->amount);
	entry = (struct journal_entry){ req->principal, "refund.created", "refund",
					db_value(rows, 0, 0), details, refund };
	rc = journal_write(conn, req, &entry, err);
	if (rc == 0)
		response_json(&req->response, 201, json_incref(refund));
	json_decref(refund);
	json_decref(details);
	db_rows_free(rows);
	return rc;
}

static int refund_work(struct app *app, struct request *req, struct pool_conn *conn,
		       void *arg, struct err *err)
{
	const struct refund_input *in = arg;
	const char *params[2] = { req->path_param, req->principal };
	struct db_rows *rows = NULL;
	char currency[4];
	int rc = 0;

	(void)app;
	if (db_query(conn, &stmt_refund_lock, 2, params, &rows, err) != 0)
		return err->kind;
	if (refund_allowed(req, rows, in)) {
		snprintf(currency, sizeof(currency), "%s", db_value(rows, 0, 2));
		rc = refund_record(req, conn, in, currency, err);
	}
	db_rows_free(rows);
	return rc;
}

void refunds_create(struct app *app, struct request *req)
{
	struct refund_input in;
	json_t *body, *problem;
	char fingerprint[65];

	if (!idem_key_check(req) || (body = request_json_body(req)) == NULL)
		return;
	problem = problem_new(PROBLEM_VALIDATION, "the refund is invalid; see errors", req->path,
			      req->request_id);
	if (validate_refund(body, &in, problem) > 0) {
		response_problem_json(&req->response, problem);
	} else if (!cursor_valid_uuid(req->path_param)) {
		json_decref(problem);
		response_problem(&req->response, req, PROBLEM_NOT_FOUND, "no payment %s", req->path_param);
	} else {
		json_decref(problem);
		idem_fingerprint(req->method, req->path, body, fingerprint);
		idem_run(app, req, fingerprint, refund_work, &in);
	}
	json_decref(body);
}
