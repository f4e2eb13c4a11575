/* POST /v1/payments, GET /v1/payments/{id}, GET /v1/payments.
 *
 * Create runs inside idem_run(): one transaction takes a per-customer
 * advisory lock (so the velocity count cannot race), reads the customer's
 * last minute and block-list status, applies the fraud rules, inserts the
 * payment and writes its audit row and outbox event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cursor.h"
#include "handlers.h"
#include "idempotency.h"
#include "journal.h"
#include "model.h"
#include "validate.h"

#define LIST_DEFAULT_LIMIT 20
#define LIST_MAX_LIMIT 100

static const struct db_statement stmt_customer_lock = { "payment_customer_lock",
	"SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))" };

static const struct db_statement stmt_customer_history = { "payment_customer_history",
	"SELECT (SELECT count(*) FROM payments WHERE merchant_id = $1 AND customer_id = $2"
	" AND created_at > now() - interval '1 minute'),"
	" EXISTS (SELECT 1 FROM blocked_customers WHERE customer_id = $2)" };

static const struct db_statement stmt_payment_insert = { "payment_insert",
	"INSERT INTO payments (merchant_id, customer_id, amount, currency, metadata, status,"
	" decision, decision_reasons, captured_amount)"
	" VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9) RETURNING " PAYMENT_COLUMNS };

static const struct db_statement stmt_payment_get = { "payment_get",
	"SELECT " PAYMENT_COLUMNS " FROM payments WHERE id = $1 AND merchant_id = $2" };

static const struct db_statement stmt_payment_first_page = { "payment_first_page",
	"SELECT " PAYMENT_COLUMNS " FROM payments WHERE merchant_id = $1"
	" ORDER BY created_at DESC, id DESC LIMIT $2" };

static const struct db_statement stmt_payment_next_page = { "payment_next_page",
	"SELECT " PAYMENT_COLUMNS " FROM payments WHERE merchant_id = $1"
	" AND (created_at, id) < ($3::timestamptz, $4::uuid)"
	" ORDER BY created_at DESC, id DESC LIMIT $2" };

static int payment_assess(struct app *app, struct request *req, struct pool_conn *conn,
			  const struct payment_input *in, struct fraud_result *out,
			  struct err *err)
{
	const char *params[2] = { req->principal, in->customer_id };
	struct fraud_input fin = { .amount = in->amount, .currency = in->currency,
				   .have_history = true };
	struct db_rows *rows = NULL;

	if (db_query(conn, &stmt_customer_lock, 2, params, NULL, err) != 0 ||
	    db_query(conn, &stmt_customer_history, 2, params, &rows, err) != 0)
		return err->kind;
	fin.recent_count = (long)db_int(rows, 0, 0);
	fin.blocked = db_bool(rows, 0, 1);
	db_rows_free(rows);
	fraud_evaluate(&app->fraud, &fin, out);
	return 0;
}

static json_t *payment_reasons(const struct fraud_result *fr)
{
	json_t *reasons = json_array();

	for (size_t i = 0; i < fr->nreasons; i++)
		json_array_append_new(reasons, json_string(fr->reasons[i]));
	return reasons;
}

static int payment_insert(struct request *req, struct pool_conn *conn,
			  const struct payment_input *in, const struct fraud_result *fr,
			  struct db_rows **rows, struct err *err)
{
	json_t *reasons = payment_reasons(fr);
	char *reasons_text = json_dumps(reasons, JSON_COMPACT);
	char *metadata = in->metadata ? json_dumps(in->metadata, JSON_COMPACT) : strdup("{}");
	char amount[24], captured[24];
	int rc;

	snprintf(amount, sizeof(amount), "%lld", in->amount);
	snprintf(captured, sizeof(captured), "%lld", fr->outcome == FRAUD_APPROVE ? in->amount : 0);
	if (reasons_text == NULL || metadata == NULL) {
		rc = err_set(err, ERR_INTERNAL, "out of memory inserting a payment");
	} else {
		const char *params[9] = { req->principal, in->customer_id, amount, in->currency,
					  metadata, fraud_status_name(fr->outcome),
					  fraud_decision_name(fr->outcome), reasons_text, captured };

		rc = db_query(conn, &stmt_payment_insert, 9, params, rows, err);
	}
	json_decref(reasons);
	free(reasons_text);
	free(metadata);
	return rc;
}

static int payment_create_work(struct app *app, struct request *req, struct pool_conn *conn,
			       void *arg, struct err *err)
{
	const struct payment_input *in = arg;
	struct fraud_result fr;
	struct db_rows *rows = NULL;
	json_t *payment, *details;
	struct journal_entry entry;
	int rc;

	if (payment_assess(app, req, conn, in, &fr, err) != 0 ||
	    payment_insert(req, conn, in, &fr, &rows, err) != 0)
		return err->kind;
	payment = model_payment(rows, 0);
	details = json_pack("{s:I, s:s, s:s, s:o}", "amount", (json_int_t)in->amount, "currency",
			    in->currency, "decision", fraud_decision_name(fr.outcome), "reasons",
			    payment_reasons(&fr));
	entry = (struct journal_entry){ req->principal, "payment.created", "payment",
					db_value(rows, 0, PAYMENT_COL_ID), details, payment };
	rc = journal_write(conn, req, &entry, err);
	if (rc == 0) {
		response_header(&req->response, "Location", "/v1/payments/%s",
				db_value(rows, 0, PAYMENT_COL_ID));
		response_json(&req->response, 201, json_incref(payment));
	}
	json_decref(payment);
	json_decref(details);
	db_rows_free(rows);
	return rc;
}

void payments_create(struct app *app, struct request *req)
{
	struct payment_input in;
	json_t *body, *problem;
	char fingerprint[65];

	if (!idem_key_check(req) || (body = request_json_body(req)) == NULL)
		return;
	problem = problem_new(PROBLEM_VALIDATION, "the payment is invalid; see errors",
			      req->path, req->request_id);
	if (validate_payment(body, app->cfg->payment_max_amount, &app->fraud, &in, problem) > 0) {
		response_problem_json(&req->response, problem);
	} else {
		json_decref(problem);
		idem_fingerprint(req->method, req->path, body, fingerprint);
		idem_run(app, req, fingerprint, payment_create_work, &in);
	}
	json_decref(body);
}

/* Acquires a connection and runs one read-only statement. */
static int payments_read(struct app *app, struct request *req, const struct db_statement *st,
			 int nparams, const char *const *params, struct db_rows **rows)
{
	struct pool_conn *conn = NULL;
	struct err err = { 0 };

	if (pool_acquire(app->pool, app->cfg->db_acquire_timeout_ms, &conn, &err) == 0) {
		db_query(conn, st, nparams, params, rows, &err);
		pool_release(app->pool, conn);
	}
	if (err.kind != ERR_OK)
		response_error(&req->response, req, &err);
	return err.kind;
}

void payments_get(struct app *app, struct request *req)
{
	const char *params[2] = { req->path_param, req->principal };
	struct db_rows *rows = NULL;

	if (!cursor_valid_uuid(req->path_param)) {
		response_problem(&req->response, req, PROBLEM_NOT_FOUND, "no payment %s", req->path_param);
		return;
	}
	if (payments_read(app, req, &stmt_payment_get, 2, params, &rows) != 0)
		return;
	if (db_rows_count(rows) == 0)
		response_problem(&req->response, req, PROBLEM_NOT_FOUND, "no payment %s", req->path_param);
	else
		response_json(&req->response, 200, model_payment(rows, 0));
	db_rows_free(rows);
}

/* Parses limit and cursor; 0, or -1 with the 400 problem in place. */
static int payments_list_params(struct request *req, long *limit, struct cursor *cur)
{
	const char *lim = request_query(req, "limit");
	const char *c = request_query(req, "cursor");
	json_t *problem = problem_new(PROBLEM_MALFORMED, "invalid query parameters; see errors",
				      req->path, req->request_id);
	char *end = NULL;
	int errors = 0;

	*limit = LIST_DEFAULT_LIMIT;
	if (lim && ((*limit = strtol(lim, &end, 10)) < 1 || *limit > LIST_MAX_LIMIT || *end != '\0')) {
		problem_add_error(problem, "limit", "an integer from 1 to 100");
		errors++;
	}
	if (c && cursor_decode(c, cur) != 0) {
		problem_add_error(problem, "cursor", "not a cursor this API returned");
		errors++;
	}
	if (errors == 0) {
		json_decref(problem);
		return 0;
	}
	response_problem_json(&req->response, problem);
	return -1;
}

static json_t *payments_page(const struct db_rows *rows, long limit)
{
	int n = db_rows_count(rows);
	int shown = n > limit ? (int)limit : n;
	json_t *data = json_array();
	struct buf next = BUF_INIT;
	json_t *page;

	for (int i = 0; i < shown; i++)
		json_array_append_new(data, model_payment(rows, i));
	if (n > limit)
		cursor_encode(&next, db_value(rows, shown - 1, PAYMENT_COL_CREATED_AT),
			      db_value(rows, shown - 1, PAYMENT_COL_ID));
	page = json_pack("{s:o, s:o}", "data", data, "next_cursor",
			 next.len ? json_string(next.data) : json_null());
	buf_release(&next);
	return page;
}

void payments_list(struct app *app, struct request *req)
{
	struct cursor cur = { "", "" };
	struct db_rows *rows = NULL;
	char fetch[16];
	long limit;
	int rc;

	if (payments_list_params(req, &limit, &cur) != 0)
		return;
	snprintf(fetch, sizeof(fetch), "%ld", limit + 1); /* one extra row: is there a next page? */
	const char *params[4] = { req->principal, fetch, cur.created_at, cur.id };
	if (cur.id[0])
		rc = payments_read(app, req, &stmt_payment_next_page, 4, params, &rows);
	else
		rc = payments_read(app, req, &stmt_payment_first_page, 2, params, &rows);
	if (rc != 0)
		return;
	response_json(&req->response, 200, payments_page(rows, limit));
	db_rows_free(rows);
}
