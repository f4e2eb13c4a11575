#include "idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "log.h"

#define IDEM_LEASE "interval '30 seconds'"

/* A new key, an expired one, or an abandoned claim of the same request
 * (its lease ran out) becomes ours; otherwise nothing is returned. */
static const struct db_statement stmt_claim = { "idem_claim",
	"INSERT INTO idempotency_keys (principal, idem_key, request_hash, locked_until, expires_at) "
	"VALUES ($1, $2, $3, now() + " IDEM_LEASE ", now() + make_interval(hours => $4::int)) "
	"ON CONFLICT (principal, idem_key) DO UPDATE SET "
	"request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until, "
	"expires_at = EXCLUDED.expires_at, response_status = NULL, response_body = NULL, "
	"completed_at = NULL "
	"WHERE idempotency_keys.expires_at < now() "
	"OR (idempotency_keys.completed_at IS NULL AND idempotency_keys.locked_until < now() "
	"AND idempotency_keys.request_hash = EXCLUDED.request_hash) "
	"RETURNING 1" };

static const struct db_statement stmt_lookup = { "idem_lookup",
	"SELECT request_hash, completed_at IS NOT NULL, response_status, response_body, "
	"GREATEST(1, ceil(extract(epoch FROM locked_until - now())))::int "
	"FROM idempotency_keys WHERE principal = $1 AND idem_key = $2" };

static const struct db_statement stmt_complete = { "idem_complete",
	"UPDATE idempotency_keys SET completed_at = now(), locked_until = now(), "
	"response_status = $3, response_body = $4 WHERE principal = $1 AND idem_key = $2" };

static const struct db_statement stmt_release = { "idem_release",
	"DELETE FROM idempotency_keys WHERE principal = $1 AND idem_key = $2 "
	"AND completed_at IS NULL AND request_hash = $3" };

int idem_key_check(struct request *req)
{
	const char *key = request_header(req, "Idempotency-Key");
	size_t n = key ? strlen(key) : 0;

	for (size_t i = 0; i < n; i++) {
		if (key[i] < 0x20 || key[i] > 0x7e) {
			n = 0;
			break;
		}
	}
	if (n > 0 && n <= IDEMPOTENCY_KEY_MAX)
		return 1;
	response_problem(&req->response, req, PROBLEM_MISSING_IDEMPOTENCY_KEY,
			 "send an Idempotency-Key header of 1 to %d printable ASCII characters",
			 IDEMPOTENCY_KEY_MAX);
	return 0;
}

void idem_fingerprint(const char *method, const char *path, const json_t *body, char out[65])
{
	char *canonical = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s %s\n%s", method, path, canonical ? canonical : "");
	crypto_sha256_hex(b.data, b.len, out);
	buf_release(&b);
	free(canonical);
}

struct idem_ctx {
	struct app *app;
	struct request *req;
	struct pool_conn *conn;
	const char *params[4]; /* principal, key, fingerprint, ttl hours */
};

static void idem_release(struct idem_ctx *c)
{
	struct err err = { 0 };

	if (db_query(c->conn, &stmt_release, 3, c->params, NULL, &err) != 0)
		log_json(LOG_WARN, "idempotency claim not released; it expires with its lease",
			 json_pack("{s:s, s:s}", "request_id", c->req->request_id, "error", err.msg));
}

static int idem_store(struct idem_ctx *c, struct err *err)
{
	const struct response *res = &c->req->response;
	char status[8];
	const char *params[4] = { c->params[0], c->params[1], status, res->body ? res->body : "" };

	snprintf(status, sizeof(status), "%d", res->status);
	return db_query(c->conn, &stmt_complete, 4, params, NULL, err);
}

static void idem_run_claimed(struct idem_ctx *c, idem_work_fn work, void *arg)
{
	struct response *res = &c->req->response;
	size_t headers_before = res->nheaders;
	struct err err = { 0 };
	int rc = db_begin(c->conn, &err);

	if (rc == 0)
		rc = work(c->app, c->req, c->conn, arg, &err);
	if (rc == 0 && res->status >= 200 && res->status < 300) {
		rc = idem_store(c, &err);
		if (rc == 0)
			rc = db_commit(c->conn, &err);
		if (rc == 0)
			return;
	}
	db_rollback(c->conn);
	if (rc != 0) {
		res->nheaders = headers_before; /* e.g. no Location on a 503 */
		response_error(res, c->req, &err);
	}
	idem_release(c);
}

static void idem_answer_existing(struct idem_ctx *c, struct err *err)
{
	struct response *res = &c->req->response;
	struct db_rows *rows = NULL;

	if (db_query(c->conn, &stmt_lookup, 2, c->params, &rows, err) != 0) {
		response_error(res, c->req, err);
		return;
	}
	if (db_rows_count(rows) == 1 && strcmp(db_value(rows, 0, 0), c->params[2]) != 0) {
		response_problem(res, c->req, PROBLEM_IDEMPOTENCY_REUSED,
				 "this Idempotency-Key was used for a different request; use a new key");
	} else if (db_rows_count(rows) == 1 && db_bool(rows, 0, 1)) {
		const char *body = db_value(rows, 0, 3);

		response_text(res, (int)db_int(rows, 0, 2), "application/json", body, strlen(body));
		response_header(res, "Idempotent-Replayed", "true");
	} else {
		/* In flight, or released between our two statements: come back. */
		response_header(res, "Retry-After", "%lld",
				db_rows_count(rows) == 1 ? db_int(rows, 0, 4) : 1LL);
		response_problem(res, c->req, PROBLEM_IDEMPOTENCY_IN_FLIGHT,
				 "a request with this Idempotency-Key is still being processed");
	}
	db_rows_free(rows);
}

void idem_run(struct app *app, struct request *req, const char *fingerprint,
	      idem_work_fn work, void *arg)
{
	struct idem_ctx c = { app, req, NULL, { req->principal, request_header(req, "Idempotency-Key"),
						fingerprint, NULL } };
	struct db_rows *rows = NULL;
	struct err err = { 0 };
	char ttl[16];

	snprintf(ttl, sizeof(ttl), "%ld", app->cfg->idempotency_ttl_hours);
	c.params[3] = ttl;
	if (pool_acquire(app->pool, app->cfg->db_acquire_timeout_ms, &c.conn, &err) != 0) {
		response_error(&req->response, req, &err);
		return;
	}
	if (db_query(c.conn, &stmt_claim, 4, c.params, &rows, &err) != 0)
		response_error(&req->response, req, &err);
	else if (db_rows_count(rows) == 1)
		idem_run_claimed(&c, work, arg);
	else
		idem_answer_existing(&c, &err);
	db_rows_free(rows);
	pool_release(app->pool, c.conn);
}
