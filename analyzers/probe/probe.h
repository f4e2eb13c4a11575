/*
 * bkgen probe: black-box conformance checks of a running service against
 * templates/openapi.yaml. Each check is one row of bk_probe_checks: its
 * name, the section of the contract, what it proves, its documentation,
 * its rule and its function. A failed check is a finding on the URL it
 * probed, so every output format of `check` works unchanged.
 */
#ifndef BK_PROBE_H
#define BK_PROBE_H

#include "base/err.h"
#include "probe/http.h"
#include "base/report.h"

struct bk_probe_opts {
	const char *url;              /* base URL, e.g. http://127.0.0.1:8080 */
	struct bk_http_opts http;
	double slow_timeout_s;        /* slow-headers: the server must close by then */
	unsigned burst_max;           /* rate-limit: at most this many requests */
};

enum bk_probe_outcome { BK_PROBE_PASS, BK_PROBE_FAIL, BK_PROBE_SKIP };

struct bk_probe;

struct bk_probe_check {
	const char *name;             /* "health-live" */
	const char *section;          /* where the contract says so */
	const char *proves;           /* one line, for --list */
	const char *doc;              /* for the man page: prose, `code` in backticks */
	struct bk_rule rule;          /* of its findings: id "probe/" name, title, fix */
	/* On FAIL or SKIP, says why in why. */
	enum bk_probe_outcome (*run)(struct bk_probe *p, struct bk_buf *why);
};

/* In run order; ends with a NULL name. */
extern const struct bk_probe_check bk_probe_checks[];
size_t bk_probe_check_count(void);

struct bk_probe_result {
	enum bk_probe_outcome outcome;
	char *detail;                 /* why (FAIL, SKIP), owned; NULL on PASS */
	double ms;
};

/*
 * Run the checks whose selected[i] is set, in table order; results[i] is
 * filled for those. A failure is appended to out as a finding whose rule
 * is the check's. Returns BK_EIO when /health/live cannot be reached at
 * all (nothing else runs), 0 otherwise.
 */
int bk_probe_run(struct bk_report *out, struct bk_probe_result *results,
		 const struct bk_probe_opts *opts, const unsigned char *selected,
		 struct bk_err *err);
void bk_probe_results_release(struct bk_probe_result *results, size_t nr);

#endif
