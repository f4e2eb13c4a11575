/*
 * `report-at`: a finding covers the first match of a regex inside the
 * reported node (or the regex match of a text language), so a long string
 * is reported at the offending token; without a match the whole node is
 * kept.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "helpers.h"

#define STRINGS "([(string) (template_string)] @sql (#match? @sql \"(?i)select\"))\n"

/* The one finding of rule `at` over text, in both engine modes. */
static struct bk_finding one_finding(const char *lang, const char *query, const char *extra,
				     const char *path, const char *text, struct bk_report *rep)
{
	struct bk_ruleset set = { 0 };
	eng_add(&set, "at", lang, NULL, query, extra);
	eng_run(&set, path, text, rep);
	bk_ruleset_release(&set);
	cr_assert_eq(rep->findings_nr, 1, "want one finding in:\n%s", text);
	return rep->findings[0];
}

Test(engine, report_at_narrows_a_multiline_string_to_the_match)
{
	struct bk_report rep = { 0 };
	struct bk_finding f = one_finding("javascript", STRINGS, "    report-at: '\\*'\n", "a.js",
					  "const q = `\n"
					  "  SELECT\n"
					  "    *\n"
					  "  FROM t`;\n", &rep);
	cr_assert_eq(f.start_line, 2);
	cr_assert_eq(f.start_col, 4);
	cr_assert_eq(f.end_line, 2);
	cr_assert_eq(f.end_col, 5);
	cr_assert_eq(f.end_byte - f.start_byte, 1);
	cr_assert_str_eq(f.line_text, "    *", "the source line shown is the match's");
	bk_report_release(&rep);
}

Test(engine, report_at_keeps_the_node_when_nothing_matches)
{
	struct bk_report rep = { 0 };
	struct bk_finding f = one_finding("javascript", STRINGS, "    report-at: 'nowhere'\n", "a.js",
					  "x = 1; const q = 'select 1';\n", &rep);
	cr_assert_eq(f.start_line, 0);
	cr_assert_eq(f.start_col, 17);
	cr_assert_eq(f.end_col, 27);
	bk_report_release(&rep);
}

Test(engine, report_at_takes_the_first_match_and_honours_backslash_k)
{
	struct bk_report rep = { 0 };
	/* \K starts the range after what it needed to see; the first of two matches wins. */
	struct bk_finding f = one_finding("javascript", STRINGS,
					  "    report-at: '(?i)select\\s+\\K(?:\\w+\\.)?\\*'\n", "a.js",
					  "q = \"SELECT o.* FROM o; select * from p\";\n", &rep);
	cr_assert_eq(f.start_line, 0);
	cr_assert_eq(f.start_col, 12);
	cr_assert_eq(f.end_col, 15);
	bk_report_release(&rep);
}

Test(engine, report_at_spans_lines_when_the_match_does)
{
	struct bk_report rep = { 0 };
	struct bk_finding f = one_finding("python", "((string) @sql (#match? @sql \"(?i)select\"))\n",
					  "    report-at: '(?i)select\\s+\\*'\n", "a.py",
					  "q = '''\nx\n  select\n *\n'''\n", &rep);
	cr_assert_eq(f.start_line, 2);
	cr_assert_eq(f.start_col, 2);
	cr_assert_eq(f.end_line, 3);
	cr_assert_eq(f.end_col, 2);
	bk_report_release(&rep);
}

Test(engine, report_at_narrows_text_language_matches)
{
	struct bk_report rep = { 0 };
	struct bk_finding f = one_finding("sql", "(?im)^.*\\bselect\\s+\\*", "    report-at: '\\*'\n",
					  "q.sql", "x;\n  select   * from t;\n", &rep);
	cr_assert_eq(f.start_line, 1);
	cr_assert_eq(f.start_col, 11);
	cr_assert_eq(f.end_col, 12);
	bk_report_release(&rep);
}

Test(engine, report_at_invalid_regex_is_located)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-at", "javascript", NULL, STRINGS, "    report-at: 'a('\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-at.yml:12:17: ", "invalid regex 'a('");
	bk_ruleset_release(&set);
}
