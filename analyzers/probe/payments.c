/*
 * Probe checks that create payments and read them back: Idempotency-Key
 * replay and conflict, cursor pagination, and the rate-limit burst. Every
 * resource created carries the run id in its customer_id, so the checks
 * find their own items in a listing shared with other clients.
 */
#include <stdlib.h>
#include <string.h>
#include "probe/probe-int.h"

#define PAGE_LIMIT_MAX 200   /* pages walked at most by one listing */

struct id_list {
	char **v;
	size_t nr, alloc;
};

static void id_list_release(struct id_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static size_t id_list_count(const struct id_list *l, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nr; i++)
		n += !strcmp(l->v[i], id);
	return n;
}

static void id_list_add(struct id_list *l, const char *id)
{
	BK_ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = bk_xstrdup(id);
}

static void hint_auth(const struct bk_probe *p, struct bk_buf *why)
{
	if (p->res.status == 401 || p->res.status == 403)
		bk_buf_puts(why, " (pass a token: --header 'Authorization: Bearer ...')");
}

static void customer_id(struct bk_probe *p, struct bk_buf *out, const char *what)
{
	bk_buf_reset(out);
	bk_buf_printf(out, "cus_probe_%s_%s", p->run_id, what);
}

/* POST /v1/payments with this key; the response is in p->res. */
static int create_payment(struct bk_probe *p, const char *key, const char *customer,
			  long amount, struct bk_buf *why)
{
	struct bk_buf hdr = BK_BUF_INIT, body = BK_BUF_INIT;
	int rc;

	bk_buf_printf(&hdr, "Idempotency-Key: %s", key);
	bk_buf_printf(&body, "{\"amount\":%ld,\"currency\":\"EUR\",\"customer_id\":\"%s\","
		      "\"metadata\":{\"probe\":\"bkgen\"}}", amount, customer);
	const char *extra[] = { hdr.ptr, "Content-Type: application/json", NULL };
	rc = probe_req(p, "POST", "/v1/payments", extra, body.ptr, BK_HTTP_AUTH, why);
	bk_buf_release(&hdr);
	bk_buf_release(&body);
	return rc;
}

static int created(struct bk_probe *p, const char *what, struct bk_buf *why)
{
	if (p->res.status >= 200 && p->res.status < 300)
		return 1;
	bk_buf_printf(why, "%s: POST /v1/payments answered %ld, expected 2xx", what, p->res.status);
	hint_auth(p, why);
	return 0;
}

static void new_key(struct bk_probe *p, struct bk_buf *key)
{
	bk_buf_reset(key);
	bk_buf_printf(key, "bkgen-probe-%s-%u", p->run_id, ++p->seq);
}

static void url_escape(struct bk_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			bk_buf_putc(out, (char)c);
		else
			bk_buf_printf(out, "%%%02X", c);
	}
}

/*
 * Walk GET /v1/payments?limit=N. Every item's id goes to ids; items whose
 * customer_id is customer also go to mine. Stops at the last page, after
 * PAGE_LIMIT_MAX pages, or one page after want ids of mine were seen.
 */
static int walk_list(struct bk_probe *p, int limit, const char *customer,
		     size_t want, struct id_list *ids, struct id_list *mine,
		     struct bk_buf *why)
{
	struct bk_buf path = BK_BUF_INIT;
	char *cursor = NULL;
	int rc = -1, extra_pages = -1;

	for (int page = 0; page < PAGE_LIMIT_MAX && extra_pages != 0; page++) {
		json_t *doc, *data, *next, *item;
		size_t i;

		bk_buf_reset(&path);
		bk_buf_printf(&path, "/v1/payments?limit=%d", limit);
		if (cursor) {
			bk_buf_puts(&path, "&cursor=");
			url_escape(&path, cursor);
		}
		if (probe_req(p, "GET", path.ptr, NULL, NULL, BK_HTTP_AUTH, why))
			goto out;
		if (p->res.status != 200) {
			bk_buf_printf(why, "listing page %d answered %ld, expected 200", page + 1, p->res.status);
			hint_auth(p, why);
			goto out;
		}
		doc = probe_json(p);
		data = json_object_get(doc, "data");
		next = json_object_get(doc, "next_cursor");
		if (!json_is_array(data) || !(json_is_string(next) || json_is_null(next))) {
			bk_buf_printf(why, "listing page %d lacks data[] or next_cursor", page + 1);
			json_decref(doc);
			goto out;
		}
		json_array_foreach(data, i, item) {
			const char *id = json_string_value(json_object_get(item, "id"));
			const char *cus = json_string_value(json_object_get(item, "customer_id"));
			if (!id)
				continue;
			id_list_add(ids, id);
			if (cus && !strcmp(cus, customer))
				id_list_add(mine, id);
		}
		free(cursor);
		cursor = json_is_string(next) ? bk_xstrdup(json_string_value(next)) : NULL;
		json_decref(doc);
		if (!cursor)
			break;
		if (extra_pages < 0 && mine->nr >= want)
			extra_pages = 1;
		else if (extra_pages > 0)
			extra_pages--;
	}
	rc = 0;
out:
	free(cursor);
	bk_buf_release(&path);
	return rc;
}

enum bk_probe_outcome probe_idempotency_replay(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf key = BK_BUF_INIT, cus = BK_BUF_INIT, first = BK_BUF_INIT;
	struct id_list ids = { 0 }, mine = { 0 };
	enum bk_probe_outcome out = BK_PROBE_FAIL;
	json_t *a = NULL, *b = NULL;
	long status;

	new_key(p, &key);
	customer_id(p, &cus, "replay");
	if (create_payment(p, key.ptr, cus.ptr, 1234, why) || !created(p, "first request", why))
		goto out;
	status = p->res.status;
	bk_buf_add(&first, p->res.body.ptr, p->res.body.len);
	if (create_payment(p, key.ptr, cus.ptr, 1234, why))
		goto out;
	a = json_loadb(first.ptr, first.len, 0, NULL);
	b = probe_json(p);
	if (p->res.status != status) {
		bk_buf_printf(why, "replay answered %ld, the first request %ld", p->res.status, status);
		goto out;
	}
	if (a && b ? !json_equal(a, b)
		   : (first.len != p->res.body.len || memcmp(first.ptr, p->res.body.ptr, first.len))) {
		bk_buf_puts(why, "replay body differs from the first response");
		goto out;
	}
	if (walk_list(p, 100, cus.ptr, 2, &ids, &mine, why))
		goto out;
	if (mine.nr != 1) {
		bk_buf_printf(why, "two requests with one Idempotency-Key created %zu payments, expected 1", mine.nr);
		goto out;
	}
	out = BK_PROBE_PASS;
out:
	json_decref(a);
	json_decref(b);
	id_list_release(&ids);
	id_list_release(&mine);
	bk_buf_release(&key);
	bk_buf_release(&cus);
	bk_buf_release(&first);
	return out;
}

enum bk_probe_outcome probe_idempotency_conflict(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf key = BK_BUF_INIT, cus = BK_BUF_INIT;
	enum bk_probe_outcome out = BK_PROBE_FAIL;

	new_key(p, &key);
	customer_id(p, &cus, "conflict");
	if (create_payment(p, key.ptr, cus.ptr, 1111, why) || !created(p, "first request", why) ||
	    create_payment(p, key.ptr, cus.ptr, 2222, why))
		goto out;
	if (p->res.status != 409) {
		bk_buf_printf(why, "the same Idempotency-Key with another body answered %ld, expected 409",
			      p->res.status);
		goto out;
	}
	out = BK_PROBE_PASS;
out:
	bk_buf_release(&key);
	bk_buf_release(&cus);
	return out;
}

#define PAGINATION_ITEMS 5

enum bk_probe_outcome probe_pagination(struct bk_probe *p, struct bk_buf *why)
{
	struct bk_buf key = BK_BUF_INIT, cus = BK_BUF_INIT;
	struct id_list made = { 0 }, ids = { 0 }, mine = { 0 };
	enum bk_probe_outcome out = BK_PROBE_FAIL;

	customer_id(p, &cus, "pages");
	for (int i = 0; i < PAGINATION_ITEMS; i++) {
		json_t *doc;
		const char *id;
		new_key(p, &key);
		if (create_payment(p, key.ptr, cus.ptr, 100 + i, why) || !created(p, "creating items", why))
			goto out;
		doc = probe_json(p);
		if ((id = json_string_value(json_object_get(doc, "id"))))
			id_list_add(&made, id);
		json_decref(doc);
		if (!id) {
			bk_buf_puts(why, "a created payment has no string 'id'");
			goto out;
		}
	}
	if (walk_list(p, 2, cus.ptr, PAGINATION_ITEMS, &ids, &mine, why))
		goto out;
	for (size_t i = 0; i < ids.nr; i++)
		if (id_list_count(&ids, ids.v[i]) > 1) {
			bk_buf_printf(why, "item '%s' appears %zu times across pages", ids.v[i],
				      id_list_count(&ids, ids.v[i]));
			goto out;
		}
	for (size_t i = 0; i < made.nr; i++)
		if (id_list_count(&ids, made.v[i]) != 1) {
			bk_buf_printf(why, "created item '%s' never appears in the listing", made.v[i]);
			goto out;
		}
	out = BK_PROBE_PASS;
out:
	id_list_release(&made);
	id_list_release(&ids);
	id_list_release(&mine);
	bk_buf_release(&key);
	bk_buf_release(&cus);
	return out;
}

enum bk_probe_outcome probe_rate_limit(struct bk_probe *p, struct bk_buf *why)
{
	for (unsigned i = 0; i < p->opts->burst_max; i++) {
		if (probe_req(p, "GET", "/v1/payments?limit=1", NULL, NULL,
			      BK_HTTP_AUTH | PROBE_NO_RETRY, why))
			return BK_PROBE_FAIL;
		if (p->res.status != 429)
			continue;
		if (!*probe_header(p, "Retry-After")) {
			bk_buf_printf(why, "429 after %u requests, but without Retry-After", i + 1);
			return BK_PROBE_FAIL;
		}
		return BK_PROBE_PASS;
	}
	bk_buf_printf(why, "no 429 after a burst of %u requests", p->opts->burst_max);
	return BK_PROBE_FAIL;
}
