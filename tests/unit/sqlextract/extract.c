/*
 * bk_sql_extract: positions, identifier resolution, dynamic detection.
 * Whole-file behaviour per language is in fixtures.c.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "base/err.h"
#include "explain/sqlextract.h"
#include "base/util.h"

static struct bk_sql_list extract(const char *path, const char *src)
{
	struct bk_sql_list l = { 0 };
	struct bk_err err = { 0 };
	cr_assert_eq(bk_sql_extract(&l, path, src, strlen(src), 0, &err), 0,
		     "%s", err.msg);
	return l;
}

Test(sqlextract, positions_are_those_of_the_literal)
{
	const char *src = "x = 1\n"
			  "def f(cur):\n"
			  "    cur.execute(\"\"\"SELECT 1\n"
			  "        FROM t\"\"\")\n";
	struct bk_sql_list l = extract("a.py", src);
	const struct bk_sql_stmt *s = &l.v[0];

	cr_assert_eq(l.nr, 1);
	cr_expect_eq(s->line, 2);
	cr_expect_eq(s->col, 16);
	cr_expect_eq(s->end_line, 3);
	cr_expect_eq(s->end_col, 17);
	cr_expect_eq(s->start_byte, (uint32_t)(strstr(src, "\"\"\"S") - src));
	cr_expect_eq(s->end_byte, (uint32_t)(strstr(src, "\"\"\")") + 3 - src));
	cr_expect_str_eq(s->line_text, "    cur.execute(\"\"\"SELECT 1");
	cr_expect_str_eq(s->path, "a.py");
	cr_expect_str_eq(s->sql, "SELECT 1\n        FROM t");
	cr_expect_str_eq(s->api, "DB-API execute");
	bk_sql_list_release(&l);
}

Test(sqlextract, concatenation_spans_first_to_last_literal)
{
	const char *src = "pool.query(\"SELECT a \" +\n  \"FROM b\");\n";
	struct bk_sql_list l = extract("a.js", src);

	cr_assert_eq(l.nr, 1);
	cr_expect_eq(l.v[0].line, 0);
	cr_expect_eq(l.v[0].col, 11);
	cr_expect_eq(l.v[0].end_line, 1);
	cr_expect_eq(l.v[0].end_col, 10);
	cr_expect_str_eq(l.v[0].sql, "SELECT a FROM b");
	bk_sql_list_release(&l);
}

Test(sqlextract, identifier_bound_once_resolves_to_its_literal)
{
	const char *src = "package p\n"
			  "const q = \"SELECT * FROM t WHERE id = $1\"\n"
			  "func f() { db.QueryContext(ctx, q, 1) }\n";
	struct bk_sql_list l = extract("a.go", src);

	cr_assert_eq(l.nr, 1);
	cr_expect_eq(l.v[0].line, 1);
	cr_expect_eq(l.v[0].col, 10);
	cr_expect_str_eq(l.v[0].line_text, "const q = \"SELECT * FROM t WHERE id = $1\"");
	cr_expect_eq(l.v[0].nparams, 1);
	bk_sql_list_release(&l);
}

Test(sqlextract, identifier_bound_twice_or_a_parameter_is_skipped)
{
	const char *twice = "let q = \"SELECT 1\";\nq = \"SELECT 2\";\npool.query(q);\n";
	const char *param = "function f(q) { return pool.query(q); }\n"
			    "const other = \"SELECT 1\";\n";
	const char *shadow = "Q = \"SELECT 1\"\ndef f(Q):\n    cur.execute(Q)\n";
	struct bk_sql_list a = extract("a.js", twice), b = extract("b.js", param);
	struct bk_sql_list c = extract("c.py", shadow);

	cr_expect_eq(a.nr, 0);
	cr_expect_eq(b.nr, 0);
	cr_expect_eq(c.nr, 0);
	bk_sql_list_release(&a);
	bk_sql_list_release(&b);
	bk_sql_list_release(&c);
}

Test(sqlextract, dynamic_only_when_a_literal_part_reads_as_sql)
{
	const char *src = "cur.execute(\"SELECT * FROM \" + t)\n"
			  "cur.execute(\"users:\" + key)\n"
			  "cur.execute(prefix + \" WHERE id = 1\")\n"
			  "cur.execute(f\"UPDATE {t} SET a = 1\")\n";
	struct bk_sql_list l = extract("a.py", src);

	cr_assert_eq(l.nr, 2);
	cr_expect(l.v[0].dynamic);
	cr_expect_null(l.v[0].sql);
	cr_expect_str_eq(l.v[0].why, "SQL built by concatenation with 't'");
	cr_expect_eq(l.v[0].col, 12);
	cr_expect_eq(l.v[1].line, 3);
	cr_expect_str_eq(l.v[1].why, "f-string interpolation {t}");
	bk_sql_list_release(&l);
}

Test(sqlextract, template_holes_are_parameters_unless_fragments)
{
	const char *src = "sql`SELECT * FROM t WHERE a = ${a} AND b = ${b}`;\n"
			  "sql`SELECT * FROM ${sql(table)}`;\n"
			  "pool.query(`SELECT * FROM t WHERE a = ${a}`);\n";
	struct bk_sql_list l = extract("a.ts", src);

	cr_assert_eq(l.nr, 3);
	cr_expect_str_eq(l.v[0].sql, "SELECT * FROM t WHERE a = $1 AND b = $2");
	cr_expect_eq(l.v[0].nparams, 2);
	cr_expect_str_eq(l.v[1].why, "sql() fragment");
	cr_expect_str_eq(l.v[2].why, "template substitution ${a}");
	bk_sql_list_release(&l);
}

Test(sqlextract, named_placeholders_keep_their_names)
{
	const char *src = "text(\"SELECT * FROM t WHERE a = :a AND b = :b OR a2 = :a\")\n";
	struct bk_sql_list l = extract("a.py", src);

	cr_assert_eq(l.nr, 1);
	cr_expect_eq(l.v[0].nparams, 2);
	cr_assert_not_null(l.v[0].param_names);
	cr_expect_str_eq(l.v[0].param_names[0], "a");
	cr_expect_str_eq(l.v[0].param_names[1], "b");
	bk_sql_list_release(&l);
}

Test(sqlextract, escapes_are_decoded_per_language)
{
	struct bk_sql_list rs = extract("a.rs", "fn f() { client.query(\"SELECT '\\u{e9}' \\\n    FROM t\", &[]); }\n");
	struct bk_sql_list cs = extract("a.cs", "class A { void F() { c.Execute(@\"DELETE FROM \"\"T\"\"\"); } }\n");
	struct bk_sql_list py = extract("a.py", "cur.execute(r'SELECT \\n' 'FROM t\\n')\n");

	cr_assert_eq(rs.nr, 1);
	cr_expect_str_eq(rs.v[0].sql, "SELECT '\xc3\xa9' FROM t");
	cr_assert_eq(cs.nr, 1);
	cr_expect_str_eq(cs.v[0].sql, "DELETE FROM \"T\"");
	cr_assert_eq(py.nr, 1);
	cr_expect_str_eq(py.v[0].sql, "SELECT \\nFROM t\n");
	bk_sql_list_release(&rs);
	bk_sql_list_release(&cs);
	bk_sql_list_release(&py);
}

Test(sqlextract, sql_files_keep_statement_positions_and_only_dml)
{
	const char *src = "CREATE TABLE t (a int);\n"
			  "-- name: Get :one\n"
			  "  SELECT a FROM t WHERE a = sqlc.arg(a);\n"
			  "SET x = 1;\n"
			  "DELETE FROM t";
	struct bk_sql_list l = extract("q.sql", src);

	cr_assert_eq(l.nr, 2);
	cr_expect_eq(l.v[0].line, 2);
	cr_expect_eq(l.v[0].col, 2);
	cr_expect_eq(l.v[0].start_byte, (uint32_t)(strstr(src, "SELECT") - src));
	cr_expect_eq(l.v[0].end_byte, (uint32_t)(strstr(src, ";\nSET") - src));
	cr_expect_str_eq(l.v[0].sql, "SELECT a FROM t WHERE a = $1");
	cr_expect_str_eq(l.v[0].param_names[0], "a");
	cr_expect_str_eq(l.v[0].line_text, "  SELECT a FROM t WHERE a = sqlc.arg(a);");
	cr_expect_eq(l.v[1].line, 4);
	cr_expect_str_eq(l.v[1].api, ".sql file");
	bk_sql_list_release(&l);
}

Test(sqlextract, extractable_paths)
{
	cr_expect(bk_sql_extractable("src/a.ts"));
	cr_expect(bk_sql_extractable("db/queries.sql"));
	cr_expect(bk_sql_extractable("x.cs"));
	cr_expect(!bk_sql_extractable("README.md"));
	cr_expect(!bk_sql_extractable("Makefile"));
}

Test(sqlextract, unknown_language_and_broken_code_are_not_errors)
{
	struct bk_sql_list a = extract("a.txt", "SELECT 1");
	struct bk_sql_list b = extract("a.go", "func ( { db.Query(\"SELECT 1\"");

	cr_expect_eq(a.nr, 0);
	cr_expect_eq(b.nr, 0);
	bk_sql_list_release(&a);
	bk_sql_list_release(&b);
	bk_sql_list_release(&b); /* released twice: harmless */
	cr_expect_eq(b.nr, 0);
}

static void *extract_many(void *arg)
{
	const char *src = "pool.query(\"SELECT 1\"); sql`SELECT ${x}`;\n";
	for (int i = 0; i < 50; i++) {
		struct bk_sql_list l = { 0 };
		struct bk_err err;
		if (bk_sql_extract(&l, "a.js", src, strlen(src), 0, &err) || l.nr != 2)
			*(int *)arg = 1;
		bk_sql_list_release(&l);
	}
	return NULL;
}

Test(sqlextract, concurrent_extraction)
{
	pthread_t t[4];
	int failed[4] = { 0 };
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, extract_many, &failed[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_expect(!failed[i], "thread %d", i);
	}
}

/* A raw interpolated string is dedented whole, not piece by piece. */
Test(sqlextract, csharp_raw_interpolated_string_dedents_across_holes)
{
	const char *src = "class C { void F() {\n"
			  "  db.Database.SqlQuery<int>($\"\"\"\n"
			  "        SELECT id FROM t WHERE a = {a}\n"
			  "        AND b = 1\n"
			  "        \"\"\");\n"
			  "} }\n";
	struct bk_sql_list l = extract("a.cs", src);

	cr_assert_eq(l.nr, 1);
	cr_expect_str_eq(l.v[0].sql, "SELECT id FROM t WHERE a = $1\nAND b = 1");
	cr_expect_eq(l.v[0].nparams, 1);
	bk_sql_list_release(&l);
}

/* 100,000 literals joined by '+': a tree far deeper than eval may recurse. */
Test(sqlextract, very_long_concatenation_does_not_overflow_the_stack)
{
	struct bk_buf src = BK_BUF_INIT;
	struct bk_sql_list l = { 0 };
	struct bk_err err = { 0 };

	bk_buf_puts(&src, "db.query(\"SELECT a\"");
	for (int i = 0; i < 100000; i++)
		bk_buf_puts(&src, " + \"x\"\n");
	bk_buf_puts(&src, ");\ndb.query(\"SELECT b FROM t\");\n");
	cr_assert_eq(bk_sql_extract(&l, "a.js", src.ptr, src.len, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(l.nr, 1, "only the statement that can be read, got %zu", l.nr);
	cr_expect_str_eq(l.v[0].sql, "SELECT b FROM t");
	bk_sql_list_release(&l);
	bk_buf_release(&src);
}

/*
 * Balanced brackets of three kinds make tree-sitter's Go parser take
 * seconds (minutes for a few hundred KB); the budget stops it, and what
 * the file added is taken back.
 */
Test(sqlextract, budget_stops_a_pathological_file)
{
	struct bk_buf src = BK_BUF_INIT;
	struct bk_sql_list l = extract("a.js", "pool.query(\"SELECT 1\");\n");
	struct bk_err err = { 0 };
	char stack[60000];
	unsigned seed = 2, depth = 0;

	bk_buf_puts(&src, "package p\nvar q = db.Query(\"SELECT 2\")\n");
	for (int i = 0; i < 60000; i++) {
		seed = seed * 1103515245u + 12345u;
		stack[depth] = "([{"[(seed >> 16) % 3];
		bk_buf_putc(&src, stack[depth++]);
		if (i % 40 == 0)
			bk_buf_putc(&src, '\n');
	}
	while (depth--) {
		bk_buf_putc(&src, stack[depth] == '(' ? ')' : stack[depth] == '[' ? ']' : '}');
		if (depth % 40 == 0)
			bk_buf_putc(&src, '\n');
	}
	cr_assert_eq(bk_sql_extract(&l, "p.go", src.ptr, src.len, 50, &err), BK_ETIMEOUT,
		     "finished within 50 ms?");
	cr_assert_eq(l.nr, 1, "statements of the timed-out file stay out");
	cr_expect_str_eq(l.v[0].path, "a.js");
	bk_sql_list_release(&l);
	bk_buf_release(&src);
}
