/*
 * What the commands share: the option rows several of them have, and the
 * setup they read: the configuration, the rule set (built-in rules, config
 * rule-dirs, --rules, overrides), the file walk, the report writer and the
 * exit status for findings.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "setup.h"
#include "explain/explain.h"
#include "lint/rule-load.h"
#include "base/outfile.h"
#include "base/suggest.h"
#include "base/util.h"

static const char *const fail_levels[] = { "error", "warning", "info", "none", NULL };
static const char *const color_modes[] = { "auto", "always", "never", NULL };

const struct bk_opt bk_opt_help =
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" };
const struct bk_opt bk_opt_format =
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", bk_format_names, "output format" };
const struct bk_opt bk_opt_output =
	{ "output", 'o', BK_OPT_VALUE, "FILE", NULL, "write the report to FILE (atomically)" };
const struct bk_opt bk_opt_fail_on =
	{ "fail-on", 0, BK_OPT_VALUE, "LEVEL", fail_levels,
	  "lowest severity that makes the exit status 1 (default warning)" };
const struct bk_opt bk_opt_config =
	{ "config", 'c', BK_OPT_VALUE, "FILE", NULL,
	  "use this configuration instead of the nearest .bkgen.yml" };
const struct bk_opt bk_opt_no_config =
	{ "no-config", 0, BK_OPT_FLAG, NULL, NULL, "ignore any .bkgen.yml" };
const struct bk_opt bk_opt_rules =
	{ "rules", 0, BK_OPT_LIST, "DIR", NULL, "also load the rule files in DIR (repeatable)" };
const struct bk_opt bk_opt_no_builtin =
	{ "no-builtin", 0, BK_OPT_FLAG, NULL, NULL, "do not load the built-in rules" };
const struct bk_opt bk_opt_only_rule =
	{ "only", 0, BK_OPT_LIST, "RULE", NULL, "run only this rule (repeatable)" };
const struct bk_opt bk_opt_include =
	{ "include", 0, BK_OPT_LIST, "GLOB", NULL, "look only at files matching GLOB (repeatable)" };
const struct bk_opt bk_opt_exclude =
	{ "exclude", 0, BK_OPT_LIST, "GLOB", NULL, "skip files matching GLOB (repeatable)" };
const struct bk_opt bk_opt_no_ignore =
	{ "no-ignore", 0, BK_OPT_FLAG, NULL, NULL, "do not honour .gitignore and .git/info/exclude" };
const struct bk_opt bk_opt_color =
	{ "color", 0, BK_OPT_VALUE, "WHEN", color_modes,
	  "colour text output (default auto: on a terminal, unless NO_COLOR)" };
const struct bk_opt bk_opt_show_fixes =
	{ "show-fixes", 0, BK_OPT_FLAG, NULL, NULL,
	  "text: print the rule's fix under every finding (default: once per rule, at the end)" };
const struct bk_opt bk_opt_no_source =
	{ "no-source", 0, BK_OPT_FLAG, NULL, NULL, "text: do not show the source line and caret" };
const struct bk_opt bk_opt_stats =
	{ "stats", 0, BK_OPT_FLAG, NULL, NULL, "print counts and timings to stderr" };
const struct bk_opt bk_opt_verbose =
	{ "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "list every skipped file on stderr" };

int bk_cli_load_config(struct bk_config *cfg, const struct bk_args *args,
		       struct bk_err *err)
{
	const char *path = bk_args_value(args, &bk_opt_config);
	char cwd[PATH_MAX];
	char *found = NULL;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->fail_on = -1;
	if (bk_args_flag(args, &bk_opt_no_config))
		return 0;
	if (!path) {
		if (!getcwd(cwd, sizeof(cwd)))
			return 0;
		if (!(found = bk_config_find(cwd)))
			return 0;
		path = found;
	} else if (access(path, R_OK)) {
		return bk_err_set(err, BK_EUSAGE, "configuration file '%s' not found", path);
	}
	rc = bk_config_load(cfg, path, err);
	free(found);
	return rc;
}

static int only_rules(struct bk_ruleset *set, const struct bk_optval *only,
		      struct bk_err *err)
{
	for (size_t i = 0; i < only->list_nr; i++) {
		struct bk_suggest s;
		if (bk_ruleset_find(set, only->list[i]))
			continue;
		bk_suggest_init(&s, only->list[i]);
		for (size_t r = 0; r < set->nr; r++)
			bk_suggest_add(&s, set->rules[r].id);
		return bk_err_suggest(err, BK_EUSAGE, &s, "see 'bkgen rules list'",
				      "unknown rule '%s' in --only", only->list[i]);
	}
	for (size_t r = 0; r < set->nr; r++) {
		int keep = 0;
		for (size_t i = 0; i < only->list_nr; i++)
			keep |= !strcmp(set->rules[r].id, only->list[i]);
		set->rules[r].enabled = keep;
	}
	return 0;
}

int bk_cli_load_rules(struct bk_ruleset *set, const struct bk_config *cfg,
		      const struct bk_args *args, struct bk_err *err)
{
	const struct bk_optval *dirs = bk_args_get(args, &bk_opt_rules);
	const struct bk_optval *only = bk_args_get(args, &bk_opt_only_rule);
	int rc;

	if (!bk_args_flag(args, &bk_opt_no_builtin) &&
	    (rc = bk_ruleset_add_builtin(set, err)))
		return rc;
	for (size_t i = 0; i < cfg->rule_dirs_nr; i++)
		if ((rc = bk_ruleset_add_dir(set, cfg->rule_dirs[i], err)))
			return rc;
	for (size_t i = 0; dirs && i < dirs->list_nr; i++)
		if ((rc = bk_ruleset_add_dir(set, dirs->list[i], err)))
			return rc;
	if ((rc = bk_config_apply(cfg, set, bk_explain_rule_known, err)))
		return rc;
	if (only && only->set)
		return only_rules(set, only, err);
	return 0;
}

int bk_cli_use_color(const struct bk_args *args, FILE *out)
{
	const char *mode = bk_args_value(args, &bk_opt_color);
	const char *nc = getenv("NO_COLOR");

	if (mode && strcmp(mode, "auto"))
		return !strcmp(mode, "always");
	return out == stdout && isatty(STDOUT_FILENO) && !(nc && *nc);
}

int bk_cli_write_report(const struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_args *args = &cli->args;
	const char *path = bk_args_value(args, &bk_opt_output);
	struct bk_outfile of;
	FILE *out = stdout;
	int rc = 0;

	if (path) {
		if ((rc = bk_outfile_open(&of, path, err)))
			return rc;
		out = of.fp;
	}
	struct bk_output_opts oo = {
		.color = bk_cli_use_color(args, out),
		.show_source = !bk_args_flag(args, &bk_opt_no_source),
		.show_fixes = bk_args_flag(args, &bk_opt_show_fixes),
		.show_skips = bk_args_flag(args, &bk_opt_verbose),
		.tool_name = "bkgen", .tool_version = BK_VERSION, .command = cli->cmd->name,
	};
	int bad = bk_output_write(out, cli->format, &cli->report, &cli->rules, &oo);
	if (path) {
		if (bad) {
			rc = bk_err_set(err, BK_EIO, "cannot write '%s': %s", path, strerror(errno));
			bk_outfile_abort(&of);
		} else {
			rc = bk_outfile_commit(&of, err);
		}
	} else if (bad) {
		rc = bk_err_set(err, BK_EIO, "cannot write the report: %s", strerror(errno));
	}
	return rc;
}

int bk_cli_fail_on(const struct bk_args *args, const struct bk_config *cfg)
{
	const char *v = bk_args_value(args, &bk_opt_fail_on);
	enum bk_severity sev = BK_SEV_WARNING;

	if (!v)
		return cfg && cfg->fail_on >= 0 ? cfg->fail_on : BK_SEV_WARNING;
	if (!strcmp(v, "none"))
		return BK_FAIL_NONE;
	bk_severity_parse(&sev, v);
	return (int)sev;
}

int bk_cli_findings_status(const struct bk_report *r, int fail_on)
{
	if (fail_on == BK_FAIL_NONE)
		return 0;
	for (size_t i = 0; i < r->findings_nr; i++)
		if ((int)r->findings[i].severity >= fail_on)
			return 1;
	return 0;
}

void bk_cli_glob_lists(const struct bk_args *args, const struct bk_opt *opt, char **cfg,
		       size_t cfg_nr, const char ***out, size_t *nr)
{
	const struct bk_optval *v = bk_args_get(args, opt);
	size_t n = cfg_nr + (v ? v->list_nr : 0);
	*out = bk_xcalloc(n + 1, sizeof(char *));
	*nr = 0;
	for (size_t i = 0; i < cfg_nr; i++)
		(*out)[(*nr)++] = cfg[i];
	for (size_t i = 0; v && i < v->list_nr; i++)
		(*out)[(*nr)++] = v->list[i];
}

int bk_cli_config_here(const struct bk_config *c)
{
	if (!c->path)
		return 1;
	char *cwd = realpath(".", NULL);
	int same = cwd && c->abs_dir && !strcmp(cwd, c->abs_dir);
	free(cwd);
	return same;
}

void bk_cli_filter_by_config(struct bk_file_list *files, const struct bk_config *cfg)
{
	char *cwd = realpath(".", NULL);
	size_t keep = 0;

	for (size_t i = 0; i < files->nr; i++) {
		struct bk_buf abs = BK_BUF_INIT;
		char *p = files->paths[i];
		if (p[0] == '/')
			bk_buf_puts(&abs, p);
		else
			bk_buf_printf(&abs, "%s/%s", cwd ? cwd : ".", p);
		if (bk_config_filters_out(cfg, abs.ptr))
			free(p);
		else
			files->paths[keep++] = p;
		bk_buf_release(&abs);
	}
	files->nr = keep;
	free(cwd);
}

int bk_cli_walk(struct bk_file_list *files, const struct bk_args *args,
		const struct bk_config *cfg, int (*wanted)(const char *path, void *data),
		void *wanted_data, struct bk_report *report, struct bk_err *err)
{
	struct bk_walk_opts wo = { 0 };
	const char **inc, **exc;
	int here = bk_cli_config_here(cfg);
	int rc;

	bk_cli_glob_lists(args, &bk_opt_include, here ? cfg->include : NULL,
			  here ? cfg->include_nr : 0, &inc, &wo.include_nr);
	bk_cli_glob_lists(args, &bk_opt_exclude, here ? cfg->exclude : NULL,
			  here ? cfg->exclude_nr : 0, &exc, &wo.exclude_nr);
	wo.include = inc;
	wo.exclude = exc;
	wo.no_git = bk_args_flag(args, &bk_opt_no_ignore);
	wo.wanted = wanted;
	wo.wanted_data = wanted_data;
	rc = bk_walk(files, (const char *const *)args->pos, args->pos_nr, &wo, report, err);
	if (!rc && !here)
		bk_cli_filter_by_config(files, cfg);
	free(inc);
	free(exc);
	return rc;
}

int bk_cli_seconds(long *ms, const struct bk_args *args, const struct bk_opt *opt,
		   double max_s, struct bk_err *err)
{
	const char *v = bk_args_value(args, opt);
	char *end;
	double sec;

	if (!v)
		return 0;
	sec = strtod(v, &end);
	if (*end || !(sec > 0) || sec > max_s)
		return bk_err_set(err, BK_EUSAGE, "invalid --%s '%s' (seconds, e.g. 10 or 0.5)",
				  opt->name, v);
	*ms = (long)(sec * 1000.0) ? (long)(sec * 1000.0) : 1;
	return 0;
}

int bk_cli_number(long *n, const struct bk_args *args, const struct bk_opt *opt,
		  long min, long max, struct bk_err *err)
{
	const char *v = bk_args_value(args, opt);
	char *end;
	long x;

	if (!v)
		return 0;
	x = strtol(v, &end, 10);
	if (!*v || *end || x < min || x > max)
		return bk_err_set(err, BK_EUSAGE, "invalid --%s '%s' (a number from %ld to %ld)",
				  opt->name, v, min, max);
	*n = x;
	return 0;
}
