/*
 * bkgen check [PATH...]: lint files against the rules.
 *
 * Files are walked (git ignores honoured), each language's rules run as one
 * query per file on a pool of workers, and the sorted findings are written
 * in one of four formats. With --output the report goes to a temporary
 * file renamed into place, so a reader never sees half of it.
 *
 * --staged, --changed and --since take the file list from git instead of
 * the walk (gitdiff.c); --staged reads each file's staged blob, not the
 * work tree, so a pre-commit hook checks what is being committed.
 * --new-only then drops findings outside the added lines, and --baseline
 * drops the findings a baseline file already records.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "output.h"
#include "setup.h"
#include "../analyzers/baseline.h"
#include "../analyzers/check.h"
#include "../analyzers/gitdiff.h"
#include "../analyzers/lang.h"
#include "../analyzers/util.h"
#include "../analyzers/walk.h"



const struct bk_opt bk_check_opts[] = {
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", bk_format_names, "output format" },
	{ "output", 'o', BK_OPT_VALUE, "FILE", NULL, "write the report to FILE (atomically)" },
	{ "fail-on", 0, BK_OPT_VALUE, "LEVEL", bk_cli_fail_levels, "lowest severity that makes the exit status 1 (default warning)" },
	{ "jobs", 'j', BK_OPT_VALUE, "N", NULL, "worker threads (default: number of cores)" },
	{ "rules", 0, BK_OPT_LIST, "DIR", NULL, "also load the rule files in DIR (repeatable)" },
	{ "only", 0, BK_OPT_LIST, "RULE", NULL, "run only this rule (repeatable)" },
	{ "no-builtin", 0, BK_OPT_FLAG, NULL, NULL, "do not load the built-in rules" },
	{ "config", 'c', BK_OPT_VALUE, "FILE", NULL, "use this configuration instead of the nearest .bkgen.yml" },
	{ "no-config", 0, BK_OPT_FLAG, NULL, NULL, "ignore any .bkgen.yml" },
	{ "include", 0, BK_OPT_LIST, "GLOB", NULL, "check only files matching GLOB (repeatable)" },
	{ "exclude", 0, BK_OPT_LIST, "GLOB", NULL, "skip files matching GLOB (repeatable)" },
	{ "no-ignore", 0, BK_OPT_FLAG, NULL, NULL, "do not honour .gitignore and .git/info/exclude" },
	{ "max-file-size", 0, BK_OPT_VALUE, "SIZE", NULL, "skip larger files (default 2MiB)" },
	{ "file-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up on a file after this long (default 10; it is reported as skipped)" },
	{ "max-findings", 0, BK_OPT_VALUE, "N", NULL, "report at most N findings (default 100000; 0: no limit)" },
	{ "max-findings-per-file", 0, BK_OPT_VALUE, "N", NULL, "report at most N findings per file (default 1000; 0: no limit)" },
	{ "report-unused-ignores", 0, BK_OPT_FLAG, NULL, NULL, "report bkgen-ignore comments that suppress nothing" },
	{ "strict", 0, BK_OPT_FLAG, NULL, NULL, "exit 3 if a file could not be read, parsed or fully checked" },
	{ "stats", 0, BK_OPT_FLAG, NULL, NULL, "print counts and timings per phase and per rule to stderr" },
	{ "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "list every skipped file on stderr" },
	{ "color", 0, BK_OPT_VALUE, "WHEN", bk_cli_color_modes, "colour text output (default auto: on a terminal, unless NO_COLOR)" },
	{ "no-source", 0, BK_OPT_FLAG, NULL, NULL, "text: do not show the source line and caret" },
	{ "staged", 0, BK_OPT_FLAG, NULL, NULL, "check only staged files, as staged in the index" },
	{ "changed", 0, BK_OPT_FLAG, NULL, NULL, "check only uncommitted changes (staged, unstaged, untracked)" },
	{ "since", 0, BK_OPT_VALUE, "REV", NULL, "check only files changed since the revision REV" },
	{ "new-only", 0, BK_OPT_FLAG, NULL, NULL, "with --staged, --changed or --since: report only findings on added or modified lines" },
	{ "baseline", 0, BK_OPT_VALUE, "FILE", NULL, "ignore the findings recorded in the baseline FILE" },
	{ "write-baseline", 0, BK_OPT_VALUE, "FILE", NULL, "record the findings in the baseline FILE and exit 0" },
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

struct check_run {
	struct bk_args args;
	struct bk_config cfg;
	struct bk_ruleset rules;
	struct bk_engine *engine;
	struct bk_file_list files;
	struct bk_report report;
	struct bk_check_stats stats;
	struct bk_check_opts opts;
	enum bk_format format;
	int fail_on;
	size_t max_findings;      /* per run; SIZE_MAX: no limit */
	int git_mode;             /* --staged, --changed or --since given */
	enum bk_gitdiff_mode diff_mode;
	struct bk_changes changes;
	struct bk_baseline baseline;  /* --baseline, loaded before any work */
};

static int wanted(const char *path, void *data)
{
	return bk_engine_has_lang(data, bk_lang_for_path(path));
}

static int walk(struct check_run *r, struct bk_err *err)
{
	uint64_t t0 = bk_now_ns();
	int rc = bk_cli_walk(&r->files, &r->args, &r->cfg, wanted, r->engine, &r->report, err);
	r->stats.walk_ms = (double)(bk_now_ns() - t0) / 1e6;
	return rc;
}

static int staged_read(const char **text, size_t *len, const char *path, void *data)
{
	const struct bk_changed_file *f = bk_changes_find(data, path);
	if (!f || !f->content)
		return 0;
	*text = f->content;
	*len = f->len;
	return 1;
}

/* Is path one of the PATH arguments or below one? */
static int under_args(const struct check_run *r, const char *path)
{
	if (!r->args.pos_nr)
		return 1;
	for (size_t i = 0; i < r->args.pos_nr; i++) {
		const char *a = r->args.pos[i];
		while (a[0] == '.' && a[1] == '/')
			a += 2;
		size_t n = strlen(a);
		while (n > 1 && a[n - 1] == '/')
			n--;
		if (!strcmp(a, ".") || !n || (!strncmp(path, a, n) && (!path[n] || path[n] == '/')))
			return 1;
	}
	return 0;
}

static int glob_any(const char **globs, size_t nr, const char *path)
{
	for (size_t i = 0; i < nr; i++)
		if (bk_glob_match(globs[i], path))
			return 1;
	return 0;
}

/* The file list from git, filtered as the walk would filter it. */
static int list_changes(struct check_run *r, struct bk_err *err)
{
	const char **inc, **exc;
	size_t inc_nr, exc_nr;
	uint64_t t0 = bk_now_ns();
	int cfg_here = bk_cli_config_here(&r->cfg);
	int rc = bk_gitdiff_list(&r->changes, r->diff_mode, bk_args_value(&r->args, "since"),
				 bk_args_flag(&r->args, "new-only"), err);
	if (rc)
		return rc;
	bk_cli_glob_lists(&r->args, "include", cfg_here ? r->cfg.include : NULL,
		   cfg_here ? r->cfg.include_nr : 0, &inc, &inc_nr);
	bk_cli_glob_lists(&r->args, "exclude", cfg_here ? r->cfg.exclude : NULL,
		   cfg_here ? r->cfg.exclude_nr : 0, &exc, &exc_nr);
	for (size_t i = 0; i < r->changes.nr; i++) {
		const char *p = r->changes.files[i].path;
		if (!wanted(p, r->engine) || !under_args(r, p) ||
		    (inc_nr && !glob_any(inc, inc_nr, p)) || glob_any(exc, exc_nr, p))
			continue;
		BK_ALLOC_GROW(r->files.paths, r->files.nr + 1, r->files.alloc);
		r->files.paths[r->files.nr++] = bk_xstrdup(p);
	}
	if (!cfg_here)
		bk_cli_filter_by_config(&r->files, &r->cfg);
	free(inc);
	free(exc);
	if (r->diff_mode == BK_GITDIFF_STAGED) {
		r->opts.read = staged_read;
		r->opts.read_data = &r->changes;
	}
	r->stats.walk_ms = (double)(bk_now_ns() - t0) / 1e6;
	return 0;
}

/* --new-only: keep the findings that start on an added or modified line. */
static void keep_new_findings(struct check_run *r)
{
	size_t keep = 0;
	for (size_t i = 0; i < r->report.findings_nr; i++) {
		struct bk_finding *f = &r->report.findings[i];
		const struct bk_changed_file *c = bk_changes_find(&r->changes, f->path);
		if (c && bk_changed_line_is_new(c, f->start_line)) {
			r->report.findings[keep++] = *f;
		} else {
			bk_finding_release(f);
		}
	}
	r->report.findings_nr = keep;
}

static int load_baseline(struct check_run *r, struct bk_err *err)
{
	const char *path = bk_args_value(&r->args, "baseline");
	return path ? bk_baseline_load(&r->baseline, path, err) : 0;
}

static int apply_baselines(struct check_run *r, struct bk_err *err)
{
	struct bk_baseline b;
	const char *path;
	int rc = 0;

	if (bk_args_flag(&r->args, "new-only"))
		keep_new_findings(r);
	if (bk_args_value(&r->args, "baseline"))
		bk_baseline_filter(&r->baseline, &r->report);
	if ((path = bk_args_value(&r->args, "write-baseline"))) {
		bk_baseline_from_report(&b, &r->report);
		rc = bk_baseline_write(&b, path, err);
		bk_baseline_release(&b);
	}
	return rc;
}

/* --NAME N into *out (0 for no limit: SIZE_MAX); *out is left alone when absent. */
static int parse_cap(size_t *out, const struct bk_args *args, const char *name,
		     struct bk_err *err)
{
	const char *v = bk_args_value(args, name);
	unsigned long long n = 0;
	char *end = NULL;

	if (!v)
		return 0;
	if (*v >= '0' && *v <= '9') {
		errno = 0;
		n = strtoull(v, &end, 10);
	}
	if (!end || *end || errno || n >= SIZE_MAX)
		return bk_err_set(err, BK_EUSAGE, "invalid --%s '%s' (a number of findings, 0 for no limit)",
				  name, v);
	*out = n ? (size_t)n : SIZE_MAX;
	return 0;
}

static int parse_caps(struct check_run *r, struct bk_err *err)
{
	r->max_findings = r->cfg.max_findings ? r->cfg.max_findings : BK_MAX_FINDINGS;
	r->opts.max_findings_per_file = r->cfg.max_findings_per_file;
	return parse_cap(&r->max_findings, &r->args, "max-findings", err) ||
	       parse_cap(&r->opts.max_findings_per_file, &r->args, "max-findings-per-file", err)
		? err->code : 0;
}

static int parse_options(struct check_run *r, struct bk_err *err)
{
	const char *v;
	int rc;

	r->format = BK_FMT_TEXT;
	if ((v = bk_args_value(&r->args, "format")))
		bk_format_parse(&r->format, v);
	r->fail_on = bk_cli_fail_on(&r->args, &r->cfg);
	r->opts.max_size = r->cfg.max_file_size ? r->cfg.max_file_size : BK_DEFAULT_MAX_FILE_SIZE;
	if ((v = bk_args_value(&r->args, "max-file-size")) &&
	    (bk_parse_size(&r->opts.max_size, v) || !r->opts.max_size))
		return bk_err_set(err, BK_EUSAGE, "invalid --max-file-size '%s' (e.g. 2MiB, 500KiB, 100000)", v);
	if ((v = bk_args_value(&r->args, "jobs"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > 1024)
			return bk_err_set(err, BK_EUSAGE, "invalid --jobs '%s' (a number from 1 to 1024)", v);
		r->opts.jobs = (int)n;
	}
	if ((v = bk_args_value(&r->args, "file-timeout"))) {
		char *end;
		double sec = strtod(v, &end);
		if (*end || !(sec > 0) || sec > 86400)
			return bk_err_set(err, BK_EUSAGE, "invalid --file-timeout '%s' (seconds, e.g. 10 or 0.5)", v);
		r->opts.file_budget_ms = (uint64_t)(sec * 1000.0) ? (uint64_t)(sec * 1000.0) : 1;
	}
	if ((rc = parse_caps(r, err)))
		return rc;
	if (bk_args_flag(&r->args, "report-unused-ignores"))
		r->opts.flags |= BK_CHECK_UNUSED_IGNORES;
	int modes = bk_args_flag(&r->args, "staged") + bk_args_flag(&r->args, "changed") +
		    !!bk_args_value(&r->args, "since");
	if (modes > 1)
		return bk_err_set(err, BK_EUSAGE, "--staged, --changed and --since exclude each other; give one");
	r->git_mode = modes == 1;
	r->diff_mode = bk_args_flag(&r->args, "staged") ? BK_GITDIFF_STAGED
		     : bk_args_flag(&r->args, "changed") ? BK_GITDIFF_CHANGED : BK_GITDIFF_SINCE;
	if (bk_args_flag(&r->args, "new-only") && !r->git_mode)
		return bk_err_set(err, BK_EUSAGE, "--new-only needs --staged, --changed or --since to know what is new");
	if (bk_args_value(&r->args, "write-baseline") && bk_args_flag(&r->args, "new-only"))
		return bk_err_set(err, BK_EUSAGE, "--write-baseline records every finding; drop --new-only");
	return 0;
}

/* --max-findings: keep the first findings (they are sorted); count the rest. */
static void cap_findings(struct check_run *r)
{
	struct bk_report *rep = &r->report;

	if (rep->findings_nr <= r->max_findings)
		return;
	for (size_t i = r->max_findings; i < rep->findings_nr; i++)
		bk_finding_release(&rep->findings[i]);
	rep->findings_not_shown += rep->findings_nr - r->max_findings;
	rep->findings_nr = r->max_findings;
}

static int write_report(struct check_run *r, struct bk_err *err)
{
	cap_findings(r);
	return bk_cli_write_report(&r->args, r->format, &r->report, &r->rules, "check", err);
}

/* Findings left out by a cap are always worth a line on stderr. */
static void warn_not_shown(const struct check_run *r)
{
	size_t per_file = r->opts.max_findings_per_file ? r->opts.max_findings_per_file
							: BK_MAX_FINDINGS_PER_FILE;
	if (!r->report.findings_not_shown)
		return;
	fprintf(stderr, "bkgen: warning: %zu more finding%s not reported", r->report.findings_not_shown,
		r->report.findings_not_shown == 1 ? "" : "s");
	if (r->max_findings != SIZE_MAX)
		fprintf(stderr, "; at most %zu per run (--max-findings)", r->max_findings);
	if (per_file != SIZE_MAX)
		fprintf(stderr, "; at most %zu per file (--max-findings-per-file)", per_file);
	fputc('\n', stderr);
}

static void print_stats(const struct check_run *r)
{
	size_t by_reason[BK_SKIP__COUNT] = { 0 };
	const struct bk_check_stats *s = &r->stats;

	for (size_t i = 0; i < r->report.skips_nr; i++)
		by_reason[r->report.skips[i].reason]++;
	fprintf(stderr, "files: %zu listed, %zu parsed, %zu never parsed (no rule needle), %zu skipped\n",
		r->files.nr, r->report.files_scanned, r->report.files_prefiltered, r->report.skips_nr);
	for (int i = 0; i < BK_SKIP__COUNT; i++)
		if (by_reason[i])
			fprintf(stderr, "  skipped %-13s %zu\n", bk_skip_reason_name((enum bk_skip_reason)i), by_reason[i]);
	fprintf(stderr, "bytes parsed: %.1f MB\n", (double)r->report.bytes_scanned / 1e6);
	fprintf(stderr, "time (ms): walk %.1f, check %.1f wall; summed over workers: compile %.1f, "
		"read %.1f, parse %.1f, query %.1f, conditions %.1f, regex %.1f\n",
		s->walk_ms, s->wall_ms, s->compile_ms, (double)s->read_ns / 1e6,
		(double)s->parse_ns / 1e6, (double)s->query_ns / 1e6,
		(double)s->cond_ns / 1e6, (double)s->regex_ns / 1e6);
	for (int k = 0; k < BK_SLOWEST_FILES && s->slowest[k].path; k++)
		fprintf(stderr, "%s %.1f ms %s\n", k ? "              " : "slowest files:",
			(double)s->slowest[k].ns / 1e6, s->slowest[k].path);
	fprintf(stderr, "%-24s %10s %10s %12s\n", "rule", "matches", "findings", "cond ms");
	for (size_t i = 0; i < s->rules_nr; i++)
		if (r->rules.rules[i].enabled)
			fprintf(stderr, "%-24s %10llu %10llu %12.1f\n", r->rules.rules[i].id,
				(unsigned long long)s->rules[i].matches,
				(unsigned long long)s->rules[i].findings,
				(double)s->rules[i].cond_ns / 1e6);
}

/* Files we could not read or parse are always worth one line on stderr. */
static int report_failed_files(const struct check_run *r)
{
	int failed = 0;
	for (size_t i = 0; i < r->report.skips_nr; i++) {
		const struct bk_skip *s = &r->report.skips[i];
		if (!s->is_error)
			continue;
		failed = 1;
		if (!bk_args_flag(&r->args, "verbose"))
			fprintf(stderr, "bkgen: warning: skipped %s: %s%s%s%s\n", s->path,
				bk_skip_reason_name(s->reason), s->detail ? " (" : "",
				s->detail ? s->detail : "", s->detail ? ")" : "");
	}
	return failed;
}

static int exit_status(const struct check_run *r, int failed_files)
{
	if (failed_files && bk_args_flag(&r->args, "strict"))
		return 3;
	return bk_cli_findings_status(&r->report, r->fail_on);
}

static int run(struct check_run *r, struct bk_err *err)
{
	int rc;
	if ((rc = bk_cli_load_config(&r->cfg, &r->args, err)) ||
	    (rc = parse_options(r, err)) ||
	    (rc = load_baseline(r, err)) ||
	    (rc = bk_cli_load_rules(&r->rules, &r->cfg, &r->args, err)) ||
	    (rc = bk_engine_new(&r->engine, &r->rules, err)) ||
	    (rc = r->git_mode ? list_changes(r, err) : walk(r, err)) ||
	    (rc = bk_check_files(&r->report, &r->stats, r->engine, &r->files, &r->opts, err)) ||
	    (rc = apply_baselines(r, err)))
		return rc;
	if (bk_args_value(&r->args, "write-baseline"))
		return 0;
	return write_report(r, err);
}

int bk_cmd_check(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct check_run r;
	struct bk_err err = { 0 };
	int status;

	memset(&r, 0, sizeof(r));
	if ((status = bk_cli_parse(cmd, &r.args, argc, argv)) >= 0) {
		bk_args_release(&r.args);
		return status;
	}
	if (run(&r, &err)) {
		status = bk_cli_fail(&err);
	} else {
		int failed = report_failed_files(&r);
		if (!bk_args_value(&r.args, "write-baseline"))
			warn_not_shown(&r);
		if (bk_args_flag(&r.args, "stats"))
			print_stats(&r);
		status = bk_args_value(&r.args, "write-baseline") ? 0 : exit_status(&r, failed);
	}
	bk_changes_release(&r.changes);
	bk_baseline_release(&r.baseline);
	free(r.stats.rules);
	for (int k = 0; k < BK_SLOWEST_FILES; k++)
		free(r.stats.slowest[k].path);
	bk_report_release(&r.report);
	bk_file_list_release(&r.files);
	bk_engine_free(r.engine);
	bk_ruleset_release(&r.rules);
	bk_config_release(&r.cfg);
	bk_args_release(&r.args);
	return status;
}
