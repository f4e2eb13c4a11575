/*
 * Reading EXPLAIN (FORMAT JSON) output and judging it. Every rule is one
 * row of bk_plan_rules (id, title, limits, threshold, check); numbers are parsed as
 * doubles so PostgreSQL 15-18 output (fractional rows, new fields) reads
 * the same. Per-loop figures (rows, removed rows) are multiplied by the
 * node's loops, as EXPLAIN ANALYZE reports them per loop.
 */
#ifndef BK_PLAN_H
#define BK_PLAN_H

#include <stddef.h>
#include "base/err.h"
#include "base/rule.h"
#include "base/util.h"

/* What is known about a relation the plan touches (from the catalog). */
struct bk_rel_stats {
	char *schema, *name;
	double reltuples;      /* -1: never analysed / unknown */
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

/*
 * Where a rule's findings come from: every node of the plan as it is;
 * every node of the plan made with enable_seqscan = off, judged by that
 * rule alone; the catalog, once per run (explain.c); or the statement
 * itself, built at run time or refused by the server (explain.c).
 */
enum bk_plan_source {
	BK_PLAN_NODE,
	BK_PLAN_NODE_SEQSCAN_OFF,
	BK_PLAN_CATALOG,
	BK_PLAN_STATEMENT,
};

/*
 * The numbers a rule's check compares with (0: unused). The rule's texts
 * name them as {rows}, {buffers}, {min_rows} (shown as counts, "10,000"),
 * {share} (a fraction, shown as "90 %") and {factor} ("10"); see
 * bk_plan_rule_text. So the documentation shows the numbers the check uses.
 */
struct bk_plan_limits {
	double rows;       /* rows that make a table, result, OFFSET or removal large */
	double buffers;    /* shared buffers hit+read per loop that make a scan large */
	double min_rows;   /* nodes with fewer rows are not judged */
	double share;      /* share of the rows read that a filter removes */
	double factor;     /* actual vs estimated rows, either way */
};

struct bk_plan_visit;
struct bk_plan_rule;

/* Judge one node (v->node) for rule; append findings with bk_plan_report. */
typedef void bk_plan_check_fn(const struct bk_plan_rule *rule, const struct bk_plan_visit *v);

/*
 * A rule of bkgen explain, everything about it in one row of
 * bk_plan_rules: what users see (id, title, severity, threshold,
 * rationale, advice), the numbers it compares with, and for the rules
 * judged from plan nodes the check itself.
 */
struct bk_plan_rule {
	const char *id;            /* "seq-scan-large-table" */
	const char *title;         /* may name limits */
	enum bk_severity severity;
	enum bk_plan_source source;
	struct bk_plan_limits limits;
	const char *threshold;     /* human text, may name limits: ">= {rows} rows or ..." */
	const char *rationale;
	const char *fix;           /* general advice */
	bk_plan_check_fn *check;   /* BK_PLAN_NODE*: the check; otherwise NULL */
};

/* Every rule explain reports under, in judging order; ends with id NULL. */
extern const struct bk_plan_rule bk_plan_rules[];

/* Rule ids that code outside the table names (dynamic-sql, sql-error: explain.h). */
#define BK_PLAN_RULE_FK_NO_INDEX "fk-without-index"
#define BK_PLAN_RULE_NEVER_ANALYZED "table-never-analyzed"
#define BK_PLAN_RULE_NO_INDEX "no-index-for-filter"

/*
 * Append text (a field of rule) to out with every {limit} replaced by
 * rule's number; an unknown name is copied as it is.
 */
void bk_plan_rule_text(struct bk_buf *out, const struct bk_plan_rule *rule, const char *text);

/* A parsed EXPLAIN (FORMAT JSON) document, read once for every use. */
struct bk_plan;

/* Parse the JSON text EXPLAIN printed; not a plan is BK_EIO with the reason. */
int bk_plan_load(struct bk_plan **out, const char *json, struct bk_err *err);
void bk_plan_free(struct bk_plan *p);

/* Judge one plan; appends findings. */
void bk_plan_judge(const struct bk_plan *p, const struct bk_plan_ctx *ctx,
		   struct bk_plan_findings *out);

/*
 * Relations (schema, name) scanned by the plan, deduplicated, for the
 * catalog lookup. *names is a malloc'ed array of malloc'ed "schema.name"
 * strings (schema from the plan's "Schema" field, "" if absent).
 */
void bk_plan_relations(const struct bk_plan *p, char ***names, size_t *nr);

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

#endif
