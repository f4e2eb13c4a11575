/*
 * Reading EXPLAIN (FORMAT JSON) output and judging it. Every plan rule is
 * one row of a table (id, title, threshold, check); numbers are parsed as
 * doubles so PostgreSQL 15-18 output (fractional rows, new fields) reads
 * the same. Per-loop figures (rows, removed rows) are multiplied by the
 * node's loops, as EXPLAIN ANALYZE reports them per loop.
 */
#ifndef BK_PLAN_H
#define BK_PLAN_H

#include <stddef.h>
#include "err.h"
#include "rule.h"
#include "util.h"

/* What is known about a relation the plan touches (from the catalog). */
struct bk_rel_stats {
	char *schema, *name;
	double reltuples;      /* -1: never analysed / unknown */
	double relpages;
	int analyzed;          /* last_analyze or last_autoanalyze set */
};

struct bk_plan_ctx {
	int analyzed;          /* the plan came from EXPLAIN ANALYZE */
	int seqscan_off;       /* the second pass, with enable_seqscan = off: only no-index-for-filter */
	const struct bk_rel_stats *rels;
	size_t rels_nr;
	long long sql_offset;  /* OFFSET literal in the SQL text, -1: none */
	int seqscan_set_off;   /* the user's settings turned seq scans off: every rule, and no-index-for-filter too */
};

struct bk_plan_finding {
	const char *rule_id;   /* a row of bk_plan_rules */
	char *message;         /* one line, with the numbers */
	char *node;            /* the offending node, e.g. "Seq Scan on orders (rows=1000000, Filter: (status = $1), removed 990001)" */
	char *fix;             /* suggested fix, e.g. "CREATE INDEX ON public.orders (status);", may be NULL */
};

struct bk_plan_findings {
	struct bk_plan_finding *v;
	size_t nr, alloc;
};

struct bk_plan_rule {
	const char *id;        /* "seq-scan-large-table" */
	const char *title;
	enum bk_severity severity;
	const char *threshold; /* human text: ">= 10000 rows or >= 50 buffers" */
	const char *rationale;
	const char *fix;       /* general advice */
};

extern const struct bk_plan_rule bk_plan_rules[];  /* ends with id NULL */

/* Catalog-level rule ids (not judged from a plan, but reported alike). */
#define BK_PLAN_RULE_FK_NO_INDEX "fk-without-index"
#define BK_PLAN_RULE_NEVER_ANALYZED "table-never-analyzed"
#define BK_PLAN_RULE_NO_INDEX "no-index-for-filter"

/*
 * Judge one plan (the JSON text EXPLAIN printed). Appends findings. A plan
 * that is not valid EXPLAIN JSON is BK_EIO with the reason.
 */
int bk_plan_judge(const char *json, const struct bk_plan_ctx *ctx,
		  struct bk_plan_findings *out, struct bk_err *err);

/*
 * Relations (schema, name) scanned by the plan, deduplicated, for the
 * catalog lookup. *names is a malloc'ed array of malloc'ed "schema.name"
 * strings (schema from the plan's "Schema" field, "" if absent).
 */
int bk_plan_relations(const char *json, char ***names, size_t *nr,
		      struct bk_err *err);

/* Sum of the "Total Cost" of the top node; -1 on error. */
double bk_plan_total_cost(const char *json);

void bk_plan_findings_release(struct bk_plan_findings *f);

/*
 * Catalog queries for the catalog-level rules, run by the caller; rows
 * come back as a JSON array of objects.
 *  - bk_plan_sql_unindexed_fks: no parameters; schema, table, constraint,
 *    columns ("a, b", quoted as identifiers), referenced_table, for every
 *    foreign key whose columns are not the leading columns of a valid index.
 *  - bk_plan_sql_rel_stats: $1 a text[] of "schema.name", ".name" or
 *    "name" (the last two: a table visible on the search_path); schema,
 *    name, reltuples, relpages, analyzed ("true"/"false").
 */
extern const char bk_plan_sql_unindexed_fks[];
extern const char bk_plan_sql_rel_stats[];

/*
 * Turn bk_plan_sql_rel_stats rows (values strings, or JSON numbers and
 * booleans) into *out, an array of *nr entries the caller frees with
 * bk_rel_stats_free. Invalid JSON is BK_EIO.
 */
int bk_plan_parse_rel_stats(const char *rows_json, struct bk_rel_stats **out,
			    size_t *nr, struct bk_err *err);
void bk_rel_stats_free(struct bk_rel_stats *v, size_t nr);

/*
 * Index columns for the simple comparisons in exprs (EXPLAIN's Filter,
 * Index Cond, Join Filter... texts): "(a = $1) AND (b > 5)" gives "a, b",
 * equality columns first, then one range column. Column references
 * qualified with another alias than alias (NULL: any) are left out, so a
 * join condition yields the inner side's column. Appends to cols and
 * returns the number of columns (0: nothing indexable).
 */
size_t bk_plan_index_columns(struct bk_buf *cols, const char *alias,
			     const char *const *exprs, size_t n);

/* ---- shared by plan.c and plan-rules.c only ---- */

struct json_t;

/* One node as the rules see it while the plan is walked. */
struct bk_plan_visit {
	const struct json_t *node;
	const struct json_t *parent;  /* NULL for the top node */
	int under_limit;              /* an ancestor is a Limit */
	const struct bk_plan_ctx *ctx;
	struct bk_plan_findings *out;
};

typedef void bk_plan_check_fn(const struct bk_plan_visit *v);

struct bk_plan_check {
	const char *rule_id;
	bk_plan_check_fn *check;
};
/* The rules judged from plans, ends with rule_id NULL (plan-rules.c). */
extern const struct bk_plan_check bk_plan_checks[];

double bk_plan_num(const struct json_t *node, const char *key, double dflt);
const char *bk_plan_str(const struct json_t *node, const char *key);
int bk_plan_is(const struct json_t *node, const char *node_type);
/* Actual Loops (1 without ANALYZE); a per-loop field times the loops. */
double bk_plan_loops(const struct json_t *node);
double bk_plan_total(const struct json_t *node, const char *key);
/* Rows the node returned in all (ANALYZE) or is estimated to return. */
double bk_plan_rows(const struct json_t *node, int analyzed);
/* Rows in the scanned relation: reltuples, else the node's own figures. */
double bk_plan_rel_rows(const struct bk_plan_ctx *ctx, const struct json_t *node);
/* "schema.name" when the schema is known, else the name. */
void bk_plan_rel_name(struct bk_buf *b, const struct bk_plan_ctx *ctx,
		      const struct json_t *node);
const struct json_t *bk_plan_child(const struct json_t *node, size_t i);
/* "~1,234,567" style, rounded. */
void bk_plan_count(struct bk_buf *b, double n);
/* CREATE INDEX for the relation of node over the columns of exprs. */
int bk_plan_index_fix(struct bk_buf *fix, const struct bk_plan_ctx *ctx,
		      const struct json_t *scan, const char *const *exprs, size_t n);
/* Append a finding for v's node (described) that takes message and fix. */
void bk_plan_report(const struct bk_plan_visit *v, const char *rule_id,
		    struct bk_buf *message, struct bk_buf *fix);

#endif
