/*
 * bkgen probe URL: black-box conformance checks of a running service
 * against the API contract (analyzers/probe/probe.c holds the check table).
 *
 * Failed checks are findings on the URL they probed, written by the same
 * writers as `check`; a line per check goes to stderr with --verbose.
 * Unlike `check`, exit 3 means the service could not be reached at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "output.h"
#include "setup.h"
#include "probe/probe.h"
#include "base/suggest.h"
#include "base/util.h"


const struct bk_opt bk_probe_opts[] = {
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", bk_format_names, "output format" },
	{ "header", 'H', BK_OPT_LIST, "HEADER", NULL, "send 'Name: value' on authenticated requests, e.g. 'Authorization: Bearer TOKEN' (repeatable)" },
	{ "insecure", 'k', BK_OPT_FLAG, NULL, NULL, "https: do not verify the server's certificate" },
	{ "connect-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up connecting after this long (default 5)" },
	{ "timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up on one request after this long (default 10)" },
	{ "slow-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "slow-headers: the server must close a stalled client within this (default 60)" },
	{ "burst", 0, BK_OPT_VALUE, "N", NULL, "rate-limit: send at most N requests looking for a 429 (default 500)" },
	{ "only", 0, BK_OPT_LIST, "CHECK", NULL, "run only this check (repeatable)" },
	{ "skip", 0, BK_OPT_LIST, "CHECK", NULL, "do not run this check (repeatable)" },
	{ "list", 0, BK_OPT_FLAG, NULL, NULL, "list the checks and exit" },
	{ "color", 0, BK_OPT_VALUE, "WHEN", bk_cli_color_modes, "colour text output (default auto: on a terminal, unless NO_COLOR)" },
	{ "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "print each check's outcome and time to stderr" },
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static void list_checks(void)
{
	for (const struct bk_probe_check *c = bk_probe_checks; c->name; c++)
		printf("%-22s %-32s %s\n", c->name, c->section, c->proves);
}

static int check_index(const char *name, struct bk_err *err)
{
	struct bk_suggest s;

	bk_suggest_init(&s, name);
	for (size_t i = 0; bk_probe_checks[i].name; i++) {
		if (!strcmp(bk_probe_checks[i].name, name))
			return (int)i;
		bk_suggest_add(&s, bk_probe_checks[i].name);
	}
	return bk_err_suggest(err, BK_EUSAGE, &s, "see 'bkgen probe --list'", "unknown check '%s'", name);
}

static int select_checks(unsigned char *sel, const struct bk_args *a, struct bk_err *err)
{
	const struct bk_optval *only = bk_args_get(a, "only"), *skip = bk_args_get(a, "skip");
	size_t n = bk_probe_check_count();
	int i;

	memset(sel, only && only->list_nr ? 0 : 1, n);
	for (size_t k = 0; only && k < only->list_nr; k++) {
		if ((i = check_index(only->list[k], err)) < 0)
			return i;
		sel[i] = 1;
	}
	for (size_t k = 0; skip && k < skip->list_nr; k++) {
		if ((i = check_index(skip->list[k], err)) < 0)
			return i;
		sel[i] = 0;
	}
	return 0;
}

static int parse_options(struct bk_probe_opts *o, const struct bk_args *a, struct bk_err *err)
{
	const struct bk_optval *h = bk_args_get(a, "header");
	long slow_ms = 60000;
	const char *v;
	int rc;

	o->http.connect_timeout_ms = 5000;
	o->http.timeout_ms = 10000;
	o->http.insecure = bk_args_flag(a, "insecure");
	o->http.headers = h ? h->list : NULL;
	o->http.headers_nr = h ? h->list_nr : 0;
	o->burst_max = 500;
	for (size_t i = 0; i < o->http.headers_nr; i++)
		if (!strchr(o->http.headers[i], ':') || strpbrk(o->http.headers[i], "\r\n"))
			return bk_err_set(err, BK_EUSAGE, "invalid --header '%s' (expected 'Name: value')",
					  o->http.headers[i]);
	if ((rc = bk_cli_seconds(&o->http.connect_timeout_ms, a, "connect-timeout", 86400, err)) ||
	    (rc = bk_cli_seconds(&o->http.timeout_ms, a, "timeout", 86400, err)) ||
	    (rc = bk_cli_seconds(&slow_ms, a, "slow-timeout", 86400, err)))
		return rc;
	o->slow_timeout_s = (double)slow_ms / 1000.0;
	if ((v = bk_args_value(a, "burst"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > 100000)
			return bk_err_set(err, BK_EUSAGE, "invalid --burst '%s' (a number from 1 to 100000)", v);
		o->burst_max = (unsigned)n;
	}
	return 0;
}

static const char *const outcome_names[] = { "ok", "FAIL", "skip" };

static void print_outcomes(const unsigned char *sel, const struct bk_probe_result *res)
{
	for (size_t i = 0; bk_probe_checks[i].name; i++) {
		if (!sel[i])
			continue;
		fprintf(stderr, "probe: %-22s %-4s %8.1f ms%s%s\n", bk_probe_checks[i].name,
			outcome_names[res[i].outcome], res[i].ms, res[i].detail ? "  " : "",
			res[i].detail ? res[i].detail : "");
	}
}

/* Findings point at the ruleset's copies, so sarif's rule indexes line up. */
static void build_ruleset(struct bk_ruleset *set, const unsigned char *sel, struct bk_report *r)
{
	size_t n = bk_probe_check_count();
	set->rules = bk_xcalloc(n ? n : 1, sizeof(*set->rules));
	for (size_t i = 0; i < n; i++)
		if (sel[i])
			set->rules[set->nr++] = *bk_probe_checks[i].rule;
	for (size_t f = 0; f < r->findings_nr; f++)
		for (size_t i = 0; i < set->nr; i++)
			if (!strcmp(set->rules[i].id, r->findings[f].rule->id))
				r->findings[f].rule = &set->rules[i];
}

static int run(const struct bk_args *a, const unsigned char *sel, struct bk_report *report,
	       struct bk_probe_result *res, struct bk_err *err)
{
	struct bk_probe_opts o = { .url = a->pos[0] };
	struct bk_ruleset set = { 0 };
	enum bk_format fmt = BK_FMT_TEXT;
	const char *v;
	char *host = NULL;
	int port, tls, rc;

	if ((v = bk_args_value(a, "format")))
		bk_format_parse(&fmt, v);
	if ((rc = parse_options(&o, a, err)) ||
	    (rc = bk_http_url_parts(o.url, &host, &port, &tls, err)) ||
	    (rc = bk_probe_run(report, res, &o, sel, err)))
		goto out;
	if (bk_args_flag(a, "verbose"))
		print_outcomes(sel, res);
	build_ruleset(&set, sel, report);
	struct bk_output_opts oo = {
		.color = bk_cli_use_color(a, stdout), .show_source = 0,
		.tool_name = "bkgen", .tool_version = BK_VERSION, .command = "probe",
	};
	if (bk_output_write(stdout, fmt, report, &set, &oo))
		rc = bk_err_set(err, BK_EIO, "cannot write the report");
out:
	free(set.rules);
	free(host);
	return rc;
}

int bk_cmd_probe(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct bk_args args;
	struct bk_err err = { 0 };
	struct bk_report report = { 0 };
	size_t n = bk_probe_check_count();
	unsigned char *sel = bk_xcalloc(n, 1);
	struct bk_probe_result *res = bk_xcalloc(n, sizeof(*res));
	int status;

	memset(&args, 0, sizeof(args));
	if ((status = bk_cli_parse(cmd, &args, argc, argv)) >= 0)
		goto out;
	if (bk_args_flag(&args, "list")) {
		list_checks();
		status = 0;
	} else if (args.pos_nr != 1) {
		bk_cli_usage(stderr, cmd);
		bk_err_set(&err, BK_EUSAGE, args.pos_nr ? "expected one URL, got %zu arguments"
					       : "missing the service URL (e.g. http://127.0.0.1:8080)",
			   args.pos_nr);
		status = bk_cli_fail(&err);
	} else if (select_checks(sel, &args, &err) || run(&args, sel, &report, res, &err)) {
		status = bk_cli_fail(&err);
	} else {
		status = report.findings_nr ? 1 : 0;
	}
out:
	bk_args_release(&args);
	bk_probe_results_release(res, n);
	bk_report_release(&report);
	free(res);
	free(sel);
	return status;
}
