/*
 * A small HTTP client over libcurl, for `bkgen probe`. The CURL handle
 * lives here and nowhere else: callers see a client, requests and
 * responses. Every request has a connect and a total timeout.
 */
#ifndef BK_HTTP_H
#define BK_HTTP_H

#include <stddef.h>
#include "base/err.h"
#include "base/util.h"

struct bk_http_opts {
	long connect_timeout_ms;
	long timeout_ms;
	int insecure;                 /* skip TLS peer and host verification */
	const char *const *headers;   /* "Name: value", sent when auth is asked */
	size_t headers_nr;
};

struct bk_http_client;

struct bk_http_response {
	long status;
	struct bk_buf body;           /* at most BK_HTTP_MAX_BODY bytes */
	struct bk_buf headers;        /* the final response's header block */
};

#define BK_HTTP_MAX_BODY (4u * 1024 * 1024)

/* Flags for bk_http_request. */
#define BK_HTTP_AUTH 1                /* add the opts' headers */

/* The client borrows opts' strings; free it with bk_http_free. */
int bk_http_new(struct bk_http_client **out, const struct bk_http_opts *opts,
		struct bk_err *err);
void bk_http_free(struct bk_http_client *c);

void bk_http_response_init(struct bk_http_response *r);
void bk_http_response_release(struct bk_http_response *r);

/*
 * One request. extra is a NULL-terminated list of "Name: value" headers
 * (or NULL); body may be NULL. Connection failures and timeouts return
 * BK_EIO with curl's message; any HTTP status is a success.
 */
int bk_http_request(struct bk_http_client *c, struct bk_http_response *out,
		    const char *method, const char *url,
		    const char *const *extra, const char *body, int flags,
		    struct bk_err *err);

/* The value of the first header called name (case-insensitive) into out; 1 found, 0 not. */
int bk_http_header(const struct bk_http_response *r, const char *name,
		   struct bk_buf *out);

/*
 * Split url into host (without brackets) and port, defaulting the port
 * from the scheme; *tls is 1 for https. host is the caller's to free.
 */
int bk_http_url_parts(const char *url, char **host, int *port, int *tls,
		      struct bk_err *err);

#endif
