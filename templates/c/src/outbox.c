#include "outbox.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "model.h"
#include "webhook_sig.h"

#define OUTBOX_CLEANUP_EVERY_S 60
#define OUTBOX_ERROR_MAX 200

static const struct db_statement stmt_claim = { "outbox_claim",
	"UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2::int),"
	" attempts = attempts + 1"
	" WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
	" RETURNING id, event_type, payload::text, attempts, traceparent, " SQL_TS("created_at") };

static const struct db_statement stmt_record = { "outbox_record",
	"UPDATE outbox AS o SET"
	" status = CASE WHEN r.ok THEN 'delivered' WHEN o.attempts >= $5 THEN 'dead' ELSE 'pending' END,"
	" delivered_at = CASE WHEN r.ok THEN now() END,"
	" next_attempt_at = CASE WHEN r.ok THEN o.next_attempt_at"
	" ELSE now() + r.delay_ms * interval '1 millisecond' END,"
	" last_error = r.error"
	" FROM unnest($1::uuid[], $2::bool[], $3::int[], $4::text[]) AS r(id, ok, delay_ms, error)"
	" WHERE o.id = r.id RETURNING o.id, o.status, o.attempts" };

static const struct db_statement stmt_cleanup = { "idempotency_cleanup",
	"DELETE FROM idempotency_keys WHERE (principal, idem_key) IN"
	" (SELECT principal, idem_key FROM idempotency_keys WHERE expires_at < now() LIMIT 1000)" };

struct outbox {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	CURL *curl;
	time_t last_cleanup;
};

/* Per-batch results, turned into the arrays of stmt_record. */
struct outbox_results {
	struct buf ids, oks, delays, errors;
	int n;
};

long outbox_backoff_ms(int attempts, long base_ms, long max_ms, uint32_t rnd)
{
	long delay = base_ms;

	for (int i = 1; i < attempts && delay < max_ms; i++)
		delay *= 2;
	if (delay > max_ms)
		delay = max_ms;
	return delay / 2 + (long)(rnd % (uint32_t)(delay / 2 + 1));
}

static void outbox_results_init(struct outbox_results *r)
{
	buf_init(&r->ids, 0);
	buf_init(&r->oks, 0);
	buf_init(&r->delays, 0);
	buf_init(&r->errors, 0);
	r->n = 0;
}

static void outbox_results_release(struct outbox_results *r)
{
	buf_release(&r->ids);
	buf_release(&r->oks);
	buf_release(&r->delays);
	buf_release(&r->errors);
}

static void outbox_results_add(struct outbox_results *r, const char *id, int ok, long delay_ms,
			       const char *error)
{
	const char *sep = r->n ? "," : "";

	buf_printf(&r->ids, "%s%s", sep, id);
	buf_printf(&r->oks, "%s%s", sep, ok ? "t" : "f");
	buf_printf(&r->delays, "%s%ld", sep, delay_ms);
	db_array_append(&r->errors, error, r->n == 0);
	r->n++;
}

static size_t outbox_discard(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * n;
}

static struct curl_slist *outbox_headers(const struct outbox *ob, const char *id,
					 const char *traceparent, const char *body)
{
	char ts[24], sig[WEBHOOK_SIG_HEADER_MAX], line[160];
	struct curl_slist *h = NULL;

	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	webhook_sig_sign(ob->app->cfg->outbox_secret, ts, body, strlen(body), sig);
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "Webhook-Id: %s", id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Webhook-Timestamp: %s", ts);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Webhook-Signature: %s", sig);
	h = curl_slist_append(h, line);
	if (traceparent && traceparent[0]) {
		snprintf(line, sizeof(line), "traceparent: %s", traceparent);
		h = curl_slist_append(h, line);
	}
	return curl_slist_append(h, "Expect:");
}

/* POSTs one event; 0 on a 2xx answer, otherwise -1 with error filled. */
static int outbox_post(struct outbox *ob, const char *id, const char *traceparent,
		       const char *body, char error[OUTBOX_ERROR_MAX])
{
	const struct config *cfg = ob->app->cfg;
	struct curl_slist *headers = outbox_headers(ob, id, traceparent, body);
	CURL *h = ob->curl;
	long status = 0;
	CURLcode rc;

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, cfg->outbox_url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->outbox_timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->outbox_timeout_ms < 2000 ? cfg->outbox_timeout_ms : 2000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "acme-payments-outbox/0.1.0");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, outbox_discard);
	rc = curl_easy_perform(h);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK) {
		snprintf(error, OUTBOX_ERROR_MAX, "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300)
		return 0;
	snprintf(error, OUTBOX_ERROR_MAX, "HTTP %ld", status);
	return -1;
}

static char *outbox_envelope(const struct db_rows *rows, int i)
{
	json_t *data = json_loads(db_value(rows, i, 2), 0, NULL);
	json_t *env = json_pack("{s:s, s:s, s:s, s:o}", "id", db_value(rows, i, 0), "type",
				db_value(rows, i, 1), "created_at", db_value(rows, i, 5), "data",
				data ? data : json_null());
	char *text = env ? json_dumps(env, JSON_COMPACT) : NULL;

	json_decref(env);
	return text;
}

static void outbox_deliver(struct outbox *ob, const struct db_rows *rows, int i,
			   struct outbox_results *res)
{
	const struct config *cfg = ob->app->cfg;
	char error[OUTBOX_ERROR_MAX] = "";
	char *body = outbox_envelope(rows, i);
	int attempts = (int)db_int(rows, i, 3);
	int ok;

	if (body == NULL)
		snprintf(error, sizeof(error), "cannot build the event body");
	ok = body && outbox_post(ob, db_value(rows, i, 0), db_value(rows, i, 4), body, error) == 0;
	outbox_results_add(res, db_value(rows, i, 0), ok,
			   ok ? 0 : outbox_backoff_ms(attempts, cfg->outbox_backoff_base_ms,
						       cfg->outbox_backoff_max_ms, crypto_random_u32()),
			   error);
	if (!ok)
		log_json(LOG_WARN, "outbox delivery failed",
			 json_pack("{s:s, s:s, s:i, s:s}", "event_id", db_value(rows, i, 0),
				   "event_type", db_value(rows, i, 1), "attempt", attempts, "error", error));
	free(body);
}

static void outbox_log_outcomes(const struct db_rows *rows)
{
	for (int i = 0; i < db_rows_count(rows); i++) {
		const char *status = db_value(rows, i, 1);

		if (strcmp(status, "dead") == 0)
			log_json(LOG_ERROR, "outbox event dead-lettered",
				 json_pack("{s:s, s:I}", "event_id", db_value(rows, i, 0), "attempts",
					   (json_int_t)db_int(rows, i, 2)));
		else if (strcmp(status, "delivered") == 0)
			log_json(LOG_INFO, "outbox event delivered",
				 json_pack("{s:s, s:I}", "event_id", db_value(rows, i, 0), "attempts",
					   (json_int_t)db_int(rows, i, 2)));
	}
}

static int outbox_record(struct outbox *ob, struct outbox_results *res, struct err *err)
{
	struct app *app = ob->app;
	struct pool_conn *conn = NULL;
	struct db_rows *rows = NULL;
	struct buf arrays[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	const struct buf *parts[4] = { &res->ids, &res->oks, &res->delays, &res->errors };
	char max_attempts[16];
	const char *params[5];

	snprintf(max_attempts, sizeof(max_attempts), "%ld", app->cfg->outbox_max_attempts);
	for (int i = 0; i < 4; i++) {
		buf_printf(&arrays[i], "{%s}", parts[i]->data);
		params[i] = arrays[i].data;
	}
	params[4] = max_attempts;
	if (pool_acquire(app->pool, app->cfg->db_acquire_timeout_ms, &conn, err) == 0) {
		if (db_query(conn, &stmt_record, 5, params, &rows, err) == 0)
			outbox_log_outcomes(rows);
		db_rows_free(rows);
		pool_release(app->pool, conn);
	}
	for (int i = 0; i < 4; i++)
		buf_release(&arrays[i]);
	return err->kind;
}

static int outbox_stopping(struct outbox *ob)
{
	int stop;

	pthread_mutex_lock(&ob->mu);
	stop = ob->stop;
	pthread_mutex_unlock(&ob->mu);
	return stop;
}

/* Claims a batch, delivers it and records the results; returns the number
 * of events handled, or -1 when the database could not be reached. */
static int outbox_round(struct outbox *ob)
{
	const struct config *cfg = ob->app->cfg;
	struct pool_conn *conn = NULL;
	struct db_rows *rows = NULL;
	struct outbox_results res;
	struct err err = { 0 };
	char limit[24], lease[24];
	const char *params[2] = { limit, lease };
	int n = -1;

	snprintf(limit, sizeof(limit), "%ld", cfg->outbox_batch_size);
	/* Long enough for the whole batch to time out, one event after another. */
	snprintf(lease, sizeof(lease), "%ld", cfg->outbox_batch_size * cfg->outbox_timeout_ms / 1000 + 30);
	if (pool_acquire(ob->app->pool, cfg->db_acquire_timeout_ms, &conn, &err) == 0) {
		db_query(conn, &stmt_claim, 2, params, &rows, &err);
		pool_release(ob->app->pool, conn);
	}
	if (err.kind != ERR_OK) {
		log_msg(LOG_WARN, "outbox: cannot claim events: %s", err.msg);
		return -1;
	}
	outbox_results_init(&res);
	n = db_rows_count(rows);
	/* On shutdown the rest of the batch waits for its lease to end. */
	for (int i = 0; i < n && !outbox_stopping(ob); i++)
		outbox_deliver(ob, rows, i, &res);
	if (res.n > 0 && outbox_record(ob, &res, &err) != 0)
		log_msg(LOG_ERROR, "outbox: delivery results not recorded (events return when their lease ends): %s",
			err.msg);
	outbox_results_release(&res);
	db_rows_free(rows);
	return n;
}

static void outbox_cleanup(struct outbox *ob)
{
	struct pool_conn *conn = NULL;
	struct err err = { 0 };
	time_t now = time(NULL);

	if (now - ob->last_cleanup < OUTBOX_CLEANUP_EVERY_S)
		return;
	ob->last_cleanup = now;
	if (pool_acquire(ob->app->pool, ob->app->cfg->db_acquire_timeout_ms, &conn, &err) == 0) {
		db_query(conn, &stmt_cleanup, 0, NULL, NULL, &err);
		pool_release(ob->app->pool, conn);
	}
	if (err.kind != ERR_OK)
		log_msg(LOG_WARN, "idempotency key cleanup failed: %s", err.msg);
}

/* Sleeps up to ms unless stopped; returns 1 when stopping. */
static int outbox_wait(struct outbox *ob, long ms)
{
	struct timespec deadline;
	int stop;

	clock_deadline(&deadline, ms);
	pthread_mutex_lock(&ob->mu);
	if (!ob->stop && ms > 0)
		pthread_cond_timedwait(&ob->cv, &ob->mu, &deadline);
	stop = ob->stop;
	pthread_mutex_unlock(&ob->mu);
	return stop;
}

static void *outbox_main(void *arg)
{
	struct outbox *ob = arg;
	const struct config *cfg = ob->app->cfg;
	int n;

	do {
		n = cfg->outbox_url[0] ? outbox_round(ob) : 0;
		outbox_cleanup(ob);
	} while (!outbox_wait(ob, n == cfg->outbox_batch_size ? 0 : cfg->outbox_poll_interval_ms));
	return NULL;
}

struct outbox *outbox_start(struct app *app)
{
	struct outbox *ob = calloc(1, sizeof(*ob));
	pthread_condattr_t attr;

	if (ob == NULL || (ob->curl = curl_easy_init()) == NULL) {
		free(ob);
		return NULL;
	}
	ob->app = app;
	pthread_mutex_init(&ob->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ob->cv, &attr);
	pthread_condattr_destroy(&attr);
	if (app->cfg->outbox_url[0] == '\0')
		log_msg(LOG_WARN, "OUTBOX_URL is not set: events are stored but not delivered");
	if (pthread_create(&ob->thread, NULL, outbox_main, ob) != 0) {
		curl_easy_cleanup(ob->curl);
		free(ob);
		return NULL;
	}
	return ob;
}

void outbox_stop(struct outbox *ob)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->mu);
	ob->stop = 1;
	pthread_cond_signal(&ob->cv);
	pthread_mutex_unlock(&ob->mu);
	pthread_join(ob->thread, NULL);
	curl_easy_cleanup(ob->curl);
	pthread_cond_destroy(&ob->cv);
	pthread_mutex_destroy(&ob->mu);
	free(ob);
}
