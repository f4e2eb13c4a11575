/*
 * bk_rule_parse: a complete rule, and every mistake reported as
 * path:line:col with what was expected.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "base/lang.h"
#include "lint/rule-load.h"

#define PATH "rules/demo.yml"

/* Six lines of required fields, then a minimal languages block (7-9). */
#define HEAD "id: demo\ntitle: Demo\nseverity: warning\ncategory: correctness\n" \
	     "rationale: Because.\nfix: Do not.\n"
#define LANGS "languages:\n  javascript:\n    query: (identifier) @x\n"

static int parse(struct bk_rule *r, const char *text, struct bk_err *err)
{
	return bk_rule_parse(r, PATH, text, strlen(text), err);
}

/* Parsing fails with BK_ECONFIG, the message starts with where, has what. */
#define ASSERT_FAILS(text, where, what) \
	do { \
		struct bk_rule r_; \
		struct bk_err e_ = { 0 }; \
		cr_assert_eq(parse(&r_, (text), &e_), BK_ECONFIG, "parsed, want an error"); \
		cr_assert(!strncmp(e_.msg, where, strlen(where)), \
			  "want a message starting '%s', got: %s", where, e_.msg); \
		cr_assert(strstr(e_.msg, what), "want '%s' in: %s", what, e_.msg); \
		cr_assert_null(r_.id, "a failed parse leaves nothing behind"); \
	} while (0)

static const char full[] =
	"id: demo\n"                                   /* 1 */
	"title: Demo rule\n"                           /* 2 */
	"severity: warning\n"                          /* 3 */
	"category: correctness\n"                      /* 4 */
	"message: \"{{fn}}() is bad\"\n"               /* 5 */
	"rationale: Because.\n"                        /* 6 */
	"fix: Do not.\n"                               /* 7 */
	"docs: https://example.com/demo\n"             /* 8 */
	"languages:\n"                                 /* 9 */
	"  javascript: &js\n"                          /* 10 */
	"    query: |\n"                               /* 11 */
	"      (call_expression\n"                     /* 12 */
	"        function: (identifier) @fn (#eq? @fn \"bad\")) @report\n" /* 13 */
	"    needles: [bad, worse]\n"                  /* 14 */
	"    message: js says {{fn}}\n"                /* 15 */
	"    unless:\n"                                /* 16 */
	"      - has: |\n"                             /* 17 */
	"          (arguments (object))\n"             /* 18 */
	"        in: function\n"                       /* 19 */
	"        same: [fn]\n"                         /* 20 */
	"      - has: (x) @h\n"                        /* 21 */
	"        in: fn\n"                             /* 22 */
	"    where:\n"                                 /* 23 */
	"      - inside: |\n"                          /* 24 */
	"          (for_statement body: (_) @at)\n"    /* 25 */
	"        across-functions: true\n"             /* 26 */
	"  typescript: *js\n"                          /* 27 */
	"  sql:\n"                                     /* 28 */
	"    regex: '(?i)\\bbad\\('\n"                 /* 29 */
	"examples:\n"                                  /* 30 */
	"  javascript:\n"                              /* 31 */
	"    bad: [\"bad(1)\", \"bad(2)\"]\n"          /* 32 */
	"    good: [\"ok(1)\"]\n"                      /* 33 */
	"  sql:\n"                                     /* 34 */
	"    bad: \"select bad(1)\"\n";                /* 35 */

Test(rule, complete_rule_parses_every_field)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, full, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.id, "demo");
	cr_assert_str_eq(r.title, "Demo rule");
	cr_assert_eq(r.severity, BK_SEV_WARNING);
	cr_assert_str_eq(r.category, "correctness");
	cr_assert_str_eq(r.message, "{{fn}}() is bad");
	cr_assert_str_eq(r.rationale, "Because.");
	cr_assert_str_eq(r.fix, "Do not.");
	cr_assert_str_eq(r.docs, "https://example.com/demo");
	cr_assert_str_eq(r.path, PATH);
	cr_assert_eq(r.enabled, 1);
	cr_assert_eq(r.langs_nr, 3);
	bk_rule_release(&r);
}

Test(rule, complete_rule_parses_the_language_entry)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, full, &err), 0, "%s", err.msg);
	const struct bk_rule_lang *js = &r.langs[0];
	cr_assert_eq(js->lang, bk_lang_by_name("javascript"));
	cr_assert(!strncmp(js->query_src, "(call_expression\n  function:", 28), "%s", js->query_src);
	cr_assert_null(js->regex_src);
	cr_assert_eq(js->query_line, 12);
	cr_assert_eq(js->query_col, 7);
	cr_assert_eq(js->loc.line, 10);
	cr_assert_str_eq(js->loc.file, PATH);
	cr_assert_str_eq(js->message, "js says {{fn}}");
	cr_assert_eq(js->needles_nr, 2);
	cr_assert_str_eq(js->needles[0], "bad");
	cr_assert_str_eq(js->needles[1], "worse");

	cr_assert_eq(js->unless_nr, 2);
	const struct bk_cond *u = &js->unless[0];
	cr_assert_eq(u->kind, BK_COND_HAS);
	cr_assert_eq(u->scope, BK_SCOPE_FUNCTION);
	cr_assert_str_eq(u->query_src, "(arguments (object))\n");
	cr_assert_eq(u->loc.line, 18, "the condition's location is its query text");
	cr_assert_eq(u->loc.col, 11);
	cr_assert_eq(u->same_nr, 1);
	cr_assert_str_eq(u->same[0], "fn");
	cr_assert_eq(js->unless[1].scope, BK_SCOPE_CAPTURE);
	cr_assert_str_eq(js->unless[1].scope_capture, "fn");
	cr_assert_eq(js->unless[1].loc.line, 21);
	cr_assert_eq(js->unless[1].loc.col, 14);

	cr_assert_eq(js->where_nr, 1);
	cr_assert_eq(js->where[0].kind, BK_COND_INSIDE);
	cr_assert_eq(js->where[0].across_functions, 1);
	cr_assert_eq(js->where[0].scope, BK_SCOPE_REPORT);
	cr_assert_eq(js->where[0].loc.line, 25);
	bk_rule_release(&r);
}

Test(rule, alias_reuses_an_entry_for_another_language)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, full, &err), 0, "%s", err.msg);
	const struct bk_rule_lang *ts = &r.langs[1];
	cr_assert_eq(ts->lang, bk_lang_by_name("typescript"));
	cr_assert_str_eq(ts->query_src, r.langs[0].query_src);
	cr_assert_eq(ts->unless_nr, 2);
	cr_assert_eq(ts->where_nr, 1);
	cr_assert_eq(ts->query_line, 12, "positions are those of the anchored text");
	cr_assert_neq(ts->needles, r.langs[0].needles, "each entry owns its copy");
	bk_rule_release(&r);
}

Test(rule, text_language_takes_a_regex)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, full, &err), 0, "%s", err.msg);
	const struct bk_rule_lang *sql = &r.langs[2];
	cr_assert_eq(sql->lang, bk_lang_by_name("sql"));
	cr_assert_null(sql->query_src);
	cr_assert_str_eq(sql->regex_src, "(?i)\\bbad\\(");
	cr_assert_eq(sql->query_line, 29);
	cr_assert_eq(sql->query_col, 13);
	bk_rule_release(&r);
}

Test(rule, examples_are_collected_with_language_and_kind)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, full, &err), 0, "%s", err.msg);
	cr_assert_eq(r.examples_nr, 4);
	size_t bad = 0, good = 0, sql = 0;
	for (size_t i = 0; i < r.examples_nr; i++) {
		r.examples[i].bad ? bad++ : good++;
		sql += r.examples[i].lang == bk_lang_by_name("sql");
	}
	cr_assert_eq(bad, 3);
	cr_assert_eq(good, 1);
	cr_assert_eq(sql, 1, "a single string is one example");
	const struct bk_example *ok = NULL;
	for (size_t i = 0; i < r.examples_nr; i++)
		if (!r.examples[i].bad)
			ok = &r.examples[i];
	cr_assert_str_eq(ok->code, "ok(1)");
	cr_assert_eq(ok->loc.line, 33);
	bk_rule_release(&r);
}

Test(rule, message_defaults_to_title)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, HEAD LANGS, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.message, "Demo");
	cr_assert_null(r.docs);
	cr_assert_eq(r.examples_nr, 0);
	cr_assert_eq(r.langs[0].unless_nr, 0);
	bk_rule_release(&r);
}

Test(rule, severity_names_round_trip)
{
	enum bk_severity s;
	cr_assert_eq(bk_severity_parse(&s, "error"), 0);
	cr_assert_eq(s, BK_SEV_ERROR);
	cr_assert_eq(bk_severity_parse(&s, "info"), 0);
	cr_assert_eq(s, BK_SEV_INFO);
	cr_assert_eq(bk_severity_parse(&s, "Error"), -1);
	cr_assert_str_eq(bk_severity_name(BK_SEV_WARNING), "warning");
}

Test(rule, missing_id_is_reported_at_the_rule)
{
	ASSERT_FAILS("title: Demo\nseverity: warning\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:1: ", "missing required key 'id'");
}

Test(rule, missing_title_is_reported)
{
	ASSERT_FAILS("id: demo\nseverity: warning\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:1: ", "missing required key 'title'");
}

Test(rule, missing_severity_is_reported)
{
	ASSERT_FAILS("id: demo\ntitle: t\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:1: ", "missing required key 'severity'");
}

Test(rule, missing_languages_is_reported)
{
	ASSERT_FAILS(HEAD, PATH ":1:1: ", "missing required key 'languages'");
}

Test(rule, empty_string_value_is_an_error)
{
	ASSERT_FAILS("id: demo\ntitle: ''\nseverity: warning\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":2:8: ", "'title' must be a non-empty string");
}

Test(rule, unknown_key_names_its_position_and_the_expected_keys)
{
	ASSERT_FAILS(HEAD "owner: me\n" LANGS, PATH ":7:1: ",
		     "unknown key 'owner' in a rule (expected one of: id, title, severity, "
		     "category, message, rationale, fix, docs, languages, examples, roles, enabled, params)");
}

Test(rule, unknown_severity_is_reported_at_the_value)
{
	ASSERT_FAILS("id: demo\ntitle: t\nseverity: fatal\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":3:11: ",
		     "unknown severity 'fatal' (expected error, warning or info)");
}

Test(rule, invalid_id_is_reported_at_the_value)
{
	ASSERT_FAILS("id: Demo_Rule\ntitle: t\nseverity: info\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:5: ", "invalid rule id 'Demo_Rule' (lowercase letters, digits and '-')");
	ASSERT_FAILS("id: 9lives\ntitle: t\nseverity: info\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:5: ", "invalid rule id '9lives'");
}

Test(rule, id_must_match_the_file_name)
{
	/* rule format: "id: ... same as the file name" */
	ASSERT_FAILS("id: other\ntitle: t\nseverity: info\ncategory: c\nrationale: r\nfix: f\n" LANGS,
		     PATH ":1:5: ", "demo");
}

Test(rule, unknown_language_lists_the_languages)
{
	ASSERT_FAILS(HEAD "languages:\n  cobol:\n    query: (x)\n", PATH ":8:3: ",
		     "unknown language 'cobol' (expected one of: c, javascript, typescript, "
		     "tsx, python, go, rust, csharp, sql)");
}

Test(rule, language_listed_twice_is_an_error)
{
	ASSERT_FAILS(HEAD LANGS "  javascript:\n    query: (y) @y\n", PATH ":10:3: ",
		     "language listed twice");
}

Test(rule, languages_must_not_be_empty)
{
	ASSERT_FAILS(HEAD "languages: {}\n", PATH ":7:12: ",
		     "'languages' must map language names to queries");
}

Test(rule, regex_for_a_grammar_language_is_reported_at_the_regex)
{
	ASSERT_FAILS(HEAD "languages:\n  javascript:\n    query: (x) @x\n    regex: 'x'\n",
		     PATH ":10:", "'javascript' takes a tree-sitter 'query', not a 'regex'");
}

Test(rule, query_for_sql_is_reported_at_the_query)
{
	ASSERT_FAILS(HEAD "languages:\n  sql:\n    regex: 'x'\n    query: (x) @x\n",
		     PATH ":10:", "'sql' has no grammar: give a 'regex', not a 'query'");
}

Test(rule, grammar_language_needs_a_query)
{
	ASSERT_FAILS(HEAD "languages:\n  python:\n    message: m\n", PATH ":9:5: ",
		     "missing required key 'query'");
}

Test(rule, unknown_key_in_a_language_entry)
{
	ASSERT_FAILS(HEAD LANGS "    qeury: (x)\n", PATH ":10:5: ",
		     "unknown key 'qeury' in a language entry (expected one of: query, regex, "
		     "unless, where, needles, prefilter, report-at, message)");
}

Test(rule, report_at_is_kept_with_its_position)
{
	struct bk_rule r;
	struct bk_err err = { 0 };
	const char *text = HEAD LANGS "    report-at: '\\*'\n";

	cr_assert_eq(parse(&r, text, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.langs[0].report_at_src, "\\*");
	cr_assert_eq(r.langs[0].report_at_loc.line, 10);
	cr_assert_str_eq(r.langs[0].report_at_loc.file, PATH);
	bk_rule_release(&r);
}

Test(rule, enabled_false_makes_a_rule_off_by_default)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, HEAD "enabled: false\n" LANGS, &err), 0, "%s", err.msg);
	cr_assert_eq(r.enabled, 0);
	bk_rule_release(&r);
	cr_assert_eq(parse(&r, HEAD "enabled: true\n" LANGS, &err), 0, "%s", err.msg);
	cr_assert_eq(r.enabled, 1);
	bk_rule_release(&r);
}

Test(rule, enabled_must_be_a_boolean)
{
	ASSERT_FAILS(HEAD "enabled: maybe\n" LANGS, PATH ":7:10: ", "'enabled' must be true or false");
	ASSERT_FAILS(HEAD "enabled: [true]\n" LANGS, PATH ":7:10: ", "'enabled' must be true or false");
}

#define COND(body) HEAD LANGS "    unless:\n" body

Test(rule, condition_with_both_has_and_inside)
{
	ASSERT_FAILS(COND("      - has: (a)\n        inside: (b)\n"), PATH ":11:9: ",
		     "a condition needs exactly one of 'has', 'inside' or 'file'");
}

Test(rule, condition_with_neither_has_nor_inside)
{
	ASSERT_FAILS(COND("      - in: file\n"), PATH ":11:9: ",
		     "a condition needs exactly one of 'has', 'inside' or 'file'");
}

Test(rule, condition_must_be_a_mapping)
{
	ASSERT_FAILS(COND("      - (a)\n"), PATH ":11:9: ",
		     "a condition must be a mapping with 'has', 'inside' or 'file'");
	ASSERT_FAILS(HEAD LANGS "    where: (a)\n", PATH ":10:12: ",
		     "'where' must be a list of conditions");
}

Test(rule, in_on_an_inside_condition_is_an_error)
{
	ASSERT_FAILS(COND("      - inside: (a)\n        in: function\n"), PATH ":12:13: ",
		     "'in' applies to 'has' conditions only");
}

Test(rule, in_must_name_a_scope)
{
	ASSERT_FAILS(COND("      - has: (a)\n        in: two words\n"), PATH ":12:13: ",
		     "'in' must be report, function, file, a capture name or definition-of");
}

Test(rule, same_must_be_a_list)
{
	ASSERT_FAILS(COND("      - has: (a) @h\n        same: {h: 1}\n"), PATH ":12:15: ",
		     "'same' must be a string or a list of strings");
	ASSERT_FAILS(COND("      - has: (a) @h\n        same: [[h]]\n"), PATH ":12:16: ",
		     "items of 'same' must be strings");
}

Test(rule, across_functions_must_be_a_boolean)
{
	ASSERT_FAILS(COND("      - inside: (a)\n        across-functions: yes\n"), PATH ":12:27: ",
		     "'across-functions' must be true or false");
}

Test(rule, unknown_key_in_a_condition)
{
	ASSERT_FAILS(COND("      - has: (a)\n        scope: file\n"), PATH ":12:9: ",
		     "unknown key 'scope' in a condition");
}

Test(rule, examples_with_an_unknown_language)
{
	ASSERT_FAILS(HEAD LANGS "examples:\n  js:\n    bad: [\"x\"]\n", PATH ":11:3: ",
		     "unknown language 'js' in examples");
}

Test(rule, examples_take_only_bad_and_good)
{
	ASSERT_FAILS(HEAD LANGS "examples:\n  javascript:\n    ugly: [\"x\"]\n", PATH ":12:5: ",
		     "unknown key 'ugly' in examples (expected one of: bad, good)");
}

Test(rule, example_must_be_a_string)
{
	ASSERT_FAILS(HEAD LANGS "examples:\n  javascript:\n    bad: [{a: 1}]\n", PATH ":12:11: ",
		     "an example must be a string of code");
}

Test(rule, empty_file_is_an_error)
{
	ASSERT_FAILS("", PATH ":1:1: ", "empty rule file");
	ASSERT_FAILS("# nothing\n", PATH ":1:1: ", "empty rule file");
}

Test(rule, file_must_hold_a_mapping)
{
	ASSERT_FAILS("- id: demo\n", PATH ":1:1: ", "a rule file must hold a mapping");
}

Test(rule, invalid_yaml_is_located)
{
	ASSERT_FAILS("id: demo\ntitle: [\n", PATH ":3:1: ", "invalid YAML");
}

/* Five lines of required fields without a fix, for the keyed-fix tests. */
#define HEAD_NO_FIX "id: demo\ntitle: Demo\nseverity: warning\ncategory: correctness\n" \
		    "rationale: Because.\n"
#define LANGS_JS_TS_GO "languages:\n  javascript: &q\n    query: (identifier) @x\n" \
		       "  typescript: *q\n  go: *q\n"

Test(rule, keyed_fix_gives_each_language_its_text)
{
	static const char text[] = HEAD_NO_FIX
		"fix:\n"
		"  javascript: &js Pass a signal.\n"
		"  typescript: *js\n"
		"  go: >\n    Use a Client\n    with a Timeout.\n"
		"  default: Set a timeout.\n"
		LANGS_JS_TS_GO "  rust: *q\n";
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, text, &err), 0, "%s", err.msg);
	cr_assert_eq(r.fixes_nr, 4);
	cr_assert_str_eq(bk_rule_fix_for(&r, bk_lang_by_name("javascript")), "Pass a signal.");
	cr_assert_str_eq(bk_rule_fix_for(&r, bk_lang_by_name("typescript")), "Pass a signal.");
	cr_assert_str_eq(bk_rule_fix_for(&r, bk_lang_by_name("go")), "Use a Client with a Timeout.\n");
	cr_assert_str_eq(bk_rule_fix_for(&r, bk_lang_by_name("rust")), "Set a timeout.",
			 "a language without its own text gets the default");
	cr_assert_str_eq(r.fix, "javascript, typescript: Pass a signal.\n\n"
				"go: Use a Client with a Timeout.\n\n"
				"other languages: Set a timeout.");
	cr_assert_str_eq(bk_rule_fix_for(&r, -1), r.fix, "no language: the whole fix");
	bk_rule_release(&r);
}

Test(rule, string_fix_serves_every_language)
{
	struct bk_rule r;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&r, HEAD LANGS, &err), 0, "%s", err.msg);
	cr_assert_eq(r.fixes_nr, 0);
	cr_assert_str_eq(bk_rule_fix_for(&r, bk_lang_by_name("javascript")), "Do not.");
	cr_assert_str_eq(bk_rule_fix_for(&r, -1), "Do not.");
	bk_rule_release(&r);
}

Test(rule, keyed_fix_must_cover_every_language)
{
	ASSERT_FAILS(HEAD_NO_FIX "fix:\n  javascript: a\n  go: b\n" LANGS_JS_TS_GO, PATH ":7:3: ",
		     "'fix' has no text for 'typescript' (add one, or a 'default')");
}

Test(rule, keyed_fix_names_only_the_rule_languages)
{
	ASSERT_FAILS(HEAD_NO_FIX "fix:\n  cobol: a\n  default: b\n" LANGS_JS_TS_GO, PATH ":7:3: ",
		     "unknown language 'cobol' in 'fix'");
	ASSERT_FAILS(HEAD_NO_FIX "fix:\n  c: a\n  default: b\n" LANGS_JS_TS_GO, PATH ":7:3: ",
		     "'fix' has a text for 'c', which is not under 'languages'");
}

Test(rule, keyed_fix_takes_strings_only)
{
	ASSERT_FAILS(HEAD_NO_FIX "fix:\n  go: [a]\n  default: b\n" LANGS_JS_TS_GO, PATH ":7:7: ",
		     "the fix for 'go' must be a non-empty string");
	ASSERT_FAILS(HEAD_NO_FIX "fix: [a, b]\n" LANGS_JS_TS_GO, PATH ":6:6: ",
		     "'fix' must be a string, or map language names to strings");
	ASSERT_FAILS(HEAD_NO_FIX LANGS_JS_TS_GO, PATH ":1:1: ", "missing required key 'fix'");
}

Test(rule, keyed_fix_names_a_language_once)
{
	ASSERT_FAILS(HEAD_NO_FIX "fix:\n  go: a\n  default: b\n  default: c\n" LANGS_JS_TS_GO,
		     PATH ":9:3: ", "'default' listed twice in 'fix'");
}

Test(rule, params_expand_in_queries_and_file_regexes)
{
	struct bk_rule r;
	struct bk_err err = { 0 };
	const char *text = HEAD
		"params:\n  keys: [Idempotency-Key, a.b]\n  none: []\n"
		"languages:\n  javascript:\n"
		"    query: ((string) @s (#match? @s \"{{params.keys}}|{{params.none}}\"))\n"
		"    unless:\n      - file: '/{{params.keys}}/'\n";

	cr_assert_eq(parse(&r, text, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.langs[0].query_src,
			 "((string) @s (#match? @s \"(?:Idempotency[-_]?Key|a\\\\.b)|(?!)\"))");
	cr_assert_str_eq(r.langs[0].unless[0].query_src, "/(?:Idempotency[-_]?Key|a\\.b)/");
	/* more values, and the queries follow */
	r.params[0].values[1][0] = 'X';
	cr_assert_eq(bk_rule_expand_params(&r, &err), 0, "%s", err.msg);
	cr_assert_str_eq(r.langs[0].unless[0].query_src, "/(?:Idempotency[-_]?Key|X\\.b)/");
	bk_rule_release(&r);
}

Test(rule, unknown_param_is_reported_at_the_query)
{
	ASSERT_FAILS(HEAD "params:\n  keys: [K]\n"
		     "languages:\n  javascript:\n    query: (x \"{{params.key}}\")\n",
		     PATH ":11:12: ", "unknown parameter '{{params.key}}'");
	ASSERT_FAILS(HEAD "params: [K]\n" LANGS, PATH ":7:9: ", "'params' must map");
}
