/*
 * Rule queries that crash or hang tree-sitter's query compiler are refused
 * before it sees them, with the rule file's line:col (query-check.c); and
 * random queries, checked and then compiled and run, never crash it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint/engine-int.h"
#include "base/lang.h"
#include "helpers.h"

static void expect_refused(const char *lang, const char *query, const char *prefix,
			   const char *what)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	eng_add(&set, "x", lang, NULL, query, NULL);
	cr_assert_eq(eng_build_err(&set, &err), BK_ECONFIG, "compiled, want an error");
	ENG_ASSERT_MSG(err, prefix, what);
	bk_ruleset_release(&set);
}

Test(engine, field_holding_only_a_predicate_is_refused)
{
	/* tree-sitter asserts here, or writes past its steps without asserts */
	expect_refused("javascript", "(pair value:(.r)) @report\n", "rules/x.yml:11:13: ",
		       "a field whose pattern is only a predicate in the javascript query");
	expect_refused("python", "(call\n  function: (#eq? @f \"eval\")) @r\n", "rules/x.yml:12:9: ",
		       "a field whose pattern is only a predicate");
	expect_refused("javascript", "(pair value: ((#eq? @v \"x\"))) @r\n", "rules/x.yml:11:20: ",
		       "a group made only of predicates");
}

Test(engine, predicates_without_a_node_are_refused)
{
	expect_refused("javascript", "((#eq? @a \"b\")) @c\n", "rules/x.yml:11:7: ",
		       "a group made only of predicates");
	expect_refused("javascript", "(identifier) @a [(#eq? @a \"b\")] @c\n", "rules/x.yml:11:24: ",
		       "an alternative made only of a predicate");
	/* a predicate standing alone is a pattern of its own that tests nothing */
	expect_refused("javascript", "(identifier) @a\n(#eq? @a \"b\")\n", "rules/x.yml:12:7: ",
		       "a predicate outside any pattern");
}

Test(engine, deep_nesting_is_refused)
{
	struct bk_buf q = BK_BUF_INIT;
	for (int i = 0; i < 150; i++)
		bk_buf_puts(&q, "(");
	bk_buf_puts(&q, "(identifier) @x");
	for (int i = 0; i < 150; i++)
		bk_buf_puts(&q, ")");
	expect_refused("javascript", q.ptr, "rules/x.yml:11:107: ",
		       "nesting deeper than 100 levels");
	bk_buf_release(&q);
}

Test(engine, huge_query_is_refused_without_parsing_it)
{
	/* a million open parentheses overflowed tree-sitter's stack */
	size_t n = 1000000;
	char *q = malloc(n + 2);
	memset(q, '(', n);
	q[n] = '\n';
	q[n + 1] = '\0';
	expect_refused("javascript", q, "rules/x.yml:11:7: ", "more than 65536 bytes");
	free(q);
}

Test(engine, repetition_that_loops_tree_sitter_is_refused)
{
	/* each of these sent ts_query_new round in circles, allocating */
	expect_refused("javascript", "(identifier)?+ @x\n", "rules/x.yml:11:20: ",
		       "a repetition of a pattern that may match nothing");
	expect_refused("javascript", "((identifier)*)+ @x\n", "rules/x.yml:11:22: ",
		       "a repetition of a pattern that may match nothing");
	expect_refused("javascript", "(_ (number)*)+ @x\n", "rules/x.yml:11:7: ",
		       "a repetition tree-sitter cannot compile");
	expect_refused("javascript", "(expression (number)?)+ @x\n", "rules/x.yml:11:7: ",
		       "a repetition tree-sitter cannot compile");
}

Test(engine, empty_node_string_is_refused)
{
	expect_refused("javascript", "(arguments \"\") @a\n", "rules/x.yml:11:18: ",
		       "an empty string, which names no node");
}

Test(engine, odd_but_valid_queries_still_compile)
{
	static const char *const ok[] = {
		"((identifier) @a (#eq? @a \"x\")) @r\n",
		"(pair value: (identifier) @v (#eq? @v \"x\")) @r\n",
		"(pair (number)*) @p\n",
		"((identifier) @a)+ @r\n",
		"(_ (number)+)+ @x\n",
		"[(identifier) (number)]? @x\n",
		"(primary_expression/identifier) @x\n",
		"(arguments . (string) @s .) @a\n",
		"(MISSING \";\") @m\n",
		"; a comment with a non-ASCII letter: \xc3\xa9\n((string) @s (#match? @s \"\xc3\xa9\"))\n",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		struct bk_ruleset set = { 0 };
		struct bk_err err = { 0 };
		eng_add(&set, "x", "javascript", NULL, ok[i], NULL);
		cr_assert_eq(eng_build_err(&set, &err), 0, "%s: %s", ok[i], err.msg);
		bk_ruleset_release(&set);
	}
}

Test(engine, rules_too_large_to_combine_run_one_query_each)
{
	/* Each rule fits; joined they would pass tree-sitter's 16-bit indices. */
	struct bk_ruleset set = { 0 };
	struct bk_report rep = { 0 };
	struct bk_buf q = BK_BUF_INIT;
	char id[32];   /* "many-" and any int */

	for (int i = 0; i < 2000; i++)
		bk_buf_puts(&q, "(number) @n\n");
	for (int r = 0; r < 8; r++) {
		snprintf(id, sizeof(id), "many-%d", r);
		eng_add(&set, id, "javascript", NULL, q.ptr, NULL);
	}
	struct bk_engine *e = eng_build(&set);
	eng_check(e, "a.js", "f(1);\n", 0, &rep);
	cr_assert_eq(rep.findings_nr, 8, "one finding per rule, got %zu", rep.findings_nr);
	bk_report_release(&rep);
	bk_engine_free(e);
	bk_buf_release(&q);
	bk_ruleset_release(&set);
}

/* ---- random queries: whatever the check lets through must not crash ---- */

struct gen {
	struct bk_buf b;
	unsigned seed;
};

static unsigned pick(struct gen *g, unsigned n)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return (g->seed >> 16) % n;
}

static void gen_pattern(struct gen *g, int depth)
{
	static const char *const names[] = { "identifier", "pair", "call_expression", "object",
		"string", "arguments", "_", "expression", "statement_block", "number", "MISSING" };
	static const char *const fields[] = { "value", "key", "function", "arguments", "body" };
	static const char *const suffixes[] = { "", "", "", "?", "*", "+", " @a", " @b", "?+",
		"*+", "+?", "@a*", "??" };
	switch (pick(g, depth > 4 ? 3 : 9)) {
	case 0: bk_buf_printf(&g->b, "(%s)", names[pick(g, 11)]); break;
	case 1: bk_buf_puts(&g->b, "_"); break;
	case 2: bk_buf_puts(&g->b, "\"(\""); break;
	case 3:
		bk_buf_printf(&g->b, "(%s", names[pick(g, 10)]);
		for (unsigned i = pick(g, 4); i > 0; i--) {
			bk_buf_puts(&g->b, pick(g, 4) ? " " : " . ");
			if (!pick(g, 5))
				bk_buf_printf(&g->b, "!%s ", fields[pick(g, 5)]);
			gen_pattern(g, depth + 1);
		}
		bk_buf_puts(&g->b, pick(g, 3) ? ")" : " (#eq? @a \"x\"))");
		break;
	case 4: bk_buf_printf(&g->b, "%s: ", fields[pick(g, 5)]); gen_pattern(g, depth + 1); break;
	case 5:
	case 6: {
		int group = pick(g, 2);
		bk_buf_puts(&g->b, group ? "(" : "[");
		for (unsigned i = 1 + pick(g, 3); i > 0; i--) {
			bk_buf_puts(&g->b, " ");
			gen_pattern(g, depth + 1);
		}
		bk_buf_puts(&g->b, group ? ")" : "]");
		break;
	}
	case 7: bk_buf_puts(&g->b, pick(g, 2) ? "(#eq? @a \"x\")" : "(.r)"); return;
	case 8: bk_buf_puts(&g->b, pick(g, 2) ? "(MISSING identifier)" : "(MISSING)"); break;
	}
	bk_buf_puts(&g->b, suffixes[pick(g, 13)]);
}

Test(engine, random_queries_that_pass_the_check_compile_and_run)
{
	static const char code[] = "const o = { a: 1, b: 'x', c: f(g(1, 2), [3]) };\n"
				   "function h(x) { try { return o.a(x); } catch (e) {} }\n";
	const TSLanguage *js = bk_langs[bk_lang_by_name("javascript")].grammar();
	struct gen g = { BK_BUF_INIT, 18 };
	TSParser *parser = ts_parser_new();
	TSQueryCursor *cur = ts_query_cursor_new();
	size_t compiled = 0, refused = 0;

	ts_parser_set_language(parser, js);
	TSTree *tree = ts_parser_parse_string(parser, NULL, code, sizeof(code) - 1);
	ts_query_cursor_set_match_limit(cur, 256);
	for (int i = 0; i < 1500; i++) {
		struct bk_query_scan scan;
		uint32_t off;
		TSQueryError qe;
		TSQueryMatch m;
		bk_buf_reset(&g.b);
		for (unsigned k = 1 + pick(&g, 3); k > 0; k--) {
			gen_pattern(&g, 0);
			bk_buf_puts(&g.b, pick(&g, 2) ? "\n" : " ");
		}
		if (!pick(&g, 4)) { /* and now and then a character less */
			size_t at = pick(&g, (unsigned)g.b.len);
			memmove(g.b.ptr + at, g.b.ptr + at + 1, g.b.len - at);
			g.b.len--;
		}
		if (bk_query_check(js, g.b.ptr, g.b.len, &scan) < 0) {
			refused++;
			continue;
		}
		/*
		 * An empty predicate string makes tree-sitter pass strncmp and
		 * memcpy a null pointer with length 0: harmless, but fatal under
		 * the sanitizers, and a predicate may compare with "".
		 */
		if (strstr(g.b.ptr, "\"\""))
			continue;
		TSQuery *q = ts_query_new(js, g.b.ptr, (uint32_t)g.b.len, &off, &qe);
		if (!q)
			continue;
		compiled++;
		ts_query_cursor_exec(cur, q, ts_tree_root_node(tree));
		while (ts_query_cursor_next_match(cur, &m))
			;
		ts_query_delete(q);
	}
	/* the generator must reach both sides, or the test proves little */
	cr_assert_gt(compiled, 100, "only %zu compiled", compiled);
	cr_assert_gt(refused, 100, "only %zu refused", refused);
	ts_tree_delete(tree);
	ts_query_cursor_delete(cur);
	ts_parser_delete(parser);
	bk_buf_release(&g.b);
}
