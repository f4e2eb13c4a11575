/*
 * What check and rules both need before they run: the configuration and
 * the rule set (built-in rules, config rule-dirs, --rules, overrides).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "setup.h"
#include "../analyzers/explain.h"
#include "../analyzers/outfile.h"
#include "../analyzers/util.h"

int bk_cli_load_config(struct bk_config *cfg, const struct bk_args *args,
		       struct bk_err *err)
{
	const char *path = bk_args_value(args, "config");
	char cwd[PATH_MAX];
	char *found = NULL;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->fail_on = -1;
	if (bk_args_flag(args, "no-config"))
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
	for (size_t i = 0; i < only->list_nr; i++)
		if (!bk_ruleset_find(set, only->list[i]))
			return bk_err_set(err, BK_EUSAGE, "unknown rule '%s' in --only (see 'bkgen rules list')",
					  only->list[i]);
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
	const struct bk_optval *dirs = bk_args_get(args, "rules");
	const struct bk_optval *only = bk_args_get(args, "only");
	int rc;

	if (!bk_args_flag(args, "no-builtin") &&
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

const char *const bk_cli_fail_levels[] = { "error", "warning", "info", "none", NULL };
const char *const bk_cli_color_modes[] = { "auto", "always", "never", NULL };

int bk_cli_use_color(const struct bk_args *args, FILE *out)
{
	const char *mode = bk_args_value(args, "color");
	const char *nc = getenv("NO_COLOR");

	if (mode && strcmp(mode, "auto"))
		return !strcmp(mode, "always");
	return out == stdout && isatty(STDOUT_FILENO) && !(nc && *nc);
}

int bk_cli_write_report(const struct bk_args *args, enum bk_format fmt,
			const struct bk_report *r, const struct bk_ruleset *rules,
			const char *command, struct bk_err *err)
{
	const char *path = bk_args_value(args, "output");
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
		.show_source = !bk_args_flag(args, "no-source"),
		.show_skips = bk_args_flag(args, "verbose"),
		.tool_name = "bkgen", .tool_version = BK_VERSION, .command = command,
	};
	int bad = bk_output_write(out, fmt, r, rules, &oo);
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
	const char *v = bk_args_value(args, "fail-on");
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

void bk_cli_glob_lists(const struct bk_args *args, const char *name, char **cfg,
		       size_t cfg_nr, const char ***out, size_t *nr)
{
	const struct bk_optval *v = bk_args_get(args, name);
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

	bk_cli_glob_lists(args, "include", here ? cfg->include : NULL,
			  here ? cfg->include_nr : 0, &inc, &wo.include_nr);
	bk_cli_glob_lists(args, "exclude", here ? cfg->exclude : NULL,
			  here ? cfg->exclude_nr : 0, &exc, &wo.exclude_nr);
	wo.include = inc;
	wo.exclude = exc;
	wo.no_git = bk_args_flag(args, "no-ignore");
	wo.wanted = wanted;
	wo.wanted_data = wanted_data;
	rc = bk_walk(files, (const char *const *)args->pos, args->pos_nr, &wo, report, err);
	if (!rc && !here)
		bk_cli_filter_by_config(files, cfg);
	free(inc);
	free(exc);
	return rc;
}

int bk_cli_seconds(long *ms, const struct bk_args *args, const char *name, double max_s,
		   struct bk_err *err)
{
	const char *v = bk_args_value(args, name);
	char *end;
	double sec;

	if (!v)
		return 0;
	sec = strtod(v, &end);
	if (*end || !(sec > 0) || sec > max_s)
		return bk_err_set(err, BK_EUSAGE, "invalid --%s '%s' (seconds, e.g. 10 or 0.5)", name, v);
	*ms = (long)(sec * 1000.0) ? (long)(sec * 1000.0) : 1;
	return 0;
}
