/*
 * template.yml validation: a good manifest loads with typed options, and
 * each kind of mistake is reported at its file:line:col.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "template/template.h"

#define HEAD "name: t\nlanguage: x\nsummary: s\nsource-name: acme-payments\nversion: 1.0.0\n"

static int parse(struct bk_template *t, const char *text, struct bk_err *err)
{
	return bk_template_parse(t, "tpl", "tpl/template.yml", text, strlen(text), err);
}

/* The manifest must fail with a message starting "tpl/template.yml:LINE:COL: " and holding part. */
static void expect_error(const char *text, int line, int col, const char *part)
{
	struct bk_template t;
	struct bk_err err = { 0 };
	char where[64];

	cr_assert_eq(parse(&t, text, &err), BK_ECONFIG, "should fail: %s", text);
	snprintf(where, sizeof(where), "tpl/template.yml:%d:%d: ", line, col);
	cr_expect_eq(strncmp(err.msg, where, strlen(where)), 0, "want '%s...', got '%s'", where, err.msg);
	cr_expect(strstr(err.msg, part), "want '%s' in '%s'", part, err.msg);
}

Test(template, manifest_loads_options_files_and_globs)
{
	struct bk_template t;
	struct bk_err err = { 0 };
	const char *text = HEAD
		"options:\n"
		"  docker: {type: bool, default: yes, help: add a Dockerfile}\n"
		"  port: {type: int, default: 8080, min: 1, max: 65535}\n"
		"  db: {type: choice, choices: [postgres, sqlite], default: sqlite}\n"
		"  owner: {type: string, pattern: '[a-z]+'}\n"
		"files:\n  - {path: Dockerfile, when: docker}\n  - {path: 'sqlite/', when: '!db=postgres'}\n"
		"verbatim: ['*.lock']\nexclude: [build/]\nnext-steps: |\n  make\n";

	cr_assert_eq(parse(&t, text, &err), 0, "%s", err.msg);
	cr_expect_str_eq(t.source_name, "acme-payments");
	cr_expect_str_eq(t.version, "1.0.0");
	cr_assert_eq(t.opts_nr, 4);
	cr_expect_eq(t.opts[0].type, BK_TOPT_BOOL);
	cr_expect_str_eq(t.opts[0].def, "true", "defaults are canonical");
	cr_expect_str_eq(t.opts[0].help, "add a Dockerfile");
	cr_expect_eq(t.opts[1].min, 1);
	cr_expect_eq(t.opts[1].max, 65535);
	cr_expect_eq(t.opts[2].choices_nr, 2);
	cr_expect_null(t.opts[3].def, "no default: required");
	cr_assert_eq(t.files_nr, 2);
	cr_expect_eq(t.files[1].when.opt, 2);
	cr_expect(t.files[1].when.negate);
	cr_expect_str_eq(t.files[1].when.value, "postgres");
	cr_expect_str_eq(t.verbatim[0], "*.lock");
	cr_expect_str_eq(t.exclude[0], "build/");
	cr_expect_str_eq(t.next_steps, "make\n");
	cr_expect_eq(bk_template_option(&t, "owner"), 3);
	cr_expect_eq(bk_template_option(&t, "nope"), -1);
	bk_template_release(&t);
}

Test(template, manifest_unknown_key)
{
	expect_error(HEAD "next_steps: x\n", 6, 1, "unknown key 'next_steps'");
	expect_error(HEAD "options:\n  a:\n    type: bool\n    dflt: true\n", 9, 5, "unknown key 'dflt'");
}

Test(template, manifest_bad_option_type)
{
	expect_error(HEAD "options:\n  a:\n    type: boolean\n", 8, 11, "bad type 'boolean'");
	expect_error(HEAD "options:\n  a: {default: 1}\n", 7, 6, "has no 'type'");
	expect_error(HEAD "options:\n  a: {type: bool, min: 1}\n", 7, 24, "'min' applies only to int");
	expect_error(HEAD "options:\n  a: {type: choice}\n", 7, 6, "needs 'choices'");
	expect_error(HEAD "options:\n  Bad: {type: bool}\n", 7, 3, "option names");
}

Test(template, manifest_bad_default)
{
	expect_error(HEAD "options:\n  port: {type: int, default: 99999, max: 65535}\n", 7, 30, "bad default for option 'port'");
	expect_error(HEAD "options:\n  port: {type: int, default: eighty}\n", 7, 30, "not an integer");
	expect_error(HEAD "options:\n  d: {type: bool, default: maybe}\n", 7, 28, "not a boolean");
	expect_error(HEAD "options:\n  db: {type: choice, choices: [a, b], default: c}\n", 7, 48, "'c' is not one of: a, b");
	expect_error(HEAD "options:\n  o: {type: string, pattern: '[a-z]+', default: Team}\n", 7, 49, "does not match");
	expect_error(HEAD "options:\n  o: {type: string, pattern: '[a-z'}\n", 7, 30, "invalid regex");
	expect_error(HEAD "options:\n  p: {type: int, min: 5, max: 1}\n", 7, 23, "empty range");
}

Test(template, manifest_missing_or_bad_source_name)
{
	expect_error("name: t\nlanguage: x\nsummary: s\nversion: 1\n", 1, 1, "missing required key 'source-name'");
	expect_error("name: t\nlanguage: x\nsummary: s\nversion: 1\nsource-name: Acme\n", 5, 14, "bad source-name");
	expect_error("name: t\nlanguage: x\nsummary: s\nversion: 1\nsource-name: acme\n", 5, 14, "two words");
	expect_error("name: t\nlanguage: x\nsummary: s\nsource-name: acme-payments\n", 1, 1, "'version'");
	expect_error("name: t\nlanguage: x\nsummary: ''\nsource-name: acme-payments\nversion: 1\n", 3, 10, "non-empty");
}

Test(template, manifest_conditions_and_globs)
{
	expect_error(HEAD "files:\n  - {path: a, when: docker}\n", 7, 21, "unknown option 'docker'");
	expect_error(HEAD "options:\n  db: {type: choice, choices: [a]}\nfiles:\n  - {path: x, when: db=b}\n", 9, 21,
		     "bad value for 'db'");
	expect_error(HEAD "files:\n  - {path: x}\n", 7, 5, "both 'path' and 'when'");
	expect_error(HEAD "verbatim: ['../secrets']\n", 6, 12, "leaves the template directory");
	expect_error(HEAD "options:\n  a: {type: bool}\nfiles:\n  - {path: 'x/../../y', when: a}\n", 9, 12, "'..'");
}

Test(template, manifest_syntax_errors_have_positions)
{
	struct bk_template t;
	struct bk_err err = { 0 };
	cr_assert_eq(parse(&t, HEAD "options: [\n", &err), BK_ECONFIG);
	cr_expect(!strncmp(err.msg, "tpl/template.yml:", 17), "%s", err.msg);
	expect_error("- a\n- b\n", 1, 1, "must be a mapping");
}

Test(template, option_values_are_checked_and_canonical)
{
	struct bk_template t;
	struct bk_err err = { 0 };
	struct bk_answers a;
	cr_assert_eq(parse(&t, HEAD "options:\n  d: {type: bool}\n  n: {type: int, min: 1, max: 9}\n", &err), 0, "%s", err.msg);
	bk_answers_init(&a, &t);
	cr_expect_eq(bk_answers_set(&a, &t, 0, "off", &err), 0);
	cr_expect_str_eq(a.values[0], "false");
	cr_expect_eq(bk_answers_set(&a, &t, 1, "10", &err), BK_EUSAGE);
	cr_expect(strstr(err.msg, "option 'n'") && strstr(err.msg, "out of range"), "%s", err.msg);
	cr_expect_eq(bk_answers_set(&a, &t, 1, "007", &err), 0);
	cr_expect_str_eq(a.values[1], "7");
	bk_answers_release(&a);
	bk_template_release(&t);
}
