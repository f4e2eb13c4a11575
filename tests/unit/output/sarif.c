#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "fixture.h"

static json_t *render_sarif(const struct bk_report *r)
{
	char *out = fixture_render(BK_FMT_SARIF, &fx, r);
	json_error_t error;
	json_t *root = json_loads(out, 0, &error);

	cr_assert(root, "sarif does not parse: %s: %s", error.text, out);
	free(out);
	return root;
}

static json_t *run0(json_t *root)
{
	return json_array_get(json_object_get(root, "runs"), 0);
}

static const char *str_at(json_t *v, const char *path)
{
	char key[64];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		v = json_object_get(v, key);
		path += n + (path[n] == '.');
	}
	cr_assert(json_is_string(v), "no string at %s", path);
	return json_string_value(v);
}

static json_int_t int_at(json_t *region, const char *key)
{
	json_t *v = json_object_get(region, key);

	cr_assert(json_is_integer(v), "no %s", key);
	return json_integer_value(v);
}

static const char *fingerprint(json_t *result)
{
	return str_at(result, "partialFingerprints.primaryLocationLineHash");
}

Test(output, sarif_clean_report_has_empty_results)
{
	struct bk_report clean = { 0 };
	json_t *root = render_sarif(&clean), *run = run0(root);
	json_t *results = json_object_get(run, "results");

	cr_assert_str_eq(str_at(root, "version"), "2.1.0");
	cr_assert(strstr(str_at(root, "$schema"), "sarif"));
	cr_assert(json_is_array(results));
	cr_assert_eq(json_array_size(results), 0);
	cr_assert_str_eq(str_at(run, "columnKind"), "utf16CodeUnits");
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(
		run, "invocations"), 0), "executionSuccessful")));
	json_decref(root);
}

Test(output, sarif_lists_enabled_rules_with_help)
{
	json_t *root = render_sarif(&fx.report), *driver, *rules, *fetch;

	driver = json_object_get(json_object_get(run0(root), "tool"), "driver");
	cr_assert_str_eq(str_at(driver, "name"), "bkgen");
	cr_assert_str_eq(str_at(driver, "version"), "0.1.0");
	cr_assert_str_eq(str_at(driver, "informationUri"), "https://bkgen.dev");
	rules = json_object_get(driver, "rules");
	cr_assert_eq(json_array_size(rules), 2, "the disabled rule is listed");
	fetch = json_array_get(rules, 0);
	cr_assert_str_eq(str_at(fetch, "id"), "js-fetch-timeout");
	cr_assert_str_eq(str_at(fetch, "name"), "JsFetchTimeout");
	cr_assert_str_eq(str_at(fetch, "shortDescription.text"),
			 "fetch() without a timeout");
	cr_assert_str_eq(str_at(fetch, "fullDescription.text"),
			 "A fetch with no timeout can hang forever.");
	cr_assert(strstr(str_at(fetch, "help.text"), "Fix: pass signal"));
	cr_assert(strstr(str_at(fetch, "help.markdown"), "**Fix:**"));
	cr_assert_str_eq(str_at(fetch, "helpUri"),
			 "https://bkgen.dev/rules/js-fetch-timeout");
	cr_assert_str_eq(str_at(fetch, "defaultConfiguration.level"), "warning");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(
		json_object_get(fetch, "properties"), "tags"), 0)), "reliability");
	cr_assert_null(json_object_get(json_array_get(rules, 1), "helpUri"));
	json_decref(root);
}

Test(output, sarif_results_use_one_based_utf16_regions)
{
	json_t *root = render_sarif(&fx.report);
	json_t *results = json_object_get(run0(root), "results");
	json_t *fetch = json_array_get(results, 0), *region;

	cr_assert_eq(json_array_size(results), 2);
	cr_assert_str_eq(str_at(fetch, "ruleId"), "js-fetch-timeout");
	cr_assert_eq(json_integer_value(json_object_get(fetch, "ruleIndex")), 0);
	cr_assert_str_eq(str_at(fetch, "level"), "warning");
	cr_assert_str_eq(str_at(fetch, "message.text"),
			 "fetch() without a timeout");
	region = json_object_get(json_object_get(json_array_get(json_object_get(
		fetch, "locations"), 0), "physicalLocation"), "region");
	cr_assert_eq(int_at(region, "startLine"), 1);
	cr_assert_eq(int_at(region, "startColumn"), 22);
	cr_assert_eq(int_at(region, "endLine"), 1);
	cr_assert_eq(int_at(region, "endColumn"), 30);
	cr_assert_str_eq(str_at(json_array_get(results, 1), "level"), "error");
	cr_assert_eq(json_integer_value(json_object_get(
		json_array_get(results, 1), "ruleIndex")), 1);
	json_decref(root);
}

static json_t *result_at(json_t *root, size_t i)
{
	return json_array_get(json_object_get(run0(root), "results"), i);
}

static const char *uri_of(json_t *result)
{
	json_t *loc = json_array_get(json_object_get(result, "locations"), 0);

	return str_at(loc, "physicalLocation.artifactLocation.uri");
}

Test(output, sarif_uri_is_relative_and_percent_encoded)
{
	struct bk_report r = { 0 };
	json_t *root;

	fixture_add(&r, &fx.rules[RULE_EVAL], "./src/my file#1.js", 0,
		    "eval(x)", "eval", "m");
	fixture_add(&r, &fx.rules[RULE_EVAL], "/abs/\xc3\xa9.js", 0,
		    "eval(x)", "eval", "m");
	root = render_sarif(&r);
	cr_assert_str_eq(uri_of(result_at(root, 0)), "src/my%20file%231.js");
	cr_assert_str_eq(uri_of(result_at(root, 1)), "file:///abs/%C3%A9.js");
	json_decref(root);
	bk_report_release(&r);
}

Test(output, sarif_lists_a_disabled_rule_a_finding_names)
{
	struct bk_report r = { 0 };
	json_t *root, *rules;

	fixture_add(&r, &fx.rules[RULE_OFF], "a.py", 0, "print(x)", "print",
		    "m");
	root = render_sarif(&r);
	rules = json_object_get(json_object_get(json_object_get(run0(root),
		"tool"), "driver"), "rules");
	cr_assert_eq(json_array_size(rules), 3);
	cr_assert_str_eq(str_at(json_array_get(rules, 2), "id"), "py-print");
	cr_assert_eq(json_integer_value(json_object_get(result_at(root, 0),
		"ruleIndex")), 2);
	cr_assert_str_eq(str_at(result_at(root, 0), "level"), "note");
	json_decref(root);
	bk_report_release(&r);
}

/* Same rule on the same text twice in one file, and once elsewhere. */
static void add_duplicates(struct bk_report *r)
{
	fixture_add(r, &fx.rules[RULE_EVAL], "a.js", 2, "  eval(x);", "eval", "m");
	fixture_add(r, &fx.rules[RULE_EVAL], "a.js", 7, "  eval(x);", "eval", "m");
	fixture_add(r, &fx.rules[RULE_EVAL], "b.js", 0, "eval( x );\t", "eval", "m");
	fixture_add(r, &fx.rules[RULE_FETCH], "b.js", 3, "eval(x);", "eval", "m");
}

Test(output, sarif_fingerprints_count_occurrences)
{
	struct bk_report r = { 0 };
	json_t *root;
	const char *first, *second;

	add_duplicates(&r);
	root = render_sarif(&r);
	first = fingerprint(result_at(root, 0));
	second = fingerprint(result_at(root, 1));
	cr_assert_str_neq(first, second);
	cr_assert_eq(strlen(first), 18, "%s", first);
	cr_assert_str_eq(first + 16, ":1");
	cr_assert_str_eq(second + 16, ":2");
	json_decref(root);
	bk_report_release(&r);
}

Test(output, sarif_fingerprints_ignore_whitespace_not_rule)
{
	struct bk_report r = { 0 };
	json_t *root;

	add_duplicates(&r);
	root = render_sarif(&r);
	cr_assert_str_eq(fingerprint(result_at(root, 2)),
			 fingerprint(result_at(root, 0)),
			 "whitespace changed the hash");
	cr_assert_str_neq(fingerprint(result_at(root, 3)),
			  fingerprint(result_at(root, 2)),
			  "the rule id is not hashed");
	json_decref(root);
	bk_report_release(&r);
}

Test(output, sarif_output_is_stable)
{
	char *a = fixture_render(BK_FMT_SARIF, &fx, &fx.report);
	char *b = fixture_render(BK_FMT_SARIF, &fx, &fx.report);

	cr_assert_str_eq(a, b);
	cr_assert(strstr(a, "\"primaryLocationLineHash\": \""), "%s", a);
	free(a);
	free(b);
}

Test(output, sarif_fingerprint_is_fixed_across_versions)
{
	json_t *root = render_sarif(&fx.report);

	/* Changing this value re-opens every alert in code scanning. */
	cr_assert_str_eq(fingerprint(result_at(root, 0)),
			 "d0d9aa678144bf8b:1");
	json_decref(root);
}
