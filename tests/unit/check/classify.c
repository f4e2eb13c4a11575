/*
 * bk_classify_skip: content that is not worth checking (binary, invalid
 * UTF-8, generated, minified) is skipped with a reason and a detail.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "base/classify.h"
#include "base/classify.h"

struct verdict {
	int skipped;
	enum bk_skip_reason reason;
	char *detail;
};

static struct verdict classify_n(const char *path, const char *text, size_t len)
{
	struct verdict v = { 0, BK_SKIP__COUNT, NULL };
	v.skipped = bk_classify_skip(path, text, len, &v.reason, &v.detail);
	return v;
}

static struct verdict classify(const char *path, const char *text)
{
	return classify_n(path, text, strlen(text));
}

#define EXPECT_SKIP(v, why) \
	do { \
		cr_assert_eq((v).skipped, 1, "not skipped"); \
		cr_assert_eq((v).reason, (why), "skipped as %s", bk_skip_reason_name((v).reason)); \
	} while (0)

#define EXPECT_KEPT(v, what) \
	cr_assert_eq((v).skipped, 0, "%s skipped as %s (%s)", (what), \
		     bk_skip_reason_name((v).reason), (v).detail ? (v).detail : "")

Test(check, nul_bytes_mean_binary)
{
	struct verdict v = classify_n("a.js", "let a = 1;\0\x01\x02", 14);
	EXPECT_SKIP(v, BK_SKIP_BINARY);
	cr_assert_str_eq(bk_skip_reason_name(v.reason), "binary");
	cr_assert_not_null(v.detail);
	free(v.detail);
}

Test(check, invalid_utf8_names_line_and_column)
{
	struct verdict v = classify("a.js", "let a = 1;\nlet b = '\xff';\n");
	EXPECT_SKIP(v, BK_SKIP_INVALID_UTF8);
	cr_assert_str_eq(bk_skip_reason_name(v.reason), "invalid-utf8");
	cr_assert_not_null(v.detail);
	cr_assert(strstr(v.detail, "2:10"), "detail: %s", v.detail);
	free(v.detail);
}

Test(check, stray_continuation_and_truncated_sequences_are_invalid)
{
	const char *bad[] = {
		"x\x80y",              /* continuation byte without a lead */
		"x\xc3",               /* truncated at the end */
		"x\xe2\x82y",          /* truncated in the middle */
		"x\xf0\x9f\x98",       /* 4-byte sequence cut short */
		"x\xf8\x88\x80\x80\x80", /* 5-byte form */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct verdict v = classify("a.py", bad[i]);
		cr_assert_eq(v.skipped, 1, "case %zu accepted", i);
		cr_assert_eq(v.reason, BK_SKIP_INVALID_UTF8, "case %zu", i);
		cr_assert(strstr(v.detail, "1:2"), "case %zu detail: %s", i, v.detail);
		free(v.detail);
	}
}

Test(check, overlong_encodings_are_rejected)
{
	const char *bad[] = {
		"\xc0\xaf",             /* '/' in two bytes */
		"\xc1\xbf",
		"\xe0\x80\xaf",         /* '/' in three bytes */
		"\xe0\x9f\xbf",         /* U+07FF in three bytes */
		"\xf0\x80\x80\xaf",     /* '/' in four bytes */
		"\xf0\x8f\xbf\xbf",     /* U+FFFF in four bytes */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct verdict v = classify("a.go", bad[i]);
		cr_assert_eq(v.skipped, 1, "overlong case %zu accepted", i);
		cr_assert_eq(v.reason, BK_SKIP_INVALID_UTF8, "case %zu", i);
		free(v.detail);
	}
}

Test(check, surrogates_and_out_of_range_are_rejected)
{
	const char *bad[] = {
		"\xed\xa0\x80",         /* U+D800 */
		"\xed\xbf\xbf",         /* U+DFFF */
		"\xf4\x90\x80\x80",     /* U+110000 */
		"\xf5\x80\x80\x80",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct verdict v = classify("a.rs", bad[i]);
		cr_assert_eq(v.skipped, 1, "case %zu accepted", i);
		cr_assert_eq(v.reason, BK_SKIP_INVALID_UTF8, "case %zu", i);
		free(v.detail);
	}
}

Test(check, valid_multibyte_text_is_accepted)
{
	struct verdict v = classify("a.py",
		"# caf\xc3\xa9 \xe2\x82\xac \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\n"
		"s = '\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf \xc2\x80 \xe0\xa0\x80'\n");
	EXPECT_KEPT(v, "emoji/CJK/boundary code points");
	cr_assert_null(v.detail);
}

Test(check, long_single_line_file_is_minified)
{
	char *text = malloc(10 * 1024 + 1);
	for (size_t i = 0; i < 10 * 1024; i++)
		text[i] = "var a=1;"[i % 8];
	text[10 * 1024] = '\0';
	struct verdict v = classify("bundle.js", text);
	EXPECT_SKIP(v, BK_SKIP_MINIFIED);
	cr_assert_str_eq(bk_skip_reason_name(v.reason), "minified");
	free(v.detail);
	free(text);
}

Test(check, min_js_path_is_minified)
{
	struct verdict v = classify("static/vendor/jquery.min.js", "var a = 1;\n");
	EXPECT_SKIP(v, BK_SKIP_MINIFIED);
	free(v.detail);
}

Test(check, min_in_a_directory_name_is_not_minified)
{
	struct verdict v = classify("deps/d3.min.v7/src/app.js", "var a = 1;\n");
	EXPECT_KEPT(v, "a file in a directory named *.min.*");
	free(v.detail);
}

Test(check, normal_code_is_not_skipped)
{
	const char *text =
		"import { db } from './db';\n\n"
		"export async function load(id) {\n"
		"  const { rows } = await db.query('SELECT id FROM t WHERE id = $1', [id]);\n"
		"  return rows[0];\n"
		"}\n";
	struct verdict v = classify("src/load.js", text);
	EXPECT_KEPT(v, "normal code");
	cr_assert_null(v.detail);

	/* Long but normally wrapped code is not minified. */
	size_t n = 0;
	char *big = malloc(20000);
	while (n + 40 < 20000) {
		memcpy(big + n, "  const value = compute(a, b, c); //\n", 37);
		n += 37;
	}
	big[n] = '\0';
	v = classify("src/big.js", big);
	EXPECT_KEPT(v, "20 KB of short lines");
	free(big);
}

Test(check, empty_file_is_not_skipped)
{
	struct verdict v = classify("a.js", "");
	EXPECT_KEPT(v, "an empty file");
}

Test(check, lone_carriage_returns_become_line_feeds)
{
	char text[] = "a\rb\r\nc\r\rd\r";
	bk_classify_lone_cr(text, sizeof(text) - 1);
	cr_assert_str_eq(text, "a\nb\r\nc\n\nd\n");
}

Test(check, file_with_old_mac_line_endings_is_not_minified)
{
	/* one 6 KB "line" before: skipped as minified */
	char text[6001];
	for (int i = 0; i < 6000; i++)
		text[i] = i % 30 == 29 ? '\r' : 'x';
	text[6000] = '\0';
	bk_classify_lone_cr(text, 6000);
	struct verdict v = classify("a.js", text);
	cr_assert_eq(v.skipped, 0, "skipped: %s", v.detail ? v.detail : "");
}
