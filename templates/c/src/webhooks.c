/* POST /v1/webhooks/provider: a signed event from the payment provider.
 * The signature (over "timestamp.body", timestamp within the tolerance) is
 * the authentication. Each event id is recorded once: a replay is
 * acknowledged as "duplicate" without being processed again. A
 * payment.captured or payment.failed event settles a payment under review,
 * with its audit row and outbox event, in the same transaction. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "cursor.h"
#include "handlers.h"
#include "journal.h"
#include "model.h"
#include "webhook_sig.h"

#define EVENT_ID_MAX 128
#define EVENT_TYPE_MAX 64

static const struct db_statement stmt_event_insert = { "webhook_event_insert",
	"INSERT INTO webhook_events (event_id, event_type, payload) VALUES ($1, $2, $3::jsonb)"
	" ON CONFLICT (event_id) DO NOTHING RETURNING 1" };

static const struct db_statement stmt_payment_settle = { "webhook_payment_settle",
	"UPDATE payments SET status = $2,"
	" captured_amount = CASE WHEN $2 = 'captured' THEN amount ELSE captured_amount END,"
	" updated_at = now() WHERE id = $1 AND status = 'requires_review'"
	" RETURNING " PAYMENT_COLUMNS };

struct provider_event {
	const char *id;
	const char *type;
	const char *payment_id; /* NULL when absent */
	const char *raw;
};

static int webhook_authentic(struct app *app, struct request *req)
{
	enum webhook_sig_status st = webhook_sig_verify(
		app->cfg->webhook_secret, request_header(req, "Webhook-Timestamp"),
		request_header(req, "Webhook-Signature"), req->body.data, req->body.len,
		(long long)time(NULL), app->cfg->webhook_tolerance_s);

	if (st == WEBHOOK_SIG_OK)
		return 1;
	response_problem(&req->response, req, PROBLEM_INVALID_SIGNATURE, "%s", webhook_sig_message(st));
	return 0;
}

static int webhook_parse(struct request *req, const json_t *body, struct provider_event *ev)
{
	json_t *problem;

	ev->id = json_string_value(json_object_get(body, "id"));
	ev->type = json_string_value(json_object_get(body, "type"));
	ev->payment_id = json_string_value(json_object_get(json_object_get(body, "data"), "payment_id"));
	ev->raw = req->body.data;
	if (ev->id && ev->id[0] && strlen(ev->id) <= EVENT_ID_MAX && ev->type &&
	    strlen(ev->type) <= EVENT_TYPE_MAX)
		return 1;
	problem = problem_new(PROBLEM_VALIDATION, "the event is invalid; see errors", req->path,
			      req->request_id);
	problem_add_error(problem, "id", "required; a string of 1 to 128 characters");
	problem_add_error(problem, "type", "required; a string of at most 64 characters");
	response_problem_json(&req->response, problem);
	return 0;
}

/* Applies a payment.captured/payment.failed event; "processed" or "ignored". */
static int webhook_apply(struct request *req, struct pool_conn *conn,
			 const struct provider_event *ev, const char **outcome, struct err *err)
{
	const char *status = strcmp(ev->type, "payment.captured") == 0 ? "captured"
			     : strcmp(ev->type, "payment.failed") == 0 ? "failed" : NULL;
	const char *params[2] = { ev->payment_id, status };
	struct db_rows *rows = NULL;
	struct journal_entry entry;
	json_t *payment, *details;
	int rc;

	*outcome = "ignored";
	if (status == NULL || !cursor_valid_uuid(ev->payment_id))
		return 0;
	if (db_query(conn, &stmt_payment_settle, 2, params, &rows, err) != 0)
		return err->kind;
	if (db_rows_count(rows) == 0) {
		db_rows_free(rows);
		return 0;
	}
	payment = model_payment(rows, 0);
	details = json_pack("{s:s}", "provider_event_id", ev->id);
	entry = (struct journal_entry){ "provider", ev->type, "payment", ev->payment_id, details, payment };
	rc = journal_write(conn, req, &entry, err);
	*outcome = "processed";
	json_decref(payment);
	json_decref(details);
	db_rows_free(rows);
	return rc;
}

static int webhook_process(struct request *req, struct pool_conn *conn,
			   const struct provider_event *ev, const char **outcome, struct err *err)
{
	const char *params[3] = { ev->id, ev->type, ev->raw };
	struct db_rows *rows = NULL;
	int rc;

	if (db_begin(conn, err) != 0)
		return err->kind;
	rc = db_query(conn, &stmt_event_insert, 3, params, &rows, err);
	if (rc == 0 && db_rows_count(rows) == 0)
		*outcome = "duplicate";
	else if (rc == 0)
		rc = webhook_apply(req, conn, ev, outcome, err);
	db_rows_free(rows);
	if (rc == 0)
		rc = db_commit(conn, err);
	else
		db_rollback(conn);
	return rc;
}

void webhooks_provider(struct app *app, struct request *req)
{
	struct provider_event ev;
	struct pool_conn *conn = NULL;
	struct err err = { 0 };
	const char *outcome = "ignored";
	json_t *body;

	if (!webhook_authentic(app, req) || (body = request_json_body(req)) == NULL)
		return;
	if (webhook_parse(req, body, &ev) &&
	    pool_acquire(app->pool, app->cfg->db_acquire_timeout_ms, &conn, &err) == 0) {
		webhook_process(req, conn, &ev, &outcome, &err);
		pool_release(app->pool, conn);
	}
	if (err.kind != ERR_OK)
		response_error(&req->response, req, &err);
	else if (req->response.status == 0)
		response_json(&req->response, 200, json_pack("{s:s}", "status", outcome));
	json_decref(body);
}
