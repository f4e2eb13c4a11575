/*
 * bkgen explain [PATH...]: plan the SQL found in the code on PostgreSQL.
 *
 * The statements come from query call sites and .sql files (sqlextract.c);
 * each is planned through the dlopen'ed database plugin, on the database
 * named by --db (or $BKGEN_DATABASE_URL), or else on a throwaway cluster
 * started from the local installation with the project's migrations
 * applied. Findings are written like check's, and the exit status is
 * check's: 1 for findings at or above --fail-on, 2 for usage, 3 when the
 * plugin, the server or the connection fails.
 *
 * --list only prints the statements found; it needs no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli.h"
#include "output.h"
#include "setup.h"
#include "../analyzers/engine.h"
#include "../analyzers/explain.h"
#include "../analyzers/util.h"


const struct bk_opt bk_explain_opts[] = {
	{ "db", 0, BK_OPT_VALUE, "URL", NULL, "plan on this database (postgresql://... or key=value; default $BKGEN_DATABASE_URL, else a throwaway cluster)" },
	{ "analyze", 0, BK_OPT_FLAG, NULL, NULL, "run statements that only read (EXPLAIN ANALYZE, BUFFERS) in a read-only transaction" },
	{ "analyze-writes", 0, BK_OPT_FLAG, NULL, NULL, "with --analyze: also run writes, in a transaction that is rolled back" },
	{ "set", 0, BK_OPT_LIST, "NAME=VALUE", NULL, "a planner setting for every EXPLAIN, e.g. work_mem=64MB (repeatable)" },
	{ "migrations", 0, BK_OPT_LIST, "PATH", NULL, "throwaway cluster: apply these migration files, directories or globs, in order (repeatable)" },
	{ "pg-bindir", 0, BK_OPT_VALUE, "DIR", NULL, "throwaway cluster: where initdb and postgres are (default: search)" },
	{ "plugin", 0, BK_OPT_VALUE, "NAME", NULL, "database plugin (default postgres)" },
	{ "plugin-dir", 0, BK_OPT_VALUE, "DIR", NULL, "load database plugins from DIR only" },
	{ "statement-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "cancel one EXPLAIN after this long (default 5)" },
	{ "lock-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up waiting for a lock after this long (default 1)" },
	{ "connect-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up connecting after this long (default 10)" },
	{ "file-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up reading the SQL of a file after this long (default 10; it is reported as skipped)" },
	{ "list", 0, BK_OPT_FLAG, NULL, NULL, "print the statements found (text or json) and exit; needs no database" },
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", bk_format_names, "output format" },
	{ "output", 'o', BK_OPT_VALUE, "FILE", NULL, "write the report to FILE (atomically)" },
	{ "fail-on", 0, BK_OPT_VALUE, "LEVEL", bk_cli_fail_levels, "lowest severity that makes the exit status 1 (default warning)" },
	{ "config", 'c', BK_OPT_VALUE, "FILE", NULL, "use this configuration instead of the nearest .bkgen.yml" },
	{ "no-config", 0, BK_OPT_FLAG, NULL, NULL, "ignore any .bkgen.yml" },
	{ "include", 0, BK_OPT_LIST, "GLOB", NULL, "read only files matching GLOB (repeatable)" },
	{ "exclude", 0, BK_OPT_LIST, "GLOB", NULL, "skip files matching GLOB (repeatable)" },
	{ "no-ignore", 0, BK_OPT_FLAG, NULL, NULL, "do not honour .gitignore and .git/info/exclude" },
	{ "color", 0, BK_OPT_VALUE, "WHEN", bk_cli_color_modes, "colour text output (default auto: on a terminal, unless NO_COLOR)" },
	{ "no-source", 0, BK_OPT_FLAG, NULL, NULL, "text: do not show the source line and caret" },
	{ "quiet", 'q', BK_OPT_FLAG, NULL, NULL, "no progress line on a terminal" },
	{ "stats", 0, BK_OPT_FLAG, NULL, NULL, "print counts and timings to stderr" },
	{ "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "list every skipped file on stderr" },
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

struct explain_cmd {
	struct bk_args args;
	struct bk_config cfg;
	struct bk_ruleset rules;
	struct bk_file_list files;
	struct bk_sql_list stmts;
	struct bk_report report;
	struct bk_explain_opts opts;
	struct bk_explain_stats stats;
	enum bk_format format;
	char **migrations;
	size_t migrations_nr;
	const char **settings;
	long file_budget_ms;
	int progress_shown;
};

/* --NAME SECONDS into an int of milliseconds (at most an hour). */
static int parse_ms(int *ms, const struct bk_args *a, const char *name, struct bk_err *err)
{
	long v = *ms;
	int rc = bk_cli_seconds(&v, a, name, 3600, err);
	*ms = (int)v;
	return rc;
}

/* Settings from the config, then --set (later ones win in SET LOCAL order). */
static int collect_settings(struct explain_cmd *c, struct bk_err *err)
{
	const struct bk_optval *v = bk_args_get(&c->args, "set");
	size_t n = c->cfg.settings_nr + (v ? v->list_nr : 0), k = 0;

	c->settings = bk_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < c->cfg.settings_nr; i++)
		c->settings[k++] = c->cfg.settings[i];
	for (size_t i = 0; v && i < v->list_nr; i++) {
		const char *s = v->list[i], *eq = strchr(s, '=');
		if (!eq || eq == s || strspn(s, "abcdefghijklmnopqrstuvwxyz_.0123456789") != (size_t)(eq - s))
			return bk_err_set(err, BK_EUSAGE, "invalid --set '%s' (expected name=value, e.g. work_mem=64MB)", s);
		c->settings[k++] = s;
	}
	c->opts.settings = c->settings;
	c->opts.settings_nr = k;
	return 0;
}

static int parse_options(struct explain_cmd *c, struct bk_err *err)
{
	struct bk_explain_opts *o = &c->opts;
	const char *v;
	int rc, conn_ms = 0;

	c->format = BK_FMT_TEXT;
	if ((v = bk_args_value(&c->args, "format")))
		bk_format_parse(&c->format, v);
	o->db_url = bk_args_value(&c->args, "db");
	if (!o->db_url && (v = getenv("BKGEN_DATABASE_URL")) && *v)
		o->db_url = v;
	o->plugin = bk_args_value(&c->args, "plugin");
	o->plugin_dir = bk_args_value(&c->args, "plugin-dir");
	o->pg_bindir = bk_args_value(&c->args, "pg-bindir");
	o->analyze = bk_args_flag(&c->args, "analyze");
	o->analyze_writes = bk_args_flag(&c->args, "analyze-writes");
	if (o->analyze_writes && !o->analyze)
		return bk_err_set(err, BK_EUSAGE, "--analyze-writes runs writes too: it needs --analyze as well");
	c->file_budget_ms = BK_FILE_BUDGET_MS;
	if ((rc = parse_ms(&o->statement_timeout_ms, &c->args, "statement-timeout", err)) ||
	    (rc = parse_ms(&o->lock_timeout_ms, &c->args, "lock-timeout", err)) ||
	    (rc = parse_ms(&conn_ms, &c->args, "connect-timeout", err)) ||
	    (rc = bk_cli_seconds(&c->file_budget_ms, &c->args, "file-timeout", 86400, err)))
		return rc;
	o->connect_timeout_s = conn_ms ? (conn_ms + 999) / 1000 : 0;
	const struct bk_optval *mig = bk_args_get(&c->args, "migrations");
	if (o->db_url && mig && mig->list_nr)
		return bk_err_set(err, BK_EUSAGE, "--migrations is for the throwaway cluster; with --db the database already has its schema");
	return collect_settings(c, err);
}

/*
 * check's rules, so the config's overrides of their ids are not taken for
 * typos; loaded only when the config overrides an id explain does not know.
 * A rule set that does not load is check's error to report: then any id goes.
 */
static const struct bk_config *check_rules_cfg;
static struct bk_ruleset check_rules;
static int check_rules_state;   /* 0 not loaded, 1 loaded, -1 failed */

static int check_rule_id(const char *id)
{
	struct bk_err err = { 0 };

	if (!check_rules_state) {
		check_rules_state = bk_ruleset_add_builtin(&check_rules, &err) ? -1 : 1;
		for (size_t i = 0; check_rules_state > 0 && i < check_rules_cfg->rule_dirs_nr; i++)
			if (bk_ruleset_add_dir(&check_rules, check_rules_cfg->rule_dirs[i], &err))
				check_rules_state = -1;
	}
	return check_rules_state < 0 || bk_ruleset_find(&check_rules, id);
}

static int extractable(const char *path, void *data)
{
	return bk_sql_extractable(path);
}

/* The root the usual migration layouts are looked for in: the one PATH, or ".". */
static const char *migration_root(const struct explain_cmd *c)
{
	return c->args.pos_nr == 1 ? c->args.pos[0] : ".";
}

static int find_migrations(struct explain_cmd *c, struct bk_err *err)
{
	const struct bk_optval *v = bk_args_get(&c->args, "migrations");
	const char *const *specs = v && v->list_nr ? (const char *const *)v->list
						   : (const char *const *)c->cfg.migrations;
	size_t specs_nr = v && v->list_nr ? v->list_nr : c->cfg.migrations_nr;
	char *searched = NULL;
	int rc;

	if (c->opts.db_url)
		return 0;
	rc = bk_explain_find_migrations(&c->migrations, &c->migrations_nr, specs, specs_nr,
					migration_root(c), &searched, err);
	/* The PATH may be the sources below the project root: try the cwd too. */
	if (!rc && !c->migrations_nr && !specs_nr && strcmp(migration_root(c), ".")) {
		free(searched);
		rc = bk_explain_find_migrations(&c->migrations, &c->migrations_nr, NULL, 0, ".",
						&searched, err);
	}
	if (!rc && !c->migrations_nr && !bk_args_flag(&c->args, "list"))
		fprintf(stderr, "bkgen: warning: no migrations found (looked in %s); the throwaway "
			"database has no tables, so queries that use them will fail. Name them with "
			"--migrations or explain.migrations in .bkgen.yml, or pass --db\n",
			searched && *searched ? searched : "the given files");
	free(searched);
	c->opts.migrations = (const char *const *)c->migrations;
	c->opts.migrations_nr = c->migrations_nr;
	return rc;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Migrations are the schema, not queries of the code: not explained.
 * Paths are compared resolved ("./a" and "a"), each resolved once.
 */
static void drop_migrations(struct explain_cmd *c)
{
	char **mig = bk_xcalloc(c->migrations_nr + 1, sizeof(char *));
	size_t mig_nr = 0, keep = 0;

	for (size_t k = 0; k < c->migrations_nr; k++)
		if ((mig[mig_nr] = realpath(c->migrations[k], NULL)))
			mig_nr++;
	qsort(mig, mig_nr, sizeof(char *), str_cmp);
	for (size_t i = 0; i < c->files.nr; i++) {
		char *real = mig_nr ? realpath(c->files.paths[i], NULL) : NULL;
		if (real && bsearch(&real, mig, mig_nr, sizeof(char *), str_cmp))
			free(c->files.paths[i]);
		else
			c->files.paths[keep++] = c->files.paths[i];
		free(real);
	}
	c->files.nr = keep;
	for (size_t k = 0; k < mig_nr; k++)
		free(mig[k]);
	free(mig);
}

static void on_progress(void *ctx, const char *line)
{
	struct explain_cmd *c = ctx;
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	c->progress_shown = 1;
}

static void progress_done(struct explain_cmd *c)
{
	if (c->progress_shown)
		fputs("\r\033[K", stderr);
	c->progress_shown = 0;
}

static void list_text(FILE *out, const struct bk_sql_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		const struct bk_sql_stmt *s = &l->v[i];
		struct bk_buf b = BK_BUF_INIT;
		bk_buf_printf(&b, "%s:%u:%u: %s: ", s->path, s->line + 1, s->col + 1, s->api);
		if (s->dynamic || !s->sql) {
			bk_buf_printf(&b, "dynamic: %s", s->why ? s->why : "built at run time");
		} else {
			for (const char *p = s->sql; *p; p++)
				bk_buf_putc(&b, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
		}
		bk_buf_putc(&b, '\n');
		fwrite(b.ptr, 1, b.len, out);
		bk_buf_release(&b);
	}
}

/*
 *   { "version": 1, "statements": [ { "path": "src/db.js", "line": 12,
 *     "column": 20, "api": "node-postgres query", "sql": "SELECT ... $1",
 *     "params": 1, "dynamic": false, "why": null } ] }
 * line and column are 1-based (column in bytes).
 */
static int list_json(FILE *out, const struct bk_sql_list *l)
{
	json_t *arr = bk_json_ok(json_array());
	json_t *root;
	int rc;

	for (size_t i = 0; i < l->nr; i++) {
		const struct bk_sql_stmt *s = &l->v[i];
		bk_json_push(arr, json_pack("{s:o,s:I,s:I,s:o,s:o,s:I,s:b,s:o}",
			     "path", bk_json_str(s->path), "line", (json_int_t)s->line + 1,
			     "column", (json_int_t)s->col + 1, "api", bk_json_str(s->api),
			     "sql", bk_json_str(s->dynamic ? NULL : s->sql),
			     "params", (json_int_t)s->nparams, "dynamic", s->dynamic,
			     "why", bk_json_str(s->dynamic ? s->why : NULL)));
	}
	root = bk_json_ok(json_pack("{s:i,s:o}", "version", 1, "statements", arr));
	rc = json_dumpf(root, out, JSON_INDENT(2)) || fputc('\n', out) == EOF;
	json_decref(root);
	return rc;
}

static void print_stats(const struct explain_cmd *c)
{
	const struct bk_explain_stats *s = &c->stats;
	fprintf(stderr, "files: %zu read; statements: %zu found, %zu explained, %zu refused by the "
		"server, %zu dynamic\n", c->report.files_scanned, s->statements, s->explained,
		s->failed, s->dynamic);
	if (s->server_version)
		fprintf(stderr, "server: %d.%d%s; %zu migration%s applied\n", s->server_version / 10000,
			s->server_version % 10000, c->opts.db_url ? "" : " (throwaway)",
			s->migrations, s->migrations == 1 ? "" : "s");
	fprintf(stderr, "time (ms): connect/start %.1f, explain %.1f\n", s->start_ms, s->explain_ms);
}

/* Files that could not be read or whose SQL took too long: one line each. */
static void warn_failed_files(const struct explain_cmd *c)
{
	for (size_t i = 0; !bk_args_flag(&c->args, "verbose") && i < c->report.skips_nr; i++) {
		const struct bk_skip *s = &c->report.skips[i];
		if (s->is_error)
			fprintf(stderr, "bkgen: warning: skipped %s: %s%s%s%s\n", s->path,
				bk_skip_reason_name(s->reason), s->detail ? " (" : "",
				s->detail ? s->detail : "", s->detail ? ")" : "");
	}
}

static int run(struct explain_cmd *c, struct bk_err *err)
{
	int rc;

	if ((rc = bk_cli_load_config(&c->cfg, &c->args, err)) ||
	    (rc = parse_options(c, err)))
		return rc;
	bk_explain_ruleset(&c->rules);
	check_rules_cfg = &c->cfg;
	if ((rc = bk_config_apply(&c->cfg, &c->rules, check_rule_id, err)) ||
	    (rc = find_migrations(c, err)) ||
	    (rc = bk_cli_walk(&c->files, &c->args, &c->cfg, extractable, NULL, &c->report, err)))
		return rc;
	drop_migrations(c);
	if ((rc = bk_explain_collect(&c->stmts, &c->files, c->cfg.max_file_size ? c->cfg.max_file_size
							    : BK_DEFAULT_MAX_FILE_SIZE,
				     (uint64_t)c->file_budget_ms, &c->report, err)))
		return rc;
	warn_failed_files(c);
	if (bk_args_flag(&c->args, "list")) {
		for (size_t i = 0; bk_args_flag(&c->args, "verbose") && i < c->report.skips_nr; i++)
			fprintf(stderr, "bkgen: skipped %s: %s%s%s%s\n", c->report.skips[i].path,
				bk_skip_reason_name(c->report.skips[i].reason),
				c->report.skips[i].detail ? " (" : "",
				c->report.skips[i].detail ? c->report.skips[i].detail : "",
				c->report.skips[i].detail ? ")" : "");
		if (c->format == BK_FMT_JSON)
			return list_json(stdout, &c->stmts) ? bk_err_set(err, BK_EIO, "cannot write the list") : 0;
		list_text(stdout, &c->stmts);
		return 0;
	}
	if (!bk_args_flag(&c->args, "quiet") && isatty(STDERR_FILENO)) {
		c->opts.progress = on_progress;
		c->opts.progress_ctx = c;
	}
	rc = bk_explain_run(&c->report, &c->rules, &c->stmts, &c->opts, &c->stats, err);
	progress_done(c);
	if (rc)
		return rc;
	bk_report_sort(&c->report);
	return bk_cli_write_report(&c->args, c->format, &c->report, &c->rules, "explain", err);
}

int bk_cmd_explain(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct explain_cmd c;
	struct bk_err err = { 0 };
	int status;

	memset(&c, 0, sizeof(c));
	if ((status = bk_cli_parse(cmd, &c.args, argc, argv)) >= 0) {
		bk_args_release(&c.args);
		return status;
	}
	if (run(&c, &err)) {
		status = bk_cli_fail(&err);
	} else {
		if (bk_args_flag(&c.args, "stats"))
			print_stats(&c);
		status = bk_args_flag(&c.args, "list") ? 0
			: bk_cli_findings_status(&c.report, bk_cli_fail_on(&c.args, &c.cfg));
	}
	for (size_t i = 0; i < c.migrations_nr; i++)
		free(c.migrations[i]);
	free(c.migrations);
	free(c.settings);
	bk_sql_list_release(&c.stmts);
	bk_report_release(&c.report);
	bk_file_list_release(&c.files);
	bk_ruleset_release(&c.rules);
	bk_ruleset_release(&check_rules);
	bk_config_release(&c.cfg);
	bk_args_release(&c.args);
	return status;
}
