/*
 * The postgres plugin against a real throwaway cluster (analyzers/explain/pgtmp.c),
 * shared by all tests: started once by the PRE_ALL hook below.
 */
#include <criterion/hooks.h>
#include <time.h>
#include "dbtest.h"
#include "base/util.h"

static struct bk_pgtmp shared_cluster;
static int shared_started;

static const char setup_sql[] =
	"CREATE TABLE t AS SELECT g AS id, g % 100 AS cat, md5(g::text) AS pad "
	"FROM generate_series(1, 10000) g;"
	"ALTER TABLE t ADD PRIMARY KEY (id);"
	"ANALYZE t;";

static int shared_setup(struct bk_err *err)
{
	struct bk_db_plugin p;
	struct bk_db_error e;
	struct bk_db *db = NULL;
	char dir[PATH_MAX];
	int rc;

	t_db_plugin_dir(dir, sizeof(dir), "plugins", "bkgen-db-postgres.so");
	if ((rc = bk_db_plugin_load(&p, "postgres", dir, err)))
		return rc;
	rc = p.vt->connect(&db, shared_cluster.conninfo, 10, &e);
	if (!rc)
		rc = p.vt->exec_script(db, setup_sql, &e);
	if (rc)
		bk_err_set(err, BK_EIO, "test data: %s", e.message);
	if (db)
		p.vt->close(db);
	bk_db_plugin_unload(&p);
	return rc;
}

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	struct bk_pgtmp_opts o = { 0 };
	struct bk_err err = { 0 };

	(void)set;
	if (bk_pgtmp_start(&shared_cluster, &o, &err) == 0) {
		shared_started = 1;
		if (shared_setup(&err) == 0) {
			setenv(T_PG_CONNINFO, shared_cluster.conninfo, 1);
			return;
		}
	}
	setenv(T_PG_ERROR, err.msg, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	if (shared_started)
		bk_pgtmp_stop(&shared_cluster);
	shared_started = 0;
}

static struct bk_db_plugin plugin;
static const struct bk_db_vtable *vt;
static struct bk_db *db;

static void db_open(void)
{
	const char *ci = t_db_conninfo();

	t_db_load(&plugin);
	vt = plugin.vt;
	db = t_db_connect(&plugin, ci);
}

static void db_close(void)
{
	if (db)
		vt->close(db);
	db = NULL;
	bk_db_plugin_unload(&plugin);
}

TestSuite(db, .init = db_open, .fini = db_close, .timeout = 60);

/* explain with default limits; returns rc, plan (or NULL) in *json. */
static int explain(const char *sql, unsigned flags, char **json, struct bk_db_error *e)
{
	struct bk_db_explain req = { .sql = sql, .flags = flags,
				     .statement_timeout_ms = 10000, .lock_timeout_ms = 1000 };

	return vt->explain(db, &req, json, e);
}

static char *explain_ok(const char *sql, unsigned flags)
{
	struct bk_db_error e;
	char *json = NULL;

	cr_assert_eq(explain(sql, flags, &json, &e), 0, "%s: %s", sql, e.message);
	cr_assert(json);
	return json;
}

static char *query_ok(const char *sql, int n, const char *const *params)
{
	struct bk_db_error e;
	char *rows = NULL;

	cr_assert_eq(vt->query_json(db, sql, n, params, &rows, &e), 0, "%s", e.message);
	return rows;
}

/* The rows of a read-only query are exactly want. */
static void expect_rows(const char *sql, const char *want)
{
	char *rows = query_ok(sql, 0, NULL);
	cr_assert_str_eq(rows, want, "%s", sql);
	vt->free_mem(rows);
}

Test(db, connects_and_reports_server_version)
{
	char *rows = query_ok("SELECT current_setting('server_version_num') AS v", 0, NULL);
	struct bk_buf want = BK_BUF_INIT;

	cr_assert_str_eq(vt->name, "postgres");
	bk_buf_printf(&want, "[{\"v\":\"%d\"}]", vt->server_version(db));
	cr_assert_str_eq(rows, want.ptr, "the server says %s", rows);
	cr_assert_gt(vt->server_version(db), 120000);
	bk_buf_release(&want);
	vt->free_mem(rows);
}

Test(db, bad_conninfo_is_a_lost_connection_with_libpq_message)
{
	struct bk_db_error e;
	struct bk_db *bad = (struct bk_db *)&e;

	cr_assert_eq(vt->connect(&bad, "host=/nonexistent-bkgen port=1 user=x", 2, &e), -1);
	cr_assert_null(bad);
	cr_assert(strstr(e.message, "/nonexistent-bkgen"), "%s", e.message);
	cr_assert_null(strchr(e.message, '\n'));
}

Test(db, connect_accepts_a_url)
{
	struct bk_db_error e;
	struct bk_db *other = NULL;

	cr_assert_eq(vt->connect(&other, "postgresql:///postgres?host=/nonexistent-bkgen",
				 2, &e), -1);
	cr_assert(strstr(e.message, "/nonexistent-bkgen"), "%s", e.message);
}

Test(db, prepare_counts_and_types_parameters)
{
	struct bk_db_error e;
	char **types = NULL;
	int n = -1;

	cr_assert_eq(vt->prepare(db, "SELECT * FROM t WHERE id = $1 AND pad = $2",
				 &n, &types, &e), 0, "%s", e.message);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(types[0], "integer");
	cr_assert_str_eq(types[1], "text");
	vt->free_strings(types, n);
	/* nothing is left behind: validating again works */
	cr_assert_eq(vt->prepare(db, "SELECT 1", &n, NULL, &e), 0, "%s", e.message);
	cr_assert_eq(n, 0);
}

Test(db, prepare_refuses_several_statements)
{
	struct bk_db_error e;
	int n;

	cr_assert_eq(vt->prepare(db, "SELECT 1; DROP TABLE t", &n, NULL, &e), 1);
	cr_assert_str_eq(e.sqlstate, "42601");
	cr_assert(strstr(e.message, "multiple commands"), "%s", e.message);
	vt->free_mem(query_ok("SELECT count(*) FROM t", 0, NULL));
}

Test(db, unknown_table_gives_sqlstate_and_position)
{
	struct bk_db_error e;
	char *json = NULL;
	int n;

	cr_assert_eq(vt->prepare(db, "SELECT * FROM nope", &n, NULL, &e), 1);
	cr_assert_str_eq(e.sqlstate, "42P01");
	cr_assert_eq(e.position, 15);
	cr_assert_eq(explain("SELECT id FROM t JOIN nope USING (id)", 0, &json, &e), 1);
	cr_assert_null(json);
	cr_assert_str_eq(e.sqlstate, "42P01");
	cr_assert_eq(e.position, 23);
}

Test(db, explain_without_parameters_returns_json_plan)
{
	char *json = explain_ok("SELECT * FROM t", 0);

	cr_assert(strstr(json, "\"Plan\""), "%s", json);
	cr_assert(strstr(json, "Seq Scan"), "%s", json);
	cr_assert_null(strstr(json, "Actual Rows"));
	vt->free_mem(json);
}

Test(db, explain_with_parameters_plans_generically)
{
	char *json = explain_ok("SELECT * FROM t WHERE id = $1", 0);
	const char *cond = strstr(json, "\"Index Cond\"");

	cr_assert(strstr(json, "Index Scan"), "%s", json);
	cr_assert(cond && strstr(cond, "$1"), "%s", json);
	vt->free_mem(json);
	/* again: the prepared statement of the PG < 16 path did not leak */
	json = explain_ok("SELECT * FROM t WHERE id = $1 AND cat = $2", 0);
	cr_assert(strstr(json, "Index Scan"), "%s", json);
	vt->free_mem(json);
}

Test(db, analyze_adds_actual_rows)
{
	char *json = explain_ok("SELECT * FROM t WHERE cat = 5", BK_DB_ANALYZE);

	cr_assert(strstr(json, "\"Actual Rows\": 100"), "%s", json);
	cr_assert(strstr(json, "Shared Hit Blocks"), "%s", json);
	vt->free_mem(json);
}

Test(db, analyze_refuses_parameters)
{
	struct bk_db_error e;
	char *json = NULL;

	cr_assert_eq(explain("SELECT * FROM t WHERE id = $1", BK_DB_ANALYZE, &json, &e), 1);
	cr_assert_str_eq(e.message, "cannot ANALYZE a query with parameters");
	free(explain_ok("SELECT 1", 0));
}

Test(db, seqscan_off_changes_the_plan)
{
	char *on = explain_ok("SELECT * FROM t WHERE id < 9000", 0);
	char *off = explain_ok("SELECT * FROM t WHERE id < 9000", BK_DB_SEQSCAN_OFF);

	cr_assert(strstr(on, "Seq Scan"), "%s", on);
	cr_assert_null(strstr(off, "Seq Scan"), "%s", off);
	vt->free_mem(on);
	vt->free_mem(off);
}

Test(db, settings_are_applied_locally)
{
	const char *settings[] = { "work_mem = 64kB", "enable_hashagg=off" };
	struct bk_db_explain req = { .sql = "SELECT * FROM t ORDER BY pad",
				     .flags = BK_DB_ANALYZE, .settings = settings,
				     .settings_nr = 2, .statement_timeout_ms = 10000 };
	struct bk_db_error e;
	char *json = NULL;
	char *before = query_ok("SELECT current_setting('work_mem') AS w", 0, NULL);

	cr_assert_eq(vt->explain(db, &req, &json, &e), 0, "%s", e.message);
	cr_assert(strstr(json, "external merge"), "%s", json);
	vt->free_mem(json);
	/* SET LOCAL: gone with the transaction */
	expect_rows("SELECT current_setting('work_mem') AS w", before);
	vt->free_mem(before);
}

Test(db, settings_cannot_inject_sql)
{
	const char *bad_name[] = { "enable_seqscan; DROP TABLE t = off" };
	const char *bad_value[] = { "work_mem = 1MB'; DROP TABLE t; --" };
	const char *quoted[] = { "application_name=x'; DROP TABLE t; --" };
	struct bk_db_explain req = { .sql = "SELECT 1", .settings = bad_name,
				     .settings_nr = 1 };
	struct bk_db_error e;
	char *json = NULL;

	cr_assert_eq(vt->explain(db, &req, &json, &e), 1);
	cr_assert(strstr(e.message, "invalid setting name"), "%s", e.message);
	req.settings = bad_value;
	cr_assert_eq(vt->explain(db, &req, &json, &e), 1);
	cr_assert_str_eq(e.sqlstate, "22023");
	req.settings = quoted;
	cr_assert_eq(vt->explain(db, &req, &json, &e), 0, "%s", e.message);
	vt->free_mem(json);
	vt->free_mem(query_ok("SELECT count(*) FROM t", 0, NULL));
}

Test(db, read_only_unless_writes_allowed)
{
	const char *ins = "INSERT INTO t VALUES (20000, 1, 'x')";
	struct bk_db_error e;
	char *json = NULL;

	cr_assert_eq(explain(ins, BK_DB_ANALYZE, &json, &e), 1);
	cr_assert_str_eq(e.sqlstate, "25006");
	json = explain_ok(ins, BK_DB_ANALYZE | BK_DB_ALLOW_WRITES);
	cr_assert(strstr(json, "Insert"), "%s", json);
	vt->free_mem(json);
	expect_rows("SELECT count(*) AS n FROM t WHERE id = 20000", "[{\"n\":\"0\"}]");
}

Test(db, statement_timeout_cancels)
{
	struct bk_db_explain req = { .sql = "SELECT pg_sleep(5)", .flags = BK_DB_ANALYZE,
				     .statement_timeout_ms = 200 };
	struct bk_db_error e;
	char *json = NULL;
	time_t start = time(NULL);

	cr_assert_eq(vt->explain(db, &req, &json, &e), 1);
	cr_assert_str_eq(e.sqlstate, "57014");
	cr_assert_lt(time(NULL) - start, 4);
	free(explain_ok("SELECT 1", 0));
}

Test(db, query_json_rows_nulls_and_escaping)
{
	const char *params[] = { "x\"y", NULL };
	char *rows = query_ok("SELECT $1::text AS a, $2::text AS b, "
			      "E'q\\\\\\n\\t\\001' AS \"c\"\"d\" "
			      "FROM generate_series(1, 2)", 2, params);

	cr_assert_str_eq(rows, "[{\"a\":\"x\\\"y\",\"b\":null,\"c\\\"d\":\"q\\\\\\n\\t\\u0001\"},"
			 "{\"a\":\"x\\\"y\",\"b\":null,\"c\\\"d\":\"q\\\\\\n\\t\\u0001\"}]");
	vt->free_mem(rows);
	rows = query_ok("SELECT 1 WHERE false", 0, NULL);
	cr_assert_str_eq(rows, "[]");
	vt->free_mem(rows);
}

Test(db, query_json_is_read_only)
{
	struct bk_db_error e;
	char *rows = NULL;

	cr_assert_eq(vt->query_json(db, "DELETE FROM t RETURNING id", 0, NULL, &rows, &e), 1);
	cr_assert_str_eq(e.sqlstate, "25006");
	cr_assert_null(rows);
}

Test(db, exec_script_runs_several_statements)
{
	struct bk_db_error e;
	char *rows;

	cr_assert_eq(vt->exec_script(db, "CREATE TEMP TABLE s (x int);"
				     "INSERT INTO s VALUES (1), (2);", &e), 0, "%s", e.message);
	rows = query_ok("SELECT sum(x) AS n FROM s", 0, NULL);
	cr_assert_str_eq(rows, "[{\"n\":\"3\"}]");
	vt->free_mem(rows);
	cr_assert_eq(vt->exec_script(db, "SELECT 1; SELEC 2", &e), 1);
	cr_assert_str_eq(e.sqlstate, "42601");
	cr_assert_eq(e.position, 11);
}

Test(db, failed_script_transaction_is_rolled_back)
{
	struct bk_db_error e;

	cr_assert_eq(vt->exec_script(db, "BEGIN; SELECT 1/0;", &e), 1);
	cr_assert_str_eq(e.sqlstate, "22012");
	free(explain_ok("SELECT 1", 0));
}

Test(db, lost_connection_gives_minus_one)
{
	struct bk_db_error e;
	char *json = NULL, *rows = NULL;
	int n;

	cr_assert_eq(vt->exec_script(db, "SELECT pg_terminate_backend(pg_backend_pid())",
				     &e), -1);
	cr_assert_eq(explain("SELECT 1", 0, &json, &e), -1);
	cr_assert_null(json);
	cr_assert_eq(vt->prepare(db, "SELECT 1", &n, NULL, &e), -1);
	cr_assert_eq(vt->query_json(db, "SELECT 1", 0, NULL, &rows, &e), -1);
	cr_assert_eq(vt->exec_script(db, "SELECT 1", &e), -1);
}
