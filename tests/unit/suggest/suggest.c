/* bk_suggest: the closest candidate for "did you mean", and the message shape. */
#include <criterion/criterion.h>
#include "base/suggest.h"

Test(suggest, edit_distance_counts_insertions_deletions_substitutions)
{
	cr_assert_eq(bk_edit_distance("", ""), 0);
	cr_assert_eq(bk_edit_distance("check", "check"), 0);
	cr_assert_eq(bk_edit_distance("chek", "check"), 1);
	cr_assert_eq(bk_edit_distance("checks", "check"), 1);
	cr_assert_eq(bk_edit_distance("chack", "check"), 1);
	cr_assert_eq(bk_edit_distance("kitten", "sitting"), 3);
	cr_assert_eq(bk_edit_distance("", "abc"), 3);
}

Test(suggest, picks_the_closest_candidate)
{
	static const char *const cands[] = { "format", "fail-on", "output", NULL };
	struct bk_suggest s;

	bk_suggest_init(&s, "formt");
	bk_suggest_add_all(&s, cands);
	cr_assert_str_eq(bk_suggest_best(&s), "format");
}

Test(suggest, first_of_equally_close_wins)
{
	struct bk_suggest s;

	bk_suggest_init(&s, "ab");
	bk_suggest_add(&s, "ax");
	bk_suggest_add(&s, "xb");
	cr_assert_str_eq(bk_suggest_best(&s), "ax");
}

Test(suggest, nothing_when_no_candidate_is_close)
{
	static const char *const cands[] = { "check", "rules", "new", NULL };
	struct bk_suggest s;

	bk_suggest_init(&s, "zzzzzz");
	bk_suggest_add_all(&s, cands);
	cr_assert_null(bk_suggest_best(&s));
	bk_suggest_init(&s, "x");
	bk_suggest_add_all(&s, NULL);
	cr_assert_null(bk_suggest_best(&s));
}

Test(suggest, limit_is_a_third_of_the_word_plus_one)
{
	struct bk_suggest s;

	/* 6 letters: up to 3 edits. */
	bk_suggest_init(&s, "abcdef");
	bk_suggest_add(&s, "abcxyz");
	cr_assert_str_eq(bk_suggest_best(&s), "abcxyz");
	bk_suggest_init(&s, "abcdef");
	bk_suggest_add(&s, "abwxyz");
	cr_assert_null(bk_suggest_best(&s));
}

Test(suggest, message_with_a_suggestion)
{
	struct bk_suggest s;
	struct bk_err err = { 0 };

	bk_suggest_init(&s, "helth-live");
	bk_suggest_add(&s, "health-live");
	cr_assert_eq(bk_err_suggest(&err, BK_EUSAGE, &s, "see 'bkgen probe --list'",
				    "unknown check '%s'", "helth-live"), BK_EUSAGE);
	cr_assert_eq(err.code, BK_EUSAGE);
	cr_assert_str_eq(err.msg, "unknown check 'helth-live'; did you mean 'health-live'?");
}

Test(suggest, message_with_the_way_out_or_nothing)
{
	struct bk_suggest s;
	struct bk_err err = { 0 };

	bk_suggest_init(&s, "nope");
	bk_suggest_add(&s, "health-live");
	bk_err_suggest(&err, BK_EUSAGE, &s, "see 'bkgen probe --list'", "unknown check '%s'", "nope");
	cr_assert_str_eq(err.msg, "unknown check 'nope' (see 'bkgen probe --list')");
	bk_err_suggest(&err, BK_ECONFIG, &s, NULL, "unknown check '%s'", "nope");
	cr_assert_eq(err.code, BK_ECONFIG);
	cr_assert_str_eq(err.msg, "unknown check 'nope'");
}

Test(suggest, prefix_is_shown_before_the_suggestion)
{
	struct bk_suggest s;
	struct bk_err err = { 0 };

	bk_suggest_init(&s, "formt");
	s.prefix = "--";
	bk_suggest_add(&s, "format");
	bk_err_suggest(&err, BK_EUSAGE, &s, NULL, "unknown option '--%s'", "formt");
	cr_assert_str_eq(err.msg, "unknown option '--formt'; did you mean '--format'?");
}
