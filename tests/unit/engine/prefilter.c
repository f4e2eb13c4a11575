/*
 * The prefilter: a file that contains none of its language's needles is
 * counted in files_prefiltered and never parsed. Needles are declared
 * (`needles:`) or derived from #eq?/#any-of? strings.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "base/lang.h"
#include "helpers.h"

struct outcome {
	size_t scanned, prefiltered, findings;
	uint64_t parse_ns;
};

static struct outcome scan_mode(const struct bk_ruleset *set, enum bk_engine_mode mode,
				const char *text)
{
	struct bk_engine *e = eng_build_mode(set, mode);
	struct bk_worker *w = bk_worker_new(e);
	struct bk_report rep = { 0 };
	struct outcome o;

	cr_assert_eq(bk_engine_check(w, "a.js", bk_lang_by_name("javascript"), text,
				     strlen(text), BK_ROLE_SOURCE, 0, &rep), 0);
	o.scanned = rep.files_scanned;
	o.prefiltered = rep.files_prefiltered;
	o.findings = rep.findings_nr;
	o.parse_ns = bk_worker_stats(w)->parse_ns;
	bk_report_release(&rep);
	bk_worker_free(w);
	bk_engine_free(e);
	return o;
}

/* In both modes: was the file parsed (scanned) or prefiltered? */
static void expect_scanned(const struct bk_ruleset *set, const char *text, int scanned)
{
	for (int mode = BK_MODE_COMBINED; mode <= BK_MODE_PER_RULE; mode++) {
		struct outcome o = scan_mode(set, (enum bk_engine_mode)mode, text);
		const char *m = mode == BK_MODE_COMBINED ? "combined" : "per-rule";
		if (scanned) {
			cr_assert_eq(o.scanned, 1, "%s: not scanned:\n%s", m, text);
			cr_assert_eq(o.prefiltered, 0, "%s", m);
		} else {
			cr_assert_eq(o.prefiltered, 1, "%s: not prefiltered:\n%s", m, text);
			cr_assert_eq(o.scanned, 0, "%s: files_scanned changed", m);
			cr_assert_eq(o.parse_ns, 0, "%s: the file was parsed", m);
			cr_assert_eq(o.findings, 0, "%s", m);
		}
	}
}

#define CALL_OF(name) \
	"(call_expression function: (identifier) @fn (#eq? @fn \"" name "\")) @report\n"

Test(engine, file_without_a_derived_needle_is_not_parsed)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "fetchy", "javascript", NULL, CALL_OF("fetch"), NULL);
	expect_scanned(&set, "let x = 1;\nconsole.log(x);\n", 0);
	expect_scanned(&set, "let x = fetch(u);\n", 1);
	expect_scanned(&set, "// fetch is mentioned only here\n", 1);
	bk_ruleset_release(&set);
}

Test(engine, any_of_gives_one_needle_per_string)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "net", "javascript", NULL,
		"(call_expression function: (identifier) @fn (#any-of? @fn \"get\" \"post\")) @report\n",
		NULL);
	expect_scanned(&set, "post(u);\n", 1);
	expect_scanned(&set, "get(u);\n", 1);
	expect_scanned(&set, "put(u);\n", 0);
	bk_ruleset_release(&set);
}

Test(engine, declared_needles_are_used)
{
	struct bk_ruleset set = { 0 };

	/* No literal in the query: only the declared needle can gate it. */
	eng_add(&set, "dbg", "javascript", NULL, "(debugger_statement) @report\n",
		"    needles: [debugger]\n");
	expect_scanned(&set, "let x = 1;\n", 0);
	expect_scanned(&set, "debugger;\n", 1);
	bk_ruleset_release(&set);
}

Test(engine, declared_needles_replace_derived_ones)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "fetchy", "javascript", NULL, CALL_OF("fetch"), "    needles: [http]\n");
	expect_scanned(&set, "fetch(u);\n", 0);
	expect_scanned(&set, "import http from 'x';\nfetch(u);\n", 1);
	bk_ruleset_release(&set);
}

Test(engine, rule_without_needles_disables_the_combined_prefilter)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "fetchy", "javascript", NULL, CALL_OF("fetch"), NULL);
	eng_add(&set, "any-number", "javascript", NULL, "(number) @report\n", NULL);
	expect_scanned(&set, "let x = 'no needle';\n", 1);
	bk_ruleset_release(&set);
}

Test(engine, negated_predicates_give_no_needle)
{
	struct bk_ruleset set = { 0 };

	eng_add(&set, "not-ok", "javascript", NULL,
		"(call_expression function: (identifier) @fn (#not-eq? @fn \"ok\")) @report\n", NULL);
	expect_scanned(&set, "bad(1);\n", 1);
	bk_ruleset_release(&set);
}

Test(engine, predicate_on_an_optional_capture_gives_no_needle)
{
	/* An absent optional capture satisfies its predicate: f() matches. */
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "opt", "javascript", NULL,
		"(call_expression\n  function: (identifier) @fn\n"
		"  arguments: (arguments (string)? @s)\n  (#eq? @s \"'x'\")) @report\n", NULL);
	expect_scanned(&set, "f();\n", 1);
	eng_run(&set, "a.js", "f();\n", &rep);
	cr_assert_eq(rep.findings_nr, 1);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, findings_are_the_same_with_and_without_the_prefilter)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "fetchy", "javascript", NULL, CALL_OF("fetch"), NULL);
	eng_add(&set, "dbg", "javascript", NULL, "(debugger_statement) @report\n",
		"    needles: [debugger]\n");
	eng_run(&set, "a.js", "fetch(a);\ndebugger;\nrefetch(b);\n", &rep);
	cr_assert_eq(rep.findings_nr, 2);
	cr_assert_str_eq(rep.findings[0].rule->id, "fetchy");
	cr_assert_str_eq(rep.findings[1].rule->id, "dbg");
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}

Test(engine, text_language_files_are_always_scanned)
{
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };

	eng_add(&set, "star", "sql", NULL, "(?i)select\\s+\\*", NULL);
	eng_run(&set, "a.sql", "insert into t values (1);\n", &rep);
	cr_assert_eq(rep.files_scanned, 1);
	cr_assert_eq(rep.files_prefiltered, 0);
	cr_assert_eq(rep.bytes_scanned, 26);
	bk_report_release(&rep);
	bk_ruleset_release(&set);
}
