/*
 * Inline suppressions as the engine applies them: `bkgen-ignore: id` in a
 * comment on the finding's line or alone on the line before; unused
 * markers recorded only with BK_CHECK_UNUSED_IGNORES.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "helpers.h"

#define CALL_OF(name) \
	"(call_expression function: (identifier) @fn (#eq? @fn \"" name "\")) @report\n"

/* Findings of a fetch rule (and a second rule "other" on q()) in text. */
static size_t findings(const char *path, const char *text)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	const char *lang = strstr(path, ".py") ? "python" : "javascript";

	eng_add(&set, "fetchy", lang, NULL,
		strstr(path, ".py") ? "(call function: (identifier) @fn (#eq? @fn \"fetch\")) @report\n"
				    : CALL_OF("fetch"), NULL);
	eng_add(&set, "other", "javascript", NULL, CALL_OF("q"), NULL);
	eng_run(&set, path, text, &rep);
	size_t n = rep.findings_nr;
	bk_report_release(&rep);
	bk_ruleset_release(&set);
	return n;
}

#define FINDINGS(text, want) \
	cr_assert_eq(findings("a.js", text), (want), "in:\n%s", text)

Test(engine, ignore_on_the_same_line_suppresses)
{
	FINDINGS("fetch(u); // bkgen-ignore: fetchy -- cached upstream\n", 0);
	FINDINGS("fetch(u); /* bkgen-ignore: fetchy */\n", 0);
	FINDINGS("fetch(u); // bkgen-ignore fetchy\n", 0);
}

Test(engine, ignore_alone_on_the_line_before_suppresses)
{
	FINDINGS("// bkgen-ignore: fetchy -- reason\nfetch(u);\n", 0);
	FINDINGS("function f() {\n    // bkgen-ignore: fetchy\n    return fetch(u);\n}\n", 0);
	FINDINGS("/* bkgen-ignore: fetchy */\nfetch(u);\n", 0);
}

Test(engine, ignore_reaches_only_the_next_line)
{
	FINDINGS("// bkgen-ignore: fetchy\nlet a = 1;\nfetch(u);\n", 1);
	FINDINGS("fetch(u);\n// bkgen-ignore: fetchy\n", 1);
}

Test(engine, trailing_comment_on_a_code_line_does_not_cover_the_next_line)
{
	FINDINGS("a(); // bkgen-ignore: fetchy\nfetch(u);\n", 1);
}

Test(engine, marker_inside_a_string_does_not_suppress)
{
	FINDINGS("const s = '// bkgen-ignore: fetchy'; fetch(u);\n", 1);
	FINDINGS("const s = `\n// bkgen-ignore: fetchy\n`;\nfetch(u);\n", 1);
}

Test(engine, ignore_names_the_rule)
{
	FINDINGS("fetch(u); // bkgen-ignore: other\n", 1);
	FINDINGS("fetch(u); // bkgen-ignore: fetch\n", 1);
	FINDINGS("fetch(u); // bkgen-ignore: fetchy-extra\n", 1);
}

Test(engine, ignore_with_several_ids)
{
	FINDINGS("fetch(q()); // bkgen-ignore: fetchy, other -- both\n", 0);
	FINDINGS("fetch(q()); // bkgen-ignore: other,fetchy\n", 0);
	FINDINGS("fetch(q()); // bkgen-ignore: other\n", 1);
}

Test(engine, ignore_in_python_comments)
{
	cr_assert_eq(findings("a.py", "fetch(u)  # bkgen-ignore: fetchy -- ok\n"), 0);
	cr_assert_eq(findings("a.py", "# bkgen-ignore: fetchy\nfetch(u)\n"), 0);
	cr_assert_eq(findings("a.py", "s = '# bkgen-ignore: fetchy'; fetch(u)\n"), 1);
}

static size_t sql_findings(const char *text)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "star", "sql", NULL, "(?i)select\\s+\\*", NULL);
	eng_run(&set, "a.sql", text, &rep);
	size_t n = rep.findings_nr;
	bk_report_release(&rep);
	bk_ruleset_release(&set);
	return n;
}

Test(engine, ignore_in_sql_comments)
{
	cr_assert_eq(sql_findings("select * from a; -- bkgen-ignore: star -- small table\n"), 0);
	cr_assert_eq(sql_findings("-- bkgen-ignore: star\nselect * from b;\n"), 0);
	cr_assert_eq(sql_findings("-- bkgen-ignore: other\nselect * from b;\n"), 1);
	cr_assert_eq(sql_findings("select * from c; -- bkgen-ignore: star\nselect * from d;\n"), 1);
}

Test(engine, sql_marker_inside_a_string_does_not_suppress)
{
	cr_assert_eq(sql_findings("select * from c where note = '-- bkgen-ignore: star';\n"), 1);
}

/* Unused markers with flags, in both modes; the findings must agree too. */
static void unused(const char *text, unsigned flags, struct bk_report *out)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "fetchy", "javascript", NULL, CALL_OF("fetch"), NULL);
	eng_add(&set, "other", "javascript", NULL, CALL_OF("q"), NULL);
	eng_add(&set, "net-call", "javascript", NULL, CALL_OF("request"), NULL);
	for (int mode = BK_MODE_COMBINED; mode <= BK_MODE_PER_RULE; mode++) {
		struct bk_engine *e = eng_build_mode(&set, (enum bk_engine_mode)mode);
		struct bk_report rep = { 0 };
		eng_check(e, "a.js", text, flags, &rep);
		bk_engine_free(e);
		if (mode == BK_MODE_COMBINED) {
			*out = rep;
			continue;
		}
		cr_assert_eq(rep.findings_nr, out->findings_nr, "the modes disagree");
		bk_report_release(&rep);
	}
	/* out's findings point at rules of set: drop them before set goes. */
	for (size_t i = 0; i < out->findings_nr; i++)
		if (out->findings[i].rule != &bk_unused_ignore_rule)
			out->findings[i].rule = NULL;
	bk_ruleset_release(&set);
}

/* Findings of the unused-ignore rule, and the others. */
static size_t n_unused(const struct bk_report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings_nr; i++)
		n += r->findings[i].rule == &bk_unused_ignore_rule;
	return n;
}

static size_t n_other(const struct bk_report *r)
{
	return r->findings_nr - n_unused(r);
}

static const struct bk_finding *first_unused(const struct bk_report *r)
{
	for (size_t i = 0; i < r->findings_nr; i++)
		if (r->findings[i].rule == &bk_unused_ignore_rule)
			return &r->findings[i];
	cr_assert_fail("no unused-ignore finding");
	return NULL;
}

Test(engine, unused_ignores_are_recorded_only_when_asked)
{
	const char *text = "fetch(u); // bkgen-ignore: fetchy\n"
			   "let a = 1;\n"
			   "  // bkgen-ignore: other -- stale\n"
			   "b();\n";
	struct bk_report rep = { 0 };

	unused(text, 0, &rep);
	cr_assert_eq(n_other(&rep), 0);
	cr_assert_eq(n_unused(&rep), 0);
	bk_report_release(&rep);

	unused(text, BK_CHECK_UNUSED_IGNORES, &rep);
	cr_assert_eq(n_other(&rep), 0);
	cr_assert_eq(n_unused(&rep), 1);
	cr_assert_str_eq(first_unused(&rep)->path, "a.js");
	cr_assert(strstr(first_unused(&rep)->message, "'other'"));
	cr_assert_eq(first_unused(&rep)->start_line, 2);
	cr_assert_eq(first_unused(&rep)->start_col, 5);
	bk_report_release(&rep);
}

Test(engine, unused_ignore_of_one_of_several_ids)
{
	struct bk_report rep = { 0 };

	unused("fetch(u); // bkgen-ignore: fetchy, other\n", BK_CHECK_UNUSED_IGNORES, &rep);
	cr_assert_eq(n_other(&rep), 0);
	cr_assert_eq(n_unused(&rep), 1);
	cr_assert(strstr(first_unused(&rep)->message, "'other'"));
	bk_report_release(&rep);
}

Test(engine, unused_ignore_in_a_string_is_not_a_marker)
{
	struct bk_report rep = { 0 };

	unused("fetch('// bkgen-ignore: other');\n", BK_CHECK_UNUSED_IGNORES, &rep);
	cr_assert_eq(n_other(&rep), 1);
	cr_assert_eq(n_unused(&rep), 0);
	bk_report_release(&rep);
}

Test(engine, unused_ignore_is_reported_in_a_file_the_prefilter_skips)
{
	/*
	 * The stale marker is most likely exactly where the code was fixed:
	 * no request( any more, so no needle, so the file is never parsed.
	 */
	struct bk_report rep = { 0 };

	unused("// bkgen-ignore: net-call -- was a call here\nlet a = 1;\n",
	       BK_CHECK_UNUSED_IGNORES, &rep);
	cr_assert_eq(n_unused(&rep), 1, "the stale marker was not reported");
	bk_report_release(&rep);
}
