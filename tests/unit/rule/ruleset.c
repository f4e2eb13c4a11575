/*
 * The rule set: adding texts and directories, duplicate ids, lookups,
 * and the built-in rules.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint/rule-load.h"
#include "../support/support.h"

static char *rule_text(const char *id, const char *title)
{
	static char buf[512];
	snprintf(buf, sizeof(buf),
		 "id: %s\ntitle: %s\nseverity: info\ncategory: c\nrationale: r\nfix: f\n"
		 "languages:\n  javascript:\n    query: (identifier) @x\n", id, title);
	return buf;
}

static int add(struct bk_ruleset *set, const char *path, const char *text,
	       struct bk_err *err)
{
	return bk_ruleset_add_text(set, path, text, strlen(text), err);
}

Test(rule, ruleset_add_text_and_find)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	cr_assert_eq(add(&set, "a/one.yml", rule_text("one", "First"), &err), 0, "%s", err.msg);
	cr_assert_eq(add(&set, "a/two.yml", rule_text("two", "Second"), &err), 0, "%s", err.msg);
	cr_assert_eq(set.nr, 2);
	cr_assert_str_eq(bk_ruleset_find(&set, "two")->title, "Second");
	cr_assert_str_eq(bk_ruleset_find(&set, "one")->path, "a/one.yml");
	cr_assert_null(bk_ruleset_find(&set, "three"));
	bk_ruleset_release(&set);
	cr_assert_eq(set.nr, 0);
	cr_assert_null(set.rules);
}

Test(rule, ruleset_refuses_a_duplicate_id_naming_the_first_file)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	cr_assert_eq(add(&set, "builtin:dup.yml", rule_text("dup", "First"), &err), 0, "%s", err.msg);
	cr_assert_eq(add(&set, "mine/dup.yml", rule_text("dup", "Second"), &err), BK_ECONFIG);
	cr_assert(!strncmp(err.msg, "mine/dup.yml: ", 14), "got: %s", err.msg);
	cr_assert(strstr(err.msg, "rule id 'dup' is already defined by builtin:dup.yml"),
		  "got: %s", err.msg);
	cr_assert_eq(set.nr, 1, "the duplicate is not added");
	cr_assert_str_eq(set.rules[0].title, "First");
	bk_ruleset_release(&set);
}

Test(rule, ruleset_add_text_propagates_the_parse_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	cr_assert_eq(add(&set, "x/bad.yml", "id: bad\n", &err), BK_ECONFIG);
	cr_assert(!strncmp(err.msg, "x/bad.yml:1:1: missing required key", 35), "got: %s", err.msg);
	cr_assert_eq(set.nr, 0);
	bk_ruleset_release(&set);
}

Test(rule, ruleset_add_dir_loads_rule_files_sorted_and_ignores_others)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char *dir = t_tmpdir();

	t_write(dir, "charlie.yml", rule_text("charlie", "C"));
	t_write(dir, "alpha.yaml", rule_text("alpha", "A"));
	t_write(dir, "bravo.yml", rule_text("bravo", "B"));
	t_write(dir, "README.md", "not a rule\n");
	t_write(dir, "notes.yml.bak", "id: [broken\n");
	t_write(dir, ".hidden.yml", "id: [broken\n");
	t_write(dir, "sub/delta.yml", rule_text("delta", "D"));

	cr_assert_eq(bk_ruleset_add_dir(&set, dir, &err), 0, "%s", err.msg);
	cr_assert_eq(set.nr, 3, "not recursive, only .yml/.yaml");
	cr_assert_str_eq(set.rules[0].id, "alpha");
	cr_assert_str_eq(set.rules[1].id, "bravo");
	cr_assert_str_eq(set.rules[2].id, "charlie");
	cr_assert(strstr(set.rules[0].path, "/alpha.yaml"), "%s", set.rules[0].path);
	bk_ruleset_release(&set);
	t_rmtree(dir);
	free(dir);
}

Test(rule, ruleset_add_dir_reports_the_bad_file)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	char *dir = t_tmpdir();
	char want[256];

	t_write(dir, "good.yml", rule_text("good", "G"));
	t_write(dir, "zz-bad.yml", "id: zz-bad\nseverity: loud\n");
	cr_assert_eq(bk_ruleset_add_dir(&set, dir, &err), BK_ECONFIG);
	snprintf(want, sizeof(want), "%s/zz-bad.yml:1:1: ", dir);
	cr_assert(!strncmp(err.msg, want, strlen(want)), "got: %s", err.msg);
	bk_ruleset_release(&set);
	t_rmtree(dir);
	free(dir);
}

Test(rule, ruleset_add_dir_missing_directory_is_a_usage_error)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	cr_assert_eq(bk_ruleset_add_dir(&set, "/nonexistent/bkgen-rules", &err), BK_EUSAGE);
	cr_assert(strstr(err.msg, "cannot open rule directory '/nonexistent/bkgen-rules'"),
		  "got: %s", err.msg);
	bk_ruleset_release(&set);
}

Test(rule, builtin_rules_load_and_are_named_builtin)
{
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	cr_assert_eq(bk_ruleset_add_builtin(&set, &err), 0, "%s", err.msg);
	cr_assert_geq(set.nr, 1);
	for (size_t i = 0; i < set.nr; i++) {
		char want[128];
		snprintf(want, sizeof(want), "builtin:%s.yml", set.rules[i].id);
		cr_expect_str_eq(set.rules[i].path, want);
	}
	cr_assert_not_null(bk_ruleset_find(&set, "sql-select-star"));
	bk_ruleset_release(&set);
}
