/*
 * bkgen explain, the library side: the statements extract found, planned
 * one by one through a database plugin, judged by the plan rules, turned
 * into findings on the code that holds the SQL.
 *
 * With no database URL a throwaway cluster (pgtmp.h) is started, the
 * project's migrations are applied to it, and every statement is planned
 * twice: as is, and with sequential scans penalised, so a filter that no
 * index can serve shows whatever the (empty) tables' sizes.
 */
#ifndef BK_EXPLAIN_H
#define BK_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/report.h"
#include "base/rule.h"
#include "explain/sqlextract.h"
#include "base/walk.h"

#define BK_EXPLAIN_RULE_DYNAMIC "dynamic-sql"
#define BK_EXPLAIN_RULE_ERROR "sql-error"

struct bk_explain_opts {
	const char *db_url;            /* NULL: a throwaway cluster */
	const char *plugin;            /* NULL: "postgres" */
	const char *plugin_dir;        /* NULL: the plugin search path */
	const char *pg_bindir;         /* throwaway: NULL searches */
	int analyze;                   /* EXPLAIN ANALYZE statements that only read */
	int analyze_writes;            /* ... and writes, rolled back */
	const char *const *settings;   /* "name=value" for every EXPLAIN */
	size_t settings_nr;
	const char *const *migrations; /* throwaway: files applied in order */
	size_t migrations_nr;
	int statement_timeout_ms;      /* 0: 5000 */
	int lock_timeout_ms;           /* 0: 1000 */
	int connect_timeout_s;         /* 0: 10 */
	/* progress, may be NULL: one short line ("explaining 3/40") */
	void (*progress)(void *ctx, const char *line);
	void *progress_ctx;
};

struct bk_explain_stats {
	size_t statements;   /* found */
	size_t dynamic;      /* not explained: built at run time */
	size_t explained;
	size_t failed;       /* the server refused them (sql-error) */
	size_t migrations;   /* applied to the throwaway cluster */
	int server_version;  /* e.g. 150018 */
	double start_ms, explain_ms;
};

/*
 * The rules explain reports under, one for every row of bk_plan_rules
 * (limits filled in, the threshold after the rationale). set must be empty.
 */
void bk_explain_ruleset(struct bk_ruleset *set);
/* Is id one of those rules? (config overrides are shared with check) */
int bk_explain_rule_known(const char *id);

/*
 * Read every file and extract its SQL into out. Files larger than
 * max_size, unreadable, binary, minified or generated ones are recorded as
 * skips in report, as check records them, and so is a file whose
 * extraction takes longer than budget_ms (0: no limit).
 */
int bk_explain_collect(struct bk_sql_list *out, const struct bk_file_list *files,
		       uint64_t max_size, uint64_t budget_ms, struct bk_report *report,
		       struct bk_err *err);

/*
 * The migration files named by specs (files, directories, globs), or when
 * there are none, those found under root in the usual places (migrations/,
 * db/migrations/, db/migrate/, drizzle/, sql/migrations/, alembic SQL
 * output): *.sql, down migrations left out, in natural version order.
 * *searched (may be NULL) gets the places looked at, for messages.
 */
int bk_explain_find_migrations(char ***out, size_t *nr, const char *const *specs,
			       size_t specs_nr, const char *root, char **searched,
			       struct bk_err *err);

/* Plan every statement; findings into report. */
int bk_explain_run(struct bk_report *report, const struct bk_ruleset *rules,
		   const struct bk_sql_list *stmts, const struct bk_explain_opts *o,
		   struct bk_explain_stats *st, struct bk_err *err);

#endif
