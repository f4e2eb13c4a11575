/*
 * Query compile errors come back as BK_ECONFIG with the rule file's
 * line:col, pointing into the query text, even from the combined query.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "base/lang.h"
#include "helpers.h"

static void expect_error(const char *id, const char *lang, const char *query,
			 const char *prefix, const char *what)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, id, lang, NULL, query, NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG, "compiled, want an error");
	ENG_ASSERT_MSG(err, prefix, what);
	bk_ruleset_release(&set);
}

Test(engine, unknown_node_type_points_into_the_query)
{
	/* Line 11 holds the first query line, content at column 7. */
	expect_error("x", "javascript", "(nope) @x\n", "rules/x.yml:11:8: ",
		     "unknown node type 'nope' in the javascript query");
	expect_error("x", "javascript", "(call_expression\n  function: (nope) @fn) @report\n",
		     "rules/x.yml:12:20: ", "unknown node type 'nope'");
}

Test(engine, unknown_field_points_into_the_query)
{
	expect_error("x", "javascript", "(call_expression\n  callee: (identifier) @fn) @report\n",
		     "rules/x.yml:12:9: ", "unknown field 'callee'");
}

Test(engine, query_syntax_error_points_into_the_query)
{
	expect_error("x", "javascript", "(call_expression\n  function: (identifier) @fn)) @report\n",
		     "rules/x.yml:12:", "invalid query syntax");
	expect_error("x", "python", "(call function: @fn)\n", "rules/x.yml:11:",
		     "invalid query syntax");
}

Test(engine, impossible_structure_is_an_error)
{
	expect_error("x", "javascript", "(identifier (call_expression)) @x\n", "rules/x.yml:11:",
		     "impossible pattern");
}

Test(engine, predicate_on_an_unknown_capture_is_an_error)
{
	expect_error("x", "javascript", "((identifier) @a (#eq? @b \"x\"))\n", "rules/x.yml:11:",
		     "unknown capture");
}

Test(engine, error_in_a_later_rule_names_that_rule)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "good", "javascript", NULL, "(identifier) @x\n", NULL);
	eng_add(&set, "bad", "javascript", NULL, "(identifier) @x\n(string\n  (nope)) @s\n", NULL);
	eng_add(&set, "also-good", "javascript", NULL, "(number) @n\n", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad.yml:13:10: ", "unknown node type 'nope'");
	bk_ruleset_release(&set);
}

Test(engine, unclosed_pattern_names_its_own_rule_in_a_combined_query)
{
	/*
	 * With the patterns concatenated, an unclosed paren in the first rule
	 * is only noticed at the end of the combined source, inside the last
	 * rule, which compiles fine alone. The message must still name the
	 * first rule.
	 */
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "unclosed", "javascript", NULL, "(call_expression\n  function: (identifier) @fn\n", NULL);
	eng_add(&set, "fine", "javascript", NULL, "(number) @n\n", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/unclosed.yml:", "invalid query syntax");
	bk_ruleset_release(&set);
}

Test(engine, error_for_one_language_leaves_others_alone)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	struct bk_engine *e = NULL;

	eng_add(&set, "py-bad", "python", NULL, "(nope) @x\n", NULL);
	eng_add(&set, "js-good", "javascript", NULL, "(debugger_statement) @x\n", NULL);
	cr_assert_eq(bk_engine_new(&e, &set, &err), 0);
	cr_assert_eq(bk_engine_prepare(e, bk_lang_by_name("javascript"), 100, &err), 0, "%s", err.msg);
	cr_assert_eq(bk_engine_prepare(e, bk_lang_by_name("python"), 100, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/py-bad.yml:11:8: ", "in the python query");
	bk_engine_free(e);
	bk_ruleset_release(&set);
}
