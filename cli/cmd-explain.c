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
#include "explain/explain.h"
#include "lint/rule-load.h"
#include "base/util.h"
#include "lint/engine.h"


static const struct bk_opt opt_db =
	{ "db", 0, BK_OPT_VALUE, "URL", NULL,
	  "plan on this database (postgresql://... or key=value; default $BKGEN_DATABASE_URL, else a throwaway cluster)" };
static const struct bk_opt opt_analyze =
	{ "analyze", 0, BK_OPT_FLAG, NULL, NULL,
	  "run statements that only read (EXPLAIN ANALYZE, BUFFERS) in a read-only transaction" };
static const struct bk_opt opt_analyze_writes =
	{ "analyze-writes", 0, BK_OPT_FLAG, NULL, NULL,
	  "with --analyze: also run writes, in a transaction that is rolled back" };
static const struct bk_opt opt_set =
	{ "set", 0, BK_OPT_LIST, "NAME=VALUE", NULL,
	  "a planner setting for every EXPLAIN, e.g. work_mem=64MB (repeatable)" };
static const struct bk_opt opt_migrations =
	{ "migrations", 0, BK_OPT_LIST, "PATH", NULL,
	  "throwaway cluster: apply these migration files, directories or globs, in order (repeatable)" };
static const struct bk_opt opt_pg_bindir =
	{ "pg-bindir", 0, BK_OPT_VALUE, "DIR", NULL,
	  "throwaway cluster: where initdb and postgres are (default: search)" };
static const struct bk_opt opt_plugin =
	{ "plugin", 0, BK_OPT_VALUE, "NAME", NULL, "database plugin (default postgres)" };
static const struct bk_opt opt_plugin_dir =
	{ "plugin-dir", 0, BK_OPT_VALUE, "DIR", NULL, "load database plugins from DIR only" };
static const struct bk_opt opt_statement_timeout =
	{ "statement-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "cancel one EXPLAIN after this long (default 5)" };
static const struct bk_opt opt_lock_timeout =
	{ "lock-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL,
	  "give up waiting for a lock after this long (default 1)" };
static const struct bk_opt opt_connect_timeout =
	{ "connect-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL, "give up connecting after this long (default 10)" };
static const struct bk_opt opt_file_timeout =
	{ "file-timeout", 0, BK_OPT_VALUE, "SECONDS", NULL,
	  "give up reading the SQL of a file after this long (default 10; it is reported as skipped)" };
static const struct bk_opt opt_list =
	{ "list", 0, BK_OPT_FLAG, NULL, NULL,
	  "print the statements found (text or json) and exit; needs no database" };
static const struct bk_opt opt_quiet =
	{ "quiet", 'q', BK_OPT_FLAG, NULL, NULL, "no progress line on a terminal" };

static const struct bk_opt *const explain_opts[] = {
	&opt_db, &opt_analyze, &opt_analyze_writes, &opt_set, &opt_migrations, &opt_pg_bindir,
	&opt_plugin, &opt_plugin_dir, &opt_statement_timeout, &opt_lock_timeout,
	&opt_connect_timeout, &opt_file_timeout, &opt_list, &bk_opt_format, &bk_opt_output, &bk_opt_fail_on,
	&bk_opt_config, &bk_opt_no_config, &bk_opt_include, &bk_opt_exclude, &bk_opt_no_ignore,
	&bk_opt_color, &bk_opt_no_source, &bk_opt_show_fixes, &opt_quiet, &bk_opt_stats, &bk_opt_verbose,
	&bk_opt_help, NULL,
};

static int explain_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_explain = {
	.name = "explain",
	.usage = "[options] [PATH...]",
	.summary = "plan the SQL found in the code on PostgreSQL and judge the plans",
	.description =
	  "Finds the SQL at query call sites (node-postgres, postgres.js, Drizzle, Knex,\n"
	  "Prisma, psycopg, SQLAlchemy, database/sql, pgx, sqlx, tokio-postgres, Dapper,\n"
	  "EF Core, Npgsql, libpq) and in .sql files under each PATH, and plans each\n"
	  "statement with EXPLAIN: on --db URL with its real statistics, or else on a\n"
	  "throwaway PostgreSQL with the project's migrations applied, where a filter\n"
	  "no index can serve is found whatever the table size. Plans are judged by\n"
	  "the plan rules (sequential scans of large tables, spills to disk, lossy\n"
	  "bitmaps, misestimates, unindexed foreign keys, ...). Everything runs in a\n"
	  "transaction that is rolled back; --analyze runs reads only, unless\n"
	  "--analyze-writes. Exit status: 0 nothing at or above --fail-on, 1 findings,\n"
	  "2 usage or configuration error, 3 plugin, database or connection failure.",
	.opts = explain_opts,
	.flags = BK_CMD_CONFIG | BK_CMD_REPORT,
	.run = explain_run,
};

/* What main did not set up; explain's plan rules go to cli->rules. */
struct explain_cmd {
	struct bk_cli *cli;       /* args, config, rules, report, format, fail-on */
	struct bk_file_list files;
	struct bk_sql_list stmts;
	struct bk_explain_opts opts;
	struct bk_explain_stats stats;
	char **migrations;
	size_t migrations_nr;
	const char **settings;
	long file_budget_ms;
	int progress_shown;
};

/* --NAME SECONDS into an int of milliseconds (at most an hour). */
static int parse_ms(int *ms, const struct bk_args *a, const struct bk_opt *opt, struct bk_err *err)
{
	long v = *ms;
	int rc = bk_cli_seconds(&v, a, opt, 3600, err);
	*ms = (int)v;
	return rc;
}

/* Settings from the config, then --set (later ones win in SET LOCAL order). */
static int collect_settings(struct explain_cmd *c, struct bk_err *err)
{
	const struct bk_optval *v = bk_args_get(&c->cli->args, &opt_set);
	size_t n = c->cli->cfg.settings_nr + (v ? v->list_nr : 0), k = 0;

	c->settings = bk_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < c->cli->cfg.settings_nr; i++)
		c->settings[k++] = c->cli->cfg.settings[i];
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
	const struct bk_args *a = &c->cli->args;
	struct bk_explain_opts *o = &c->opts;
	const struct bk_optval *mig = bk_args_get(a, &opt_migrations);
	const char *v;
	int rc, conn_ms = 0;

	o->db_url = bk_args_value(a, &opt_db);
	if (!o->db_url && (v = getenv("BKGEN_DATABASE_URL")) && *v)
		o->db_url = v;
	o->plugin = bk_args_value(a, &opt_plugin);
	o->plugin_dir = bk_args_value(a, &opt_plugin_dir);
	o->pg_bindir = bk_args_value(a, &opt_pg_bindir);
	o->analyze = bk_args_flag(a, &opt_analyze);
	o->analyze_writes = bk_args_flag(a, &opt_analyze_writes);
	if (o->analyze_writes && !o->analyze)
		return bk_err_set(err, BK_EUSAGE, "--analyze-writes runs writes too: it needs --analyze as well");
	c->file_budget_ms = BK_FILE_BUDGET_MS;
	if ((rc = parse_ms(&o->statement_timeout_ms, a, &opt_statement_timeout, err)) ||
	    (rc = parse_ms(&o->lock_timeout_ms, a, &opt_lock_timeout, err)) ||
	    (rc = parse_ms(&conn_ms, a, &opt_connect_timeout, err)) ||
	    (rc = bk_cli_seconds(&c->file_budget_ms, a, &opt_file_timeout, 86400, err)))
		return rc;
	o->connect_timeout_s = conn_ms ? (conn_ms + 999) / 1000 : 0;
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
	return c->cli->args.pos_nr == 1 ? c->cli->args.pos[0] : ".";
}

static int find_migrations(struct explain_cmd *c, struct bk_err *err)
{
	const struct bk_optval *v = bk_args_get(&c->cli->args, &opt_migrations);
	const char *const *specs = v && v->list_nr ? (const char *const *)v->list
						   : (const char *const *)c->cli->cfg.migrations;
	size_t specs_nr = v && v->list_nr ? v->list_nr : c->cli->cfg.migrations_nr;
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
	if (!rc && !c->migrations_nr && !bk_args_flag(&c->cli->args, &opt_list))
		bk_cli_msg(BK_MSG_WARNING, "no migrations found (looked in %s); the throwaway "
			   "database has no tables, so queries that use them will fail. Name them with "
			   "--migrations or explain.migrations in .bkgen.yml, or pass --db",
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
		"server, %zu dynamic\n", c->cli->report.files_scanned, s->statements, s->explained,
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
	const struct bk_report *rep = &c->cli->report;
	for (size_t i = 0; !bk_args_flag(&c->cli->args, &bk_opt_verbose) && i < rep->skips_nr; i++) {
		const struct bk_skip *s = &rep->skips[i];
		if (s->is_error)
			bk_cli_msg(BK_MSG_WARNING, "skipped %s: %s%s%s%s", s->path,
				   bk_skip_reason_name(s->reason), s->detail ? " (" : "",
				   s->detail ? s->detail : "", s->detail ? ")" : "");
	}
}

static int run(struct explain_cmd *c, struct bk_err *err)
{
	struct bk_cli *cli = c->cli;
	int rc;

	if ((rc = parse_options(c, err)))
		return rc;
	bk_explain_ruleset(&cli->rules);
	check_rules_cfg = &cli->cfg;
	if ((rc = bk_config_apply(&cli->cfg, &cli->rules, check_rule_id, err)) ||
	    (rc = find_migrations(c, err)) ||
	    (rc = bk_cli_walk(&c->files, &cli->args, &cli->cfg, extractable, NULL, &cli->report, err)))
		return rc;
	drop_migrations(c);
	if ((rc = bk_explain_collect(&c->stmts, &c->files, cli->cfg.max_file_size ? cli->cfg.max_file_size
							      : BK_DEFAULT_MAX_FILE_SIZE,
				     (uint64_t)c->file_budget_ms, &cli->report, err)))
		return rc;
	warn_failed_files(c);
	if (bk_args_flag(&cli->args, &opt_list)) {
		for (size_t i = 0; bk_args_flag(&cli->args, &bk_opt_verbose) && i < cli->report.skips_nr; i++)
			fprintf(stderr, "bkgen: skipped %s: %s%s%s%s\n", cli->report.skips[i].path,
				bk_skip_reason_name(cli->report.skips[i].reason),
				cli->report.skips[i].detail ? " (" : "",
				cli->report.skips[i].detail ? cli->report.skips[i].detail : "",
				cli->report.skips[i].detail ? ")" : "");
		if (cli->format == BK_FMT_JSON)
			return list_json(stdout, &c->stmts) ? bk_err_set(err, BK_EIO, "cannot write the list") : 0;
		list_text(stdout, &c->stmts);
		return 0;
	}
	if (!bk_args_flag(&cli->args, &opt_quiet) && isatty(STDERR_FILENO)) {
		c->opts.progress = on_progress;
		c->opts.progress_ctx = c;
	}
	rc = bk_explain_run(&cli->report, &cli->rules, &c->stmts, &c->opts, &c->stats, err);
	progress_done(c);
	if (rc)
		return rc;
	bk_report_sort(&cli->report);
	return bk_cli_write_report(cli, err);
}

static int explain_run(struct bk_cli *cli, struct bk_err *err)
{
	struct explain_cmd c = { .cli = cli };
	int status;

	if (!(status = run(&c, err))) {
		if (bk_args_flag(&cli->args, &bk_opt_stats))
			print_stats(&c);
		status = bk_args_flag(&cli->args, &opt_list) ? 0
			: bk_cli_findings_status(&cli->report, cli->fail_on);
	}
	for (size_t i = 0; i < c.migrations_nr; i++)
		free(c.migrations[i]);
	free(c.migrations);
	free(c.settings);
	bk_sql_list_release(&c.stmts);
	bk_file_list_release(&c.files);
	bk_ruleset_release(&check_rules);
	return status;
}
