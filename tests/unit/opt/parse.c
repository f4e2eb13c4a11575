/*
 * The option parser: values are found by their row, long and short forms,
 * lists, "--", choices, and the errors with their suggestions.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include "cli/opt.h"

static const char *const colors[] = { "auto", "always", "never", NULL };

static const struct bk_opt o_format = { "format", 'f', BK_OPT_VALUE, "FORMAT", NULL, "output format" };
static const struct bk_opt o_color = { "color", 0, BK_OPT_VALUE, "WHEN", colors, "colour" };
static const struct bk_opt o_rules = { "rules", 0, BK_OPT_LIST, "DIR", NULL, "rule dirs" };
static const struct bk_opt o_stats = { "stats", 's', BK_OPT_FLAG, NULL, NULL, "stats" };
static const struct bk_opt o_verbose = { "verbose", 'v', BK_OPT_FLAG, NULL, NULL, "verbose" };
/* In no table below. */
static const struct bk_opt o_other = { "other", 0, BK_OPT_FLAG, NULL, NULL, "other" };

static const struct bk_opt *const table[] = {
	&o_format, &o_color, &o_rules, &o_stats, &o_verbose, NULL,
};

static int parse(struct bk_args *a, struct bk_err *err, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return bk_args_parse(a, table, argc, argv, err);
}

Test(opt, values_are_found_by_their_row)
{
	char *argv[] = { "cmd", "--format", "json", "-s", "--rules=a", "--rules", "b", "x", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), 0, "%s", err.msg);
	cr_assert_str_eq(bk_args_value(&a, &o_format), "json");
	cr_assert(bk_args_flag(&a, &o_stats));
	cr_assert_not(bk_args_flag(&a, &o_verbose));
	cr_assert_null(bk_args_value(&a, &o_color));
	const struct bk_optval *r = bk_args_get(&a, &o_rules);
	cr_assert_eq(r->list_nr, 2);
	cr_assert_str_eq(r->list[0], "a");
	cr_assert_str_eq(r->list[1], "b");
	cr_assert_eq(a.pos_nr, 1);
	cr_assert_str_eq(a.pos[0], "x");
	bk_args_release(&a);
}

Test(opt, a_row_outside_the_table_is_absent)
{
	char *argv[] = { "cmd", "--stats", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), 0);
	cr_assert_null(bk_args_get(&a, &o_other));
	cr_assert_not(bk_args_flag(&a, &o_other));
	cr_assert_null(bk_args_value(&a, &o_other));
	bk_args_release(&a);
}

Test(opt, short_flags_bundle_and_short_values_attach)
{
	char *argv[] = { "cmd", "-vs", "-fsarif", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), 0, "%s", err.msg);
	cr_assert(bk_args_flag(&a, &o_verbose));
	cr_assert(bk_args_flag(&a, &o_stats));
	cr_assert_str_eq(bk_args_value(&a, &o_format), "sarif");
	bk_args_release(&a);
}

Test(opt, double_dash_ends_options)
{
	char *argv[] = { "cmd", "--", "--stats", "-", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), 0);
	cr_assert_not(bk_args_flag(&a, &o_stats));
	cr_assert_eq(a.pos_nr, 2);
	cr_assert_str_eq(a.pos[0], "--stats");
	cr_assert_str_eq(a.pos[1], "-");
	bk_args_release(&a);
}

Test(opt, unknown_option_suggests_the_closest)
{
	char *argv[] = { "cmd", "--formt", "json", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), BK_EUSAGE);
	cr_assert_str_eq(err.msg, "unknown option '--formt' for 'cmd'; did you mean '--format'?");
	bk_args_release(&a);
}

Test(opt, unknown_option_without_a_close_one_points_to_help)
{
	char *argv[] = { "cmd", "--zzzzzzzz", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), BK_EUSAGE);
	cr_assert_str_eq(err.msg, "unknown option '--zzzzzzzz' for 'cmd' (see 'bkgen cmd --help')");
	bk_args_release(&a);
}

Test(opt, value_outside_the_choices_is_refused)
{
	char *argv[] = { "cmd", "--color", "alway", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), BK_EUSAGE);
	cr_assert_str_eq(err.msg, "invalid value 'alway' for --color (expected one of: auto, always, never); "
			 "did you mean 'always'?");
	bk_args_release(&a);
}

Test(opt, flags_take_no_value_and_values_need_one)
{
	char *flag[] = { "cmd", "--stats=1", NULL };
	char *value[] = { "cmd", "--format", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, flag), BK_EUSAGE);
	cr_assert_str_eq(err.msg, "option '--stats' takes no value");
	bk_args_release(&a);
	cr_assert_eq(parse(&a, &err, value), BK_EUSAGE);
	cr_assert_str_eq(err.msg, "option '--format' needs a value (FORMAT)");
	bk_args_release(&a);
}

/* A copy of a row under the same name would never see its value: asserts. */
Test(opt, asking_for_a_look_alike_row_aborts, .signal = SIGABRT)
{
	static const struct bk_opt stats_copy = { "stats", 0, BK_OPT_FLAG, NULL, NULL, "a copy" };
	char *argv[] = { "cmd", "--stats", NULL };
	struct bk_args a;
	struct bk_err err = { 0 };

	cr_assert_eq(parse(&a, &err, argv), 0);
	bk_args_flag(&a, &stats_copy);
}
