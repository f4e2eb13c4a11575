/* bk_plan_judge and friends on hand-written plans: one behaviour each. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "explain/plan-int.h"
#include "base/util.h"

static const struct bk_rel_stats big_t[] = {
	{ "public", "t", 1000000, 1 },
};

static struct bk_plan_ctx ctx_for(int analyzed, int seqscan_off)
{
	struct bk_plan_ctx c = { .analyzed = analyzed, .seqscan_off = seqscan_off,
				  .rels = big_t, .rels_nr = 1, .sql_offset = -1 };
	return c;
}

/*
 * Judge json afresh into f (what f held before is released, so findings
 * never pile up across calls) and return the finding for id, or NULL.
 */
static const struct bk_plan_finding *judge_find(const char *json, const struct bk_plan_ctx *ctx,
						struct bk_plan_findings *f, const char *id)
{
	struct bk_err err = { 0 };
	struct bk_plan *plan;

	bk_plan_findings_release(f);
	cr_assert_eq(bk_plan_load(&plan, json, &err), 0, "%s", err.msg);
	bk_plan_judge(plan, ctx, f);
	bk_plan_free(plan);
	for (size_t i = 0; i < f->nr; i++)
		if (!strcmp(f->v[i].rule_id, id))
			return &f->v[i];
	return NULL;
}

#define SEQ_T(filter, rows) \
	"{\"Node Type\": \"Seq Scan\", \"Relation Name\": \"t\", \"Alias\": \"t\", " \
	"\"Plan Rows\": " rows ", \"Total Cost\": 20834, \"Filter\": \"" filter "\"}"

Test(plan, fractional_actual_rows_are_multiplied_by_loops)
{
	const char *json = "[{\"Plan\": {\"Node Type\": \"Index Scan\", \"Relation Name\": \"t\","
			   " \"Plan Rows\": 1, \"Actual Rows\": 20.5, \"Actual Loops\": 1000}}]";
	struct bk_plan_ctx ctx = ctx_for(1, 0);
	struct bk_plan_findings f = { 0 };
	const struct bk_plan_finding *p = judge_find(json, &ctx, &f, "no-limit-large-result");

	cr_assert(p, "20.5 rows x 1000 loops is a large result");
	cr_expect(strstr(p->message, "20,500"), "%s", p->message);
	cr_expect(strstr(p->node, "actual rows=20.50 loops=1000"), "%s", p->node);
	bk_plan_findings_release(&f);
}

Test(plan, unknown_and_missing_fields_are_tolerated)
{
	const char *json = "[{\"Plan\": {\"Node Type\": \"Frobnicate\", \"Index Searches\": 3,"
			   " \"Future\": {\"x\": [1, 2]}, \"Plans\": [{\"Node Type\": \"Seq Scan\","
			   " \"Relation Name\": \"t\", \"Disabled\": true}]}, \"Planning\": {}}]";
	struct bk_plan_ctx ctx = ctx_for(1, 0);
	struct bk_plan_findings f = { 0 };
	const struct bk_plan_finding *p = judge_find(json, &ctx, &f, "seq-scan-large-table");

	cr_assert(p);
	cr_expect(strstr(p->node, "Seq Scan on public.t (rows=0"), "%s", p->node);
	cr_expect(strstr(p->node, "disabled"), "%s", p->node);
	bk_plan_findings_release(&f);
}

static int index_filter_fires(const char *loops)
{
	struct bk_buf json = BK_BUF_INIT;
	struct bk_plan_ctx ctx = ctx_for(1, 0);
	struct bk_plan_findings f = { 0 };
	int hit;

	bk_buf_printf(&json, "[{\"Plan\": {\"Node Type\": \"Index Scan\", \"Relation Name\": \"t\","
		      " \"Plan Rows\": 1, \"Actual Rows\": 1, \"Actual Loops\": %s,"
		      " \"Index Cond\": \"(r = 5)\", \"Filter\": \"(cat = 3)\","
		      " \"Rows Removed by Filter\": 2}}]", loops);
	hit = !!judge_find(json.ptr, &ctx, &f, "index-filter-removes-rows");
	if (hit)
		cr_expect_str_eq(f.v[0].fix, "CREATE INDEX CONCURRENTLY ON public.t (cat, r);");
	bk_plan_findings_release(&f);
	bk_buf_release(&json);
	return hit;
}

Test(plan, removed_rows_count_every_loop)
{
	cr_expect(index_filter_fires("60"), "2 removed x 60 loops = 120 > 100");
	cr_expect(!index_filter_fires("40"), "2 removed x 40 loops = 80 <= 100");
}

static void expect_columns(const char *alias, const char *expr, const char *want)
{
	struct bk_buf cols = BK_BUF_INIT;
	const char *exprs[] = { expr };

	bk_plan_index_columns(&cols, alias, exprs, 1);
	cr_expect_str_eq(cols.ptr, want, "%s", expr);
	bk_buf_release(&cols);
}

Test(plan, index_columns_from_condition_texts)
{
	expect_columns(NULL, "(col = $1)", "col");
	expect_columns(NULL, "((col)::text = 'x'::text)", "col");
	expect_columns(NULL, "((a = $1) AND (b > $2))", "a, b");
	expect_columns(NULL, "((b > $2) AND (a = $1))", "a, b");
	expect_columns(NULL, "((b > 1) AND (c < 2) AND (a = 3))", "a, b");
	expect_columns(NULL, "((cat = 5) AND ((id % 100) = 5))", "cat");
	expect_columns(NULL, "(($1)::integer = id)", "id");
	expect_columns(NULL, "(status = ANY ('{a,b}'::text[]))", "status");
	expect_columns(NULL, "((name)::text = 'it''s (x)'::text)", "name");
	expect_columns(NULL, "((a = 1) OR (b = 2))", "");
	expect_columns(NULL, "(lower(email) = 'x'::text)", "");
	expect_columns(NULL, "(\"Mixed\" = 1)", "\"Mixed\"");
	expect_columns("t", "(t.cat = b.bid)", "cat");
	expect_columns("t", "(b.bid = t.cat)", "cat");
	expect_columns("a", "(b.bid = c.bid)", "");
}

Test(plan, seqscan_off_judges_only_no_index)
{
	const char *json = "[{\"Plan\": " SEQ_T("(cat = 5)", "10000") "}]";
	struct bk_plan_ctx on = ctx_for(0, 0), off = ctx_for(0, 1);
	struct bk_plan_findings f = { 0 }, g = { 0 };
	const struct bk_plan_finding *p;

	cr_expect(judge_find(json, &on, &f, "seq-scan-large-table"));
	cr_expect(!judge_find(json, &on, &f, BK_PLAN_RULE_NO_INDEX));
	p = judge_find(json, &off, &g, BK_PLAN_RULE_NO_INDEX);
	cr_assert(p);
	cr_expect_eq(g.nr, 1, "only no-index-for-filter with seqscan_off");
	cr_expect_str_eq(p->fix, "CREATE INDEX CONCURRENTLY ON public.t (cat);");
	bk_plan_findings_release(&f);
	bk_plan_findings_release(&g);
}

Test(plan, invalid_plans_are_errors)
{
	static const char *const bad[] = { "", "[{\"Plan\": ", "[1, 2]", "{\"Plan\": 3}", "[]" };
	static char not_a_plan; /* a non-NULL start value: load must clear it */

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bk_plan *plan = (struct bk_plan *)&not_a_plan;
		struct bk_err err = { 0 };
		cr_expect_eq(bk_plan_load(&plan, bad[i], &err), BK_EIO, "'%s'", bad[i]);
		cr_expect(*err.msg, "'%s' without a message", bad[i]);
		cr_expect_null(plan, "'%s': no plan after an error", bad[i]);
	}
}

Test(plan, subplans_and_initplans_are_judged)
{
	const char *json = "[{\"Plan\": {\"Node Type\": \"Result\", \"Plan Rows\": 1, \"Plans\": ["
			   "{\"Node Type\": \"Aggregate\", \"Parent Relationship\": \"InitPlan\","
			   " \"Plans\": [" SEQ_T("(cat = 5)", "10000") "]}]}}]";
	struct bk_plan_ctx ctx = ctx_for(0, 0);
	struct bk_plan_findings f = { 0 };

	cr_expect(judge_find(json, &ctx, &f, "seq-scan-large-table"));
	cr_expect(judge_find(json, &ctx, &f, "filter-removes-most-rows"));
	cr_expect(!judge_find(json, &ctx, &f, "no-limit-large-result"));
	bk_plan_findings_release(&f);
}

Test(plan, misestimate_reported_where_it_starts_and_not_under_limit)
{
	const char *scan = "{\"Node Type\": \"Seq Scan\", \"Relation Name\": \"t\", \"Plan Rows\": 50,"
			   " \"Actual Rows\": 10000, \"Actual Loops\": 1}";
	struct bk_buf top = BK_BUF_INIT, lim = BK_BUF_INIT;
	struct bk_plan_ctx ctx = ctx_for(1, 0);
	struct bk_plan_findings f = { 0 }, g = { 0 };
	size_t n = 0;

	bk_buf_printf(&top, "[{\"Plan\": {\"Node Type\": \"Hash\", \"Plan Rows\": 50, \"Actual Rows\":"
		      " 10000, \"Actual Loops\": 1, \"Plans\": [%s]}}]", scan);
	bk_buf_printf(&lim, "[{\"Plan\": {\"Node Type\": \"Limit\", \"Plan Rows\": 50, \"Actual Rows\":"
		      " 50, \"Actual Loops\": 1, \"Plans\": [%s]}}]", scan);
	judge_find(top.ptr, &ctx, &f, "row-misestimate");
	for (size_t i = 0; i < f.nr; i++)
		n += !strcmp(f.v[i].rule_id, "row-misestimate");
	cr_expect_eq(n, 1, "reported once, on the scan");
	cr_expect(!judge_find(lim.ptr, &ctx, &g, "row-misestimate"));
	bk_plan_findings_release(&f);
	bk_plan_findings_release(&g);
	bk_buf_release(&top);
	bk_buf_release(&lim);
}

Test(plan, offset_from_sql_text)
{
	const char *json = "[{\"Plan\": {\"Node Type\": \"Limit\", \"Plan Rows\": 10, \"Plans\": ["
			   "{\"Node Type\": \"Index Scan\", \"Relation Name\": \"t\", \"Plan Rows\": 1000}]}}]";
	struct bk_plan_ctx ctx = ctx_for(0, 0);
	struct bk_plan_findings f = { 0 }, g = { 0 };

	cr_expect(!judge_find(json, &ctx, &f, "large-offset"));
	ctx.sql_offset = 5000;
	cr_expect(judge_find(json, &ctx, &g, "large-offset"));
	bk_plan_findings_release(&f);
	bk_plan_findings_release(&g);
}

Test(plan, relations_deduplicated_with_schema)
{
	const char *json = "[{\"Plan\": {\"Node Type\": \"Hash Join\", \"Total Cost\": 12.5, \"Plans\": ["
			   "{\"Node Type\": \"Seq Scan\", \"Relation Name\": \"t\"},"
			   "{\"Node Type\": \"Seq Scan\", \"Relation Name\": \"t\"},"
			   "{\"Node Type\": \"Seq Scan\", \"Relation Name\": \"u\", \"Schema\": \"s\"}]}}]";
	struct bk_err err = { 0 };
	struct bk_plan *plan;
	char **names;
	size_t nr;

	cr_assert_eq(bk_plan_load(&plan, json, &err), 0, "%s", err.msg);
	bk_plan_relations(plan, &names, &nr);
	bk_plan_free(plan);
	cr_assert_eq(nr, 2);
	cr_expect_str_eq(names[0], ".t");
	cr_expect_str_eq(names[1], "s.u");
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

Test(plan, rel_stats_rows_parsed)
{
	const char *rows = "[{\"schema\": \"public\", \"name\": \"t\", \"reltuples\": \"1e+06\","
			   " \"analyzed\": \"true\"},"
			   " {\"schema\": \"public\", \"name\": \"n\", \"reltuples\": \"-1\","
			   " \"analyzed\": \"f\"},"
			   " {\"schema\": \"x\", \"name\": \"z\", \"reltuples\": null, \"analyzed\": null},"
			   " {\"name\": null}]";
	struct bk_rel_stats *v;
	struct bk_err err = { 0 };
	size_t nr;

	cr_assert_eq(bk_plan_parse_rel_stats(rows, &v, &nr, &err), 0, "%s", err.msg);
	cr_assert_eq(nr, 3);
	cr_expect_str_eq(v[0].name, "t");
	cr_expect_eq(v[0].reltuples, 1e6);
	cr_expect(v[0].analyzed);
	cr_expect_eq(v[1].reltuples, -1);
	cr_expect(!v[1].analyzed);
	cr_expect_eq(v[2].reltuples, -1, "null: unknown");
	bk_rel_stats_free(v, nr);
	cr_expect_eq(bk_plan_parse_rel_stats("{\"a\": 1}", &v, &nr, &err), BK_EIO);
	cr_expect_eq(bk_plan_parse_rel_stats("nope", &v, &nr, &err), BK_EIO);
	bk_rel_stats_free(NULL, 0);
}

static int judged_from_plans(const struct bk_plan_rule *r)
{
	return r->source == BK_PLAN_NODE || r->source == BK_PLAN_NODE_SEQSCAN_OFF;
}

/* Does the rendered text t show the limit v (as put by bk_plan_rule_text)? */
static int shows(const char *t, const char *v)
{
	return strstr(t, v) != NULL;
}

Test(plan, every_rule_row_complete_and_checked_when_judged_from_plans)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		cr_expect(r->title && r->threshold && r->rationale && r->fix, "%s", r->id);
		cr_expect_eq(r->check != NULL, judged_from_plans(r), "%s", r->id);
		for (const char *p = r->id; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || *p == '-', "%s is not kebab-case", r->id);
	}
	cr_expect(bk_explain_rule_known("dynamic-sql") && bk_explain_rule_known("sql-error"));
}

/* The texts name only limits that exist, and show every limit the check uses. */
Test(plan, rule_texts_show_the_limits_their_check_uses)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		struct bk_buf t = BK_BUF_INIT, v = BK_BUF_INIT;
		const struct bk_plan_limits *l = &r->limits;
		bk_plan_rule_text(&t, r, r->title);
		bk_buf_puts(&t, "\n");
		bk_plan_rule_text(&t, r, r->threshold);
		cr_expect(!strchr(t.ptr, '{') && !strchr(t.ptr, '}'), "%s: %s", r->id, t.ptr);
		if (l->rows) {
			bk_buf_reset(&v);
			bk_plan_count(&v, l->rows);
			cr_expect(shows(t.ptr, v.ptr), "%s: rows %s not shown", r->id, v.ptr);
		}
		if (l->buffers) {
			bk_buf_reset(&v);
			bk_buf_printf(&v, "%g shared buffers", l->buffers);
			cr_expect(shows(t.ptr, v.ptr), "%s: buffers not shown", r->id);
		}
		if (l->min_rows) {
			bk_buf_reset(&v);
			bk_plan_count(&v, l->min_rows);
			cr_expect(shows(t.ptr, v.ptr), "%s: min_rows %s not shown", r->id, v.ptr);
		}
		if (l->share) {
			bk_buf_reset(&v);
			bk_buf_printf(&v, "%g %%", l->share * 100);
			cr_expect(shows(t.ptr, v.ptr), "%s: share %s not shown", r->id, v.ptr);
		}
		if (l->factor) {
			bk_buf_reset(&v);
			bk_buf_printf(&v, ">= %g", l->factor);
			cr_expect(shows(t.ptr, v.ptr), "%s: factor not shown", r->id);
		}
		bk_buf_release(&t);
		bk_buf_release(&v);
	}
}

Test(plan, rule_text_fills_in_limits)
{
	const struct bk_plan_rule r = {
		.id = "x", .limits = { .rows = 12345, .buffers = 50, .share = 0.9, .factor = 10 },
	};
	struct bk_buf t = BK_BUF_INIT;

	bk_plan_rule_text(&t, &r, "{rows}/{buffers}/{share}/{factor}x/{nope}/{rows");
	cr_expect_str_eq(t.ptr, "12,345/50/90 %/10x/{nope}/{rows");
	bk_buf_release(&t);
}

static int nested_loop_fires(int analyzed, const char *loops)
{
	struct bk_buf json = BK_BUF_INIT;
	struct bk_plan_ctx ctx = ctx_for(analyzed, 0);
	struct bk_plan_findings f = { 0 };
	const struct bk_plan_finding *p;
	int hit;

	bk_buf_printf(&json, "[{\"Plan\": {\"Node Type\": \"Nested Loop\", \"Join Filter\":"
		      " \"(b.bid = t.cat)\", \"Plans\": [{\"Node Type\": \"Seq Scan\", \"Relation Name\":"
		      " \"b\", \"Parent Relationship\": \"Outer\", \"Plan Rows\": 1}, {\"Node Type\":"
		      " \"Memoize\", \"Parent Relationship\": \"Inner\", \"Plans\": [{\"Node Type\":"
		      " \"Seq Scan\", \"Relation Name\": \"t\", \"Alias\": \"t\", \"Actual Rows\": 1,"
		      " \"Actual Loops\": %s}]}]}}]", loops);
	p = judge_find(json.ptr, &ctx, &f, "nested-loop-inner-seq-scan");
	hit = !!p;
	if (p)
		cr_expect_str_eq(p->fix, "CREATE INDEX CONCURRENTLY ON public.t (cat);");
	bk_plan_findings_release(&f);
	bk_buf_release(&json);
	return hit;
}

Test(plan, nested_loop_inner_scan_through_memoize)
{
	cr_expect(nested_loop_fires(0, "1"), "estimated: flagged whatever the outer estimate");
	cr_expect(nested_loop_fires(1, "2"), "two actual loops rescan the table");
	cr_expect(!nested_loop_fires(1, "1"), "one actual loop is no rescan");
}
