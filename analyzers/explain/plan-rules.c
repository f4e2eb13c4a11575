/*
 * The rules of bkgen explain, one row each in bk_plan_rules at the end of
 * this file: what users see (id, title, severity, threshold, rationale,
 * advice), the numbers the rule compares with, and for the rules judged
 * from a plan the check that looks at a single node. Adding a plan rule is
 * a check function here, its row, and its cases under
 * tests/explain/cases/RULE/.
 *
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
#include "explain/explain.h"

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

/* Large by lim's rows or buffers; *rows gets the table's row count. */
static int large_scan(const struct bk_plan_limits *lim, const struct bk_plan_ctx *ctx,
		      const json_t *n, double *rows)
{
	double buffers = bk_plan_num(n, "Shared Hit Blocks", 0) +
			 bk_plan_num(n, "Shared Read Blocks", 0);

	*rows = bk_plan_rel_rows(ctx, n);
	return *rows >= lim->rows || buffers / max2(bk_plan_loops(n), 1) >= lim->buffers;
}

static void scan_head(struct bk_buf *m, const struct bk_plan_ctx *ctx, const json_t *n)
{
	bk_buf_printf(m, "%s on ", bk_plan_str(n, "Node Type"));
	bk_plan_rel_name(m, ctx, n);
}

/* ---- checks ---- */

static void check_seq_scan(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const char *filter = bk_plan_str(v->node, "Filter");
	double rows;

	if (!is_seq_scan(v->node) || !large_scan(&r->limits, v->ctx, v->node, &rows))
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_filter_removes(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
		if (read < r->limits.rows)
			return;
	}
	if (read < r->limits.min_rows || (read - kept) / read <= r->limits.share)
		return;
	scan_head(&m, v->ctx, n);
	bk_buf_printf(&m, actual ? " removed ~" : " is estimated to remove ~");
	bk_plan_count(&m, read - kept);
	bk_buf_puts(&m, " of ~");
	bk_plan_count(&m, read);
	bk_buf_printf(&m, " rows read (%.1f %%) with Filter %s", 100 * (read - kept) / read, filter);
	bk_plan_index_fix(&fix, v->ctx, n, &filter, 1);
	bk_plan_report(v, r, &m, &fix);
}

static void check_index_filter(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	const char *exprs[3];
	double removed = bk_plan_total(n, "Rows Removed by Filter");

	if (!bk_plan_is(n, "Index Scan") && !bk_plan_is(n, "Index Only Scan") &&
	    !bk_plan_is(n, "Bitmap Heap Scan"))
		return;
	if (removed <= r->limits.rows)
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
	bk_plan_report(v, r, &m, &fix);
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

static void check_sort_spill(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_hash_spill(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_hashagg_spill(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
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

static void check_nested_loop(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *in = bk_plan_is(v->node, "Nested Loop") ? inner_scan(v->node) : NULL;
	const char *exprs[2];
	double rows, outer;

	if (!in || !is_seq_scan(in) || !large_scan(&r->limits, v->ctx, in, &rows))
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
	bk_plan_report(v, r, &m, &fix);
}

/* Estimate error factor, >0 for under- and <0 for overestimates, 0: fine. */
static double misestimate(const struct bk_plan_limits *lim, const json_t *n)
{
	double a, p, hi, lo;

	if (!json_object_get(n, "Actual Rows") || bk_plan_num(n, "Actual Loops", 0) <= 0)
		return 0;
	a = bk_plan_total(n, "Actual Rows");
	p = bk_plan_num(n, "Plan Rows", 0) * bk_plan_loops(n);
	hi = max2(a, p);
	lo = max2(min2(a, p), 1);
	if (hi < lim->min_rows || hi / lo < lim->factor)
		return 0;
	return a > p ? hi / lo : -hi / lo;
}

static void check_misestimate(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node, *c;
	double f;

	if (!v->ctx->analyzed || v->under_limit || bk_plan_is(n, "Limit") ||
	    !(f = misestimate(&r->limits, n)))
		return;
	/* report where the error starts, not on every node it propagates to */
	for (size_t i = 0; (c = bk_plan_child(n, i)); i++)
		if (misestimate(&r->limits, c) * f > 0)
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_lossy(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_heap_fetches(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
}

static void check_offset(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node, *in = bk_plan_input(n);
	double skipped = 0;

	if (!bk_plan_is(n, "Limit"))
		return;
	if (v->ctx->analyzed && in && json_object_get(in, "Actual Rows"))
		skipped = bk_plan_total(in, "Actual Rows") - bk_plan_total(n, "Actual Rows");
	if (skipped < r->limits.rows && !v->under_limit && v->ctx->sql_offset >= r->limits.rows)
		skipped = (double)v->ctx->sql_offset;
	if (skipped < r->limits.rows)
		return;
	bk_buf_puts(&m, "Limit skips ~");
	bk_plan_count(&m, skipped);
	bk_buf_puts(&m, " rows (OFFSET) to return ~");
	bk_plan_count(&m, bk_plan_rows(n, v->ctx->analyzed));
	bk_plan_report(v, r, &m, &fix);
}

static void check_no_limit(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
{
	struct bk_buf m = BK_BUF_INIT, fix = BK_BUF_INIT;
	const json_t *n = v->node;
	const char *strategy = bk_plan_str(n, "Strategy");
	double rows = bk_plan_rows(n, v->ctx->analyzed);

	if (v->parent || bk_plan_is(n, "Limit") || bk_plan_is(n, "ModifyTable") ||
	    (bk_plan_is(n, "Aggregate") && strategy && !strcmp(strategy, "Plain")))
		return;
	if (rows <= r->limits.rows)
		return;
	bk_buf_printf(&m, "query returns ~");
	bk_plan_count(&m, rows);
	bk_buf_printf(&m, " rows%s without a LIMIT", v->ctx->analyzed ? "" : " (estimated)");
	bk_plan_report(v, r, &m, &fix);
}

static void check_no_index(const struct bk_plan_rule *r, const struct bk_plan_visit *v)
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
	bk_plan_report(v, r, &m, &fix);
}

const struct bk_plan_rule bk_plan_rules[] = {
	{ .id = "seq-scan-large-table", .title = "sequential scan of a large table",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .limits = { .rows = 10000, .buffers = 50 },
	  .threshold = ">= {rows} rows in the table (reltuples, else the scan's own row "
		"counts), or >= {buffers} shared buffers hit+read per loop (ANALYZE with "
		"BUFFERS)",
	  .rationale = "A Seq Scan reads every row of the table; its cost grows with the "
		"table, not with the result, so a query that is fast on a test database slows "
		"down as data grows.",
	  .fix = "Add an index that serves the WHERE clause (the suggested columns come from "
		"the filter), or limit what the query reads.",
	  .check = check_seq_scan },
	{ .id = "filter-removes-most-rows", .title = "scan filter discards most rows",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .limits = { .share = 0.9, .min_rows = 1000, .rows = 10000 },
	  .threshold = "> {share} of the rows read removed by the Filter of a Seq Scan "
		"reading >= {min_rows} rows (ANALYZE: Rows Removed by Filter vs Actual Rows, "
		"times loops); without ANALYZE: > {share} estimated to be removed (Plan Rows "
		"vs the table's rows) from a table of >= {rows} rows",
	  .rationale = "Reading rows only to throw them away costs I/O and CPU in proportion "
		"to the table; a selective filter is what an index is for.",
	  .fix = "Create an index on the filtered columns (equality columns first, then one "
		"range column).",
	  .check = check_filter_removes },
	{ .id = "index-filter-removes-rows", .title = "index scan filters out many rows",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .limits = { .rows = 100 },
	  .threshold = "Index Scan, Index Only Scan or Bitmap Heap Scan with > {rows} Rows "
		"Removed by Filter (times loops; needs ANALYZE)",
	  .rationale = "The index finds candidate rows but part of the WHERE clause is "
		"checked afterwards on the heap; every removed row was fetched for nothing.",
	  .fix = "Extend the index with the filtered columns, or create one that matches the "
		"whole condition.",
	  .check = check_index_filter },
	{ .id = "sort-spill", .title = "sort spills to disk",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .threshold = "Sort or Incremental Sort with Sort Space Type Disk or an external "
		"Sort Method (needs ANALYZE)",
	  .rationale = "The sort did not fit in work_mem and wrote temporary files, which is "
		"much slower than sorting in memory.",
	  .fix = "Raise work_mem for this query, sort fewer or narrower rows, or add an index "
		"that returns the rows in ORDER BY order.",
	  .check = check_sort_spill },
	{ .id = "hash-spill", .title = "hash join spills to disk",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .threshold = "Hash with Hash Batches > 1 (needs ANALYZE)",
	  .rationale = "The hash table of the inner side did not fit in work_mem (times "
		"hash_mem_multiplier) and was split into batches written to temporary files.",
	  .fix = "Raise work_mem for this query, hash the smaller input, or select fewer "
		"columns from the hashed side.",
	  .check = check_hash_spill },
	{ .id = "hashagg-spill", .title = "hash aggregate spills to disk",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .threshold = "Aggregate with HashAgg Batches > 1 or Disk Usage > 0 (PostgreSQL 13+, "
		"needs ANALYZE)",
	  .rationale = "The groups did not fit in memory, so the aggregate wrote partitions "
		"to temporary files and read them back.",
	  .fix = "Raise work_mem for this query, or aggregate fewer groups (filter first).",
	  .check = check_hashagg_spill },
	{ .id = "nested-loop-inner-seq-scan", .title = "nested loop rescans a large table",
	  .severity = BK_SEV_ERROR, .source = BK_PLAN_NODE,
	  .limits = { .rows = 10000, .buffers = 50 },
	  .threshold = "Nested Loop whose inner side (through Materialize/Memoize) is a Seq "
		"Scan of a table of >= {rows} rows or >= {buffers} shared buffers per loop "
		"(as for seq-scan-large-table); with ANALYZE only when it ran >= 2 loops",
	  .rationale = "The inner side of a nested loop runs once per outer row; a sequential "
		"scan there reads the whole table again for every outer row.",
	  .fix = "Index the join column of the inner table so each loop is an index lookup.",
	  .check = check_nested_loop },
	{ .id = "row-misestimate", .title = "row estimate off by {factor}x or more",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .limits = { .factor = 10, .min_rows = 100 },
	  .threshold = "max(actual, estimated) / max(min(actual, estimated), 1) >= {factor}, "
		"both times loops, ignoring nodes with fewer than {min_rows} rows either way "
		"and nodes under a Limit; reported where it starts, not on every node above "
		"(needs ANALYZE)",
	  .rationale = "The planner chose this plan for the estimated row counts; when they "
		"are off by an order of magnitude the join methods and orders it picked are "
		"likely wrong.",
	  .fix = "ANALYZE the tables; for correlated columns create extended statistics "
		"(CREATE STATISTICS ... ON a, b FROM t); raise the column's statistics target "
		"for skewed data.",
	  .check = check_misestimate },
	{ .id = "lossy-bitmap", .title = "bitmap scan became lossy",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .threshold = "Bitmap Heap Scan with Lossy Heap Blocks > 0 (needs ANALYZE)",
	  .rationale = "The bitmap outgrew work_mem and keeps whole pages instead of rows, so "
		"every row of those pages is rechecked against the condition.",
	  .fix = "Raise work_mem for this query, or make the condition more selective.",
	  .check = check_lossy },
	{ .id = "index-only-heap-fetches", .title = "index-only scan visits the heap",
	  .severity = BK_SEV_INFO, .source = BK_PLAN_NODE,
	  .threshold = "Index Only Scan with Heap Fetches > 0 (needs ANALYZE)",
	  .rationale = "An index-only scan avoids the table only for pages the visibility map "
		"marks all-visible; after updates it fetches rows from the heap like an index "
		"scan.",
	  .fix = "VACUUM the table (and check that autovacuum keeps up with it).",
	  .check = check_heap_fetches },
	{ .id = "large-offset", .title = "large OFFSET",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE,
	  .limits = { .rows = 1000 },
	  .threshold = "OFFSET >= {rows} in the SQL text, or (ANALYZE) a Limit whose input "
		"returned >= {rows} more rows than the Limit",
	  .rationale = "OFFSET rows are produced and thrown away: page N of a listing costs "
		"as much as reading all pages before it.",
	  .fix = "Use keyset pagination: WHERE (sort columns) > (last row's values) ORDER BY "
		"... LIMIT n.",
	  .check = check_offset },
	{ .id = "no-limit-large-result", .title = "large result without LIMIT",
	  .severity = BK_SEV_INFO, .source = BK_PLAN_NODE,
	  .limits = { .rows = 10000 },
	  .threshold = "top node not a Limit, ModifyTable or plain Aggregate, returning > "
		"{rows} rows (actual with ANALYZE, else estimated)",
	  .rationale = "Returning tens of thousands of rows to the application costs transfer "
		"and memory and is rarely what a request needs.",
	  .fix = "Add a LIMIT with keyset pagination, or aggregate in SQL.",
	  .check = check_no_limit },
	{ .id = BK_PLAN_RULE_NO_INDEX, .title = "no index can serve this filter",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_NODE_SEQSCAN_OFF,
	  .threshold = "a Seq Scan with a Filter remains in the plan made with enable_seqscan "
		"= off",
	  .rationale = "With sequential scans penalised the planner takes any usable index; a "
		"Seq Scan that stays means no index matches the filter, so the query reads "
		"the whole table once the table grows.",
	  .fix = "Create an index on the filtered columns.",
	  .check = check_no_index },
	{ .id = BK_PLAN_RULE_FK_NO_INDEX, .title = "foreign key without an index",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_CATALOG,
	  .threshold = "a foreign key whose columns are not the leading columns of a valid "
		"index, on a table the explained queries read",
	  .rationale = "Deleting or updating a referenced row looks up the referencing rows; "
		"without an index that is a sequential scan of the referencing table, holding "
		"locks.",
	  .fix = "Create an index on the foreign key columns: CREATE INDEX CONCURRENTLY ON "
		"t (cols);" },
	{ .id = BK_PLAN_RULE_NEVER_ANALYZED, .title = "table never analysed",
	  .severity = BK_SEV_WARNING, .source = BK_PLAN_CATALOG,
	  .threshold = "no last_analyze and no last_autoanalyze in pg_stat_user_tables, or "
		"reltuples = -1 (PostgreSQL 14+)",
	  .rationale = "Without statistics the planner guesses row counts and value "
		"distributions, and the plans judged here may not be the plans production "
		"gets.",
	  .fix = "ANALYZE the table (and make sure autovacuum runs)." },
	{ .id = BK_EXPLAIN_RULE_DYNAMIC, .title = "SQL built at run time, not explained",
	  .severity = BK_SEV_INFO, .source = BK_PLAN_STATEMENT,
	  .threshold = "a query call whose SQL text is concatenated, formatted or "
		"interpolated from non-literals",
	  .rationale = "The text of the statement is only known at run time, so it cannot be "
		"planned ahead; it may also be open to SQL injection when the pieces come "
		"from input.",
	  .fix = "Pass values as bind parameters ($1, %s, ?, @name) and keep the SQL text a "
		"literal." },
	{ .id = BK_EXPLAIN_RULE_ERROR, .title = "SQL the database refuses to plan",
	  .severity = BK_SEV_ERROR, .source = BK_PLAN_STATEMENT,
	  .threshold = "the server returns an error for PREPARE or EXPLAIN",
	  .rationale = "A statement that does not parse or names a table or column that does "
		"not exist fails at run time; found here, it fails before it ships.",
	  .fix = "Fix the statement, or apply the migration that creates what it uses." },
	{ .id = NULL },
};

/* ---- the texts ---- */

static int name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !strncmp(name, want, len);
}

/* The limit called name (len bytes), as the texts show it. */
static void put_limit(struct bk_buf *out, const struct bk_plan_limits *lim, const char *name,
		      size_t len)
{
	if (name_is(name, len, "rows"))
		bk_plan_count(out, lim->rows);
	else if (name_is(name, len, "buffers"))
		bk_plan_count(out, lim->buffers);
	else if (name_is(name, len, "min_rows"))
		bk_plan_count(out, lim->min_rows);
	else if (name_is(name, len, "share"))
		bk_buf_printf(out, "%g %%", lim->share * 100);
	else if (name_is(name, len, "factor"))
		bk_buf_printf(out, "%g", lim->factor);
	else
		bk_buf_printf(out, "{%.*s}", (int)len, name);
}

void bk_plan_rule_text(struct bk_buf *out, const struct bk_plan_rule *rule, const char *text)
{
	const char *open, *close;

	while ((open = strchr(text, '{')) && (close = strchr(open, '}'))) {
		bk_buf_add(out, text, (size_t)(open - text));
		put_limit(out, &rule->limits, open + 1, (size_t)(close - open - 1));
		text = close + 1;
	}
	bk_buf_puts(out, text);
}

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
