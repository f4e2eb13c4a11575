/*
 * bk_ydoc_load and the node accessors: kinds, scalars, mappings,
 * sequences, anchors and aliases, syntax errors.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <stdlib.h>
#include "base/util.h"
#include "base/yaml.h"

static struct bk_ydoc *load(const char *text)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };
	int rc = bk_ydoc_load(&d, "t.yml", text, strlen(text), &err);
	cr_assert_eq(rc, 0, "load failed: %s", err.msg);
	cr_assert_not_null(d);
	return d;
}

Test(yaml, mapping_values_are_found_by_key)
{
	struct bk_ydoc *d = load("id: x\ntitle: 'Hello world'\nn: 3\n");
	int root = bk_ydoc_root(d);

	cr_assert_eq(bk_ynode_kind(d, root), BK_Y_MAP);
	cr_assert_eq(bk_ynode_len(d, root), 3);
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_get(d, root, "id")), "x");
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_get(d, root, "title")), "Hello world");
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_get(d, root, "n")), "3");
	cr_assert_eq(bk_ynode_get(d, root, "missing"), 0);
	cr_assert_str_eq(bk_ydoc_path(d), "t.yml");
	bk_ydoc_free(d);
}

Test(yaml, pairs_keep_document_order)
{
	struct bk_ydoc *d = load("b: 1\na: 2\nc: 3\n");
	int root = bk_ydoc_root(d), key;
	const char *want[] = { "b", "a", "c" };

	for (size_t i = 0; i < 3; i++) {
		int v = bk_ynode_pair(d, root, i, &key);
		cr_assert_neq(v, 0);
		cr_assert_str_eq(bk_ynode_scalar(d, key), want[i]);
	}
	cr_assert_eq(bk_ynode_pair(d, root, 3, &key), 0, "past the end is 0");
	bk_ydoc_free(d);
}

Test(yaml, sequences_flow_and_block)
{
	struct bk_ydoc *d = load("a: [x, y]\nb:\n  - p\n  - q\n  - r\n");
	int root = bk_ydoc_root(d);
	int a = bk_ynode_get(d, root, "a"), b = bk_ynode_get(d, root, "b");

	cr_assert_eq(bk_ynode_kind(d, a), BK_Y_SEQ);
	cr_assert_eq(bk_ynode_len(d, a), 2);
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_item(d, a, 1)), "y");
	cr_assert_eq(bk_ynode_len(d, b), 3);
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_item(d, b, 2)), "r");
	cr_assert_eq(bk_ynode_item(d, b, 3), 0, "past the end is 0");
	cr_assert_null(bk_ynode_scalar(d, b), "a sequence is not a scalar");
	bk_ydoc_free(d);
}

Test(yaml, none_node_is_harmless)
{
	struct bk_ydoc *d = load("a: 1\n");
	uint32_t line, col;

	cr_assert_eq(bk_ynode_kind(d, 0), BK_Y_NONE);
	cr_assert_null(bk_ynode_scalar(d, 0));
	cr_assert_eq(bk_ynode_len(d, 0), 0);
	cr_assert_eq(bk_ynode_get(d, 0, "a"), 0);
	bk_ynode_pos(d, 0, &line, &col);
	cr_assert_eq(line, 1);
	cr_assert_eq(col, 1);
	bk_ydoc_free(d);
}

Test(yaml, plain_and_quoted_scalars_are_told_apart)
{
	struct bk_ydoc *d = load("a: true\nb: 'true'\nc: \"true\"\nd: |\n  true\n");
	int root = bk_ydoc_root(d);

	cr_assert(bk_ynode_plain(d, bk_ynode_get(d, root, "a")));
	cr_assert_not(bk_ynode_plain(d, bk_ynode_get(d, root, "b")));
	cr_assert_not(bk_ynode_plain(d, bk_ynode_get(d, root, "c")));
	cr_assert_not(bk_ynode_plain(d, bk_ynode_get(d, root, "d")));
	cr_assert_not(bk_ynode_plain(d, root), "a mapping is not a plain scalar");
	bk_ydoc_free(d);
}

Test(yaml, literal_block_keeps_newlines)
{
	struct bk_ydoc *d = load("q: |\n  (a\n    (b))\nnext: 1\n");
	int q = bk_ynode_get(d, bk_ydoc_root(d), "q");

	cr_assert_str_eq(bk_ynode_scalar(d, q), "(a\n  (b))\n");
	bk_ydoc_free(d);
}

Test(yaml, anchor_and_alias_resolve_to_the_same_node)
{
	struct bk_ydoc *d = load("languages:\n"
				 "  javascript: &js\n"
				 "    query: (x)\n"
				 "  typescript: *js\n");
	int langs = bk_ynode_get(d, bk_ydoc_root(d), "languages");
	int js = bk_ynode_get(d, langs, "javascript");
	int ts = bk_ynode_get(d, langs, "typescript");

	cr_assert_neq(js, 0);
	cr_assert_eq(ts, js, "an alias is the anchored node itself");
	cr_assert_eq(bk_ynode_kind(d, ts), BK_Y_MAP);
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_get(d, ts, "query")), "(x)");
	bk_ydoc_free(d);
}

Test(yaml, scalar_alias_resolves)
{
	struct bk_ydoc *d = load("a: &v hello\nb: [*v, *v]\n");
	int b = bk_ynode_get(d, bk_ydoc_root(d), "b");

	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_item(d, b, 0)), "hello");
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_item(d, b, 1)), "hello");
	bk_ydoc_free(d);
}

Test(yaml, empty_document_has_no_root)
{
	struct bk_ydoc *d = load("");
	cr_assert_eq(bk_ydoc_root(d), 0);
	bk_ydoc_free(d);

	d = load("# only a comment\n");
	cr_assert_eq(bk_ydoc_root(d), 0);
	bk_ydoc_free(d);
}

Test(yaml, text_is_not_needed_after_load)
{
	char text[] = "key: value\n";
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };

	cr_assert_eq(bk_ydoc_load(&d, "t.yml", text, strlen(text), &err), 0);
	memset(text, 'x', sizeof(text) - 1);
	cr_assert_str_eq(bk_ynode_scalar(d, bk_ynode_get(d, bk_ydoc_root(d), "key")), "value");
	bk_ydoc_free(d);
}

Test(yaml, free_null_is_a_noop)
{
	bk_ydoc_free(NULL);
}

Test(yaml, syntax_error_names_file_line_and_column)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };
	const char *text = "a: 1\nb: [x, y\nc: 3\n";
	int rc = bk_ydoc_load(&d, "dir/bad.yml", text, strlen(text), &err);

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert_null(d);
	cr_assert(!strncmp(err.msg, "dir/bad.yml:", 12), "got: %s", err.msg);
	cr_assert(strstr(err.msg, ": invalid YAML: "), "got: %s", err.msg);
	/* libyaml notices the unclosed flow sequence at `c:` (line 3). */
	cr_assert(!strncmp(err.msg, "dir/bad.yml:3:", 14), "got: %s", err.msg);
}

Test(yaml, bad_indentation_is_located)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };
	const char *text = "id: x\ntitle: y\n  extra: z\n";
	int rc = bk_ydoc_load(&d, "r.yml", text, strlen(text), &err);

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert_str_eq(err.msg,
		"r.yml:3:8: invalid YAML: mapping values are not allowed in this context");
}

Test(yaml, undefined_alias_is_an_error)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };
	const char *text = "a: *nope\n";
	int rc = bk_ydoc_load(&d, "r.yml", text, strlen(text), &err);

	cr_assert_eq(rc, BK_ECONFIG);
	cr_assert(!strncmp(err.msg, "r.yml:1:", 7), "got: %s", err.msg);
	cr_assert(strstr(err.msg, "invalid YAML"), "got: %s", err.msg);
}

static void expect_refused(const char *text, size_t len, const char *what)
{
	struct bk_ydoc *d = NULL;
	struct bk_err err = { 0 };

	cr_assert_eq(bk_ydoc_load(&d, "t.yml", text, len, &err), BK_ECONFIG, "loaded, want an error");
	cr_assert_null(d);
	cr_assert(strstr(err.msg, what), "want '%s' in: %s", what, err.msg);
}

Test(yaml, deep_flow_nesting_is_refused_without_loading)
{
	/* 400 KB of '[': libyaml's loader took minutes, quadratic in depth */
	size_t n = 400000;
	char *text = malloc(n);
	memset(text, '[', n);
	expect_refused(text, n, "t.yml:1:65: YAML nested deeper than 64 levels");
	free(text);
}

Test(yaml, deep_block_nesting_is_refused_where_it_crosses_the_bound)
{
	struct bk_buf b = BK_BUF_INIT;
	for (int i = 0; i < 70; i++)
		bk_buf_printf(&b, "%*sk%d:\n", i, "", i);
	bk_buf_printf(&b, "%*sv\n", 70, "");
	expect_refused(b.ptr, b.len, "t.yml:65:65: YAML nested deeper than 64 levels");
	bk_buf_release(&b);
}

Test(yaml, nesting_up_to_the_bound_loads)
{
	struct bk_buf b = BK_BUF_INIT;
	for (int i = 0; i < 64; i++)
		bk_buf_putc(&b, '[');
	for (int i = 0; i < 64; i++)
		bk_buf_putc(&b, ']');
	bk_buf_putc(&b, '\n');
	bk_ydoc_free(load(b.ptr));
	bk_buf_release(&b);
}

Test(yaml, too_many_anchors_are_refused)
{
	/* each alias is looked up in a list: anchors times aliases */
	struct bk_buf b = BK_BUF_INIT;
	for (int i = 0; i <= 1000; i++)
		bk_buf_printf(&b, "- &a%d x\n", i);
	expect_refused(b.ptr, b.len, "t.yml:1001:3: more than 1000 YAML anchors");
	bk_buf_release(&b);
}

Test(yaml, oversized_text_is_refused)
{
	size_t n = 1024 * 1024 + 1;
	char *text = malloc(n);
	memset(text, '#', n);
	expect_refused(text, n, "t.yml:1:1: 1048577 bytes, more than the 1048576");
	free(text);
}

Test(yaml, syntax_error_of_a_later_document_is_not_reported)
{
	/* only the first document is loaded, and only it is checked */
	bk_ydoc_free(load("a: 1\n---\n[\n"));
}
