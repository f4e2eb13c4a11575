/* Shared by the probe's files (probe.c, payments.c, slowloris.c). */
#ifndef BK_PROBE_INT_H
#define BK_PROBE_INT_H

#include <jansson.h>
#include "probe/probe.h"

struct bk_probe {
	const struct bk_probe_opts *opts;
	struct bk_http_client *http;
	struct bk_http_response res;
	struct bk_buf where;          /* the URL the current check is about */
	struct bk_buf scratch;
	char run_id[17];              /* hex, makes keys and ids unique per run */
	unsigned seq;
};

/* probe_req flag: return a 429 as is (else it is retried, bounded). */
#define PROBE_NO_RETRY 0x100
#define PROBE_RETRIES 3

/*
 * One request to the base URL + path; the response is in p->res and
 * p->where is set. Returns 0, or -1 with why set on a transport error.
 */
int probe_req(struct bk_probe *p, const char *method, const char *path,
	      const char *const *extra, const char *body, int flags,
	      struct bk_buf *why);
/* The body as JSON (NULL if it is not), a new reference. */
json_t *probe_json(const struct bk_probe *p);
/* The response header name, or "" (valid until the next call). */
const char *probe_header(struct bk_probe *p, const char *name);
/* p->res is an RFC 9457 document whose status is the HTTP status; else why. */
int probe_is_problem(struct bk_probe *p, struct bk_buf *why);

enum bk_probe_outcome probe_idempotency_replay(struct bk_probe *p, struct bk_buf *why);
enum bk_probe_outcome probe_idempotency_conflict(struct bk_probe *p, struct bk_buf *why);
enum bk_probe_outcome probe_pagination(struct bk_probe *p, struct bk_buf *why);
enum bk_probe_outcome probe_rate_limit(struct bk_probe *p, struct bk_buf *why);
enum bk_probe_outcome probe_slow_headers(struct bk_probe *p, struct bk_buf *why);

#endif
