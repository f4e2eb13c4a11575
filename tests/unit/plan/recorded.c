/*
 * Recorded plans (tools/record-plans.sh): for every server version and
 * every case of tests/explain/cases, the bad plan yields the case's rule
 * and the good one does not. Adding a case or a version needs no C.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/plan.h"
#include "analyzers/util.h"

static const char *plans_srcdir(void)
{
	const char *d = getenv("BKGEN_SRCDIR");
	return d && *d ? d : ".";
}

/* The literal after OFFSET, or -1 (as the caller finds it in the SQL). */
static long long offset_of(const char *sql)
{
	for (const char *p = sql; *p; p++) {
		if (strncasecmp(p, "offset ", 7) || (p > sql && isalnum((unsigned char)p[-1])))
			continue;
		if (isdigit((unsigned char)p[7]))
			return strtoll(p + 7, NULL, 10);
	}
	return -1;
}

static int has_option(const json_t *opts, const char *opt)
{
	for (size_t i = 0; i < json_array_size(opts); i++)
		if (!strcmp(json_string_value(json_array_get(opts, i)), opt))
			return 1;
	return 0;
}

static int found(const struct bk_plan_findings *f, const char *id)
{
	for (size_t i = 0; i < f->nr; i++)
		if (!strcmp(f->v[i].rule_id, id))
			return 1;
	return 0;
}

/* Does the recording yield rule id, as the caller would report it? */
static int yields(const char *path, const char *id)
{
	json_error_t jerr;
	json_t *w = json_load_file(path, 0, &jerr);
	struct bk_plan_findings f = { 0 };
	struct bk_rel_stats *rels = NULL;
	struct bk_err err = { 0 };
	size_t nr = 0;
	int hit = 0;

	cr_assert(w, "%s: %s", path, jerr.text);
	char *rels_json = json_dumps(json_object_get(w, "rels"), 0);
	char *plan = json_dumps(json_object_get(w, "plan"), 0);
	cr_assert_eq(bk_plan_parse_rel_stats(rels_json, &rels, &nr, &err), 0, "%s: %s", path, err.msg);
	struct bk_plan_ctx ctx = {
		.analyzed = has_option(json_object_get(w, "options"), "--analyze"),
		/* the CLI's second pass, made with enable_seqscan = off */
		.seqscan_off = !strcmp(id, BK_PLAN_RULE_NO_INDEX),
		.rels = rels, .rels_nr = nr,
		.sql_offset = offset_of(json_string_value(json_object_get(w, "sql"))),
	};
	cr_assert_eq(bk_plan_judge(plan, &ctx, &f, &err), 0, "%s: %s", path, err.msg);
	hit = found(&f, id);
	if (!strcmp(id, BK_PLAN_RULE_FK_NO_INDEX))
		hit = json_array_size(json_object_get(w, "unindexed_fks")) > 0;
	for (size_t i = 0; !strcmp(id, BK_PLAN_RULE_NEVER_ANALYZED) && i < nr; i++)
		hit |= !rels[i].analyzed || rels[i].reltuples < 0;
	for (size_t i = 0; i < f.nr; i++)
		cr_expect(f.v[i].message && *f.v[i].message && f.v[i].node && *f.v[i].node,
			  "%s: %s without message or node", path, f.v[i].rule_id);
	bk_plan_findings_release(&f);
	bk_rel_stats_free(rels, nr);
	free(rels_json);
	free(plan);
	json_decref(w);
	return hit;
}

static int rule_known(const char *id)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++)
		if (!strcmp(r->id, id))
			return 1;
	return 0;
}

/* Judge every recording of one version directory; returns how many. */
static size_t judge_version(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	cr_assert(d, "cannot open %s", dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		int bad = len > 9 && !strcmp(e->d_name + len - 9, "-bad.json");
		int good = len > 10 && !strcmp(e->d_name + len - 10, "-good.json");
		if (!bad && !good)
			continue;
		char *id = bk_xstrndup(e->d_name, len - (bad ? 9 : 10));
		struct bk_buf path = BK_BUF_INIT;
		bk_buf_printf(&path, "%s/%s", dir, e->d_name);
		cr_expect(rule_known(id), "%s: no rule '%s'", path.ptr, id);
		if (bad)
			cr_expect(yields(path.ptr, id), "%s: does not yield %s", path.ptr, id);
		else
			cr_expect(!yields(path.ptr, id), "%s: yields %s", path.ptr, id);
		bk_buf_release(&path);
		free(id);
		n++;
	}
	closedir(d);
	return n;
}

Test(plan, recorded_plans_judged_as_their_case_says)
{
	struct bk_buf base = BK_BUF_INIT;
	size_t versions = 0;
	DIR *d;
	struct dirent *e;

	bk_buf_printf(&base, "%s/tests/explain/plans", plans_srcdir());
	d = opendir(base.ptr);
	cr_assert(d, "cannot open %s", base.ptr);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "pg", 2))
			continue;
		struct bk_buf dir = BK_BUF_INIT;
		bk_buf_printf(&dir, "%s/%s", base.ptr, e->d_name);
		cr_expect_geq(judge_version(dir.ptr), 2 * 15, "%s: cases missing", dir.ptr);
		bk_buf_release(&dir);
		versions++;
	}
	closedir(d);
	bk_buf_release(&base);
	cr_expect_geq(versions, 1, "no recorded plans");
}

/* Every rule of the table has a case, with a bad and a good twin. */
Test(plan, every_rule_has_a_case)
{
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		for (int good = 0; good < 2; good++) {
			struct bk_buf path = BK_BUF_INIT;
			bk_buf_printf(&path, "%s/tests/explain/cases/%s/%s.sql", plans_srcdir(), r->id,
				      good ? "good" : "bad");
			FILE *f = fopen(path.ptr, "r");
			cr_expect(f, "missing %s", path.ptr);
			if (f)
				fclose(f);
			bk_buf_release(&path);
		}
	}
}
