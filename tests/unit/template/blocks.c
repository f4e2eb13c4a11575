/*
 * Option blocks: lines between `bkgen:if COND` and `bkgen:endif` comment
 * markers are kept or dropped, the markers always go, and unbalanced
 * markers are errors at file:line:col.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "template/template.h"

#define HEAD "name: t\nlanguage: x\nsummary: s\nsource-name: acme-payments\nversion: 1.0.0\n"

static struct bk_template tpl;
static struct bk_answers ans;

static void setup(void)
{
	const char *text = HEAD "options:\n  docker: {type: bool, default: true}\n"
		"  metrics: {type: bool, default: false}\n"
		"  db: {type: choice, choices: [postgres, sqlite], default: sqlite}\n";
	struct bk_err err = { 0 };
	cr_assert_eq(bk_template_parse(&tpl, "tpl", "tpl/template.yml", text, strlen(text), &err), 0, "%s", err.msg);
	bk_answers_init(&ans, &tpl);
	bk_answers_defaults(&ans, &tpl);
}

static void teardown(void)
{
	bk_answers_release(&ans);
	bk_template_release(&tpl);
}

static void expect_render(const char *in, const char *want)
{
	struct bk_buf out = BK_BUF_INIT;
	struct bk_err err = { 0 };
	cr_assert_eq(bk_render_blocks(&out, "f.txt", in, strlen(in), &tpl, &ans, &err), 0, "%s", err.msg);
	cr_expect_str_eq(out.ptr, want);
	bk_buf_release(&out);
}

static void expect_error(const char *in, const char *where, const char *part)
{
	struct bk_buf out = BK_BUF_INIT;
	struct bk_err err = { 0 };
	cr_assert_eq(bk_render_blocks(&out, "f.txt", in, strlen(in), &tpl, &ans, &err), BK_ECONFIG, "should fail: %s", in);
	cr_expect_eq(strncmp(err.msg, where, strlen(where)), 0, "want '%s...', got '%s'", where, err.msg);
	cr_expect(strstr(err.msg, part), "want '%s' in '%s'", part, err.msg);
	bk_buf_release(&out);
}

Test(template, blocks_kept_and_dropped_markers_removed, .init = setup, .fini = teardown)
{
	expect_render("a\n# bkgen:if docker\nb\n# bkgen:endif\nc\n", "a\nb\nc\n");
	expect_render("a\n// bkgen:if metrics\nb\n// bkgen:endif\nc\n", "a\nc\n");
	expect_render("a\n-- bkgen:if !metrics\nb\n-- bkgen:endif\n", "a\nb\n");
	expect_render("a\n  <!-- bkgen:if !docker -->\nb\n  <!-- bkgen:endif -->\nc", "a\nc");
}

Test(template, blocks_in_every_comment_syntax, .init = setup, .fini = teardown)
{
	const char *opens[] = { "//", "#", "--", "/*", ";", "%", "{#" };
	const char *closes[] = { "", "", "", " */", "", "", " #}" };
	for (size_t i = 0; i < sizeof(opens) / sizeof(*opens); i++) {
		char in[256];
		snprintf(in, sizeof(in), "x\n\t%s bkgen:if metrics%s\ny\n%sbkgen:endif%s\nz\n", opens[i], closes[i],
			 opens[i], closes[i]);
		expect_render(in, "x\nz\n");
	}
}

Test(template, blocks_compare_choice_values, .init = setup, .fini = teardown)
{
	expect_render("// bkgen:if db=sqlite\ns\n// bkgen:endif\n// bkgen:if db=postgres\np\n// bkgen:endif\n", "s\n");
	expect_render("# bkgen:if !db=sqlite\nnot sqlite\n# bkgen:endif\n", "");
}

Test(template, blocks_nest_and_keep_crlf, .init = setup, .fini = teardown)
{
	expect_render("# bkgen:if docker\na\n# bkgen:if metrics\nb\n# bkgen:endif\nc\n# bkgen:endif\n", "a\nc\n");
	expect_render("a\r\n// bkgen:if docker\r\nb\r\n// bkgen:endif\r\n", "a\r\nb\r\n");
}

Test(template, text_that_is_not_a_marker_stays, .init = setup, .fini = teardown)
{
	const char *in = "printf(\"bkgen:if docker\");\n# see bkgen:if below\n#bkgen:iffy\n# bkgen:ifdocker\n";
	expect_render(in, in);
}

Test(template, blocks_unbalanced_are_errors_with_position, .init = setup, .fini = teardown)
{
	expect_error("a\nb\n  # bkgen:endif\n", "f.txt:3:5: ", "without a 'bkgen:if'");
	expect_error("a\n// bkgen:if docker\nb\n", "f.txt:2:4: ", "never closed");
	expect_error("# bkgen:if docker\n# bkgen:if metrics\n# bkgen:endif\n", "f.txt:1:3: ", "never closed");
}

Test(template, blocks_with_bad_conditions_are_errors, .init = setup, .fini = teardown)
{
	expect_error("x\n# bkgen:if dockr\n# bkgen:endif\n", "f.txt:2:3: ", "unknown option 'dockr'");
	expect_error("# bkgen:if db=mysql\n# bkgen:endif\n", "f.txt:1:3: ", "'mysql' is not one of");
	expect_error("# bkgen:if docker extra\n# bkgen:endif\n", "f.txt:1:3: ", "unexpected 'extra'");
}
