#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "fixture.h"

static json_t *render_json(const struct bk_report *r)
{
	char *out = fixture_render(BK_FMT_JSON, &fx, r);
	json_error_t error;
	json_t *root = json_loads(out, 0, &error);

	cr_assert(root, "json does not parse: %s: %s", error.text, out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1,
		     "not one line: %s", out);
	free(out);
	return root;
}

static json_int_t pos(json_t *finding, const char *which, const char *field)
{
	json_t *v = json_object_get(json_object_get(json_object_get(
		finding, "range"), which), field);

	cr_assert(json_is_integer(v), "range.%s.%s", which, field);
	return json_integer_value(v);
}

Test(output, json_has_versioned_header)
{
	json_t *root = render_json(&fx.report);

	cr_assert_eq(json_integer_value(json_object_get(root, "version")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(root, "tool"), "name")), "bkgen");
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(root, "tool"), "version")), "0.1.0");
	cr_assert_str_eq(json_string_value(json_object_get(root, "command")),
			 "check");
	json_decref(root);
}

Test(output, json_ranges_are_zero_based_utf16)
{
	json_t *root = render_json(&fx.report);
	json_t *findings = json_object_get(root, "findings");
	json_t *fetch = json_array_get(findings, 0), *eval;

	cr_assert_eq(json_array_size(findings), 2);
	/* The text before fetch: 24 bytes, 20 code points, 21 UTF-16 units. */
	cr_assert_eq(pos(fetch, "start", "line"), 0);
	cr_assert_eq(pos(fetch, "start", "character"), 21);
	cr_assert_eq(pos(fetch, "end", "line"), 0);
	cr_assert_eq(pos(fetch, "end", "character"), 29);
	eval = json_array_get(findings, 1);
	cr_assert_eq(pos(eval, "start", "line"), 3);
	cr_assert_eq(pos(eval, "start", "character"), 8);
	cr_assert_eq(pos(eval, "end", "character"), 15);
	json_decref(root);
}

Test(output, json_finding_fields)
{
	json_t *root = render_json(&fx.report);
	json_t *fetch = json_array_get(json_object_get(root, "findings"), 0);
	json_t *eval = json_array_get(json_object_get(root, "findings"), 1);

	cr_assert_str_eq(json_string_value(json_object_get(fetch, "rule")),
			 "js-fetch-timeout");
	cr_assert_str_eq(json_string_value(json_object_get(fetch, "severity")),
			 "warning");
	cr_assert_str_eq(json_string_value(json_object_get(fetch, "message")),
			 "fetch() without a timeout");
	cr_assert_str_eq(json_string_value(json_object_get(fetch, "path")),
			 "src/app.js");
	cr_assert_str_eq(json_string_value(json_object_get(fetch, "docs")),
			 "https://bkgen.dev/rules/js-fetch-timeout");
	cr_assert_str_eq(json_string_value(json_object_get(fetch, "category")),
			 "reliability");
	cr_assert(strstr(json_string_value(json_object_get(fetch, "fix")),
			 "AbortSignal.timeout"));
	cr_assert_str_eq(json_string_value(json_object_get(eval, "severity")),
			 "error");
	cr_assert(json_is_null(json_object_get(eval, "docs")));
	json_decref(root);
}

Test(output, json_summary_and_skips)
{
	json_t *root, *summary, *skip;

	BK_ALLOC_GROW(fx.report.skips, 1, fx.report.skips_alloc);
	fx.report.skips[0] = (struct bk_skip){ bk_xstrdup("b.bin"),
					       BK_SKIP_BINARY, NULL, 0 };
	fx.report.skips_nr = 1;
	root = render_json(&fx.report);
	summary = json_object_get(root, "summary");
	cr_assert_eq(json_integer_value(json_object_get(summary, "files")), 3);
	cr_assert_eq(json_integer_value(json_object_get(summary, "findings")), 2);
	cr_assert_eq(json_integer_value(json_object_get(summary, "errors")), 1);
	cr_assert_eq(json_integer_value(json_object_get(summary, "warnings")), 1);
	cr_assert_eq(json_integer_value(json_object_get(summary, "infos")), 0);
	cr_assert_eq(json_integer_value(json_object_get(summary, "skipped")), 1);
	skip = json_array_get(json_object_get(root, "skipped"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(skip, "reason")),
			 "binary");
	cr_assert(json_is_null(json_object_get(skip, "detail")));
	json_decref(root);
}

Test(output, json_clean_report_has_empty_arrays)
{
	struct bk_report clean = { 0 };
	json_t *root = render_json(&clean);

	cr_assert_eq(json_array_size(json_object_get(root, "findings")), 0);
	cr_assert(json_is_array(json_object_get(root, "findings")));
	cr_assert(json_is_array(json_object_get(root, "skipped")));
	json_decref(root);
}

Test(output, json_replaces_invalid_utf8_in_paths)
{
	json_t *root;

	free(fx.report.findings[0].path);
	fx.report.findings[0].path = bk_xstrdup("bad\xff.js");
	root = render_json(&fx.report);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(root, "findings"), 0), "path")),
		"bad\xef\xbf\xbd.js");
	json_decref(root);
}
