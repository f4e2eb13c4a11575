/*
 * One combined query per language: findings mapped back to their rule,
 * the reported node, messages, dedupe, and regex rules of text languages.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/classify.h"
#include "lint/check.h"
#include "base/lang.h"
#include "helpers.h"

#define CALL_OF(name) \
	"(call_expression\n  function: (identifier) @fn (#eq? @fn \"" name "\")) @report\n"

Test(engine, combined_query_maps_each_finding_to_its_rule)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "call-alpha", "javascript", NULL, CALL_OF("alpha"), NULL);
	eng_add(&set, "call-beta", "javascript", NULL, CALL_OF("beta"), NULL);
	eng_run(&set, "a.js", "beta(1);\nalpha(2);\nbeta(3);\ngamma(4);\n", &rep);

	cr_assert_eq(rep.findings_nr, 3);
	cr_assert_str_eq(rep.findings[0].rule->id, "call-beta");
	cr_assert_eq(rep.findings[0].start_line, 0);
	cr_assert_str_eq(rep.findings[1].rule->id, "call-alpha");
	cr_assert_eq(rep.findings[1].start_line, 1);
	cr_assert_str_eq(rep.findings[1].message, "call-alpha found");
	cr_assert_str_eq(rep.findings[2].rule->id, "call-beta");
	cr_assert_eq(rep.findings[2].start_line, 2);
	cr_assert_eq(rep.files_scanned, 1);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, rules_of_other_languages_stay_apart)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "js-only", "javascript", NULL, CALL_OF("alpha"), NULL);
	eng_add(&set, "py-only", "python", NULL,
		"(call function: (identifier) @fn (#eq? @fn \"alpha\")) @report\n", NULL);
	eng_run(&set, "a.py", "alpha(1)\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	cr_assert_str_eq(rep.findings[0].rule->id, "py-only");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, disabled_rule_is_left_out)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "call-alpha", "javascript", NULL, CALL_OF("alpha"), NULL);
	set.rules[0].enabled = 0;
	struct bk_engine *e = eng_build(&set);
	cr_assert_not(bk_engine_has_lang(e, bk_lang_by_name("javascript")));
	eng_check(e, "a.js", "alpha();\n", 0, &rep);
	cr_assert_eq(rep.findings_nr, 0);
	cr_assert_eq(rep.files_scanned, 0);
	bk_engine_free(e);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, finding_carries_positions_severity_and_line_text)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "call-alpha", "javascript", NULL, CALL_OF("alpha"), NULL);
	eng_run(&set, "src/a.js", "let x;\n  y = alpha(\n  1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	const struct bk_finding *f = &rep.findings[0];
	cr_assert_str_eq(f->path, "src/a.js");
	cr_assert_eq(f->start_line, 1);
	cr_assert_eq(f->start_col, 6);
	cr_assert_eq(f->end_line, 2);
	cr_assert_eq(f->end_col, 4);
	cr_assert_eq(f->start_byte, 13);
	cr_assert_eq(f->end_byte, 24);
	cr_assert_eq(f->severity, BK_SEV_WARNING);
	cr_assert_str_eq(f->line_text, "  y = alpha(");
	cr_assert_str_eq(f->end_line_text, "  1);");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, report_capture_is_the_reported_node)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "rep-args", "javascript", NULL,
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"f\")\n"
		"  arguments: (arguments) @report)\n", NULL);
	eng_run(&set, "a.js", "x = f(1, 2);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	cr_assert_eq(rep.findings[0].start_col, 5);
	cr_assert_eq(rep.findings[0].end_col, 11);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, without_report_the_widest_capture_is_reported)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "widest", "javascript", NULL,
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"f\")\n"
		"  arguments: (arguments) @args) @call\n", NULL);
	eng_run(&set, "a.js", "x = f(1, 2);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	cr_assert_eq(rep.findings[0].start_col, 4);
	cr_assert_eq(rep.findings[0].end_col, 11);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, message_interpolates_captures)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "msg", "javascript", "{{fn}}() called with {{args}}, {{nope}} stays",
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"fetch\")\n"
		"  arguments: (arguments) @args) @report\n", NULL);
	eng_run(&set, "a.js", "fetch(url, opts);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	cr_assert_str_eq(rep.findings[0].message,
			 "fetch() called with (url, opts), {{nope}} stays");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, message_gives_a_fallback_for_an_absent_capture)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	/* @name is only captured when the argument is an identifier. */
	eng_add(&set, "msg", "javascript", "run {{name|an inline function}}{{name|}}.",
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"run\")\n"
		"  arguments: (arguments [(identifier) @name (arrow_function)])) @report\n", NULL);
	eng_run(&set, "a.js", "run(job);\nrun(() => 1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 2);
	cr_assert_str_eq(rep.findings[0].message, "run jobjob.");
	cr_assert_str_eq(rep.findings[1].message, "run an inline function.");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, message_uses_the_first_line_of_a_capture)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "msg", "javascript", "got {{args}}",
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"fetch\")\n"
		"  arguments: (arguments) @args) @report\n", NULL);
	eng_run(&set, "a.js", "fetch(url,\n  opts);\n", &rep);
	cr_assert_str_eq(rep.findings[0].message, "got (url,");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, message_truncates_a_long_capture)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	char want[128];

	eng_add(&set, "msg", "javascript", "[{{s}}]",
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"f\")\n"
		"  arguments: (arguments (string) @s)) @report\n", NULL);
	eng_run(&set, "a.js",
		"f('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');\n",
		&rep);
	snprintf(want, sizeof(want), "['%.56s...]", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	cr_assert_str_eq(rep.findings[0].message, want);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, message_truncation_keeps_utf8_valid)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	enum bk_skip_reason why;
	char *detail = NULL;

	/* 'a then 2-byte characters: byte 57 falls inside one of them. */
	eng_add(&set, "msg", "javascript", "[{{s}}]",
		"(call_expression\n  function: (identifier) @fn (#eq? @fn \"f\")\n"
		"  arguments: (arguments (string) @s)) @report\n", NULL);
	eng_run(&set, "a.js",
		"f('a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9');\n",
		&rep);
	cr_assert_eq(rep.findings_nr, 1);
	const char *m = rep.findings[0].message;
	int skipped = bk_classify_skip("m.txt", m, strlen(m), &why, &detail);
	cr_assert_not(skipped && why == BK_SKIP_INVALID_UTF8,
		      "message is not valid UTF-8 (%s): %s", detail, m);
	free(detail);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, per_language_message_overrides_the_rule_message)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "msg", "javascript", "rule says {{fn}}", CALL_OF("f"),
		"    message: js says {{fn}}\n");
	eng_run(&set, "a.js", "f();\n", &rep);
	cr_assert_str_eq(rep.findings[0].message, "js says f");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, two_patterns_of_one_rule_on_one_node_give_one_finding)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "twice", "javascript", NULL,
		CALL_OF("f") "(call_expression arguments: (arguments (number))) @report\n", NULL);
	eng_add(&set, "other", "javascript", NULL, CALL_OF("f"), NULL);
	eng_run(&set, "a.js", "f(1);\ng(2);\n", &rep);
	cr_assert_eq(eng_count(&rep, "twice"), 2, "f(1) once, g(2) once");
	cr_assert_eq(eng_count(&rep, "other"), 1, "another rule on the same node still counts");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, pattern_without_captures_reports_nothing)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "bare", "javascript", NULL, "(debugger_statement)\n", NULL);
	eng_run(&set, "a.js", "debugger;\n", &rep);
	cr_assert_eq(rep.findings_nr, 0);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, sql_regex_reports_each_match_with_its_position)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "star", "sql", NULL, "(?i)\\bselect\\s+\\*", NULL);
	eng_run(&set, "q.sql", "select id from t;\nSELECT * FROM t;\n  select *\nfrom u; select  * from v;\n",
		&rep);
	cr_assert_eq(rep.findings_nr, 3);
	cr_assert_eq(rep.findings[0].start_line, 1);
	cr_assert_eq(rep.findings[0].start_col, 0);
	cr_assert_eq(rep.findings[0].end_col, 8);
	cr_assert_str_eq(rep.findings[0].line_text, "SELECT * FROM t;");
	cr_assert_eq(rep.findings[1].start_line, 2);
	cr_assert_eq(rep.findings[1].start_col, 2);
	cr_assert_eq(rep.findings[2].start_line, 3);
	cr_assert_eq(rep.findings[2].start_col, 8);
	cr_assert_eq(rep.findings[2].end_col, 17);
	cr_assert_str_eq(rep.findings[2].message, "star found");
	cr_assert_eq(rep.files_scanned, 1);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, sql_regex_match_across_lines_ends_on_the_right_line)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "star", "sql", NULL, "(?i)\\bselect\\s+\\*", NULL);
	eng_run(&set, "q.sql", "x;\nselect\n   * from t;\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	cr_assert_eq(rep.findings[0].start_line, 1);
	cr_assert_eq(rep.findings[0].end_line, 2);
	cr_assert_eq(rep.findings[0].end_col, 4);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, sql_invalid_regex_is_located)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-re", "sql", NULL, "select (", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-re.yml:11:7: ", "invalid regex 'select ('");
	bk_ruleset_release(&set);
}

Test(engine, parsed_file_without_findings_into_an_empty_report)
{
	/*
	 * The report's findings array is still NULL: dropping duplicates must
	 * not compute NULL + 0 (undefined; clang's UBSan stops on it).
	 */
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "call-alpha", "javascript", NULL, CALL_OF("alpha"), NULL);
	eng_run(&set, "a.js", "alpha;\nbeta(1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 0);
	cr_assert_null(rep.findings);
	cr_assert_eq(rep.files_scanned, 1, "the file must be parsed, not prefiltered");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, findings_past_the_per_file_cap_are_counted_not_kept)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	struct bk_buf text = BK_BUF_INIT;

	eng_add(&set, "call-alpha", "javascript", NULL, CALL_OF("alpha"), NULL);
	for (int i = 0; i < 10; i++)
		bk_buf_puts(&text, "alpha(1);\n");
	struct bk_engine *e = eng_build(&set);
	struct bk_worker *w = bk_worker_new(e);
	bk_worker_set_max_findings(w, 3);
	cr_assert_eq(bk_engine_check(w, "a.js", bk_lang_by_name("javascript"), text.ptr,
				     text.len, BK_ROLE_SOURCE, 0, &rep), 0);
	bk_report_sort(&rep);
	cr_assert_eq(rep.findings_nr, 4, "3 findings and the note, got %zu", rep.findings_nr);
	/* sorted by position, then rule id: the note at 1:1 comes second */
	cr_assert_str_eq(rep.findings[1].rule->id, "too-many-findings");
	cr_assert_eq(rep.findings[1].start_line, 0);
	cr_assert_str_eq(rep.findings[1].message, "7 more findings in this file not reported "
			 "(at most 3 per file: --max-findings-per-file)");
	cr_assert_eq(rep.findings_not_shown, 7);
	cr_assert_str_eq(rep.findings[3].rule->id, "call-alpha");
	cr_assert_eq(rep.findings[3].start_line, 2);
	bk_worker_set_max_findings(w, 0); /* no cap */
	bk_report_release(&rep);
	memset(&rep, 0, sizeof(rep));
	cr_assert_eq(bk_engine_check(w, "a.js", bk_lang_by_name("javascript"), text.ptr,
				     text.len, BK_ROLE_SOURCE, 0, &rep), 0);
	cr_assert_eq(rep.findings_nr, 10);
	cr_assert_eq(rep.findings_not_shown, 0);
	bk_worker_free(w);
	bk_engine_free(e);
	bk_report_release(&rep);
	bk_buf_release(&text);
	bk_ruleset_release(&set);
}

Test(engine, duplicate_matches_take_one_place_under_the_cap)
{
	/* two patterns matching one node make one finding, and one under the cap */
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	const char *text = "alpha(1);\nalpha(2);\nalpha(3);\n";

	eng_add(&set, "twice", "javascript", NULL, CALL_OF("alpha") CALL_OF("alpha"), NULL);
	struct bk_engine *e = eng_build(&set);
	struct bk_worker *w = bk_worker_new(e);
	bk_worker_set_max_findings(w, 2);
	cr_assert_eq(bk_engine_check(w, "a.js", bk_lang_by_name("javascript"), text,
				     strlen(text), BK_ROLE_SOURCE, 0, &rep), 0);
	bk_report_sort(&rep);
	cr_assert_eq(rep.findings_nr, 3, "2 findings and the note, got %zu", rep.findings_nr);
	cr_assert_eq(rep.findings_not_shown, 1);
	cr_assert_str_eq(rep.findings[0].rule->id, "too-many-findings");
	cr_assert_str_eq(rep.findings[1].rule->id, "twice");
	cr_assert_eq(rep.findings[1].start_line, 0);
	cr_assert_eq(rep.findings[2].start_line, 1);
	bk_worker_free(w);
	bk_engine_free(e);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}
