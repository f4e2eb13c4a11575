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
#include "lint/baseline.h"
#include "lint/check.h"
#include "lint/gitdiff.h"
#include "base/lang.h"
#include "base/util.h"
#include "base/glob.h"
#include "base/walk.h"



static const struct bk_opt opt_jobs =
	{ "jobs", 'j', BK_OPT_VALUE, "N", NULL, "worker threads (default: number of cores)" };
static const struct bk_opt opt_max_file_size =
	{ "max-file-size", 0, BK_OPT_VALUE, "SIZE", NULL, "skip larger files (default 2MiB)" };
static const struct bk_opt opt_file_timeout =
	{ "file-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL,
	  "give up on a file after this long (default 10; it is reported as skipped)" };
static const struct bk_opt opt_max_findings =
	{ "max-findings", 0, BK_OPT_VALUE, "N", NULL,
	  "report at most N findings (default 100000; 0: no limit)" };
static const struct bk_opt opt_max_findings_per_file =
	{ "max-findings-per-file", 0, BK_OPT_VALUE, "N", NULL,
	  "report at most N findings per file (default 1000; 0: no limit)" };
static const struct bk_opt opt_report_unused_ignores =
	{ "report-unused-ignores", 0, BK_OPT_FLAG, NULL, NULL,
	  "report bkgen-ignore comments that suppress nothing" };
static const struct bk_opt opt_strict =
	{ "strict", 0, BK_OPT_FLAG, NULL, NULL, "exit 3 if a file could not be read, parsed or fully checked" };
static const struct bk_opt opt_staged =
	{ "staged", 0, BK_OPT_FLAG, NULL, NULL, "check only staged files, as staged in the index" };
static const struct bk_opt opt_changed =
	{ "changed", 0, BK_OPT_FLAG, NULL, NULL,
	  "check only uncommitted changes (staged, unstaged, untracked)" };
static const struct bk_opt opt_since =
	{ "since", 0, BK_OPT_VALUE, "REV", NULL, "check only files changed since the revision REV" };
static const struct bk_opt opt_new_only =
	{ "new-only", 0, BK_OPT_FLAG, NULL, NULL,
	  "with --staged, --changed or --since: report only findings on added or modified lines" };
static const struct bk_opt opt_baseline =
	{ "baseline", 0, BK_OPT_VALUE, "FILE", NULL, "ignore the findings recorded in the baseline FILE" };
static const struct bk_opt opt_roles =
	{ "roles", 0, BK_OPT_VALUE, "ROLES", NULL,
	  "check code of these roles with every rule: all, or a comma-separated list of "
	  "source, test, seed, migration, vendored, generated, example, browser "
	  "(default: each rule's own, source for the built-in rules)" };
static const struct bk_opt opt_write_baseline =
	{ "write-baseline", 0, BK_OPT_VALUE, "FILE", NULL,
	  "record the findings in the baseline FILE and exit 0" };

static const struct bk_opt *const check_opts[] = {
	&bk_opt_format, &bk_opt_output, &bk_opt_fail_on, &opt_jobs, &bk_opt_rules,
	&bk_opt_only_rule, &bk_opt_no_builtin, &bk_opt_config, &bk_opt_no_config,
	&bk_opt_include, &bk_opt_exclude, &bk_opt_no_ignore, &opt_roles, &opt_max_file_size,
	&opt_file_timeout, &opt_max_findings, &opt_max_findings_per_file,
	&opt_report_unused_ignores, &opt_strict, &bk_opt_stats,
	&bk_opt_verbose, &bk_opt_color, &bk_opt_no_source,
	&bk_opt_show_fixes, &opt_staged, &opt_changed,
	&opt_since, &opt_new_only, &opt_baseline, &opt_write_baseline, &bk_opt_help, NULL,
};

static int check_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_check = {
	.name = "check",
	.usage = "[options] [PATH...]",
	.summary = "lint code against the rules (text, json, sarif, github)",
	.description =
	  "Checks the files under each PATH (default: the current directory) against the\n"
	  "built-in rules and any rule directories, in C, JavaScript, TypeScript, TSX,\n"
	  "Python, Go, Rust, C# and SQL. Inside a git repository, files that git ignores\n"
	  "are skipped. Exit status: 0 nothing at or above --fail-on, 1 findings,\n"
	  "2 usage or configuration error, 3 runtime failure.",
	.opts = check_opts,
	.flags = BK_CMD_RULES | BK_CMD_REPORT,
	.run = check_run,
};

/* What main did not set up: the engine, the files and the run's options. */
struct check_ctx {
	struct bk_cli *cli;       /* args, config, rules, report, format, fail-on */
	struct bk_engine *engine;
	struct bk_file_list files;
	struct bk_check_stats stats;
	struct bk_check_opts opts;
	char *cwd;                /* for the config's `roles:` globs */
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

static int walk(struct check_ctx *r, struct bk_err *err)
{
	uint64_t t0 = bk_now_ns();
	int rc = bk_cli_walk(&r->files, &r->cli->args, &r->cli->cfg, wanted, r->engine, &r->cli->report, err);
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
static int under_args(const struct check_ctx *r, const char *path)
{
	if (!r->cli->args.pos_nr)
		return 1;
	for (size_t i = 0; i < r->cli->args.pos_nr; i++) {
		const char *a = r->cli->args.pos[i];
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
static int list_changes(struct check_ctx *r, struct bk_err *err)
{
	const char **inc, **exc;
	size_t inc_nr, exc_nr;
	uint64_t t0 = bk_now_ns();
	int cfg_here = bk_cli_config_here(&r->cli->cfg);
	int rc = bk_gitdiff_list(&r->changes, r->diff_mode, bk_args_value(&r->cli->args, &opt_since),
				 bk_args_flag(&r->cli->args, &opt_new_only), err);
	if (rc)
		return rc;
	bk_cli_glob_lists(&r->cli->args, &bk_opt_include, cfg_here ? r->cli->cfg.include : NULL,
		   cfg_here ? r->cli->cfg.include_nr : 0, &inc, &inc_nr);
	bk_cli_glob_lists(&r->cli->args, &bk_opt_exclude, cfg_here ? r->cli->cfg.exclude : NULL,
		   cfg_here ? r->cli->cfg.exclude_nr : 0, &exc, &exc_nr);
	for (size_t i = 0; i < r->changes.nr; i++) {
		const char *p = r->changes.files[i].path;
		if (!wanted(p, r->engine) || !under_args(r, p) ||
		    (inc_nr && !glob_any(inc, inc_nr, p)) || glob_any(exc, exc_nr, p))
			continue;
		BK_ALLOC_GROW(r->files.paths, r->files.nr + 1, r->files.alloc);
		r->files.paths[r->files.nr++] = bk_xstrdup(p);
	}
	if (!cfg_here)
		bk_cli_filter_by_config(&r->files, &r->cli->cfg);
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
static void keep_new_findings(struct check_ctx *r)
{
	size_t keep = 0;
	for (size_t i = 0; i < r->cli->report.findings_nr; i++) {
		struct bk_finding *f = &r->cli->report.findings[i];
		const struct bk_changed_file *c = bk_changes_find(&r->changes, f->path);
		if (c && bk_changed_line_is_new(c, f->start_line)) {
			r->cli->report.findings[keep++] = *f;
		} else {
			bk_finding_release(f);
		}
	}
	r->cli->report.findings_nr = keep;
}

static int load_baseline(struct check_ctx *r, struct bk_err *err)
{
	const char *path = bk_args_value(&r->cli->args, &opt_baseline);
	return path ? bk_baseline_load(&r->baseline, path, err) : 0;
}

static int apply_baselines(struct check_ctx *r, struct bk_err *err)
{
	struct bk_baseline b;
	const char *path;
	int rc = 0;

	if (bk_args_flag(&r->cli->args, &opt_new_only))
		keep_new_findings(r);
	if (bk_args_value(&r->cli->args, &opt_baseline))
		bk_baseline_filter(&r->baseline, &r->cli->report);
	if ((path = bk_args_value(&r->cli->args, &opt_write_baseline))) {
		bk_baseline_from_report(&b, &r->cli->report);
		rc = bk_baseline_write(&b, path, err);
		bk_baseline_release(&b);
	}
	return rc;
}

/* The config's `roles:` globs are relative to it; paths to the cwd. */
static int config_role(const char *path, void *data)
{
	const struct check_ctx *r = data;
	struct bk_buf abs = BK_BUF_INIT;
	if (path[0] != '/')
		bk_buf_printf(&abs, "%s/", r->cwd);
	bk_buf_puts(&abs, path[0] == '.' && path[1] == '/' ? path + 2 : path);
	int role = bk_config_role(&r->cli->cfg, abs.ptr);
	bk_buf_release(&abs);
	return role;
}

/* --NAME N into *out (0 for no limit: SIZE_MAX); *out is left alone when absent. */
static int parse_cap(size_t *out, const struct bk_args *args, const struct bk_opt *opt,
		     struct bk_err *err)
{
	const char *v = bk_args_value(args, opt);
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
				  opt->name, v);
	*out = n ? (size_t)n : SIZE_MAX;
	return 0;
}

static int parse_caps(struct check_ctx *r, struct bk_err *err)
{
	const struct bk_config *cfg = &r->cli->cfg;
	r->max_findings = cfg->max_findings ? cfg->max_findings : BK_MAX_FINDINGS;
	r->opts.max_findings_per_file = cfg->max_findings_per_file;
	return parse_cap(&r->max_findings, &r->cli->args, &opt_max_findings, err) ||
	       parse_cap(&r->opts.max_findings_per_file, &r->cli->args, &opt_max_findings_per_file, err)
		? err->code : 0;
}

/* --roles and the config's `roles:`: which files each rule sees. */
static int set_roles(struct check_ctx *r, struct bk_err *err)
{
	const char *v = bk_args_value(&r->cli->args, &opt_roles), *bad;
	size_t bad_len;
	unsigned mask;

	if (r->cli->cfg.roles_nr && (r->cwd = getcwd(NULL, 0))) {
		r->opts.role_of = config_role;
		r->opts.role_data = r;
	}
	r->opts.role_roots = (const char *const *)r->cli->args.pos;
	r->opts.role_roots_nr = r->cli->args.pos_nr;
	if (!v)
		return 0;
	if (bk_roles_parse(&mask, v, &bad, &bad_len))
		return bk_err_set(err, BK_EUSAGE, "invalid --roles '%s': unknown role '%.*s' (expected all, or "
				  "any of source, test, seed, migration, vendored, generated, example, browser)",
				  v, (int)bad_len, bad);
	for (size_t i = 0; i < r->cli->rules.nr; i++)
		r->cli->rules.rules[i].roles = mask;
	return 0;
}

static int parse_options(struct check_ctx *r, struct bk_err *err)
{
	const struct bk_args *a = &r->cli->args;
	const char *v;
	long jobs = 0, budget_ms = 0;
	int rc;

	r->opts.max_size = r->cli->cfg.max_file_size ? r->cli->cfg.max_file_size
						     : BK_DEFAULT_MAX_FILE_SIZE;
	if ((v = bk_args_value(a, &opt_max_file_size)) &&
	    (bk_parse_size(&r->opts.max_size, v) || !r->opts.max_size))
		return bk_err_set(err, BK_EUSAGE, "invalid --max-file-size '%s' (e.g. 2MiB, 500KiB, 100000)", v);
	if ((rc = bk_cli_number(&jobs, a, &opt_jobs, 1, 1024, err)) ||
	    (rc = bk_cli_seconds(&budget_ms, a, &opt_file_timeout, 86400, err)))
		return rc;
	r->opts.jobs = (int)jobs;
	r->opts.file_budget_ms = (uint64_t)budget_ms;
	if ((rc = parse_caps(r, err)))
		return rc;
	if (bk_args_flag(a, &opt_report_unused_ignores))
		r->opts.flags |= BK_CHECK_UNUSED_IGNORES;
	int modes = bk_args_flag(a, &opt_staged) + bk_args_flag(a, &opt_changed) +
		    !!bk_args_value(a, &opt_since);
	if (modes > 1)
		return bk_err_set(err, BK_EUSAGE, "--staged, --changed and --since exclude each other; give one");
	r->git_mode = modes == 1;
	r->diff_mode = bk_args_flag(a, &opt_staged) ? BK_GITDIFF_STAGED
		     : bk_args_flag(a, &opt_changed) ? BK_GITDIFF_CHANGED : BK_GITDIFF_SINCE;
	if (bk_args_flag(a, &opt_new_only) && !r->git_mode)
		return bk_err_set(err, BK_EUSAGE, "--new-only needs --staged, --changed or --since to know what is new");
	if (bk_args_value(a, &opt_write_baseline) && bk_args_flag(a, &opt_new_only))
		return bk_err_set(err, BK_EUSAGE, "--write-baseline records every finding; drop --new-only");
	return set_roles(r, err);
}

/* --max-findings: keep the first findings (they are sorted); count the rest. */
static void cap_findings(struct check_ctx *r)
{
	struct bk_report *rep = &r->cli->report;

	if (rep->findings_nr <= r->max_findings)
		return;
	for (size_t i = r->max_findings; i < rep->findings_nr; i++)
		bk_finding_release(&rep->findings[i]);
	rep->findings_not_shown += rep->findings_nr - r->max_findings;
	rep->findings_nr = r->max_findings;
}

/* Findings left out by a cap are always worth a line on stderr. */
static void warn_not_shown(const struct check_ctx *r)
{
	size_t n = r->cli->report.findings_not_shown;
	size_t per_file = r->opts.max_findings_per_file ? r->opts.max_findings_per_file
							: BK_MAX_FINDINGS_PER_FILE;
	struct bk_buf b = BK_BUF_INIT;

	if (!n)
		return;
	if (r->max_findings != SIZE_MAX)
		bk_buf_printf(&b, "; at most %zu per run (--max-findings)", r->max_findings);
	if (per_file != SIZE_MAX)
		bk_buf_printf(&b, "; at most %zu per file (--max-findings-per-file)", per_file);
	bk_cli_msg(BK_MSG_WARNING, "%zu more finding%s not reported%s", n, n == 1 ? "" : "s", b.ptr);
	bk_buf_release(&b);
}

static void print_stats(const struct check_ctx *r)
{
	size_t by_reason[BK_SKIP__COUNT] = { 0 };
	const struct bk_check_stats *s = &r->stats;
	const struct bk_report *rep = &r->cli->report;

	for (size_t i = 0; i < r->cli->report.skips_nr; i++)
		by_reason[r->cli->report.skips[i].reason]++;
	fprintf(stderr, "files: %zu listed, %zu parsed, %zu never parsed (no rule needle), %zu skipped\n",
		r->files.nr, r->cli->report.files_scanned, r->cli->report.files_prefiltered, r->cli->report.skips_nr);
	for (int i = 0; i < BK_SKIP__COUNT; i++)
		if (by_reason[i])
			fprintf(stderr, "  skipped %-13s %zu\n", bk_skip_reason_name((enum bk_skip_reason)i), by_reason[i]);
	for (int i = 0; i < BK_ROLE__COUNT; i++)
		if (rep->role_files[i])
			fprintf(stderr, "  role %-16s %zu (%zu checked)\n", bk_role_name((enum bk_role)i),
				rep->role_files[i], rep->role_files[i] - rep->role_unchecked[i]);
	for (size_t i = 0; i < rep->unsupported_nr; i++)
		fprintf(stderr, "  not read %-12s %zu (no grammar for the language)\n",
			rep->unsupported[i].ext, rep->unsupported[i].n);
	fprintf(stderr, "bytes parsed: %.1f MB\n", (double)r->cli->report.bytes_scanned / 1e6);
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
		if (r->cli->rules.rules[i].enabled)
			fprintf(stderr, "%-24s %10llu %10llu %12.1f\n", r->cli->rules.rules[i].id,
				(unsigned long long)s->rules[i].matches,
				(unsigned long long)s->rules[i].findings,
				(double)s->rules[i].cond_ns / 1e6);
}

/*
 * One line when the run looked at nothing, or passed over files of
 * languages it does not read: "clean" must not hide "not looked at".
 */
static void note_unread(const struct check_ctx *r)
{
	const struct bk_report *rep = &r->cli->report;
	struct bk_buf b = BK_BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < rep->unsupported_nr; i++) {
		bk_buf_printf(&b, "%s%s %zu", i ? ", " : "", rep->unsupported[i].ext,
			      rep->unsupported[i].n);
		n += rep->unsupported[i].n;
	}
	if (n)
		bk_cli_msg(BK_MSG_NOTE, "%zu file%s in languages bkgen does not read %s not checked (%s)",
			   n, n == 1 ? "" : "s", n == 1 ? "was" : "were", b.ptr);
	else if (!r->files.nr && !r->git_mode)
		bk_cli_msg(BK_MSG_NOTE, "no file to check: bkgen reads C, JavaScript, TypeScript, "
			   "Python, Go, Rust, C# and SQL files");
	bk_buf_release(&b);
}

/* Files we could not read or parse are always worth one line on stderr. */
static int report_failed_files(const struct check_ctx *r)
{
	int failed = 0;
	for (size_t i = 0; i < r->cli->report.skips_nr; i++) {
		const struct bk_skip *s = &r->cli->report.skips[i];
		if (!s->is_error)
			continue;
		failed = 1;
		if (!bk_args_flag(&r->cli->args, &bk_opt_verbose))
			bk_cli_msg(BK_MSG_WARNING, "skipped %s: %s%s%s%s", s->path,
				   bk_skip_reason_name(s->reason), s->detail ? " (" : "",
				   s->detail ? s->detail : "", s->detail ? ")" : "");
	}
	return failed;
}

static int exit_status(const struct check_ctx *r, int failed_files)
{
	if (failed_files && bk_args_flag(&r->cli->args, &opt_strict))
		return 3;
	return bk_cli_findings_status(&r->cli->report, r->cli->fail_on);
}

static int run(struct check_ctx *r, struct bk_err *err)
{
	int rc;
	if ((rc = parse_options(r, err)) ||
	    (rc = load_baseline(r, err)) ||
	    (rc = bk_engine_new(&r->engine, &r->cli->rules, err)) ||
	    (rc = r->git_mode ? list_changes(r, err) : walk(r, err)) ||
	    (rc = bk_check_files(&r->cli->report, &r->stats, r->engine, &r->files, &r->opts, err)) ||
	    (rc = apply_baselines(r, err)))
		return rc;
	if (bk_args_value(&r->cli->args, &opt_write_baseline))
		return 0;
	cap_findings(r);
	return bk_cli_write_report(r->cli, err);
}

static int check_run(struct bk_cli *cli, struct bk_err *err)
{
	struct check_ctx r = { .cli = cli };
	int status;

	if ((status = run(&r, err)) >= 0) {
		int failed = report_failed_files(&r);
		note_unread(&r);
		if (!bk_args_value(&cli->args, &opt_write_baseline))
			warn_not_shown(&r);
		if (bk_args_flag(&cli->args, &bk_opt_stats))
			print_stats(&r);
		status = bk_args_value(&cli->args, &opt_write_baseline) ? 0 : exit_status(&r, failed);
	}
	bk_changes_release(&r.changes);
	free(r.cwd);
	bk_baseline_release(&r.baseline);
	free(r.stats.rules);
	for (int k = 0; k < BK_SLOWEST_FILES; k++)
		free(r.stats.slowest[k].path);
	bk_file_list_release(&r.files);
	bk_engine_free(r.engine);
	return status;
}
