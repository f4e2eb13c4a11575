/*
 * bkgen probe URL: black-box conformance checks of a running service
 * against the API contract (analyzers/probe/probe.c holds the check table).
 *
 * Failed checks are findings on the URL they probed, written by the same
 * writers as `check`; a line per check goes to stderr with --verbose.
 * Unlike `check`, exit 3 means the service could not be reached at all.
 */
#include <jansson.h>
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


static const struct bk_opt opt_header =
	{ "header", 'H', BK_OPT_LIST, "HEADER", NULL,
	  "send 'Name: value' on authenticated requests, e.g. 'Authorization: Bearer TOKEN' (repeatable)" };
static const struct bk_opt opt_insecure =
	{ "insecure", 'k', BK_OPT_FLAG, NULL, NULL, "https: do not verify the server's certificate" };
static const struct bk_opt opt_connect_timeout =
	{ "connect-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up connecting after this long (default 5)" };
static const struct bk_opt opt_timeout =
	{ "timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up on one request after this long (default 10)" };
static const struct bk_opt opt_slow_timeout =
	{ "slow-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL,
	  "slow-headers: the server must close a stalled client within this (default 60)" };
static const struct bk_opt opt_burst =
	{ "burst", 0, BK_OPT_VALUE, "N", NULL, "rate-limit: send at most N requests looking for a 429 (default 500)" };
/* Not bk_opt_only_rule: probe selects checks, not rules. */
static const struct bk_opt opt_only =
	{ "only", 0, BK_OPT_LIST, "CHECK", NULL, "run only this check (repeatable)" };
static const struct bk_opt opt_skip =
	{ "skip", 0, BK_OPT_LIST, "CHECK", NULL, "do not run this check (repeatable)" };
static const struct bk_opt opt_list =
	{ "list", 0, BK_OPT_FLAG, NULL, NULL, "list the checks and exit" };
/* Not bk_opt_verbose: probe skips no files; it tells how each check went. */
static const struct bk_opt opt_verbose =
	{ "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "print each check's outcome and time to stderr" };

static const struct bk_opt *const probe_opts[] = {
	&bk_opt_format, &opt_header, &opt_insecure, &opt_connect_timeout, &opt_timeout,
	&opt_slow_timeout, &opt_burst, &opt_only, &opt_skip, &opt_list, &bk_opt_color,
	&opt_verbose, &bk_opt_help, NULL,
};

static int probe_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_probe = {
	.name = "probe",
	.usage = "URL [options] | --list",
	.summary = "black-box conformance checks of a running service",
	.description =
	  "Sends requests to the service at URL and checks that it keeps the API\n"
	  "contract: health endpoints, problem+json errors, request ids, Idempotency-Key\n"
	  "replay and conflict, cursor pagination, a slow-client timeout and the rate\n"
	  "limit. Failed checks are reported like `check` findings (--format). Pass a\n"
	  "token with --header 'Authorization: Bearer TOKEN'. Exit status: 0 every check\n"
	  "passed, 1 a check failed, 2 usage error, 3 the service could not be reached.",
	.opts = probe_opts,
	.flags = BK_CMD_REPORT,
	.run = probe_run,
};

/*
 * --list: a line per check, or with --format json
 *   { "version": 1, "checks": [ { "name", "rule", "section", "proves",
 *     "title", "fix", "doc" }, ... ] }
 * (doc: prose with `code` in backticks, what tools/gen-man-lists.py puts
 * in bkgen-probe(1)).
 */
static int list_checks(int json)
{
	json_t *arr, *root;
	int rc;

	if (!json) {
		for (const struct bk_probe_check *c = bk_probe_checks; c->name; c++)
			printf("%-22s %-32s %s\n", c->name, c->section, c->proves);
		return 0;
	}
	arr = bk_json_ok(json_array());
	for (const struct bk_probe_check *c = bk_probe_checks; c->name; c++)
		bk_json_push(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", c->name,
					    "rule", c->rule.id, "section", c->section,
					    "proves", c->proves, "title", c->rule.title,
					    "fix", c->rule.fix, "doc", c->doc));
	root = bk_json_ok(json_pack("{s:i,s:o}", "version", 1, "checks", arr));
	rc = json_dumpf(root, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF;
	json_decref(root);
	return rc;
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
	const struct bk_optval *only = bk_args_get(a, &opt_only), *skip = bk_args_get(a, &opt_skip);
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
	const struct bk_optval *h = bk_args_get(a, &opt_header);
	long slow_ms = 60000, burst = 500;
	int rc;

	o->http.connect_timeout_ms = 5000;
	o->http.timeout_ms = 10000;
	o->http.insecure = bk_args_flag(a, &opt_insecure);
	o->http.headers = h ? h->list : NULL;
	o->http.headers_nr = h ? h->list_nr : 0;
	for (size_t i = 0; i < o->http.headers_nr; i++)
		if (!strchr(o->http.headers[i], ':') || strpbrk(o->http.headers[i], "\r\n"))
			return bk_err_set(err, BK_EUSAGE, "invalid --header '%s' (expected 'Name: value')",
					  o->http.headers[i]);
	if ((rc = bk_cli_seconds(&o->http.connect_timeout_ms, a, &opt_connect_timeout, 86400, err)) ||
	    (rc = bk_cli_seconds(&o->http.timeout_ms, a, &opt_timeout, 86400, err)) ||
	    (rc = bk_cli_seconds(&slow_ms, a, &opt_slow_timeout, 86400, err)) ||
	    (rc = bk_cli_number(&burst, a, &opt_burst, 1, 100000, err)))
		return rc;
	o->slow_timeout_s = (double)slow_ms / 1000.0;
	o->burst_max = (unsigned)burst;
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
			set->rules[set->nr++] = bk_probe_checks[i].rule;
	for (size_t f = 0; f < r->findings_nr; f++)
		for (size_t i = 0; i < set->nr; i++)
			if (!strcmp(set->rules[i].id, r->findings[f].rule->id))
				r->findings[f].rule = &set->rules[i];
}

static int run(struct bk_cli *cli, const unsigned char *sel, struct bk_probe_result *res,
	       struct bk_err *err)
{
	const struct bk_args *a = &cli->args;
	struct bk_probe_opts o = { .url = a->pos[0] };
	/* Copies of the checks' static rules: freed, never released. */
	struct bk_ruleset set = { 0 };
	char *host = NULL;
	int port, tls, rc;

	if ((rc = parse_options(&o, a, err)) ||
	    (rc = bk_http_url_parts(o.url, &host, &port, &tls, err)) ||
	    (rc = bk_probe_run(&cli->report, res, &o, sel, err)))
		goto out;
	if (bk_args_flag(a, &opt_verbose))
		print_outcomes(sel, res);
	build_ruleset(&set, sel, &cli->report);
	struct bk_output_opts oo = {
		.color = bk_cli_use_color(a, stdout), .show_source = 0,
		.tool_name = "bkgen", .tool_version = BK_VERSION, .command = cli->cmd->name,
	};
	if (bk_output_write(stdout, cli->format, &cli->report, &set, &oo))
		rc = bk_err_set(err, BK_EIO, "cannot write the report");
out:
	free(set.rules);
	free(host);
	return rc;
}

static int probe_run(struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_args *args = &cli->args;
	size_t n = bk_probe_check_count();
	unsigned char *sel = bk_xcalloc(n, 1);
	struct bk_probe_result *res = bk_xcalloc(n, sizeof(*res));
	int rc;

	if (bk_args_flag(args, &opt_list)) {
		const char *f = bk_args_value(args, &bk_opt_format);
		rc = 0;
		if (list_checks(f && !strcmp(f, "json")))
			rc = bk_err_set(err, BK_EIO, "cannot write the list");
	} else if (args->pos_nr != 1) {
		rc = args->pos_nr ? bk_cli_usage_error(cli, err, "expected one URL, got %zu arguments", args->pos_nr)
				  : bk_cli_usage_error(cli, err, "missing the service URL (e.g. http://127.0.0.1:8080)");
	} else if (!(rc = select_checks(sel, args, err)) && !(rc = run(cli, sel, res, err))) {
		rc = cli->report.findings_nr ? 1 : 0;
	}
	bk_probe_results_release(res, n);
	free(res);
	free(sel);
	return rc;
}
