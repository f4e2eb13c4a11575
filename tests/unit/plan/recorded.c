/*
 * Recorded plans (tools/record-plans.sh): for every server version and
 * every case of tests/explain/cases, the bad plan yields the case's rule
 * and the good one does not. Adding a case or a version needs no C.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain/plan.h"
#include "explain/sqlextract.h"
#include "base/util.h"
#include "../support/support.h"

static int has_option(const json_t *opts, const char *opt)
{
	for (size_t i = 0; i < json_array_size(opts); i++)
		if (!strcmp(json_string_value(json_array_get(opts, i)), opt))
			return 1;
	return 0;
}


/* Does the recording yield rule id, judged as bkgen explain --db judges it? */
static int yields(const char *path, const char *id)
{
	json_error_t jerr;
	json_t *w = json_load_file(path, 0, &jerr);
	struct bk_plan_findings f = { 0 };
	struct bk_rel_stats *rels = NULL;
	struct bk_plan *plan = NULL;
	struct bk_err err = { 0 };
	size_t nr = 0;
	int hit = 0;

	cr_assert(w, "%s: %s", path, jerr.text);
	const json_t *opts = json_object_get(w, "options");
	char *rels_json = json_dumps(json_object_get(w, "rels"), 0);
	char *plan_json = json_dumps(json_object_get(w, "plan"), 0);
	cr_assert_eq(bk_plan_parse_rel_stats(rels_json, &rels, &nr, &err), 0, "%s: %s", path, err.msg);
	cr_assert_eq(bk_plan_load(&plan, plan_json, &err), 0, "%s: %s", path, err.msg);
	struct bk_plan_ctx ctx = {
		.analyzed = has_option(opts, "--analyze"),
		.seqscan_set_off = has_option(opts, "enable_seqscan=off"),
		.rels = rels, .rels_nr = nr,
		.sql_offset = bk_sql_offset(json_string_value(json_object_get(w, "sql"))),
	};
	bk_plan_judge(plan, &ctx, &f);
	for (size_t i = 0; i < f.nr; i++) {
		hit |= !strcmp(f.v[i].rule_id, id);
		cr_expect(f.v[i].message && *f.v[i].message && f.v[i].node && *f.v[i].node,
			  "%s: %s without message or node", path, f.v[i].rule_id);
	}
	bk_plan_findings_release(&f);
	bk_plan_free(plan);
	bk_rel_stats_free(rels, nr);
	free(rels_json);
	free(plan_json);
	json_decref(w);
	return hit;
}

/* Every plan rule's bad recording yields it, its good twin does not. */
static void judge_version(const char *dir)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		/* catalog rules: tests/e2e/explain.sh runs their cases */
		if (!r->check)
			continue;
		for (int good = 0; good < 2; good++) {
			struct bk_buf path = BK_BUF_INIT;
			bk_buf_printf(&path, "%s/%s-%s.json", dir, r->id, good ? "good" : "bad");
			if (access(path.ptr, R_OK))
				cr_expect_fail("%s: missing (run tools/record-plans.sh)", path.ptr);
			else if (good)
				cr_expect(!yields(path.ptr, r->id), "%s: yields %s", path.ptr, r->id);
			else
				cr_expect(yields(path.ptr, r->id), "%s: does not yield %s", path.ptr, r->id);
			bk_buf_release(&path);
		}
	}
}

Test(plan, recorded_plans_judged_as_their_case_says)
{
	struct bk_buf base = BK_BUF_INIT;
	size_t versions = 0;
	DIR *d;
	struct dirent *e;

	bk_buf_printf(&base, "%s/tests/explain/plans", t_srcdir());
	d = opendir(base.ptr);
	cr_assert(d, "cannot open %s", base.ptr);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "pg", 2))
			continue;
		struct bk_buf dir = BK_BUF_INIT;
		bk_buf_printf(&dir, "%s/%s", base.ptr, e->d_name);
		judge_version(dir.ptr);
		bk_buf_release(&dir);
		versions++;
	}
	closedir(d);
	bk_buf_release(&base);
	cr_expect_geq(versions, 4, "recordings of PostgreSQL 15-18 expected");
}

/*
 * Every rule of the table judged from plans or the catalog has a case,
 * with a bad and a good twin (the statement rules are explain.sh's).
 */
Test(plan, every_rule_has_a_case)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		if (r->source == BK_PLAN_STATEMENT)
			continue;
		for (int good = 0; good < 2; good++) {
			struct bk_buf path = BK_BUF_INIT;
			bk_buf_printf(&path, "%s/tests/explain/cases/%s/%s.sql", t_srcdir(), r->id,
				      good ? "good" : "bad");
			FILE *f = fopen(path.ptr, "r");
			cr_expect(f, "missing %s", path.ptr);
			if (f)
				fclose(f);
			bk_buf_release(&path);
		}
	}
}
