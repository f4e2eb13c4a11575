#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "base/util.h"
#include "fixture.h"

Test(output, text_lines_count_code_points)
{
	char *out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);

	cr_assert_str_eq(out,
		"src/app.js:1:21: warning: fetch() without a timeout [js-fetch-timeout]\n"
		"src/app.js:4:9: error: eval of dynamic code [js-no-eval]\n"
		"2 problems (1 error, 1 warning, 0 infos) in 1 file\n");
	free(out);
}

Test(output, text_source_caret_aligns_under_range)
{
	char *out;

	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	/* The emoji is two terminal columns wide; tabs are copied. */
	cr_assert_str_eq(out,
		"src/app.js:1:21: warning: fetch() without a timeout [js-fetch-timeout]\n"
		FETCH_LINE "\n"
		"                     ^~~~~~~~\n"
		"src/app.js:4:9: error: eval of dynamic code [js-no-eval]\n"
		EVAL_LINE "\n"
		"\t      \t^~~~~~~\n"
		"fix [js-fetch-timeout]: pass signal: AbortSignal.timeout(ms)\n"
		"fix [js-no-eval]: parse the data instead\n"
		"2 problems (1 error, 1 warning, 0 infos) in 1 file\n");
	free(out);
}

Test(output, text_color_marks_each_part)
{
	char *out;

	fx.opts.color = 1;
	fx.opts.show_source = 1;
	fx.report.findings_nr = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	fx.report.findings_nr = 2;
	cr_assert_str_eq(out,
		"\033[1msrc/app.js:1:21:\033[0m \033[33mwarning\033[0m: "
		"fetch() without a timeout \033[2m[js-fetch-timeout]\033[0m\n"
		FETCH_LINE "\n"
		"                     \033[32m^~~~~~~~\033[0m\n"
		"fix [js-fetch-timeout]: pass signal: AbortSignal.timeout(ms)\n"
		"1 problem (0 errors, 1 warning, 0 infos) in 1 file\n");
	free(out);
}

Test(output, text_error_is_red_and_info_cyan)
{
	char *out;

	fx.opts.color = 1;
	fx.report.findings[0].severity = BK_SEV_INFO;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(strstr(out, "\033[36minfo\033[0m: fetch()"), "%s", out);
	cr_assert(strstr(out, "\033[31merror\033[0m: eval"), "%s", out);
	cr_assert(strstr(out, "(1 error, 0 warnings, 1 info)"), "%s", out);
	free(out);
}

Test(output, text_clean_report_prints_nothing)
{
	struct bk_report clean = { 0 };
	char *out = fixture_render(BK_FMT_TEXT, &fx, &clean);

	cr_assert_str_eq(out, "");
	free(out);
}

Test(output, text_summary_counts_distinct_files)
{
	char *out;

	fixture_add(&fx.report, &fx.rules[RULE_EVAL], "lib/a.js", 0,
		    "eval(x)", "eval(x)", "eval of dynamic code");
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(strstr(out, "\n3 problems (2 errors, 1 warning, 0 infos) "
			      "in 2 files\n"), "%s", out);
	free(out);
}

Test(output, text_replaces_terminal_controls)
{
	struct bk_report r = { 0 };
	char *out;

	fixture_add(&r, &fx.rules[RULE_EVAL], "a\033]0;x\a.js", 0,
		    "eval(\"\xe2\x80\xae\") \r", "eval", "bad \033[2J here\n");
	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &r);
	cr_assert_str_eq(out,
		"a?]0;x?.js:1:1: error: bad ?[2J here [js-no-eval]\n"
		"eval(\"?\") \n"
		"^~~~\n"
		"fix [js-no-eval]: parse the data instead\n"
		"1 problem (1 error, 0 warnings, 0 infos) in 1 file\n");
	free(out);
	bk_report_release(&r);
}

Test(output, text_multiline_range_carets_to_end_of_line)
{
	struct bk_finding *f = &fx.report.findings[1];
	char *out;

	f->end_line = f->start_line + 2;
	f->end_col = 1;
	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(strstr(out, "\n\t      \t^~~~~~~~\n"), "%s", out);
	free(out);
}

Test(output, text_skips_go_to_the_skip_stream)
{
	char *err = NULL;
	size_t len = 0;
	struct bk_skip *s;
	char *out;

	BK_ALLOC_GROW(fx.report.skips, 2, fx.report.skips_alloc);
	s = fx.report.skips;
	s[0] = (struct bk_skip){ bk_xstrdup("dist/a.min.js"), BK_SKIP_MINIFIED,
				 bk_xstrdup("line 1 is 48213 bytes"), 0 };
	s[1] = (struct bk_skip){ bk_xstrdup("b.bin"), BK_SKIP_BINARY, NULL, 0 };
	fx.report.skips_nr = 2;
	fx.opts.show_skips = 1;
	fx.opts.skip_stream = open_memstream(&err, &len);
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	fclose(fx.opts.skip_stream);
	cr_assert_str_eq(err,
		"bkgen: skipped dist/a.min.js: minified (line 1 is 48213 bytes)\n"
		"bkgen: skipped b.bin: binary\n");
	cr_assert_null(strstr(out, "skipped"));
	free(err);
	free(out);
}

Test(output, text_skips_hidden_without_show_skips)
{
	char *err = NULL;
	size_t len = 0;
	char *out;

	BK_ALLOC_GROW(fx.report.skips, 1, fx.report.skips_alloc);
	fx.report.skips[0] = (struct bk_skip){ bk_xstrdup("b.bin"),
					       BK_SKIP_BINARY, NULL, 0 };
	fx.report.skips_nr = 1;
	fx.opts.show_skips = 0;
	fx.opts.skip_stream = open_memstream(&err, &len);
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	fclose(fx.opts.skip_stream);
	cr_assert_str_eq(err, "");
	free(err);
	free(out);
}

Test(output, text_show_fixes_puts_the_rule_fix_under_every_finding)
{
	char *out;

	fixture_add(&fx.report, &fx.rules[RULE_EVAL], "lib/a.js", 0,
		    "eval(x)", "eval(x)", "eval of dynamic code");
	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(strstr(out, "\nfix [js-no-eval]: parse the data instead\n3 problems"), "%s", out);
	cr_assert(!strstr(out, "  fix:"), "%s", out);
	const char *first = strstr(out, "fix [js-no-eval]");
	cr_assert(first && !strstr(first + 1, "fix [js-no-eval]"), "one line per rule: %s", out);
	free(out);
	fx.opts.show_fixes = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(!strstr(out, "fix ["), "%s", out);
	cr_assert(strstr(out, "^~~~~~~\n  fix: parse the data instead\nlib/a.js"), "%s", out);
	free(out);
}

Test(output, text_finding_with_its_own_fix_shows_it_whole)
{
	char *out;

	fx.report.findings[1].fix = bk_xstrdup("CREATE INDEX ON t (a);\nANALYZE t;");
	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &fx.report);
	cr_assert(strstr(out, "  fix: CREATE INDEX ON t (a);\n       ANALYZE t;\n"), "%s", out);
	cr_assert(!strstr(out, "fix [js-no-eval]"), "%s", out);
	cr_assert(strstr(out, "fix [js-fetch-timeout]"), "%s", out);
	free(out);
}

Test(output, text_rule_fix_keyed_by_language_once_per_language)
{
	struct bk_rule_fix fixes[] = {
		{ .lang = bk_lang_by_name("javascript"), .text = "pass a timeout to axios" },
		{ .lang = bk_lang_by_name("rust"), .text = "set reqwest's .timeout()" },
	};
	struct bk_rule keyed = { .id = "keyed", .title = "t", .fix = "both", .fixes = fixes,
				 .fixes_nr = 2, .severity = BK_SEV_WARNING };
	struct bk_report r = { 0 };
	char *out;

	fixture_add(&r, &keyed, "a.js", 0, "get(u)", "get", "m");
	fixture_add(&r, &keyed, "b.js", 0, "get(u)", "get", "m");
	fixture_add(&r, &keyed, "c.rs", 0, "get(u)", "get", "m");
	fx.opts.show_source = 1;
	out = fixture_render(BK_FMT_TEXT, &fx, &r);
	cr_assert(strstr(out, "fix [keyed, javascript]: pass a timeout to axios\n"
			      "fix [keyed, rust]: set reqwest's .timeout()\n3 problems"), "%s", out);
	free(out);
	bk_report_release(&r);
	fixture_add(&r, &keyed, "c.rs", 0, "get(u)", "get", "m");
	out = fixture_render(BK_FMT_TEXT, &fx, &r);
	cr_assert(strstr(out, "\nfix [keyed]: set reqwest's .timeout()\n"), "one language: no label: %s", out);
	free(out);
	bk_report_release(&r);
}
