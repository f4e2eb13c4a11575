/*
 * Placeholder normalisation, statement splitting and first keywords: every
 * placeholder style and the SQL syntax that must not be mistaken for one.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "explain/sqlextract.h"
#include "base/util.h"

struct norm_result {
	char *sql;
	char **names;
	int n;
};

static struct norm_result norm(const char *sql, unsigned styles)
{
	struct norm_result r;
	r.n = bk_sql_normalize(sql, strlen(sql), styles, &r.sql, &r.names);
	return r;
}

static void norm_release(struct norm_result *r)
{
	for (int k = 0; r->names && k < r->n; k++)
		free(r->names[k]);
	free(r->names);
	free(r->sql);
}

/* Normalise, check the text and count, and release. */
static void expect_norm(const char *sql, unsigned styles, const char *want,
			int nparams)
{
	struct norm_result r = norm(sql, styles);
	cr_expect_str_eq(r.sql, want, "normalising [%s]", sql);
	cr_expect_eq(r.n, nparams, "nparams of [%s]: %d", sql, r.n);
	norm_release(&r);
}

/*
 * Normalise, check the text, the count and the name of every number
 * (names[k] NULL: $k+1 has none), and release.
 */
static void expect_named(const char *sql, unsigned styles, const char *want, int nparams,
			 const char *const *names)
{
	struct norm_result r = norm(sql, styles);
	cr_expect_str_eq(r.sql, want, "normalising [%s]", sql);
	cr_assert_eq(r.n, nparams, "nparams of [%s]: %d", sql, r.n);
	cr_assert_not_null(r.names, "names of [%s]", sql);
	for (int k = 0; k < nparams; k++) {
		if (names[k])
			cr_expect_str_eq(r.names[k], names[k], "name of $%d in [%s]", k + 1, sql);
		else
			cr_expect_null(r.names[k], "$%d of [%s] has no name", k + 1, sql);
	}
	norm_release(&r);
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__ })

Test(sqlnorm, dollar_is_kept)
{
	expect_norm("SELECT $1, $2 FROM t WHERE a = $1", BK_PH_DOLLAR,
		    "SELECT $1, $2 FROM t WHERE a = $1", 2);
	expect_norm("SELECT 1", BK_PH_DOLLAR, "SELECT 1", 0);
}

Test(sqlnorm, no_parameters_gives_no_names)
{
	struct norm_result r = norm("SELECT 1", BK_PH_DOLLAR | BK_PH_COLON);
	cr_expect_eq(r.n, 0);
	cr_expect_null(r.names);
	cr_expect_str_eq(r.sql, "SELECT 1");
	norm_release(&r);
}

Test(sqlnorm, empty_input_gives_empty_malloced_output)
{
	char *out = NULL;
	int n = bk_sql_normalize("", 0, BK_PH_QUESTION, &out, NULL);
	cr_expect_eq(n, 0);
	cr_assert_not_null(out);
	cr_expect_str_eq(out, "");
	free(out);
}

Test(sqlnorm, length_bounds_the_input)
{
	char *out = NULL;
	int n = bk_sql_normalize("a = ? AND b = ?", 5, BK_PH_QUESTION, &out, NULL);
	cr_expect_str_eq(out, "a = $1");
	cr_expect_eq(n, 1);
	free(out);
}

Test(sqlnorm, question_marks_are_numbered_in_order)
{
	expect_named("INSERT INTO t VALUES (?, ?,?)", BK_PH_QUESTION,
		     "INSERT INTO t VALUES ($1, $2,$3)", 3, NAMES(NULL, NULL, NULL));
}

Test(sqlnorm, question_jsonb_operators_are_not_parameters)
{
	expect_norm("SELECT * FROM t WHERE d ?| array['a'] AND d ?& ? AND x = ?",
		    BK_PH_QUESTION,
		    "SELECT * FROM t WHERE d ?| array['a'] AND d ?& $1 AND x = $2", 2);
	expect_norm("SELECT * FROM t WHERE d ? 'key' AND e ?'k' AND id = ?",
		    BK_PH_QUESTION,
		    "SELECT * FROM t WHERE d ? 'key' AND e ?'k' AND id = $1", 1);
}

Test(sqlnorm, numbers_continue_after_the_highest_dollar)
{
	expect_norm("SELECT ? FROM t WHERE a = $2 AND b = ?",
		    BK_PH_DOLLAR | BK_PH_QUESTION,
		    "SELECT $3 FROM t WHERE a = $2 AND b = $4", 4);
}

Test(sqlnorm, dollar_mixed_with_named)
{
	expect_named("SELECT :a, $1, :b, :a", BK_PH_DOLLAR | BK_PH_COLON,
		     "SELECT $2, $1, $3, $2", 3, NAMES(NULL, "a", "b"));
}

Test(sqlnorm, existing_dollars_reserve_numbers_whatever_the_styles)
{
	expect_norm("SELECT $1, ?", BK_PH_QUESTION, "SELECT $1, $2", 2);
}

Test(sqlnorm, oversized_dollar_numbers_are_not_parameters)
{
	expect_norm("SELECT $99999999999999999999, ?", BK_PH_DOLLAR | BK_PH_QUESTION,
		    "SELECT $99999999999999999999, $1", 1);
	expect_norm("SELECT $0, $65535", BK_PH_DOLLAR, "SELECT $0, $65535", 65535);
}

Test(sqlnorm, percent_positional)
{
	expect_norm("INSERT INTO t VALUES (%s, %s, %s)", BK_PH_PERCENT,
		    "INSERT INTO t VALUES ($1, $2, $3)", 3);
}

Test(sqlnorm, percent_binary_and_text_forms)
{
	expect_norm("SELECT %b, %t, %(x)b, %(y)t, %(x)s", BK_PH_PERCENT,
		    "SELECT $1, $2, $3, $4, $3", 4);
}

Test(sqlnorm, percent_named_reuses_numbers)
{
	expect_named("SELECT * FROM t WHERE a = %(id)s OR b = %(other)s OR c = %(id)s",
		     BK_PH_PERCENT, "SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1", 2,
		     NAMES("id", "other"));
}

Test(sqlnorm, percent_escape_and_modulo)
{
	expect_norm("SELECT a %% 2, b % 3, 100%% FROM t WHERE c = %s", BK_PH_PERCENT,
		    "SELECT a % 2, b % 3, 100% FROM t WHERE c = $1", 1);
	expect_norm("SELECT %(unclosed FROM t", BK_PH_PERCENT,
		    "SELECT %(unclosed FROM t", 0);
	expect_norm("SELECT %()s, %(x)d, 5 %", BK_PH_PERCENT,
		    "SELECT %()s, %(x)d, 5 %", 0);
}

Test(sqlnorm, percent_escape_collapses_inside_strings_too)
{
	/* psycopg formats the whole query text, literals included */
	expect_norm("SELECT * FROM t WHERE name LIKE 'a%%' AND id = %s", BK_PH_PERCENT,
		    "SELECT * FROM t WHERE name LIKE 'a%' AND id = $1", 1);
	expect_norm("SELECT 'a%%'", BK_PH_QUESTION, "SELECT 'a%%'", 0);
}

Test(sqlnorm, percent_in_strings_is_not_a_parameter)
{
	expect_norm("SELECT '%s', \"%s\" FROM t WHERE a = %s", BK_PH_PERCENT,
		    "SELECT '%s', \"%s\" FROM t WHERE a = $1", 1);
}

Test(sqlnorm, colon_named_same_name_same_number)
{
	expect_named("SELECT * FROM t WHERE a = :id AND b = :name OR c=:id", BK_PH_COLON,
		     "SELECT * FROM t WHERE a = $1 AND b = $2 OR c=$1", 2, NAMES("id", "name"));
}

Test(sqlnorm, colon_names_are_case_sensitive)
{
	expect_norm("SELECT :a, :A, :a_1", BK_PH_COLON, "SELECT $1, $2, $3", 3);
}

Test(sqlnorm, colon_casts_are_not_parameters)
{
	expect_norm("SELECT a::int, b::text[], :x::bigint, ':y'::date", BK_PH_COLON,
		    "SELECT a::int, b::text[], $1::bigint, ':y'::date", 1);
}

Test(sqlnorm, colon_array_slices_are_not_parameters)
{
	expect_norm("SELECT arr[1:2], arr[a:b], arr[:n], m[1:2][x:y] FROM t WHERE id = :id",
		    BK_PH_COLON,
		    "SELECT arr[1:2], arr[a:b], arr[:n], m[1:2][x:y] FROM t WHERE id = $1", 1);
}

Test(sqlnorm, colon_in_array_constructor_is_a_parameter)
{
	expect_norm("SELECT * FROM t WHERE id = ANY(ARRAY[:a, :b]) AND x = arr[ :lo ]",
		    BK_PH_COLON,
		    "SELECT * FROM t WHERE id = ANY(ARRAY[$1, $2]) AND x = arr[ :lo ]", 2);
	expect_norm("SELECT array [ :a, (x[:b])[1], :c ]", BK_PH_COLON,
		    "SELECT array [ $1, (x[:b])[1], $2 ]", 2);
}

Test(sqlnorm, colon_escaped_with_backslash)
{
	expect_norm("SELECT * FROM t WHERE t = '10:00' AND u = \\:notparam AND v = :p",
		    BK_PH_COLON,
		    "SELECT * FROM t WHERE t = '10:00' AND u = :notparam AND v = $1", 1);
	expect_norm("SELECT \\:x", BK_PH_QUESTION, "SELECT \\:x", 0);
}

Test(sqlnorm, colon_needs_a_name_and_a_boundary)
{
	expect_norm("SELECT a:b, x := 1, : y, :1, f(a => :v)", BK_PH_COLON,
		    "SELECT a:b, x := 1, : y, :1, f(a => $1)", 1);
}

Test(sqlnorm, at_named)
{
	expect_named("UPDATE t SET a = @val WHERE id = @Id AND b = @val", BK_PH_AT,
		     "UPDATE t SET a = $1 WHERE id = $2 AND b = $1", 2, NAMES("val", "Id"));
}

Test(sqlnorm, at_operators_are_not_parameters)
{
	expect_norm("SELECT * FROM t WHERE d @> @filter AND x <@ y AND x<@y AND "
		    "tsv @@ q AND p @-@ q AND @@rowcount = 1 AND me@host",
		    BK_PH_AT,
		    "SELECT * FROM t WHERE d @> $1 AND x <@ y AND x<@y AND "
		    "tsv @@ q AND p @-@ q AND @@rowcount = 1 AND me@host", 1);
	expect_norm("SELECT @ -5, @ x", BK_PH_AT, "SELECT @ -5, @ x", 0);
}

Test(sqlnorm, brace_index_plus_one)
{
	expect_named("SELECT * FROM t WHERE a = {1} AND b = {0} OR c = {1}", BK_PH_BRACE,
		     "SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2", 2, NAMES(NULL, NULL));
	expect_norm("SELECT '{0}', '{\"a\": 1}'::jsonb, {x}, {}", BK_PH_BRACE,
		    "SELECT '{0}', '{\"a\": 1}'::jsonb, {x}, {}", 0);
}

Test(sqlnorm, brace_only_when_asked)
{
	expect_norm("SELECT {0}", BK_PH_DOLLAR, "SELECT {0}", 0);
}

Test(sqlnorm, styles_not_asked_for_are_left_alone)
{
	expect_norm("SELECT ?, %s, :a, @b", BK_PH_DOLLAR, "SELECT ?, %s, :a, @b", 0);
}

Test(sqlnorm, strings_hide_placeholders)
{
	unsigned all = BK_PH_QUESTION | BK_PH_COLON | BK_PH_AT | BK_PH_DOLLAR;
	expect_norm("SELECT '?', 'it''s :x ?', ? FROM t", all,
		    "SELECT '?', 'it''s :x ?', $1 FROM t", 1);
	expect_norm("SELECT \"we?ird\", \"a\"\"@b\" FROM t WHERE a = @a", all,
		    "SELECT \"we?ird\", \"a\"\"@b\" FROM t WHERE a = $1", 1);
}

Test(sqlnorm, e_strings_use_backslash_escapes)
{
	expect_norm("SELECT E'it\\'s ?', e'\\\\', ? FROM t", BK_PH_QUESTION,
		    "SELECT E'it\\'s ?', e'\\\\', $1 FROM t", 1);
	/* a standard string ends at its quote even after a backslash */
	expect_norm("SELECT 'a\\', ?", BK_PH_QUESTION, "SELECT 'a\\', $1", 1);
	/* the E of a word is no prefix */
	expect_norm("SELECT name'x', ?", BK_PH_QUESTION, "SELECT name'x', $1", 1);
}

Test(sqlnorm, comments_hide_placeholders)
{
	expect_norm("SELECT ? -- why ? and :x\n, ? /* not ? here */ FROM t",
		    BK_PH_QUESTION | BK_PH_COLON,
		    "SELECT $1 -- why ? and :x\n, $2 /* not ? here */ FROM t", 2);
}

Test(sqlnorm, nested_block_comments)
{
	expect_norm("SELECT /* a /* b ? */ still ? */ ?", BK_PH_QUESTION,
		    "SELECT /* a /* b ? */ still ? */ $1", 1);
}

Test(sqlnorm, dollar_quotes_hide_placeholders)
{
	expect_norm("DO $$ BEGIN PERFORM :x; END $$; SELECT :y", BK_PH_COLON,
		    "DO $$ BEGIN PERFORM :x; END $$; SELECT $1", 1);
	expect_norm("SELECT $fn$ it's ? $$ ? $fn$, ?", BK_PH_QUESTION,
		    "SELECT $fn$ it's ? $$ ? $fn$, $1", 1);
}

Test(sqlnorm, dollar_numbers_are_not_quote_tags)
{
	expect_norm("SELECT $1, ?, $2", BK_PH_DOLLAR | BK_PH_QUESTION,
		    "SELECT $1, $3, $2", 3);
	expect_norm("SELECT a$b$c, ?", BK_PH_QUESTION, "SELECT a$b$c, $1", 1);
}

Test(sqlnorm, unterminated_regions_run_to_the_end)
{
	expect_norm("SELECT ?, 'open ?", BK_PH_QUESTION, "SELECT $1, 'open ?", 1);
	expect_norm("SELECT ? /* open ?", BK_PH_QUESTION, "SELECT $1 /* open ?", 1);
	expect_norm("SELECT ? $$ open ?", BK_PH_QUESTION, "SELECT $1 $$ open ?", 1);
	expect_norm("SELECT ?, :", BK_PH_QUESTION | BK_PH_COLON, "SELECT $1, :", 1);
}

/* Splitting */

#define MAX_STMTS 16

struct split_result {
	int nr;
	char *text[MAX_STMTS];
	size_t offset[MAX_STMTS];
	const char *src;
};

static void collect(void *ctx, const char *stmt, size_t len, size_t offset)
{
	struct split_result *r = ctx;
	cr_assert_lt(r->nr, MAX_STMTS);
	cr_expect_eq(stmt, r->src + offset, "statement pointer matches offset");
	r->text[r->nr] = bk_xstrndup(stmt, len);
	r->offset[r->nr++] = offset;
}

static struct split_result split(const char *src)
{
	struct split_result r = { 0 };
	r.src = src;
	bk_sql_split(src, strlen(src), collect, &r);
	return r;
}

static void split_release(struct split_result *r)
{
	for (int k = 0; k < r->nr; k++)
		free(r->text[k]);
}

Test(sqlsplit, statements_at_semicolons_with_offsets)
{
	const char *src = "SELECT 1;\n  SELECT 2 ;\n\nUPDATE t SET a = 1";
	struct split_result r = split(src);

	cr_assert_eq(r.nr, 3);
	cr_expect_str_eq(r.text[0], "SELECT 1");
	cr_expect_eq(r.offset[0], 0);
	cr_expect_str_eq(r.text[1], "SELECT 2");
	cr_expect_eq(r.offset[1], (size_t)(strstr(src, "SELECT 2") - src));
	cr_expect_str_eq(r.text[2], "UPDATE t SET a = 1");
	cr_expect_eq(r.offset[2], (size_t)(strstr(src, "UPDATE") - src));
	split_release(&r);
}

Test(sqlsplit, semicolons_in_strings_and_identifiers)
{
	struct split_result r = split("INSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\");SELECT 2;");

	cr_assert_eq(r.nr, 2);
	cr_expect_str_eq(r.text[0], "INSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\")");
	cr_expect_str_eq(r.text[1], "SELECT 2");
	split_release(&r);
}

Test(sqlsplit, dollar_quoted_function_bodies)
{
	const char *src = "CREATE FUNCTION f() RETURNS int AS $$\n"
			  "BEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$$ LANGUAGE plpgsql;\n"
			  "CREATE FUNCTION g() RETURNS void AS $body$ SELECT ';'; $body$ LANGUAGE sql;\n"
			  "SELECT $1;";
	struct split_result r = split(src);

	cr_assert_eq(r.nr, 3);
	cr_expect(!strncmp(r.text[0], "CREATE FUNCTION f()", 19));
	cr_expect(strstr(r.text[0], "$$ LANGUAGE plpgsql") != NULL);
	cr_expect_str_eq(r.text[1], "CREATE FUNCTION g() RETURNS void AS $body$ SELECT ';'; $body$ LANGUAGE sql");
	cr_expect_eq(r.offset[1], (size_t)(strstr(src, "CREATE FUNCTION g") - src));
	cr_expect_str_eq(r.text[2], "SELECT $1");
	split_release(&r);
}

Test(sqlsplit, begin_atomic_bodies)
{
	const char *src = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
			  "BEGIN ATOMIC\n"
			  "  INSERT INTO t VALUES (a);\n"
			  "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n"
			  "END;\n"
			  "begin /* c */ atomic select 1; end;\n"
			  "BEGIN;\nCOMMIT;";
	struct split_result r = split(src);

	cr_assert_eq(r.nr, 4);
	cr_expect(strstr(r.text[0], "CASE WHEN a > 0 THEN 1 ELSE 0 END;\nEND") != NULL);
	cr_expect_str_eq(r.text[1], "begin /* c */ atomic select 1; end");
	cr_expect_str_eq(r.text[2], "BEGIN");
	cr_expect_str_eq(r.text[3], "COMMIT");
	split_release(&r);
}

Test(sqlsplit, words_containing_keywords_are_not_keywords)
{
	struct split_result r = split("SELECT begin_atomic, x_begin FROM t; SELECT 2");

	cr_assert_eq(r.nr, 2);
	cr_expect_str_eq(r.text[1], "SELECT 2");
	split_release(&r);
}

Test(sqlsplit, leading_comments_are_skipped_and_comment_only_chunks_dropped)
{
	const char *src = "-- header ; comment\n/* block ; /* nested; */ */\n"
			  "SELECT 1; -- between\n  /* x */ -- name: Get :one\n  SELECT 2 -- tail\n;"
			  "\n-- the end;\n  ;;  ";
	struct split_result r = split(src);

	cr_assert_eq(r.nr, 2);
	cr_expect_str_eq(r.text[0], "SELECT 1");
	cr_expect_eq(r.offset[0], (size_t)(strstr(src, "SELECT 1") - src));
	cr_expect_str_eq(r.text[1], "SELECT 2 -- tail");
	cr_expect_eq(r.offset[1], (size_t)(strstr(src, "SELECT 2") - src));
	split_release(&r);
}

Test(sqlsplit, empty_and_blank_input)
{
	struct split_result r = split("");
	cr_expect_eq(r.nr, 0);
	r = split("  \n ; -- only\n");
	cr_expect_eq(r.nr, 0);
}

Test(sqlsplit, length_bounds_the_text)
{
	struct split_result r = { 0 };
	const char *src = "SELECT 1; SELECT 2";
	r.src = src;
	bk_sql_split(src, 13, collect, &r);
	cr_assert_eq(r.nr, 2);
	cr_expect_str_eq(r.text[1], "SEL");
	split_release(&r);
}

/* First keyword */

static void expect_keyword(const char *sql, const char *want)
{
	char kw[16];
	memset(kw, 'x', sizeof(kw));
	bk_sql_first_keyword(sql, kw);
	cr_expect_str_eq(kw, want, "first keyword of [%s]", sql);
}

Test(sqlkeyword, first_keyword_upper_cased)
{
	expect_keyword("select 1", "SELECT");
	expect_keyword("  \n\tWith x AS (SELECT 1) SELECT * FROM x", "WITH");
	expect_keyword("insert_into", "INSERT_INTO");
}

Test(sqlkeyword, skips_comments_and_parentheses)
{
	expect_keyword("-- c\n/* a /* b */ */ ( (SELECT 1) UNION (SELECT 2))", "SELECT");
	expect_keyword("/* unterminated", "");
}

Test(sqlkeyword, none)
{
	expect_keyword("", "");
	expect_keyword("   ", "");
	expect_keyword("123", "");
	expect_keyword("'str'", "");
	expect_keyword("$1", "");
}

Test(sqlkeyword, long_words_are_cut_to_fit)
{
	expect_keyword("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNO");
}

/* Robustness: random SQL-ish bytes in an exact-size buffer, no NUL after. */

static void count_stmt(void *ctx, const char *stmt, size_t len, size_t offset)
{
	const char *src = ctx;
	cr_expect_eq(stmt, src + offset);
	cr_expect_gt(len, 0);
}

Test(sqlnorm, random_input_stays_in_bounds)
{
	static const char alphabet[] = "$?%:@{}[]'\"-/*;\\()EeAaBbsz019 \n|&<>=";
	uint32_t seed = 12345;

	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % 40);
		char *buf = bk_xmalloc(len ? len : 1);
		char *out = NULL;
		char **names = NULL;
		int n;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		/* Only out-of-bounds reads matter here: run under make test-asan. */
		n = bk_sql_normalize(buf, len, BK_PH_DOLLAR | BK_PH_QUESTION | BK_PH_PERCENT |
				     BK_PH_COLON | BK_PH_AT | BK_PH_BRACE, &out, &names);
		for (int k = 0; k < n; k++)
			free(names[k]);
		free(names);
		free(out);
		bk_sql_split(buf, len, count_stmt, buf);
		free(buf);
	}
}
