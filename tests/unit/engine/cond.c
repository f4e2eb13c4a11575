/*
 * Conditions: `unless`/`where` with `has` (in report, function, file or a
 * capture) and `inside` (with @at, stopping at a function boundary unless
 * across-functions), and `same:` tying captures together by text.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "lint/rule-load.h"

#define FETCH \
	"(call_expression\n  function: (identifier) @fn (#eq? @fn \"fetch\")\n" \
	"  arguments: (arguments) @args) @report\n"

/* Lines (0-based) of the findings, as "1 3". */
static void lines_of(const char *query, const char *extra, const char *text,
		     char *out, size_t n)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "cond", "javascript", NULL, query, extra);
	eng_run(&set, "a.js", text, &rep);
	out[0] = '\0';
	for (size_t i = 0; i < rep.findings_nr; i++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%u", i ? " " : "", rep.findings[i].start_line);
	}
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

#define LINES(query, extra, text, want) \
	do { \
		char got_[256]; \
		lines_of(query, extra, text, got_, sizeof(got_)); \
		cr_assert_str_eq(got_, want, "in:\n%s", text); \
	} while (0)

#define UNLESS_HAS(q, in) "    unless:\n      - has: |\n          " q "\n" in

Test(engine, unless_has_in_report_scope)
{
	const char *u = UNLESS_HAS("(pair key: (property_identifier) @k (#eq? @k \"signal\"))", "");
	LINES(FETCH, u,
	      "fetch(u, { signal: s });\n"
	      "fetch(u, { method: 'GET' });\n"
	      "const signal = 1; fetch(u);\n", "1 2");
}

Test(engine, unless_has_in_function_scope)
{
	const char *u = UNLESS_HAS("(call_expression function: (identifier) @c (#eq? @c \"setup\"))",
				   "        in: function\n");
	LINES(FETCH, u,
	      "function a() { setup(); fetch(u); }\n"
	      "function b() { fetch(u); }\n"
	      "function c() { const g = () => setup(); fetch(u); }\n", "1");
}

Test(engine, function_scope_outside_any_function_is_the_file)
{
	const char *u = UNLESS_HAS("(call_expression function: (identifier) @c (#eq? @c \"setup\"))",
				   "        in: function\n");
	LINES(FETCH, u, "fetch(u);\nsetup();\n", "");
	LINES(FETCH, u, "fetch(u);\nfunction s() { setup(); }\n", "");
}

Test(engine, unless_has_in_file_scope)
{
	const char *u = UNLESS_HAS("(call_expression function: (identifier) @c (#eq? @c \"setup\"))",
				   "        in: file\n");
	LINES(FETCH, u, "function a() { fetch(u); }\nfunction b() { setup(); }\n", "");
	LINES(FETCH, u, "function a() { fetch(u); }\nfunction b() { other(); }\n", "0");
}

Test(engine, unless_has_in_a_capture_scope)
{
	/* The scope is @args: an `ok` in the callee does not count. */
	const char *q = "(call_expression\n"
			"  function: (member_expression property: (property_identifier) @m (#eq? @m \"send\"))\n"
			"  arguments: (arguments) @args) @report\n";
	const char *u = UNLESS_HAS("((identifier) @i (#eq? @i \"ok\"))", "        in: args\n");
	LINES(q, u, "ok.send(x);\nz.send(ok);\n", "0");
}

Test(engine, in_naming_an_unknown_capture_is_an_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-in", "javascript", NULL, FETCH,
		UNLESS_HAS("(object)", "        in: nope\n"));
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-in.yml:16:11: ", "'in: nope' names no capture");
	bk_ruleset_release(&set);
}

#define CALL_Q "(call_expression function: (identifier) @fn (#eq? @fn \"q\")) @report\n"
#define WHERE_INSIDE(q, more) "    where:\n      - inside: |\n          " q "\n" more

Test(engine, where_inside_at_requires_the_body)
{
	const char *w = WHERE_INSIDE("(for_statement body: (_) @at)", "");
	LINES(CALL_Q, w,
	      "for (let i = 0; i < q(); i++) {\n"
	      "  q(i);\n"
	      "}\n"
	      "q(0);\n", "1");
}

Test(engine, where_inside_without_at_takes_the_whole_ancestor)
{
	const char *w = WHERE_INSIDE("(for_statement) @loop", "");
	LINES(CALL_Q, w,
	      "for (let i = 0; i < q(); i++) {\n"
	      "  q(i);\n"
	      "}\n"
	      "q(0);\n", "0 1");
}

Test(engine, unless_inside_drops_the_finding)
{
	const char *u = "    unless:\n      - inside: |\n          (try_statement body: (_) @at)\n";
	LINES(CALL_Q, u,
	      "try {\n  q(1);\n} catch (e) {\n  q(2);\n}\n", "3");
}

Test(engine, inside_walk_stops_at_a_function_boundary)
{
	const char *w = WHERE_INSIDE("(for_in_statement body: (_) @at)", "");
	LINES(CALL_Q, w,
	      "for (const x of xs) {\n"
	      "  q(x);\n"
	      "  xs.map(function (y) { return q(y); });\n"
	      "  xs.map((y) => q(y));\n"
	      "}\n", "1");
}

Test(engine, inside_walk_crosses_functions_when_asked)
{
	const char *w = WHERE_INSIDE("(for_in_statement body: (_) @at)",
				     "        across-functions: true\n");
	LINES(CALL_Q, w,
	      "for (const x of xs) {\n"
	      "  q(x);\n"
	      "  xs.map(function (y) { return q(y); });\n"
	      "  xs.map((y) => q(y));\n"
	      "}\n", "1 2 3");
}

Test(engine, inside_walk_still_tries_the_function_node)
{
	const char *w = WHERE_INSIDE("(arrow_function body: (_) @at)", "");
	LINES(CALL_Q, w,
	      "xs.forEach((x) => q(x));\n"
	      "xs.forEach(function (x) { q(x); });\n"
	      "q(1);\n", "0");
}

Test(engine, inside_walk_matches_a_callback_that_is_the_at_capture)
{
	/*
	 * A per-item callback is the loop body: `xs.forEach((x) => q(x))`,
	 * with @at on the arrow function. The walk stops at the function, but
	 * a match whose @at IS that function must still count (n-plus-one's
	 * map/forEach/Select/for_each clauses rely on it).
	 */
	const char *w = "    where:\n"
			"      - inside: |\n"
			"          (call_expression\n"
			"            function: (member_expression property: (property_identifier) @it)\n"
			"            arguments: (arguments (arrow_function) @at)\n"
			"            (#eq? @it \"forEach\"))\n";
	LINES(CALL_Q, w,
	      "xs.forEach((x) => q(x));\n"
	      "xs.forEach((x) => { function inner() { q(x); } });\n"
	      "q(1);\n", "0");
}

Test(engine, same_ties_captures_by_text)
{
	const char *q = "(call_expression\n"
			"  function: (member_expression object: (identifier) @h\n"
			"    property: (property_identifier) @m (#eq? @m \"perform\"))) @report\n";
	const char *u = "    unless:\n"
			"      - has: |\n"
			"          (call_expression\n"
			"            function: (member_expression object: (identifier) @h\n"
			"              property: (property_identifier) @m2 (#eq? @m2 \"setTimeout\")))\n"
			"        in: file\n"
			"        same: [h]\n";
	LINES(q, u, "a.setTimeout(5);\na.perform();\nb.perform();\n", "2");
}

Test(engine, except_keeps_a_condition_from_holding)
{
	/* unless the call is in a try block, except when the catch rethrows */
	const char *u = "    unless:\n"
			"      - inside: '(try_statement body: (_) @at)'\n"
			"        except:\n"
			"          - has: (throw_statement)\n"
			"            in: function\n";
	LINES(CALL_Q, u,
	      "function a() { try { q(1); } catch (e) {} }\n"
	      "function b() { try { q(2); } catch (e) { throw e; } }\n"
	      "function c() { q(3); }\n", "1 2");
}

Test(engine, except_nests_and_names_are_checked)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-except", "javascript", NULL, FETCH,
		"    unless:\n"
		"      - has: (object)\n"
		"        except:\n"
		"          - has: (array)\n"
		"            in: nope\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-except.yml:17:18: ", "'in: nope' names no capture");
	bk_ruleset_release(&set);
}

Test(engine, file_condition_matches_the_path_of_the_checked_file)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "cond", "javascript", NULL, CALL_Q,
		"    unless:\n"
		"      - file: '(?:^|/)app/.*/route\\.[jt]s$'\n"
		"        except:\n"
		"          - file: /keep/\n");
	eng_run(&set, "src/app/api/login/route.js", "q(1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 0);
	bk_report_release(&rep);
	eng_run(&set, "src/app/keep/route.js", "q(1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	bk_report_release(&rep);
	eng_run(&set, "src/lib/route.js", "q(1);\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, file_condition_takes_no_scope_and_a_valid_regex)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char *text = eng_rule_text("bad-file", "javascript", NULL, CALL_Q,
				   "    unless:\n      - file: x\n        in: file\n");

	cr_assert_neq(bk_ruleset_add_text(&set, "rules/bad-file.yml", text, strlen(text), &err), 0);
	ENG_ASSERT_MSG(err, "rules/bad-file.yml:13:9: ", "takes no 'in'");
	free(text);
	bk_ruleset_release(&set);
	memset(&set, 0, sizeof(set));
	eng_add(&set, "bad-file", "javascript", NULL, CALL_Q, "    unless:\n      - file: 'a(b'\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-file.yml:13:16: ", "invalid regex");
	bk_ruleset_release(&set);
}

Test(engine, same_naming_a_missing_capture_is_an_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-same", "javascript", NULL, FETCH,
		"    unless:\n      - has: (object) @o\n        same: [zz]\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-same.yml:15:14: ", "'same: zz' needs a capture @zz in both");
	bk_ruleset_release(&set);
}

Test(engine, same_capture_must_be_in_the_rules_own_query)
{
	/*
	 * All rules of a language share one combined query: @h exists there
	 * because of the other rule, but not in bad-same's pattern, so its
	 * condition could never hold. That is a mistake in bad-same.
	 */
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "has-h", "javascript", NULL, "(identifier) @h\n", NULL);
	eng_add(&set, "bad-same", "javascript", NULL, FETCH,
		"    unless:\n      - has: (identifier) @h\n        same: [h]\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG, "accepted a capture of another rule");
	ENG_ASSERT_MSG(err, "rules/bad-same.yml:15:14: ", "'same: h' needs a capture @h");
	bk_ruleset_release(&set);
}

Test(engine, condition_query_error_points_into_the_condition)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-cond", "javascript", NULL, FETCH,
		"    unless:\n"
		"      - has: |\n"
		"          (call_expression\n"
		"            function: (nope))\n");
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-cond.yml:17:24: ", "unknown node type 'nope'");
	bk_ruleset_release(&set);
}
