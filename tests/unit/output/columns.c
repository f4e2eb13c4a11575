#include <criterion/criterion.h>
#include <string.h>
#include "fixture.h"

Test(output, utf16_column_counts_surrogate_pairs)
{
	const char *at = strstr(FETCH_LINE, "fetch");
	uint32_t bytes = (uint32_t)(at - FETCH_LINE);

	cr_assert_eq(bytes, 24);
	cr_assert_eq(bk_utf16_column(FETCH_LINE, bytes), 21);
	cr_assert_eq(bk_codepoint_column(FETCH_LINE, bytes), 20);
	cr_assert_eq(bk_utf16_column(FETCH_LINE, 0), 0);
}

Test(output, utf16_column_counts_past_end_per_byte)
{
	cr_assert_eq(bk_utf16_column("ab", 3), 3);
	cr_assert_eq(bk_utf16_column(NULL, 4), 4);
}

Test(output, utf16_column_counts_invalid_bytes_once)
{
	/* A lone continuation byte and a truncated 3-byte sequence. */
	cr_assert_eq(bk_utf16_column("a\x80" "b\xe2\x82", 5), 5);
	cr_assert_eq(bk_codepoint_column("\xc3\xa9x", 2), 1);
}

Test(output, utf8_decode_rejects_overlong_and_surrogates)
{
	uint32_t cp;

	cr_assert_eq(bk_utf8_decode("\xc0\xaf", 2, &cp), 1);
	cr_assert_eq(cp, 0xfffd);
	cr_assert_eq(bk_utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	cr_assert_eq(bk_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	cr_assert_eq(cp, 0x1f600);
	cr_assert_eq(bk_utf8_decode("\xf0\x9f\x98\x80", 3, &cp), 1);
}

Test(output, format_parse_knows_every_name)
{
	enum bk_format fmt;

	for (int i = 0; bk_format_names[i]; i++) {
		cr_assert_eq(bk_format_parse(&fmt, bk_format_names[i]), 0);
		cr_assert_eq((int)fmt, i);
	}
	cr_assert_eq(bk_format_parse(&fmt, "sarif"), 0);
	cr_assert_eq(fmt, BK_FMT_SARIF);
	cr_assert_eq(bk_format_parse(&fmt, "xml"), -1);
}
