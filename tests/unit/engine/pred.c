/*
 * Query predicates as evaluated by the engine: #eq? #not-eq? #any-of?
 * #not-any-of? #match? #not-match? #empty?, and their load-time errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "base/lang.h"
#include "base/util.h"
#include "helpers.h"

/* The callee names reported by a one-rule engine over query, in order. */
static void callees(const char *query, const char *path, const char *text,
		    char *out, size_t n)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "pred", path[strlen(path) - 1] == 'y' ? "python" : "javascript",
		NULL, query, NULL);
	eng_run(&set, path, text, &rep);
	out[0] = '\0';
	for (size_t i = 0; i < rep.findings_nr; i++) {
		const struct bk_finding *f = &rep.findings[i];
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%.*s", i ? " " : "",
			 (int)(f->end_byte - f->start_byte), text + f->start_byte);
	}
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

#define CALLEES(query, text, want) \
	do { \
		char got_[512]; \
		callees(query, "a.js", text, got_, sizeof(got_)); \
		cr_assert_str_eq(got_, want); \
	} while (0)

#define FN(pred) "(call_expression function: (identifier) @report " pred ")\n"

Test(engine, eq_compares_with_a_string)
{
	CALLEES(FN("(#eq? @report \"fetch\")"), "fetch(); fetcher(); xfetch(); fetch();",
		"fetch fetch");
}

Test(engine, not_eq_excludes_a_string)
{
	CALLEES(FN("(#not-eq? @report \"ok\")"), "ok(); bad(); okay();", "bad okay");
}

Test(engine, eq_compares_two_captures)
{
	CALLEES("(assignment_expression left: (identifier) @a right: (identifier) @b\n"
		"  (#eq? @a @b)) @report\n",
		"x = x;\nx = y;\nyy = yy;\n", "x = x yy = yy");
}

Test(engine, not_eq_compares_two_captures)
{
	CALLEES("(assignment_expression left: (identifier) @a right: (identifier) @b\n"
		"  (#not-eq? @a @b)) @report\n",
		"x = x;\nx = y;\n", "x = y");
}

Test(engine, any_of_accepts_any_listed_string)
{
	CALLEES(FN("(#any-of? @report \"a\" \"c\" \"e\")"), "a(); b(); c(); d(); e(); ab();",
		"a c e");
}

Test(engine, not_any_of_rejects_every_listed_string)
{
	CALLEES(FN("(#not-any-of? @report \"a\" \"c\")"), "a(); b(); c(); d();", "b d");
}

Test(engine, match_searches_anywhere_in_the_capture)
{
	CALLEES(FN("(#match? @report \"User\")"), "getUser(); getUserById(); user();",
		"getUser getUserById");
	CALLEES(FN("(#match? @report \"^get[A-Z]\")"), "getUser(); forgetIt(); getx();",
		"getUser");
	CALLEES(FN("(#match? @report \"(?i)^sql$\")"), "SQL(); sql(); sqlx();", "SQL sql");
}

Test(engine, not_match_inverts)
{
	CALLEES(FN("(#not-match? @report \"^test\")"), "testA(); a(); tested();", "a");
}

Test(engine, all_predicates_of_a_pattern_must_hold)
{
	CALLEES(FN("(#match? @report \"^get\") (#not-eq? @report \"getter\")"),
		"get(); getter(); set();", "get");
}

#define EMPTY_CATCH "(catch_clause body: (statement_block) @b (#empty? @b)) @report\n"

Test(engine, empty_block_in_javascript)
{
	CALLEES(EMPTY_CATCH, "try { f() } catch (e) {}", "catch (e) {}");
	CALLEES(EMPTY_CATCH, "try { f() } catch (e) { ; }", "catch (e) { ; }");
	CALLEES(EMPTY_CATCH, "try { f() } catch (e) { log(e) }", "");
}

Test(engine, block_with_only_a_comment_is_empty)
{
	CALLEES(EMPTY_CATCH, "try { f() } catch (e) { /* ignore */ }", "catch (e) { /* ignore */ }");
	CALLEES(EMPTY_CATCH, "try { f() } catch (e) {\n  // nothing to do\n}",
		"catch (e) {\n  // nothing to do\n}");
}

Test(engine, comment_with_bkgen_ignore_makes_a_block_non_empty)
{
	CALLEES(EMPTY_CATCH,
		"try { f() } catch (e) {\n  // bkgen-ignore: other -- the file may be gone\n}", "");
}

#define PY_EMPTY_EXCEPT "(except_clause (block) @b (#empty? @b)) @report\n"

static void py_excepts(const char *text, size_t want)
{
	char got[512];
	size_t n = 0;
	callees(PY_EMPTY_EXCEPT, "a.py", text, got, sizeof(got));
	for (const char *p = got; (p = strstr(p, "except")); p++)
		n++;
	cr_assert_eq(n, want, "in:\n%s\ngot: %s", text, got);
}

Test(engine, empty_block_in_python_pass_and_ellipsis)
{
	py_excepts("try:\n    f()\nexcept E:\n    pass\n", 1);
	py_excepts("try:\n    f()\nexcept E:\n    ...\n", 1);
	py_excepts("try:\n    f()\nexcept E:\n    # why\n    pass\n", 1);
	py_excepts("try:\n    f()\nexcept E:\n    log()\n", 0);
	py_excepts("try:\n    f()\nexcept E:\n    pass\n    log()\n", 0);
}

Test(engine, python_bkgen_ignore_comment_in_a_block_makes_it_non_empty)
{
	/*
	 * tree-sitter-python attaches a comment that precedes the first
	 * statement to the except_clause, not to its block.
	 */
	py_excepts("try:\n    f()\nexcept E:\n    # bkgen-ignore: x -- fine\n    pass\n", 0);
}

Test(engine, predicate_on_every_node_of_a_quantified_capture)
{
	/* Every statement of the block must be a log() call. */
	CALLEES("(statement_block (expression_statement)+ @s (#match? @s \"^log\")) @report\n",
		"function f() { log(1); log(2); }\nfunction g() { log(1); x(); }\n",
		"{ log(1); log(2); }");
}

Test(engine, unknown_predicate_is_an_error_at_its_pattern)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-pred", "javascript", NULL,
		"(call_expression\n  function: (identifier) @fn (#is-fetch? @fn)) @report\n", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-pred.yml:11:7: ", "unknown predicate");
	cr_assert(strstr(err.msg, "is-fetch?"), "names the predicate: %s", err.msg);
	bk_ruleset_release(&set);
}

Test(engine, predicate_with_wrong_arguments_is_an_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "bad-args", "javascript", NULL,
		"(call_expression function: (identifier) @fn (#eq? @fn)) @report\n", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-args.yml:11:7: ", "#eq? takes a capture");
	bk_ruleset_release(&set);
}

Test(engine, invalid_regex_is_an_error_with_its_location)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	/* The first rule is fine; the error must point into the second one. */
	eng_add(&set, "fine", "javascript", NULL, FN("(#eq? @report \"a\")"), NULL);
	eng_add(&set, "bad-regex", "javascript", NULL,
		"(identifier) @x\n"
		"(call_expression\n  function: (identifier) @fn (#match? @fn \"get(\")) @report\n", NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG);
	ENG_ASSERT_MSG(err, "rules/bad-regex.yml:12:7: ", "invalid regex 'get('");
	cr_assert(strstr(err.msg, "missing closing parenthesis"), "says why: %s", err.msg);
	bk_ruleset_release(&set);
}

/* ---- regexes that give up at PCRE2's limits ---- */

#define SLOW_RE "^(a|a)+$" /* exponential on "aaa...ab" */

/* Check text with a one-rule engine; returns bk_engine_check's status. */
static int check_status(const char *lang, const char *query, const char *extra,
			const char *path, const char *text, struct bk_report *rep,
			struct bk_buf *why)
{
	struct bk_ruleset set = { 0 };
	struct bk_engine *e;
	struct bk_worker *w;
	int rc;

	eng_add(&set, "slow", lang, NULL, query, extra);
	e = eng_build(&set);
	w = bk_worker_new(e);
	rc = bk_engine_check(w, path, bk_lang_by_name(lang), text, strlen(text), BK_ROLE_SOURCE, 0, rep);
	if (rc == BK_ELIMIT)
		bk_worker_failure(w, why);
	bk_worker_free(w);
	bk_engine_free(e);
	bk_ruleset_release(&set);
	return rc;
}

Test(engine, match_limit_is_a_failure_not_a_mismatch)
{
	struct bk_report rep = { 0 };
	struct bk_buf why = BK_BUF_INIT;
	const char *text = "const aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab = 1;\nconst aaa = 2;\n";

	cr_assert_eq(check_status("javascript", "((identifier) @x (#match? @x \"" SLOW_RE "\")) @r\n",
				  NULL, "a.js", text, &rep, &why), BK_ELIMIT);
	cr_assert_eq(rep.findings_nr, 0, "the file's findings cannot be trusted");
	cr_assert(strstr(why.ptr, "the regex at rules/slow.yml:11:7 gave up: match limit exceeded"),
		  "%s", why.ptr);
	bk_buf_release(&why);
	bk_report_release(&rep);
}

Test(engine, match_limit_in_a_text_language_rule_is_a_failure)
{
	struct bk_report rep = { 0 };
	struct bk_buf why = BK_BUF_INIT;

	cr_assert_eq(check_status("sql", "(a|a)+$\n", NULL, "a.sql",
				  "SELECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab;\n", &rep, &why), BK_ELIMIT);
	cr_assert(strstr(why.ptr, "rules/slow.yml:11:7 gave up"), "%s", why.ptr);
	bk_buf_release(&why);
	bk_report_release(&rep);
}

Test(engine, prefilter_at_its_limit_lets_the_file_be_checked)
{
	/* a prefilter only spares work: giving up means "may match" */
	struct bk_report rep = { 0 };
	struct bk_buf why = BK_BUF_INIT;

	cr_assert_eq(check_status("javascript", "(debugger_statement) @r\n",
				  "    prefilter: '" SLOW_RE "'\n", "a.js",
				  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\ndebugger;\n", &rep, &why), 0,
		     "%s", why.ptr);
	cr_assert_eq(rep.findings_nr, 1);
	bk_buf_release(&why);
	bk_report_release(&rep);
}
