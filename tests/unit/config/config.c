/*
 * .bkgen.yml: loading every key, errors at file:line:col, applying rule
 * overrides, and finding the file by walking up.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/config.h"
#include "lint/rule-load.h"
#include "base/util.h"
#include "../support/support.h"

static char *dir;

static void setup(void)
{
	dir = t_tmpdir();
}

static void teardown(void)
{
	t_rmtree(dir);
	free(dir);
}

/* Write text as <dir>/.bkgen.yml and load it; returns the status. */
static int load(struct bk_config *c, const char *text, struct bk_err *err)
{
	char path[512];
	t_write(dir, ".bkgen.yml", text);
	snprintf(path, sizeof(path), "%s/.bkgen.yml", dir);
	return bk_config_load(c, path, err);
}

/* Loading fails; the message is "<dir>/.bkgen.yml:<where>" ... what. */
static void expect_error(const char *text, const char *where, const char *what)
{
	struct bk_config c;
	struct bk_err err = { 0 };
	char want[600];

	cr_assert_eq(load(&c, text, &err), BK_ECONFIG, "loaded, want an error:\n%s", text);
	snprintf(want, sizeof(want), "%s/.bkgen.yml:%s", dir, where);
	cr_assert(!strncmp(err.msg, want, strlen(want)), "want '%s...', got: %s", want, err.msg);
	cr_assert(strstr(err.msg, what), "want '%s' in: %s", what, err.msg);
	bk_config_release(&c);
}

TestSuite(config, .init = setup, .fini = teardown);

Test(config, full_file_parses)
{
	struct bk_config c;
	struct bk_err err = { 0 };
	char want[512];

	cr_assert_eq(load(&c,
		"include: [src/**, lib/*.js]\n"
		"exclude:\n  - vendor/**\n  - '**/*.gen.ts'\n"
		"rules:\n"
		"  sql-select-star: off\n"
		"  n-plus-one: on\n"
		"  silent-catch: info\n"
		"  server-timeout: { enabled: false, severity: error }\n"
		"  http-client-timeout:\n    severity: warning\n"
		"fail-on: warning\n"
		"rule-dirs: [team-rules, /abs/rules]\n"
		"max-file-size: 512KiB\n", &err), 0, "%s", err.msg);

	snprintf(want, sizeof(want), "%s/.bkgen.yml", dir);
	cr_assert_str_eq(c.path, want);
	cr_assert_str_eq(c.dir, dir);
	cr_assert_eq(c.include_nr, 2);
	cr_assert_str_eq(c.include[1], "lib/*.js");
	cr_assert_eq(c.exclude_nr, 2);
	cr_assert_str_eq(c.exclude[1], "**/*.gen.ts");
	cr_assert_eq(c.fail_on, BK_SEV_WARNING);
	cr_assert_eq(c.max_file_size, 512 * 1024);

	cr_assert_eq(c.rule_dirs_nr, 2);
	snprintf(want, sizeof(want), "%s/team-rules", dir);
	cr_assert_str_eq(c.rule_dirs[0], want, "relative to the config's directory");
	cr_assert_str_eq(c.rule_dirs[1], "/abs/rules");

	cr_assert_eq(c.rules_nr, 5);
	cr_assert_str_eq(c.rules[0].id, "sql-select-star");
	cr_assert_eq(c.rules[0].enabled, 0);
	cr_assert_eq(c.rules[0].severity, -1);
	cr_assert_eq(c.rules[0].line, 6);
	cr_assert_eq(c.rules[0].col, 3);
	cr_assert_eq(c.rules[1].enabled, 1);
	cr_assert_eq(c.rules[1].severity, -1);
	cr_assert_eq(c.rules[2].enabled, 1);
	cr_assert_eq(c.rules[2].severity, BK_SEV_INFO);
	cr_assert_eq(c.rules[3].enabled, 0);
	cr_assert_eq(c.rules[3].severity, BK_SEV_ERROR);
	cr_assert_eq(c.rules[4].enabled, -1);
	cr_assert_eq(c.rules[4].severity, BK_SEV_WARNING);
	bk_config_release(&c);
}

Test(config, empty_file_sets_nothing)
{
	struct bk_config c;
	struct bk_err err = { 0 };

	cr_assert_eq(load(&c, "# nothing yet\n", &err), 0, "%s", err.msg);
	cr_assert_eq(c.fail_on, -1);
	cr_assert_eq(c.max_file_size, 0);
	cr_assert_eq(c.include_nr + c.exclude_nr + c.rule_dirs_nr + c.rules_nr, 0);
	bk_config_release(&c);
}

Test(config, fail_on_accepts_every_level_and_none)
{
	const char *names[] = { "info", "warning", "error", "none" };
	const int want[] = { BK_SEV_INFO, BK_SEV_WARNING, BK_SEV_ERROR, BK_FAIL_NONE };

	for (int i = 0; i < 4; i++) {
		struct bk_config c;
		struct bk_err err = { 0 };
		char text[64];
		snprintf(text, sizeof(text), "fail-on: %s\n", names[i]);
		cr_assert_eq(load(&c, text, &err), 0, "%s", err.msg);
		cr_assert_eq(c.fail_on, want[i], "fail-on: %s", names[i]);
		bk_config_release(&c);
	}
}

Test(config, single_string_is_a_one_item_list)
{
	struct bk_config c;
	struct bk_err err = { 0 };

	cr_assert_eq(load(&c, "exclude: vendor/**\n", &err), 0, "%s", err.msg);
	cr_assert_eq(c.exclude_nr, 1);
	cr_assert_str_eq(c.exclude[0], "vendor/**");
	bk_config_release(&c);
}

Test(config, sizes_in_bytes_kib_and_mib)
{
	uint64_t v;
	cr_assert_eq(bk_parse_size(&v, "1000"), 0);
	cr_assert_eq(v, 1000);
	cr_assert_eq(bk_parse_size(&v, "512KiB"), 0);
	cr_assert_eq(v, 512 * 1024);
	cr_assert_eq(bk_parse_size(&v, "2MiB"), 0);
	cr_assert_eq(v, 2 * 1024 * 1024);
	cr_assert_eq(bk_parse_size(&v, "3 MiB"), 0);
	cr_assert_eq(v, 3 * 1024 * 1024);
	cr_assert_eq(bk_parse_size(&v, "2GiB"), -1);
	cr_assert_eq(bk_parse_size(&v, "MiB"), -1);
	cr_assert_eq(bk_parse_size(&v, "1.5MiB"), -1);
	cr_assert_eq(bk_parse_size(&v, ""), -1);
}

Test(config, negative_or_overflowing_size_is_invalid)
{
	uint64_t v = 0;
	cr_assert_eq(bk_parse_size(&v, "-1"), -1, "accepted -1 as %llu", (unsigned long long)v);
	cr_assert_eq(bk_parse_size(&v, "17592186044416MiB"), -1,
		     "accepted 2^44 MiB as %llu", (unsigned long long)v);
}

Test(config, unknown_key_is_located_and_lists_the_keys)
{
	expect_error("include: [a]\nexlude: [b]\n", "2:1: ",
		     "unknown key 'exlude' in the configuration (expected one of: include, "
		     "exclude, rules, fail-on, rule-dirs, max-file-size, max-findings, "
		     "max-findings-per-file, explain, roles)");
}

Test(config, bad_fail_on_is_located)
{
	expect_error("fail-on: always\n", "1:10: ",
		     "invalid 'fail-on' (expected error, warning, info or none)");
	expect_error("fail-on: [error]\n", "1:10: ", "invalid 'fail-on'");
}

Test(config, bad_rule_setting_is_located)
{
	expect_error("rules:\n  sql-select-star: critical\n", "2:20: ",
		     "invalid setting 'critical' for rule 'sql-select-star' "
		     "(expected off, on, error, warning or info)");
}

Test(config, bad_severity_in_a_rule_mapping_is_located)
{
	expect_error("rules:\n  n-plus-one:\n    severity: high\n", "3:15: ",
		     "unknown severity 'high' (expected error, warning or info)");
	expect_error("rules:\n  n-plus-one: { enabled: maybe }\n", "2:26: ",
		     "'enabled' must be true or false");
	expect_error("rules:\n  n-plus-one: { level: info }\n", "2:17: ",
		     "unknown key 'level' in a rule setting");
}

Test(config, bad_max_file_size_is_located)
{
	expect_error("max-file-size: 2GB\n", "1:16: ", "invalid 'max-file-size'");
	expect_error("max-file-size: 0\n", "1:16: ", "invalid 'max-file-size'");
	expect_error("max-file-size: lots\n", "1:16: ",
		     "invalid 'max-file-size' (expected bytes, e.g. 2MiB or 500KiB)");
}

Test(config, findings_caps_are_read)
{
	struct bk_config c;
	struct bk_err err = { 0 };

	cr_assert_eq(load(&c, "max-findings: 500\nmax-findings-per-file: 0\n", &err), 0, "%s", err.msg);
	cr_assert_eq(c.max_findings, 500);
	cr_assert_eq(c.max_findings_per_file, SIZE_MAX, "0 is no limit");
	bk_config_release(&c);
	expect_error("max-findings: -1\n", "1:15: ", "invalid 'max-findings' (expected a number "
		     "of findings, 0 for no limit)");
	expect_error("max-findings-per-file: many\n", "1:24: ", "invalid 'max-findings-per-file'");
}

Test(config, list_of_non_strings_is_an_error)
{
	expect_error("exclude:\n  - a\n  - [b]\n", "3:5: ", "items of 'exclude' must be strings");
	expect_error("include: { a: 1 }\n", "1:10: ", "'include' must be a string or a list of strings");
}

Test(config, not_a_mapping_is_an_error)
{
	expect_error("- include\n", "1:1: ", "the configuration must be a mapping");
}

Test(config, invalid_yaml_is_located)
{
	expect_error("rules:\n  a: off\n b: on\n", "3:", "invalid YAML");
}

Test(config, missing_file_is_an_error)
{
	struct bk_config c;
	struct bk_err err = { 0 };

	cr_assert_eq(bk_config_load(&c, "/nonexistent/.bkgen.yml", &err), BK_ECONFIG);
	cr_assert(strstr(err.msg, "cannot read configuration '/nonexistent/.bkgen.yml'"),
		  "got: %s", err.msg);
	bk_config_release(&c);
}

static void add_rule(struct bk_ruleset *set, const char *id)
{
	struct bk_err err = { 0 };
	struct bk_buf path = BK_BUF_INIT, text = BK_BUF_INIT;

	bk_buf_printf(&path, "rules/%s.yml", id);
	bk_buf_printf(&text, "id: %s\ntitle: t\nseverity: warning\ncategory: c\nrationale: r\n"
		      "fix: f\nlanguages:\n  javascript:\n    query: (identifier) @x\n", id);
	cr_assert_eq(bk_ruleset_add_text(set, path.ptr, text.ptr, text.len, &err), 0, "%s", err.msg);
	bk_buf_release(&path);
	bk_buf_release(&text);
}

Test(config, apply_sets_enabled_and_severity)
{
	struct bk_config c;
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	add_rule(&set, "one");
	add_rule(&set, "two");
	add_rule(&set, "three");
	cr_assert_eq(load(&c, "rules:\n  one: off\n  two: error\n", &err), 0, "%s", err.msg);
	cr_assert_eq(bk_config_apply(&c, &set, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(bk_ruleset_find(&set, "one")->enabled, 0);
	cr_assert_eq(bk_ruleset_find(&set, "one")->severity, BK_SEV_WARNING);
	cr_assert_eq(bk_ruleset_find(&set, "two")->enabled, 1);
	cr_assert_eq(bk_ruleset_find(&set, "two")->severity, BK_SEV_ERROR);
	cr_assert_eq(bk_ruleset_find(&set, "three")->enabled, 1);
	cr_assert_eq(bk_ruleset_find(&set, "three")->severity, BK_SEV_WARNING);
	bk_config_release(&c);
	bk_ruleset_release(&set);
}

Test(config, apply_unknown_rule_is_an_error_at_its_position)
{
	struct bk_config c;
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char want[600];

	add_rule(&set, "one");
	cr_assert_eq(load(&c, "fail-on: info\nrules:\n  one: off\n  onee: on\n", &err), 0, "%s", err.msg);
	cr_assert_eq(bk_config_apply(&c, &set, NULL, &err), BK_ECONFIG);
	snprintf(want, sizeof(want), "%s/.bkgen.yml:4:3: unknown rule 'onee'", dir);
	cr_assert(!strncmp(err.msg, want, strlen(want)), "want '%s...', got: %s", want, err.msg);
	bk_config_release(&c);
	bk_ruleset_release(&set);
}

Test(config, apply_adds_to_a_rules_params)
{
	struct bk_config c;
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char want[600];
	const char *text = "id: keyed\ntitle: t\nseverity: warning\ncategory: c\nrationale: r\n"
			   "fix: f\nparams:\n  headers: [Idempotency-Key]\nlanguages:\n  javascript:\n"
			   "    query: ((string) @x (#match? @x \"{{params.headers}}\"))\n";

	cr_assert_eq(bk_ruleset_add_text(&set, "rules/keyed.yml", text, strlen(text), &err), 0,
		     "%s", err.msg);
	cr_assert_eq(load(&c, "rules:\n  keyed:\n    params:\n      headers: [X-Request-Id]\n",
			  &err), 0, "%s", err.msg);
	cr_assert_eq(bk_config_apply(&c, &set, NULL, &err), 0, "%s", err.msg);
	cr_assert_str_eq(bk_ruleset_find(&set, "keyed")->langs[0].query_src,
			 "((string) @x (#match? @x \"(?:Idempotency[-_]?Key|X[-_]?Request[-_]?Id)\"))");
	bk_config_release(&c);

	cr_assert_eq(load(&c, "rules:\n  keyed:\n    params:\n      header: [X]\n", &err), 0,
		     "%s", err.msg);
	cr_assert_eq(bk_config_apply(&c, &set, NULL, &err), BK_ECONFIG);
	snprintf(want, sizeof(want), "%s/.bkgen.yml:4:7: rule 'keyed' has no parameter 'header'", dir);
	cr_assert(!strncmp(err.msg, want, strlen(want)), "want '%s...', got: %s", want, err.msg);
	bk_config_release(&c);
	bk_ruleset_release(&set);
	expect_error("rules:\n  keyed:\n    params: [X]\n", "3:13: ", "must map parameter names");
}

Test(config, find_walks_up_to_the_nearest_file)
{
	char sub[512], want[512];

	t_write(dir, "a/.bkgen.yml", "fail-on: none\n");
	t_write(dir, "a/b/c/file.js", "x\n");
	snprintf(sub, sizeof(sub), "%s/a/b/c", dir);
	snprintf(want, sizeof(want), "%s/a/.bkgen.yml", dir);
	char *found = bk_config_find(sub);
	cr_assert_not_null(found);
	cr_assert_str_eq(found, want);
	free(found);

	t_write(dir, "a/b/.bkgen.yml", "fail-on: none\n");
	snprintf(want, sizeof(want), "%s/a/b/.bkgen.yml", dir);
	found = bk_config_find(sub);
	cr_assert_str_eq(found, want, "the nearest one wins");
	free(found);
}

Test(config, find_returns_null_when_there_is_none)
{
	char sub[512];

	t_write(dir, "x/y/file.js", "x\n");
	snprintf(sub, sizeof(sub), "%s/x/y", dir);
	cr_assert_null(bk_config_find(sub), "found a .bkgen.yml above %s", sub);
}
