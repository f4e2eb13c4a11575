/*
 * The probe's check table, its runner, and the checks that need one
 * request each (health, problem documents, request ids). The checks that
 * create payments are in payments.c, the raw-socket one in slowloris.c.
 *
 * Order matters: rate-limit runs last because it empties the client's
 * token bucket, which would turn every later request into a 429.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "probe/probe-int.h"

/* A check's rule, which its findings carry: the title says what must hold. */
#define PROBE_RULE(name_, title_, fix_)                                          \
	{ .id = "probe/" name_, .title = title_, .message = title_,               \
	  .category = "conformance", .rationale = title_, .fix = fix_,           \
	  .severity = BK_SEV_ERROR, .enabled = 1, .path = "builtin:probe" }

static enum bk_probe_outcome probe_health_live(struct bk_probe *p, struct bk_buf *why);
static enum bk_probe_outcome probe_health_ready(struct bk_probe *p, struct bk_buf *why);
static enum bk_probe_outcome probe_request_id(struct bk_probe *p, struct bk_buf *why);
static enum bk_probe_outcome probe_unknown_route(struct bk_probe *p, struct bk_buf *why);
static enum bk_probe_outcome probe_wrong_method(struct bk_probe *p, struct bk_buf *why);
static enum bk_probe_outcome probe_invalid_body(struct bk_probe *p, struct bk_buf *why);

/*
 * The checks in run order, one row each; the functions of the rows are
 * below, in payments.c and in slowloris.c.
 */
const struct bk_probe_check bk_probe_checks[] = {
	{ .name = "health-live", .section = "openapi: /health/live",
	  .proves = "the process answers liveness with 200 JSON",
	  .doc = "`GET /health/live` answers 200 with a JSON body.",
	  .rule = PROBE_RULE("health-live", "GET /health/live must answer 200 with JSON",
			     "Serve /health/live without touching dependencies: 200 and a JSON "
			     "body while the process runs."),
	  .run = probe_health_live },
	{ .name = "health-ready", .section = "openapi: /health/ready",
	  .proves = "readiness is 200 or 503, with JSON",
	  .doc = "`GET /health/ready` answers 200 or 503 with a JSON body.",
	  .rule = PROBE_RULE("health-ready", "GET /health/ready must answer 200 or 503 with JSON",
			     "Answer /health/ready with 200 when dependencies answer, else 503, "
			     "always with a JSON body."),
	  .run = probe_health_ready },
	{ .name = "request-id", .section = "openapi: Request ids",
	  .proves = "X-Request-Id is echoed, and generated when absent",
	  .doc = "An `X-Request-Id` sent is echoed in the response; a request without one gets "
		 "a generated one.",
	  .rule = PROBE_RULE("request-id", "X-Request-Id must be echoed, or generated when absent",
			     "Copy a valid incoming X-Request-Id to the response; generate one "
			     "when there is none."),
	  .run = probe_request_id },
	{ .name = "unknown-route", .section = "openapi: Errors (RFC 9457)",
	  .proves = "an unknown route is a problem+json 404 (type, title, status)",
	  .doc = "An unknown path is a 404 `application/problem+json` document whose `type` "
		 "and `title` are strings and whose `status` is the HTTP status.",
	  .rule = PROBE_RULE("unknown-route", "an unknown route must be a 404 problem+json document",
			     "Answer unmatched paths with 404 application/problem+json carrying "
			     "type, title and status."),
	  .run = probe_unknown_route },
	{ .name = "wrong-method", .section = "openapi: x-method-not-allowed",
	  .proves = "a wrong method is a problem+json 405 with Allow",
	  .doc = "`PUT /v1/payments` is a 405 problem document with an `Allow` header.",
	  .rule = PROBE_RULE("wrong-method",
			     "a wrong method must be a 405 problem+json document with Allow",
			     "Answer a known path with an unsupported method with 405, an Allow "
			     "header and a problem document."),
	  .run = probe_wrong_method },
	{ .name = "invalid-body", .section = "openapi: ValidationFailed",
	  .proves = "an invalid body is a 400/422 problem+json with errors[]",
	  .doc = "A payment with fields of the wrong type is a 400 or 422 problem document "
		 "with a non-empty `errors[]`.",
	  .rule = PROBE_RULE("invalid-body",
			     "an invalid body must be a 400/422 problem+json document with errors[]",
			     "Validate request bodies and list one entry per field in the "
			     "problem's errors[]."),
	  .run = probe_invalid_body },
	{ .name = "idempotency-replay", .section = "openapi: Idempotency",
	  .proves = "POST twice with one Idempotency-Key: same status and body, one resource",
	  .doc = "`POST /v1/payments` twice with one `Idempotency-Key` gives the same status "
		 "and body, and the listing holds one payment, not two.",
	  .rule = PROBE_RULE("idempotency-replay",
			     "a repeated Idempotency-Key must replay the response and create nothing",
			     "Store the first response under the key and return it for the same "
			     "request; create the resource once."),
	  .run = probe_idempotency_replay },
	{ .name = "idempotency-conflict", .section = "openapi: IdempotencyConflict",
	  .proves = "the same key with another body is a 409",
	  .doc = "The same key with a different body is a 409.",
	  .rule = PROBE_RULE("idempotency-conflict",
			     "a reused Idempotency-Key with another body must be a 409",
			     "Remember a fingerprint of the request body with the key and reject "
			     "a different body with 409."),
	  .run = probe_idempotency_conflict },
	{ .name = "pagination", .section = "openapi: listPayments",
	  .proves = "walking next_cursor returns every item exactly once",
	  .doc = "Five new payments, listed two a page by following `next_cursor`, each "
		 "appear exactly once, and no item appears on two pages.",
	  .rule = PROBE_RULE("pagination", "cursor pagination must return every item exactly once",
			     "Paginate on a unique, stable key (e.g. created_at, id) and encode "
			     "the last one in the cursor."),
	  .run = probe_pagination },
	{ .name = "slow-headers", .section = "DESIGN: probe (slow clients)",
	  .proves = "a client that stalls mid-headers is disconnected in time",
	  .doc = "A client that sends a request line and half a header and then stalls is "
		 "disconnected within `--slow-timeout`. Plain `http://` only; with `https://` "
		 "the check is skipped.",
	  .rule = PROBE_RULE("slow-headers", "a client sending headers slowly must be cut off",
			     "Set a header/connection timeout on the server (e.g. "
			     "MHD_OPTION_CONNECTION_TIMEOUT)."),
	  .run = probe_slow_headers },
	{ .name = "rate-limit", .section = "openapi: Rate limiting",
	  .proves = "a burst gets 429 with Retry-After",
	  .doc = "A burst of requests gets a 429 with `Retry-After`, within `--burst` "
		 "requests; the burst stops at the first 429. It runs last, since it empties "
		 "the client's bucket.",
	  .rule = PROBE_RULE("rate-limit", "a burst over the rate limit must get 429 with Retry-After",
			     "Rate limit per client (token bucket) and send Retry-After with every 429."),
	  .run = probe_rate_limit },
	{ .name = NULL },
};

size_t bk_probe_check_count(void)
{
	size_t n = 0;
	while (bk_probe_checks[n].name)
		n++;
	return n;
}

/* Seconds to wait on a 429 before retrying, from Retry-After (1 to 3). */
static unsigned retry_delay(struct bk_probe *p)
{
	long sec = strtol(probe_header(p, "Retry-After"), NULL, 10);
	return sec < 1 ? 1 : sec > 3 ? 3 : (unsigned)sec;
}

int probe_req(struct bk_probe *p, const char *method, const char *path,
	      const char *const *extra, const char *body, int flags,
	      struct bk_buf *why)
{
	struct bk_err err = { 0 };
	size_t n = strlen(p->opts->url);

	bk_buf_reset(&p->where);
	bk_buf_add(&p->where, p->opts->url, n && p->opts->url[n - 1] == '/' ? n - 1 : n);
	bk_buf_puts(&p->where, path);
	/* A check is not failed by the rate limit it is not about. */
	for (int attempt = 0;; attempt++) {
		if (bk_http_request(p->http, &p->res, method, p->where.ptr, extra, body,
				    flags & ~PROBE_NO_RETRY, &err)) {
			bk_buf_reset(why);
			bk_buf_puts(why, err.msg);
			return -1;
		}
		if (p->res.status != 429 || (flags & PROBE_NO_RETRY) || attempt == PROBE_RETRIES)
			return 0;
		sleep(retry_delay(p));
	}
}

json_t *probe_json(const struct bk_probe *p)
{
	return json_loadb(p->res.body.ptr, p->res.body.len, 0, NULL);
}

const char *probe_header(struct bk_probe *p, const char *name)
{
	bk_http_header(&p->res, name, &p->scratch);
	return p->scratch.ptr;
}

static int media_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return !strncasecmp(ct, want, n) && (!ct[n] || ct[n] == ';' || ct[n] == ' ');
}

int probe_is_problem(struct bk_probe *p, struct bk_buf *why)
{
	const char *ct = probe_header(p, "Content-Type");
	json_t *doc, *status;
	int ok = 0;

	if (!media_type_is(ct, "application/problem+json")) {
		bk_buf_printf(why, "%ld response has Content-Type '%s', not application/problem+json",
			      p->res.status, ct);
		return 0;
	}
	if (!(doc = probe_json(p)) || !json_is_object(doc))
		bk_buf_printf(why, "%ld problem body is not a JSON object", p->res.status);
	else if (!json_is_string(json_object_get(doc, "type")) ||
		 !json_is_string(json_object_get(doc, "title")))
		bk_buf_printf(why, "%ld problem lacks a string 'type' or 'title'", p->res.status);
	else if (!json_is_integer(status = json_object_get(doc, "status")) ||
		 json_integer_value(status) != p->res.status)
		bk_buf_printf(why, "problem 'status' does not match the HTTP status %ld", p->res.status);
	else
		ok = 1;
	json_decref(doc);
	return ok;
}

static enum bk_probe_outcome expect_json(struct bk_probe *p, struct bk_buf *why)
{
	const char *ct = probe_header(p, "Content-Type");
	json_t *doc;

	if (!strstr(ct, "json")) {
		bk_buf_printf(why, "%ld response has Content-Type '%s', not JSON", p->res.status, ct);
		return BK_PROBE_FAIL;
	}
	if (!(doc = probe_json(p))) {
		bk_buf_printf(why, "%ld response body is not JSON", p->res.status);
		return BK_PROBE_FAIL;
	}
	json_decref(doc);
	return BK_PROBE_PASS;
}

static enum bk_probe_outcome probe_health_live(struct bk_probe *p, struct bk_buf *why)
{
	if (probe_req(p, "GET", "/health/live", NULL, NULL, 0, why))
		return BK_PROBE_FAIL;
	if (p->res.status != 200) {
		bk_buf_printf(why, "status %ld, expected 200", p->res.status);
		return BK_PROBE_FAIL;
	}
	return expect_json(p, why);
}

static enum bk_probe_outcome probe_health_ready(struct bk_probe *p, struct bk_buf *why)
{
	if (probe_req(p, "GET", "/health/ready", NULL, NULL, 0, why))
		return BK_PROBE_FAIL;
	if (p->res.status != 200 && p->res.status != 503) {
		bk_buf_printf(why, "status %ld, expected 200 or 503", p->res.status);
		return BK_PROBE_FAIL;
	}
	return expect_json(p, why);
}

static enum bk_probe_outcome probe_request_id(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf hdr = BK_BUF_INIT, sent = BK_BUF_INIT;
	enum bk_probe_outcome out = BK_PROBE_FAIL;

	bk_buf_printf(&sent, "bkgen-probe-%s-%u", p->run_id, ++p->seq);
	bk_buf_printf(&hdr, "X-Request-Id: %s", sent.ptr);
	const char *extra[] = { hdr.ptr, NULL };
	if (probe_req(p, "GET", "/health/live", extra, NULL, 0, why))
		goto out;
	if (strcmp(probe_header(p, "X-Request-Id"), sent.ptr)) {
		bk_buf_printf(why, "sent X-Request-Id '%s', got back '%s'", sent.ptr,
			      probe_header(p, "X-Request-Id"));
		goto out;
	}
	if (probe_req(p, "GET", "/health/live", NULL, NULL, 0, why))
		goto out;
	if (!*probe_header(p, "X-Request-Id")) {
		bk_buf_puts(why, "no X-Request-Id generated for a request without one");
		goto out;
	}
	out = BK_PROBE_PASS;
out:
	bk_buf_release(&hdr);
	bk_buf_release(&sent);
	return out;
}

static enum bk_probe_outcome expect_problem(struct bk_probe *p, long want, struct bk_buf *why)
{
	if (p->res.status != want) {
		bk_buf_printf(why, "status %ld, expected %ld", p->res.status, want);
		return BK_PROBE_FAIL;
	}
	return probe_is_problem(p, why) ? BK_PROBE_PASS : BK_PROBE_FAIL;
}

static enum bk_probe_outcome probe_unknown_route(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf path = BK_BUF_INIT;
	enum bk_probe_outcome out = BK_PROBE_FAIL;

	bk_buf_printf(&path, "/bkgen-probe-%s/no-such-route", p->run_id);
	if (!probe_req(p, "GET", path.ptr, NULL, NULL, BK_HTTP_AUTH, why))
		out = expect_problem(p, 404, why);
	bk_buf_release(&path);
	return out;
}

static enum bk_probe_outcome probe_wrong_method(struct bk_probe *p, struct bk_buf *why)
{
	enum bk_probe_outcome out;

	if (probe_req(p, "PUT", "/v1/payments", NULL, NULL, BK_HTTP_AUTH, why))
		return BK_PROBE_FAIL;
	if ((out = expect_problem(p, 405, why)) != BK_PROBE_PASS)
		return out;
	if (!*probe_header(p, "Allow")) {
		bk_buf_puts(why, "405 response without an Allow header");
		return BK_PROBE_FAIL;
	}
	return BK_PROBE_PASS;
}

static enum bk_probe_outcome probe_invalid_body(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf key = BK_BUF_INIT;
	enum bk_probe_outcome out = BK_PROBE_FAIL;
	json_t *doc = NULL, *errors;

	bk_buf_printf(&key, "Idempotency-Key: bkgen-probe-%s-%u", p->run_id, ++p->seq);
	const char *extra[] = { key.ptr, "Content-Type: application/json", NULL };
	if (probe_req(p, "POST", "/v1/payments", extra,
		      "{\"amount\":\"ten\",\"currency\":42}", BK_HTTP_AUTH, why))
		goto out;
	if (p->res.status != 400 && p->res.status != 422) {
		bk_buf_printf(why, "status %ld for an invalid payment, expected 400 or 422", p->res.status);
		goto out;
	}
	if (!probe_is_problem(p, why))
		goto out;
	doc = probe_json(p);
	errors = json_object_get(doc, "errors");
	if (!json_is_array(errors) || !json_array_size(errors)) {
		bk_buf_printf(why, "%ld problem has no non-empty errors[]", p->res.status);
		goto out;
	}
	out = BK_PROBE_PASS;
out:
	json_decref(doc);
	bk_buf_release(&key);
	return out;
}

static void run_id_init(char id[17])
{
	struct timespec ts;
	unsigned long long v;

	clock_gettime(CLOCK_REALTIME, &ts);
	v = ((unsigned long long)ts.tv_sec << 20) ^ (unsigned long long)ts.tv_nsec ^
	    ((unsigned long long)getpid() << 40);
	snprintf(id, 17, "%016llx", v);
}

static void add_finding(struct bk_report *out, const struct bk_probe_check *c,
			const char *where, const char *why)
{
	struct bk_finding *f = bk_report_add_finding(out, &c->rule, where);
	f->message = bk_xstrdup(why);
}

/* Is anything listening at all? A transport error here is exit 3. */
static int reachable(struct bk_probe *p, struct bk_err *err)
{
	struct bk_buf why = BK_BUF_INIT;
	int rc = 0;
	if (probe_req(p, "GET", "/health/live", NULL, NULL, 0, &why))
		rc = bk_err_set(err, BK_EIO, "service unreachable: %s", why.ptr);
	bk_buf_release(&why);
	return rc;
}

int bk_probe_run(struct bk_report *out, struct bk_probe_result *results,
		 const struct bk_probe_opts *opts, const unsigned char *selected,
		 struct bk_err *err)
{
	struct bk_probe p = { .opts = opts };
	struct bk_buf why = BK_BUF_INIT;
	int rc;

	bk_http_response_init(&p.res);
	bk_buf_init(&p.where);
	bk_buf_init(&p.scratch);
	run_id_init(p.run_id);
	if ((rc = bk_http_new(&p.http, &opts->http, err)) || (rc = reachable(&p, err)))
		goto out;
	for (size_t i = 0; bk_probe_checks[i].name; i++) {
		const struct bk_probe_check *c = &bk_probe_checks[i];
		uint64_t t0 = bk_now_ns();
		if (!selected[i])
			continue;
		bk_buf_reset(&why);
		bk_buf_reset(&p.where);
		results[i].outcome = c->run(&p, &why);
		results[i].ms = (double)(bk_now_ns() - t0) / 1e6;
		results[i].detail = results[i].outcome == BK_PROBE_PASS ? NULL : bk_xstrdup(why.ptr);
		if (results[i].outcome == BK_PROBE_FAIL)
			add_finding(out, c, p.where.len ? p.where.ptr : opts->url, why.ptr);
	}
out:
	bk_buf_release(&why);
	bk_buf_release(&p.where);
	bk_buf_release(&p.scratch);
	bk_http_response_release(&p.res);
	bk_http_free(p.http);
	return rc;
}

void bk_probe_results_release(struct bk_probe_result *results, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(results[i].detail);
		results[i].detail = NULL;
	}
}
