/*
 * Positions: bk_ynode_pos (1-based node start), bk_ynode_text_pos (a byte
 * of a scalar's text back to the file), bk_yerr and bk_ymap_check_keys.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "base/yaml.h"

static struct bk_ydoc *load(const char *text)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };
	int rc = bk_ydoc_load(&d, "t.yml", text, strlen(text), &err);
	cr_assert_eq(rc, 0, "load failed: %s", err.msg);
	return d;
}

#define ASSERT_POS(line, col, wl, wc) \
	do { \
		cr_assert_eq((line), (wl), "line %u, want %u", (unsigned)(line), (unsigned)(wl)); \
		cr_assert_eq((col), (wc), "col %u, want %u", (unsigned)(col), (unsigned)(wc)); \
	} while (0)

Test(yaml, node_positions_are_one_based)
{
	struct bk_ydoc *d = load("id: x\nlanguages:\n  c:\n    query: (a)\nlist:\n  - one\n  - two\n");
	int root = bk_ydoc_root(d), key;
	uint32_t line, col;

	bk_ynode_pos(d, root, &line, &col);
	ASSERT_POS(line, col, 1, 1);
	bk_ynode_pos(d, bk_ynode_get(d, root, "id"), &line, &col);
	ASSERT_POS(line, col, 1, 5);

	int langs = bk_ynode_get(d, root, "languages");
	bk_ynode_pair(d, langs, 0, &key);
	bk_ynode_pos(d, key, &line, &col);
	ASSERT_POS(line, col, 3, 3);
	bk_ynode_pos(d, bk_ynode_get(d, bk_ynode_get(d, langs, "c"), "query"), &line, &col);
	ASSERT_POS(line, col, 4, 12);

	int list = bk_ynode_get(d, root, "list");
	bk_ynode_pos(d, bk_ynode_item(d, list, 1), &line, &col);
	ASSERT_POS(line, col, 7, 5);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_plain_scalar_adds_the_offset)
{
	/* "query: (call_expression)" — the value starts at column 8. */
	struct bk_ydoc *d = load("id: x\nquery: (call_expression)\n");
	int q = bk_ynode_get(d, bk_ydoc_root(d), "query");
	uint32_t line, col;

	bk_ynode_text_pos(d, q, 0, &line, &col);
	ASSERT_POS(line, col, 2, 8);
	bk_ynode_text_pos(d, q, 1, &line, &col);
	ASSERT_POS(line, col, 2, 9);
	bk_ynode_text_pos(d, q, 5, &line, &col);
	ASSERT_POS(line, col, 2, 13);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_quoted_scalar_skips_the_quote)
{
	struct bk_ydoc *d = load("a: '(x)'\nb: \"(y z)\"\n");
	int root = bk_ydoc_root(d);
	uint32_t line, col;

	bk_ynode_text_pos(d, bk_ynode_get(d, root, "a"), 0, &line, &col);
	ASSERT_POS(line, col, 1, 5);
	bk_ynode_text_pos(d, bk_ynode_get(d, root, "b"), 3, &line, &col);
	ASSERT_POS(line, col, 2, 8);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_literal_block_maps_content_lines)
{
	const char *text =
		"id: x\n"                     /* 1 */
		"languages:\n"                /* 2 */
		"  javascript:\n"             /* 3 */
		"    query: |\n"              /* 4 */
		"      (call_expression\n"    /* 5: content column 7 */
		"        function: (nope))\n" /* 6 */
		"      (other)\n";            /* 7 */
	struct bk_ydoc *d = load(text);
	int js = bk_ynode_get(d, bk_ynode_get(d, bk_ydoc_root(d), "languages"), "javascript");
	int q = bk_ynode_get(d, js, "query");
	const char *v = bk_ynode_scalar(d, q);
	uint32_t line, col;

	cr_assert_str_eq(v, "(call_expression\n  function: (nope))\n(other)\n");
	bk_ynode_text_pos(d, q, 0, &line, &col);
	ASSERT_POS(line, col, 5, 7);
	bk_ynode_text_pos(d, q, 1, &line, &col);
	ASSERT_POS(line, col, 5, 8);
	/* 'n' of nope: line 6, column 20 in the file. */
	size_t nope = (size_t)(strstr(v, "nope") - v);
	bk_ynode_text_pos(d, q, nope, &line, &col);
	ASSERT_POS(line, col, 6, 20);
	size_t other = (size_t)(strstr(v, "(other)") - v);
	bk_ynode_text_pos(d, q, other, &line, &col);
	ASSERT_POS(line, col, 7, 7);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_literal_block_with_keep_and_strip_indicators)
{
	const char *text = "a: |-\n    (x)\nb: |+\n  (y)\n\n";
	struct bk_ydoc *d = load(text);
	int root = bk_ydoc_root(d);
	uint32_t line, col;

	bk_ynode_text_pos(d, bk_ynode_get(d, root, "a"), 1, &line, &col);
	ASSERT_POS(line, col, 2, 6);
	bk_ynode_text_pos(d, bk_ynode_get(d, root, "b"), 0, &line, &col);
	ASSERT_POS(line, col, 4, 3);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_literal_block_in_a_sequence_item)
{
	const char *text =
		"unless:\n"          /* 1 */
		"  - has: |\n"       /* 2 */
		"      (pair\n"      /* 3 */
		"        key: (k))\n"; /* 4 */
	struct bk_ydoc *d = load(text);
	int cond = bk_ynode_item(d, bk_ynode_get(d, bk_ydoc_root(d), "unless"), 0);
	int has = bk_ynode_get(d, cond, "has");
	uint32_t line, col;

	bk_ynode_text_pos(d, has, 0, &line, &col);
	ASSERT_POS(line, col, 3, 7);
	bk_ynode_text_pos(d, has, 8, &line, &col); /* "k" of key */
	ASSERT_POS(line, col, 4, 9);
	bk_ydoc_free(d);
}

Test(yaml, text_pos_in_literal_block_skips_leading_blank_lines)
{
	/* The content's indentation is that of its first non-blank line. */
	const char *text = "q: |\n\n  (x)\n";
	struct bk_ydoc *d = load(text);
	int q = bk_ynode_get(d, bk_ydoc_root(d), "q");
	uint32_t line, col;

	cr_assert_str_eq(bk_ynode_scalar(d, q), "\n(x)\n");
	bk_ynode_text_pos(d, q, 1, &line, &col);
	ASSERT_POS(line, col, 3, 3);
	bk_ydoc_free(d);
}

Test(yaml, yerr_formats_path_line_col)
{
	struct bk_ydoc *d = load("a: 1\nsev: loud\n");
	struct bk_err err = { 0 };
	int rc = bk_yerr(&err, d, bk_ynode_get(d, bk_ydoc_root(d), "sev"),
			 "unknown severity '%s'", "loud");

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert_eq(err.code, BK_ECONFIG);
	cr_assert_str_eq(err.msg, "t.yml:2:6: unknown severity 'loud'");
	bk_ydoc_free(d);
}

Test(yaml, check_keys_accepts_known_keys)
{
	static const char *const keys[] = { "a", "b", NULL };
	struct bk_ydoc *d = load("b: 1\na: 2\n");
	struct bk_err err = { 0 };

	cr_assert_eq(bk_ymap_check_keys(d, bk_ydoc_root(d), keys, "a thing", &err), 0);
	bk_ydoc_free(d);
}

Test(yaml, check_keys_names_the_unknown_key_and_the_expected_ones)
{
	static const char *const keys[] = { "a", "b", NULL };
	struct bk_ydoc *d = load("a: 1\n  # comment\nzz: 2\n");
	struct bk_err err = { 0 };
	int rc = bk_ymap_check_keys(d, bk_ydoc_root(d), keys, "a thing", &err);

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert_str_eq(err.msg,
		"t.yml:3:1: unknown key 'zz' in a thing (expected one of: a, b)");
	bk_ydoc_free(d);
}

Test(yaml, check_keys_rejects_a_non_scalar_key)
{
	static const char *const keys[] = { "a", NULL };
	struct bk_ydoc *d = load("? [x, y]\n: 1\n");
	struct bk_err err = { 0 };
	int rc = bk_ymap_check_keys(d, bk_ydoc_root(d), keys, "a thing", &err);

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert(strstr(err.msg, "a thing keys must be plain strings"), "got: %s", err.msg);
	cr_assert(!strncmp(err.msg, "t.yml:1:3:", 10), "got: %s", err.msg);
	bk_ydoc_free(d);
}
