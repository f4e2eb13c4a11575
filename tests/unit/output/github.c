#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"

Test(output, github_one_command_per_finding)
{
	char *out = fixture_render(BK_FMT_GITHUB, &fx, &fx.report);

	cr_assert_str_eq(out,
		"::warning file=src/app.js,line=1,col=22,endLine=1,endColumn=30,"
		"title=js-fetch-timeout::fetch() without a timeout\n"
		"::error file=src/app.js,line=4,col=9,endLine=4,endColumn=16,"
		"title=js-no-eval::eval of dynamic code\n");
	free(out);
}

Test(output, github_escapes_data_and_properties)
{
	struct bk_report r = { 0 };
	char *out;

	fixture_add(&r, &fx.rules[RULE_OFF], "a,b:c%.py", 0, "print(x)",
		    "print", "50% of\r\nlines: a, b");
	r.findings[0].severity = BK_SEV_INFO;
	out = fixture_render(BK_FMT_GITHUB, &fx, &r);
	cr_assert_str_eq(out,
		"::notice file=a%2Cb%3Ac%25.py,line=1,col=1,endLine=1,"
		"endColumn=6,title=py-print::50%25 of%0D%0Alines: a, b\n");
	free(out);
	bk_report_release(&r);
}

Test(output, github_multiline_range_has_no_columns)
{
	char *out;

	fx.report.findings[1].end_line = 5;
	fx.report.findings[1].end_col = 2;
	out = fixture_render(BK_FMT_GITHUB, &fx, &fx.report);
	cr_assert(strstr(out, "::error file=src/app.js,line=4,endLine=6,"
			      "title=js-no-eval::"), "%s", out);
	free(out);
}

Test(output, github_clean_report_prints_nothing)
{
	struct bk_report clean = { 0 };
	char *out = fixture_render(BK_FMT_GITHUB, &fx, &clean);

	cr_assert_str_eq(out, "");
	free(out);
}
