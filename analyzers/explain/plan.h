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
