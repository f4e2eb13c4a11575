/*
 * bk_suppress_scan / bk_suppress_covers on text directly: marker syntax,
 * ids, reasons, comment ends, and which lines a marker covers.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "lint/suppress.h"

static struct bk_suppressions scan(const char *text)
{
	struct bk_suppressions s = { 0 };
	bk_suppress_scan(&s, text, strlen(text), NULL, NULL);
	return s;
}

#define IDS_ARE(sup, ...) \
	do { \
		const char *want_[] = { __VA_ARGS__ }; \
		size_t n_ = sizeof(want_) / sizeof(*want_); \
		cr_assert_eq((sup).ids_nr, n_, "%zu ids, want %zu", (sup).ids_nr, n_); \
		for (size_t i_ = 0; i_ < n_; i_++) \
			cr_assert_str_eq((sup).ids[i_], want_[i_]); \
	} while (0)

Test(suppress, marker_with_colon)
{
	struct bk_suppressions s = scan("x(); // bkgen-ignore: rule-a\n");
	cr_assert_eq(s.nr, 1);
	IDS_ARE(s.items[0], "rule-a");
	cr_assert_eq(s.items[0].line, 0);
	cr_assert_eq(s.items[0].col, 8);
	bk_suppress_release(&s);
}

Test(suppress, marker_without_colon)
{
	struct bk_suppressions s = scan("x(); # bkgen-ignore rule-a\n");
	cr_assert_eq(s.nr, 1);
	IDS_ARE(s.items[0], "rule-a");
	bk_suppress_release(&s);
}

Test(suppress, several_ids)
{
	struct bk_suppressions s = scan("// bkgen-ignore: a, b-2,c_3\n");
	IDS_ARE(s.items[0], "a", "b-2", "c_3");
	bk_suppress_release(&s);
}

Test(suppress, reason_after_double_dash_is_not_an_id)
{
	struct bk_suppressions s = scan("// bkgen-ignore: a, b -- the reason, with words\n");
	IDS_ARE(s.items[0], "a", "b");
	bk_suppress_release(&s);

	s = scan("// bkgen-ignore: a -- why\n");
	IDS_ARE(s.items[0], "a");
	bk_suppress_release(&s);
}

Test(suppress, block_comment_end_is_not_an_id)
{
	struct bk_suppressions s = scan("x(); /* bkgen-ignore: a */ y();\n");
	IDS_ARE(s.items[0], "a");
	bk_suppress_release(&s);

	s = scan("x(); /* bkgen-ignore: a, b*/\n");
	IDS_ARE(s.items[0], "a", "b");
	bk_suppress_release(&s);

	s = scan("<!-- bkgen-ignore: a -->\n");
	IDS_ARE(s.items[0], "a");
	bk_suppress_release(&s);
}

Test(suppress, ids_stop_at_the_end_of_the_line)
{
	struct bk_suppressions s = scan("// bkgen-ignore: a\nb();\n");
	IDS_ARE(s.items[0], "a");
	bk_suppress_release(&s);
}

Test(suppress, marker_without_ids_covers_nothing)
{
	struct bk_suppressions s = scan("x(); // bkgen-ignore\n");
	cr_assert_eq(s.nr, 1);
	cr_assert_eq(s.items[0].ids_nr, 0);
	cr_assert_not(bk_suppress_covers(&s, 0, "a"));
	bk_suppress_release(&s);
}

Test(suppress, trailing_marker_covers_only_its_line)
{
	struct bk_suppressions s = scan("a();\nx(); // bkgen-ignore: r\ny();\n");
	cr_assert_eq(s.items[0].line, 1);
	cr_assert_eq(s.items[0].last_line, 1);
	cr_assert_not(bk_suppress_covers(&s, 0, "r"));
	cr_assert(bk_suppress_covers(&s, 1, "r"));
	cr_assert_not(bk_suppress_covers(&s, 2, "r"));
	bk_suppress_release(&s);
}

Test(suppress, marker_alone_on_its_line_covers_the_next_line)
{
	const char *own_line[] = {
		"a();\n// bkgen-ignore: r\nx();\n",
		"a();\n    # bkgen-ignore: r\nx();\n",
		"a();\n\t-- bkgen-ignore: r\nx();\n",
		"a();\n/* bkgen-ignore: r */\nx();\n",
		"a();\n * bkgen-ignore: r\nx();\n",
		"a();\n//bkgen-ignore:r\nx();\n",
	};
	for (size_t i = 0; i < sizeof(own_line) / sizeof(*own_line); i++) {
		struct bk_suppressions s = scan(own_line[i]);
		cr_assert_eq(s.nr, 1, "case %zu", i);
		cr_assert_eq(s.items[0].line, 1, "case %zu", i);
		cr_assert_eq(s.items[0].last_line, 2, "case %zu", i);
		cr_assert_not(bk_suppress_covers(&s, 0, "r"), "case %zu", i);
		cr_assert(bk_suppress_covers(&s, 1, "r"), "case %zu", i);
		cr_assert(bk_suppress_covers(&s, 2, "r"), "case %zu", i);
		cr_assert_not(bk_suppress_covers(&s, 3, "r"), "case %zu", i);
		bk_suppress_release(&s);
	}
}

Test(suppress, covers_marks_only_the_matching_id_used)
{
	struct bk_suppressions s = scan("x(); // bkgen-ignore: a, b\n");
	cr_assert(bk_suppress_covers(&s, 0, "b"));
	cr_assert_not(bk_suppress_covers(&s, 0, "c"));
	cr_assert_eq(s.items[0].used[0], 0);
	cr_assert_eq(s.items[0].used[1], 1);
	bk_suppress_release(&s);
}

Test(suppress, id_must_match_exactly)
{
	struct bk_suppressions s = scan("x(); // bkgen-ignore: sql\n");
	cr_assert_not(bk_suppress_covers(&s, 0, "sql-select-star"));
	cr_assert_not(bk_suppress_covers(&s, 0, "sq"));
	bk_suppress_release(&s);
}

Test(suppress, several_markers_are_found_with_their_lines)
{
	struct bk_suppressions s = scan("// bkgen-ignore: a\nx();\n\ny(); // bkgen-ignore: b\n");
	cr_assert_eq(s.nr, 2);
	cr_assert_eq(s.items[0].line, 0);
	cr_assert_eq(s.items[1].line, 3);
	cr_assert_eq(s.items[1].col, 8);
	cr_assert(bk_suppress_covers(&s, 1, "a"));
	cr_assert(bk_suppress_covers(&s, 3, "b"));
	cr_assert_not(bk_suppress_covers(&s, 3, "a"));
	bk_suppress_release(&s);
}

/* is_comment: only offsets from 10 on are in a comment. */
static int from_ten(void *data, uint32_t offset)
{
	(void)data;
	return offset >= 10;
}

Test(suppress, is_comment_filters_markers)
{
	const char *text = "bkgen-ignore: a\nbkgen-ignore: b\n";
	struct bk_suppressions s = { 0 };

	bk_suppress_scan(&s, text, strlen(text), from_ten, NULL);
	cr_assert_eq(s.nr, 1);
	IDS_ARE(s.items[0], "b");
	cr_assert_eq(s.items[0].line, 1, "lines still count skipped markers");
	bk_suppress_release(&s);
}

Test(suppress, text_without_markers_gives_none)
{
	struct bk_suppressions s = scan("x(); // bkgen ignore: a\n// bkgen-ignor: b\n");
	cr_assert_eq(s.nr, 0);
	cr_assert_not(bk_suppress_covers(&s, 0, "a"));
	bk_suppress_release(&s);
}
