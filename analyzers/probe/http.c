/*
 * libcurl behind a narrow interface (http.h). One easy handle per client,
 * reused across requests so keep-alive connections are too; each request
 * resets the per-request options it set.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "probe/http.h"

struct bk_http_client {
	CURL *curl;
	struct bk_http_opts opts;
};

struct sink {
	struct bk_http_response *r;
	int overflow;
};

int bk_http_new(struct bk_http_client **out, const struct bk_http_opts *opts,
		struct bk_err *err)
{
	struct bk_http_client *c;

	/* Reference-counted by libcurl; paired with the cleanup in bk_http_free. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return bk_err_set(err, BK_EIO, "cannot initialise libcurl");
	c = bk_xcalloc(1, sizeof(*c));
	if (!(c->curl = curl_easy_init())) {
		free(c);
		curl_global_cleanup();
		return bk_err_set(err, BK_EIO, "cannot create a libcurl handle");
	}
	c->opts = *opts;
	*out = c;
	return 0;
}

void bk_http_free(struct bk_http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
	curl_global_cleanup();
}

void bk_http_response_init(struct bk_http_response *r)
{
	r->status = 0;
	bk_buf_init(&r->body);
	bk_buf_init(&r->headers);
}

void bk_http_response_release(struct bk_http_response *r)
{
	bk_buf_release(&r->body);
	bk_buf_release(&r->headers);
	r->status = 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *p)
{
	struct sink *s = p;
	size_t len = size * n;
	if (s->r->body.len + len > BK_HTTP_MAX_BODY) {
		s->overflow = 1;
		return 0;
	}
	bk_buf_add(&s->r->body, data, len);
	return len;
}

/* A new status line starts a new header block (100 Continue, redirects). */
static size_t on_header(char *data, size_t size, size_t n, void *p)
{
	struct sink *s = p;
	size_t len = size * n;
	if (len >= 5 && !strncmp(data, "HTTP/", 5))
		bk_buf_reset(&s->r->headers);
	if (s->r->headers.len + len <= 256 * 1024)
		bk_buf_add(&s->r->headers, data, len);
	return len;
}

static struct curl_slist *header_list(const struct bk_http_client *c,
				      const char *const *extra, int flags)
{
	struct curl_slist *l = NULL;
	if (flags & BK_HTTP_AUTH)
		for (size_t i = 0; i < c->opts.headers_nr; i++)
			l = curl_slist_append(l, c->opts.headers[i]);
	for (size_t i = 0; extra && extra[i]; i++)
		l = curl_slist_append(l, extra[i]);
	/* No "Expect: 100-continue" round trip on bodies. */
	return curl_slist_append(l, "Expect:");
}

static void set_common(CURL *h, const struct bk_http_opts *o, struct sink *s)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "bkgen-probe");
}

int bk_http_request(struct bk_http_client *c, struct bk_http_response *out,
		    const char *method, const char *url,
		    const char *const *extra, const char *body, int flags,
		    struct bk_err *err)
{
	struct sink s = { out, 0 };
	struct curl_slist *hdrs = header_list(c, extra, flags);
	CURL *h = c->curl;
	CURLcode rc;
	int ret = 0;

	bk_http_response_release(out);
	curl_easy_reset(h);
	set_common(h, &c->opts, &s);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, body ? "POST" : "GET"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		ret = bk_err_set(err, BK_EIO, "%s %s: %s", method, url,
				 s.overflow ? "response body over 4MiB" : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
out:
	curl_slist_free_all(hdrs);
	return ret;
}

int bk_http_header(const struct bk_http_response *r, const char *name,
		   struct bk_buf *out)
{
	size_t nlen = strlen(name);
	const char *p = r->headers.ptr;

	bk_buf_reset(out);
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > nlen && p[nlen] == ':' && !strncasecmp(p, name, nlen)) {
			const char *v = p + nlen + 1, *end = p + len;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
				end--;
			bk_buf_add(out, v, (size_t)(end - v));
			return 1;
		}
		p = eol ? eol + 1 : NULL;
	}
	return 0;
}

int bk_http_url_parts(const char *url, char **host, int *port, int *tls,
		      struct bk_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *p = NULL;
	int ret = 0;

	if (!u)
		return bk_err_set(err, BK_EIO, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT)) {
		ret = bk_err_set(err, BK_EUSAGE, "invalid URL '%s' (e.g. http://127.0.0.1:8080)", url);
		goto out;
	}
	if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
		ret = bk_err_set(err, BK_EUSAGE, "unsupported scheme '%s' in '%s' (http or https)", scheme, url);
		goto out;
	}
	*tls = !strcasecmp(scheme, "https");
	*port = (int)strtol(p, NULL, 10);  /* curl checked it: 0-65535 */
	if (h[0] == '[') {
		size_t n = strlen(h);
		*host = bk_xstrndup(h + 1, n >= 2 ? n - 2 : 0);
	} else {
		*host = bk_xstrdup(h);
	}
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return ret;
}
