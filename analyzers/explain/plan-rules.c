/*
 * The plan rules: one row each in bk_plan_rules (what users see: id,
 * title, severity, threshold, rationale, advice) and, for the rules judged
 * from a plan, one check in bk_plan_checks that looks at a single node.
 * Thresholds follow pev2 (node.ts), postgres-ai Joe (explain.yaml) and
 * pganalyze's insights: 10,000 rows for "large", 90 % for "most rows",
 * 100 removed rows for an index filter, 10x for estimates.
 *
 * no-index-for-filter is judged only from the plan made with
 * enable_seqscan = off, and then alone; the other rules never see that plan.
 */
#include "explain/plan-int.h"

#include <jansson.h>
#include <string.h>

#define LARGE_ROWS 10000.0
#define LARGE_BUFFERS 50.0
#define MOST_REMOVED 0.9
#define MIN_READ_ROWS 1000.0
#define INDEX_FILTER_REMOVED 100.0
#define MISESTIMATE_FACTOR 10.0
#define MISESTIMATE_MIN_ROWS 100.0
#define LARGE_OFFSET 1000.0
#define LARGE_RESULT 10000.0

const struct bk_plan_rule bk_plan_rules[] = {
	{ "seq-scan-large-table", "sequential scan of a large table", BK_SEV_WARNING,
	  ">= 10,000 rows in the table (reltuples, else the scan's own row counts), or >= 50 "
	  "shared buffers hit+read per loop (ANALYZE with BUFFERS)",
	  "A Seq Scan reads every row of the table; its cost grows with the table, not with "
	  "the result, so a query that is fast on a test database slows down as data grows.",
	  "Add an index that serves the WHERE clause (the suggested columns come from the "
	  "filter), or limit what the query reads." },
	{ "filter-removes-most-rows", "scan filter discards most rows", BK_SEV_WARNING,
	  "> 90 % of the rows read removed by the Filter of a Seq Scan reading >= 1,000 rows "
	  "(ANALYZE: Rows Removed by Filter vs Actual Rows, times loops); without ANALYZE: "
	  "estimated rows < 10 % of a table of >= 10,000 rows",
	  "Reading rows only to throw them away costs I/O and CPU in proportion to the table; "
	  "a selective filter is what an index is for.",
	  "Create an index on the filtered columns (equality columns first, then one range "
	  "column)." },
	{ "index-filter-removes-rows", "index scan filters out many rows", BK_SEV_WARNING,
	  "Index Scan, Index Only Scan or Bitmap Heap Scan with > 100 Rows Removed by Filter "
	  "(times loops; needs ANALYZE)",
	  "The index finds candidate rows but part of the WHERE clause is checked afterwards "
	  "on the heap; every removed row was fetched for nothing.",
	  "Extend the index with the filtered columns, or create one that matches the whole "
	  "condition." },
	{ "sort-spill", "sort spills to disk", BK_SEV_WARNING,
	  "Sort or Incremental Sort with Sort Space Type Disk or an external Sort Method "
	  "(needs ANALYZE)",
	  "The sort did not fit in work_mem and wrote temporary files, which is much slower "
	  "than sorting in memory.",
	  "Raise work_mem for this query, sort fewer or narrower rows, or add an index that "
	  "returns the rows in ORDER BY order." },
	{ "hash-spill", "hash join spills to disk", BK_SEV_WARNING,
	  "Hash with Hash Batches > 1 (needs ANALYZE)",
	  "The hash table of the inner side did not fit in work_mem (times hash_mem_multiplier) "
	  "and was split into batches written to temporary files.",
	  "Raise work_mem for this query, hash the smaller input, or select fewer columns "
	  "from the hashed side." },
	{ "hashagg-spill", "hash aggregate spills to disk", BK_SEV_WARNING,
	  "Aggregate with HashAgg Batches > 1 or Disk Usage > 0 (PostgreSQL 13+, needs ANALYZE)",
	  "The groups did not fit in memory, so the aggregate wrote partitions to temporary "
	  "files and read them back.",
	  "Raise work_mem for this query, or aggregate fewer groups (filter first)." },
	{ "nested-loop-inner-seq-scan", "nested loop rescans a large table", BK_SEV_ERROR,
	  "Nested Loop whose inner side (through Materialize/Memoize) is a Seq Scan of a table "
	  "of >= 10,000 rows (as for seq-scan-large-table); with ANALYZE only when it ran "
	  ">= 2 loops",
	  "The inner side of a nested loop runs once per outer row; a sequential scan there "
	  "reads the whole table again for every outer row.",
	  "Index the join column of the inner table so each loop is an index lookup." },
	{ "row-misestimate", "row estimate off by 10x or more", BK_SEV_WARNING,
	  "max(actual, estimated) / max(min(actual, estimated), 1) >= 10, both times loops, "
	  "ignoring nodes with fewer than 100 rows either way and nodes under a Limit; reported "
	  "where it starts, not on every node above (needs ANALYZE)",
	  "The planner chose this plan for the estimated row counts; when they are off by "
	  "an order of magnitude the join methods and orders it picked are likely wrong.",
	  "ANALYZE the tables; for correlated columns create extended statistics "
	  "(CREATE STATISTICS ... ON a, b FROM t); raise the column's statistics target for "
	  "skewed data." },
	{ "lossy-bitmap", "bitmap scan became lossy", BK_SEV_WARNING,
	  "Bitmap Heap Scan with Lossy Heap Blocks > 0 (needs ANALYZE)",
	  "The bitmap outgrew work_mem and keeps whole pages instead of rows, so every row of "
	  "those pages is rechecked against the condition.",
	  "Raise work_mem for this query, or make the condition more selective." },
	{ "index-only-heap-fetches", "index-only scan visits the heap", BK_SEV_INFO,
	  "Index Only Scan with Heap Fetches > 0 (needs ANALYZE)",
	  "An index-only scan avoids the table only for pages the visibility map marks "
	  "all-visible; after updates it fetches rows from the heap like an index scan.",
	  "VACUUM the table (and check that autovacuum keeps up with it)." },
	{ "large-offset", "large OFFSET", BK_SEV_WARNING,
	  "OFFSET >= 1,000 in the SQL text, or (ANALYZE) a Limit whose input returned >= 1,000 "
	  "more rows than the Limit",
	  "OFFSET rows are produced and thrown away: page N of a listing costs as much as "
	  "reading all pages before it.",
	  "Use keyset pagination: WHERE (sort columns) > (last row's values) ORDER BY ... "
	  "LIMIT n." },
	{ "no-limit-large-result", "large result without LIMIT", BK_SEV_INFO,
	  "top node not a Limit, ModifyTable or plain Aggregate, returning > 10,000 rows "
	  "(actual with ANALYZE, else estimated)",
	  "Returning tens of thousands of rows to the application costs transfer and memory "
	  "and is rarely what a request needs.",
	  "Add a LIMIT with keyset pagination, or aggregate in SQL." },
	{ BK_PLAN_RULE_NO_INDEX, "no index can serve this filter", BK_SEV_WARNING,
	  "a Seq Scan with a Filter remains in the plan made with enable_seqscan = off",
	  "With sequential scans penalised the planner takes any usable index; a Seq Scan "
	  "that stays means no index matches the filter, so the query reads the whole table "
	  "once the table grows.",
	  "Create an index on the filtered columns." },
	{ BK_PLAN_RULE_FK_NO_INDEX, "foreign key without an index", BK_SEV_WARNING,
	  "a foreign key whose columns are not the leading columns of a valid index, on a "
	  "table the explained queries read",
	  "Deleting or updating a referenced row looks up the referencing rows; without an "
	  "index that is a sequential scan of the referencing table, holding locks.",
	  "Create an index on the foreign key columns: CREATE INDEX CONCURRENTLY ON t (cols);" },
	{ BK_PLAN_RULE_NEVER_ANALYZED, "table never analysed", BK_SEV_WARNING,
	  "no last_analyze and no last_autoanalyze in pg_stat_user_tables, or reltuples = -1 "
	  "(PostgreSQL 14+)",
	  "Without statistics the planner guesses row counts and value distributions, and "
	  "the plans judged here may not be the plans production gets.",
	  "ANALYZE the table (and make sure autovacuum runs)." },
	{ NULL, NULL, 0, NULL, NULL, NULL },
};

/* ---- shared predicates ---- */

/* Not fmax/fmin: the build does not link libm. */
static double max2(double a, double b)
{
	return a > b ? a : b;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

static int is_seq_scan(const json_t *n)
{
	return bk_plan_is(n, "Seq Scan") || bk_plan_is(n, "Parallel Seq Scan");
}

/* Large as in seq-scan-large-table; *rows gets the table's row count. */
static int large_scan(const struct bk_plan_ctx *ctx, const json_t *n, double *rows)
{
	double buffers = bk_plan_num(n, "Shared Hit Blocks", 0) +
			 bk_plan_num(n, "Shared Read Blocks", 0);

	*rows = bk_plan_rel_rows(ctx, n);
	return *rows >= LARGE_ROWS || buffers / max2(bk_plan_loops(n), 1) >= LARGE_BUFFERS;
}

static void scan_head(struct bk_buf *m, const struct bk_plan_ctx *ctx, const json_t *n)
{
	bk_buf_printf(m, "%s on ", bk_plan_str(n, "Node Type"));
	bk_plan_rel_name(m, ctx, n);
}

/* ---- checks ---- */

static void check_seq_scan(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const char *filter = bk_plan_str(v->node, "Filter");
	double rows;

	if (!is_seq_scan(v->node) || !large_scan(v->ctx, v->node, &rows))
		return;
	scan_head(&m, v->ctx, v->node);
	bk_buf_puts(&m, " reads ~");
	bk_plan_count(&m, rows);
	bk_buf_puts(&m, " rows");
	if (filter) {
		bk_buf_puts(&m, " to return ~");
		bk_plan_count(&m, bk_plan_rows(v->node, v->ctx->analyzed) /
				  max2(bk_plan_loops(v->node), 1));
		bk_buf_printf(&m, " through Filter %s", filter);
		bk_plan_index_fix(&fix, v->ctx, v->node, &filter, 1);
	} else {
		bk_buf_puts(&m, ", the whole table");
	}
	bk_plan_report(v, "seq-scan-large-table", &m, &fix);
}

static void check_filter_removes(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const char *filter = bk_plan_str(v->node, "Filter");
	const json_t *n = v->node;
	double kept, read;
	int actual = v->ctx->analyzed && json_object_get(n, "Actual Rows");

	if (!is_seq_scan(n) || !filter)
		return;
	if (actual) {
		kept = bk_plan_total(n, "Actual Rows");
		read = kept + bk_plan_total(n, "Rows Removed by Filter");
	} else {
		kept = bk_plan_num(n, "Plan Rows", 0);
		read = bk_plan_rel_rows(v->ctx, n);
		if (read < LARGE_ROWS)
			return;
	}
	if (read < MIN_READ_ROWS || (read - kept) / read <= MOST_REMOVED)
		return;
	scan_head(&m, v->ctx, n);
	bk_buf_printf(&m, actual ? " removed ~" : " is estimated to remove ~");
	bk_plan_count(&m, read - kept);
	bk_buf_puts(&m, " of ~");
	bk_plan_count(&m, read);
	bk_buf_printf(&m, " rows read (%.1f %%) with Filter %s", 100 * (read - kept) / read, filter);
	bk_plan_index_fix(&fix, v->ctx, n, &filter, 1);
	bk_plan_report(v, "filter-removes-most-rows", &m, &fix);
}

static void check_index_filter(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	const char *exprs[3];
	double removed = bk_plan_total(n, "Rows Removed by Filter");

	if (!bk_plan_is(n, "Index Scan") && !bk_plan_is(n, "Index Only Scan") &&
	    !bk_plan_is(n, "Bitmap Heap Scan"))
		return;
	if (removed <= INDEX_FILTER_REMOVED)
		return;
	scan_head(&m, v->ctx, n);
	bk_buf_puts(&m, " fetches ~");
	bk_plan_count(&m, removed + bk_plan_total(n, "Actual Rows"));
	bk_buf_puts(&m, " rows through the index and its Filter removes ~");
	bk_plan_count(&m, removed);
	bk_buf_printf(&m, ": %s", bk_plan_str(n, "Filter") ? bk_plan_str(n, "Filter") : "?");
	exprs[0] = bk_plan_str(n, "Filter");
	exprs[1] = bk_plan_str(n, "Index Cond");
	exprs[2] = bk_plan_str(n, "Recheck Cond");
	bk_plan_index_fix(&fix, v->ctx, n, exprs, 3);
	bk_plan_report(v, "index-filter-removes-rows", &m, &fix);
}

/* Incremental Sort reports its groups' sorts in objects of their own. */
static int incremental_sort_spilled(const json_t *n)
{
	static const char *const groups[] = { "Full-sort Groups", "Pre-sorted Groups" };

	for (size_t i = 0; i < 2; i++) {
		const json_t *disk = json_object_get(json_object_get(n, groups[i]), "Sort Space Disk");
		if (bk_plan_num(disk, "Peak Sort Space Used", 0) > 0)
			return 1;
	}
	return 0;
}

static void sort_keys(struct bk_buf *b, const json_t *n)
{
	const json_t *keys = json_object_get(n, "Sort Key");

	for (size_t i = 0; i < json_array_size(keys); i++) {
		const char *k = json_string_value(json_array_get(keys, i));
		bk_buf_printf(b, "%s%s", i ? ", " : "", k ? k : "?");
	}
}

static void check_sort_spill(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	const char *method = bk_plan_str(n, "Sort Method");
	const char *space = bk_plan_str(n, "Sort Space Type");
	int spilled = (space && !strcmp(space, "Disk")) ||
		      (method && !strncmp(method, "external", 8));

	if (!bk_plan_is(n, "Sort") && !bk_plan_is(n, "Incremental Sort"))
		return;
	if (!spilled && !incremental_sort_spilled(n))
		return;
	bk_buf_printf(&m, "%s of ~", bk_plan_str(n, "Node Type"));
	bk_plan_count(&m, bk_plan_rows(n, v->ctx->analyzed));
	bk_buf_printf(&m, " rows spills to disk (%s", method ? method : "incremental");
	if (json_object_get(n, "Sort Space Used")) {
		bk_buf_puts(&m, ", ");
		bk_plan_count(&m, bk_plan_num(n, "Sort Space Used", 0));
		bk_buf_puts(&m, " kB");
	}
	bk_buf_puts(&m, ")");
	bk_buf_puts(&fix, "raise work_mem for this query or add an index matching ORDER BY (");
	sort_keys(&fix, n);
	bk_buf_puts(&fix, ")");
	bk_plan_report(v, "sort-spill", &m, &fix);
}

static void check_hash_spill(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	double batches = bk_plan_num(n, "Hash Batches", 1);
	double planned = bk_plan_num(n, "Original Hash Batches", batches);

	if (!bk_plan_is(n, "Hash") || batches <= 1)
		return;
	bk_buf_puts(&m, "Hash of ~");
	bk_plan_count(&m, bk_plan_rows(n, v->ctx->analyzed));
	bk_buf_printf(&m, " rows spills to disk in %.0f batches", batches);
	if (planned < batches)
		bk_buf_printf(&m, " (planned for %.0f: the input was underestimated)", planned);
	bk_buf_puts(&fix, "raise work_mem for this query (the hash needed ");
	bk_plan_count(&fix, bk_plan_num(n, "Peak Memory Usage", 0) * batches);
	bk_buf_puts(&fix, " kB or so), or hash a smaller, narrower input");
	bk_plan_report(v, "hash-spill", &m, &fix);
}

static void check_hashagg_spill(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	double batches = bk_plan_num(n, "HashAgg Batches", 0);
	double disk = bk_plan_num(n, "Disk Usage", 0);

	if (!bk_plan_is(n, "Aggregate") || (batches <= 1 && disk <= 0))
		return;
	bk_buf_puts(&m, "hash aggregate of ~");
	bk_plan_count(&m, bk_plan_rows(n, v->ctx->analyzed));
	bk_buf_printf(&m, " groups spills to disk (%.0f batches, ", batches);
	bk_plan_count(&m, disk);
	bk_buf_puts(&m, " kB written)");
	bk_plan_report(v, "hashagg-spill", &m, &fix);
}

/* The inner child of a join, looking through Materialize and Memoize. */
static const json_t *inner_scan(const json_t *join)
{
	const json_t *c = NULL, *p;

	for (size_t i = 0; (p = bk_plan_child(join, i)); i++) {
		const char *rel = bk_plan_str(p, "Parent Relationship");
		if (rel && !strcmp(rel, "Inner"))
			c = p;
	}
	while (c && (bk_plan_is(c, "Materialize") || bk_plan_is(c, "Memoize")))
		c = bk_plan_child(c, 0);
	return c;
}

static void check_nested_loop(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *in = bk_plan_is(v->node, "Nested Loop") ? inner_scan(v->node) : NULL;
	const char *exprs[2];
	double rows, outer;

	if (!in || !is_seq_scan(in) || !large_scan(v->ctx, in, &rows))
		return;
	/*
	 * A single actual loop is no rescan (seq-scan-large-table tells), but
	 * an estimate of one outer row is what typically goes wrong.
	 */
	if (v->ctx->analyzed && json_object_get(in, "Actual Loops")) {
		outer = bk_plan_loops(in);
		if (outer < 2)
			return;
	} else {
		outer = bk_plan_num(bk_plan_input(v->node), "Plan Rows", 0);
	}
	bk_buf_puts(&m, "Nested Loop runs a Seq Scan on ");
	bk_plan_rel_name(&m, v->ctx, in);
	bk_buf_puts(&m, " (~");
	bk_plan_count(&m, rows);
	bk_buf_puts(&m, " rows) once per outer row (~");
	bk_plan_count(&m, outer);
	bk_buf_puts(&m, v->ctx->analyzed && json_object_get(in, "Actual Loops") ? " loops)" :
		    " estimated)");
	exprs[0] = bk_plan_str(v->node, "Join Filter");
	exprs[1] = bk_plan_str(in, "Filter");
	bk_plan_index_fix(&fix, v->ctx, in, exprs, 2);
	bk_plan_report(v, "nested-loop-inner-seq-scan", &m, &fix);
}

/* Estimate error factor, >0 for under- and <0 for overestimates, 0: fine. */
static double misestimate(const json_t *n)
{
	double a, p, hi, lo;

	if (!json_object_get(n, "Actual Rows") || bk_plan_num(n, "Actual Loops", 0) <= 0)
		return 0;
	a = bk_plan_total(n, "Actual Rows");
	p = bk_plan_num(n, "Plan Rows", 0) * bk_plan_loops(n);
	hi = max2(a, p);
	lo = max2(min2(a, p), 1);
	if (hi < MISESTIMATE_MIN_ROWS || hi / lo < MISESTIMATE_FACTOR)
		return 0;
	return a > p ? hi / lo : -hi / lo;
}

static void check_misestimate(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node, *c;
	double f;

	if (!v->ctx->analyzed || v->under_limit || bk_plan_is(n, "Limit") || !(f = misestimate(n)))
		return;
	/* report where the error starts, not on every node it propagates to */
	for (size_t i = 0; (c = bk_plan_child(n, i)); i++)
		if (misestimate(c) * f > 0)
			return;
	bk_buf_printf(&m, "%s estimated ~", bk_plan_str(n, "Node Type"));
	bk_plan_count(&m, bk_plan_num(n, "Plan Rows", 0) * bk_plan_loops(n));
	bk_buf_puts(&m, " rows, got ~");
	bk_plan_count(&m, bk_plan_total(n, "Actual Rows"));
	bk_buf_printf(&m, " (%.0fx %s)", f > 0 ? f : -f, f > 0 ? "under" : "over");
	if (bk_plan_str(n, "Relation Name")) {
		bk_buf_puts(&fix, "ANALYZE ");
		bk_plan_rel_name(&fix, v->ctx, n);
		bk_buf_puts(&fix, "; if the conditions combine correlated columns, CREATE "
			    "STATISTICS ... (dependencies, mcv) ON those columns");
	}
	bk_plan_report(v, "row-misestimate", &m, &fix);
}

static void check_lossy(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	double lossy = bk_plan_num(n, "Lossy Heap Blocks", 0);

	if (lossy <= 0)
		return;
	scan_head(&m, v->ctx, n);
	bk_buf_puts(&m, ": ~");
	bk_plan_count(&m, lossy);
	bk_buf_puts(&m, " of ~");
	bk_plan_count(&m, lossy + bk_plan_num(n, "Exact Heap Blocks", 0));
	bk_buf_puts(&m, " heap blocks lossy, recheck removed ~");
	bk_plan_count(&m, bk_plan_total(n, "Rows Removed by Index Recheck"));
	bk_buf_puts(&m, " rows");
	bk_plan_report(v, "lossy-bitmap", &m, &fix);
}

static void check_heap_fetches(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	double fetches = bk_plan_num(n, "Heap Fetches", 0);  /* a total, not per loop */

	if (!bk_plan_is(n, "Index Only Scan") || fetches <= 0)
		return;
	scan_head(&m, v->ctx, n);
	bk_buf_puts(&m, " made ~");
	bk_plan_count(&m, fetches);
	bk_buf_puts(&m, " heap fetches for ~");
	bk_plan_count(&m, bk_plan_total(n, "Actual Rows"));
	bk_buf_puts(&m, " rows: the visibility map is stale");
	bk_buf_puts(&fix, "VACUUM ");
	bk_plan_rel_name(&fix, v->ctx, n);
	bk_plan_report(v, "index-only-heap-fetches", &m, &fix);
}

static void check_offset(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node, *in = bk_plan_input(n);
	double skipped = 0;

	if (!bk_plan_is(n, "Limit"))
		return;
	if (v->ctx->analyzed && in && json_object_get(in, "Actual Rows"))
		skipped = bk_plan_total(in, "Actual Rows") - bk_plan_total(n, "Actual Rows");
	if (skipped < LARGE_OFFSET && !v->under_limit && v->ctx->sql_offset >= LARGE_OFFSET)
		skipped = (double)v->ctx->sql_offset;
	if (skipped < LARGE_OFFSET)
		return;
	bk_buf_puts(&m, "Limit skips ~");
	bk_plan_count(&m, skipped);
	bk_buf_puts(&m, " rows (OFFSET) to return ~");
	bk_plan_count(&m, bk_plan_rows(n, v->ctx->analyzed));
	bk_plan_report(v, "large-offset", &m, &fix);
}

static void check_no_limit(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	const char *strategy = bk_plan_str(n, "Strategy");
	double rows = bk_plan_rows(n, v->ctx->analyzed);

	if (v->parent || bk_plan_is(n, "Limit") || bk_plan_is(n, "ModifyTable") ||
	    (bk_plan_is(n, "Aggregate") && strategy && !strcmp(strategy, "Plain")))
		return;
	if (rows <= LARGE_RESULT)
		return;
	bk_buf_printf(&m, "query returns ~");
	bk_plan_count(&m, rows);
	bk_buf_printf(&m, " rows%s without a LIMIT", v->ctx->analyzed ? "" : " (estimated)");
	bk_plan_report(v, "no-limit-large-result", &m, &fix);
}

static void check_no_index(const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const char *filter = bk_plan_str(v->node, "Filter");

	/* An index scan with no Index Cond reads the whole index: a scan in disguise. */
	int whole_index = !is_seq_scan(v->node) && bk_plan_str(v->node, "Index Name") &&
			  !bk_plan_str(v->node, "Index Cond");
	if ((!is_seq_scan(v->node) && !whole_index) || !filter)
		return;
	scan_head(&m, v->ctx, v->node);
	bk_buf_puts(&m, " (~");
	bk_plan_count(&m, bk_plan_rel_rows(v->ctx, v->node));
	bk_buf_printf(&m, " rows) %s with enable_seqscan = off: no index can serve the "
		      "filter %s", whole_index ? "reads the whole index" : "stays", filter);
	bk_plan_index_fix(&fix, v->ctx, v->node, &filter, 1);
	bk_plan_report(v, BK_PLAN_RULE_NO_INDEX, &m, &fix);
}

const struct bk_plan_check bk_plan_checks[] = {
	{ "seq-scan-large-table", check_seq_scan },
	{ "filter-removes-most-rows", check_filter_removes },
	{ "index-filter-removes-rows", check_index_filter },
	{ "sort-spill", check_sort_spill },
	{ "hash-spill", check_hash_spill },
	{ "hashagg-spill", check_hashagg_spill },
	{ "nested-loop-inner-seq-scan", check_nested_loop },
	{ "row-misestimate", check_misestimate },
	{ "lossy-bitmap", check_lossy },
	{ "index-only-heap-fetches", check_heap_fetches },
	{ "large-offset", check_offset },
	{ "no-limit-large-result", check_no_limit },
	{ BK_PLAN_RULE_NO_INDEX, check_no_index },
	{ NULL, NULL },
};

/* ---- catalog queries ---- */

const char bk_plan_sql_unindexed_fks[] =
	"SELECT n.nspname AS schema, t.relname AS \"table\", c.conname AS \"constraint\",\n"
	"  (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)\n"
	"     FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, i)\n"
	"     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,\n"
	"  c.confrelid::regclass::text AS referenced_table\n"
	"FROM pg_constraint c\n"
	"JOIN pg_class t ON t.oid = c.conrelid\n"
	"JOIN pg_namespace n ON n.oid = t.relnamespace\n"
	"WHERE c.contype = 'f'\n"
	"  AND n.nspname NOT IN ('pg_catalog', 'information_schema')\n"
	"  AND NOT EXISTS (\n"
	"    SELECT 1 FROM pg_index i\n"
	"    WHERE i.indrelid = c.conrelid AND i.indisvalid\n"
	"      AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey\n"
	"      AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)\n"
	"ORDER BY 1, 2, 3";

/* reltuples is -1 on PostgreSQL 14+ for a table never vacuumed or analysed. */
const char bk_plan_sql_rel_stats[] =
	"SELECT n.nspname AS schema, c.relname AS name,\n"
	"  c.reltuples::float8::text AS reltuples,\n"
	"  (s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL)::text AS analyzed\n"
	"FROM pg_class c\n"
	"JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid\n"
	"WHERE c.relkind IN ('r', 'p', 'm', 'f')\n"
	"  AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS k(key)\n"
	"    WHERE k.key = n.nspname || '.' || c.relname\n"
	"       OR (k.key IN ('.' || c.relname, c.relname) AND pg_table_is_visible(c.oid)))\n"
	"ORDER BY 1, 2";
