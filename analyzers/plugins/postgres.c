/*
 * The PostgreSQL database plugin (bkgen-db-postgres.so): the only file of
 * bkgen that includes libpq. It implements the vtable of dbplugin.h.
 *
 * Safety of explain: every statement is planned inside a transaction that
 * is always rolled back (READ ONLY unless the caller allows writes), with
 * SET LOCAL timeouts. The statement is first sent with PQprepare, which
 * validates it and refuses multi-statement text (42601), so the simple
 * protocol used for EXPLAIN afterwards sees one statement only. The check
 * runs after the caller's SET LOCAL settings, so a setting such as
 * standard_conforming_strings cannot change how the text lexes in between.
 *
 * Statements with $n parameters get a generic plan: EXPLAIN (GENERIC_PLAN)
 * on PostgreSQL 16+, else PREPARE + plan_cache_mode=force_generic_plan +
 * EXPLAIN EXECUTE with NULLs (PostgreSQL 12-15). PREPARE is not
 * transactional, so the prepared statement is deallocated after ROLLBACK.
 *
 * After any failure, a connection that libpq reports as bad gives -1 and
 * nothing more is sent on it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "explain/dbplugin.h"
#include "base/util.h"

#define EXPORT __attribute__((visibility("default")))

struct bk_db {
	PGconn *conn;
	int version;
};

static void sb_json_string(struct bk_buf *b, const char *s)
{
	bk_buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			bk_buf_add(b, esc, 2);
		} else if (c == '\n') {
			bk_buf_add(b, "\\n", 2);
		} else if (c == '\t') {
			bk_buf_add(b, "\\t", 2);
		} else if (c == '\r') {
			bk_buf_add(b, "\\r", 2);
		} else if (c < 0x20 || c == 0x7f) {
			bk_buf_printf(b, "\\u%04x", c);
		} else {
			bk_buf_add(b, s, 1);
		}
	}
	bk_buf_add(b, "\"", 1);
}

/* Copy the first line of src into a fixed buffer. */
static void copy_line(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	if (src)
		while (src[n] && src[n] != '\n' && n + 1 < size)
			n++;
	if (src)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int set_error(struct bk_db_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int set_error(struct bk_db_error *err, const char *fmt, ...)
{
	va_list ap;

	memset(err, 0, sizeof(*err));
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return 1;
}

/* 1 when the connection still works, -1 when it is gone. */
static int failure_code(struct bk_db *db)
{
	return PQstatus(db->conn) == CONNECTION_BAD ? -1 : 1;
}

/*
 * Fill err from a failed result (or the connection when the result has no
 * message), clear the result; shift: length of text we put before the
 * caller's statement, so positions point into the caller's SQL.
 */
static int fail_result(struct bk_db *db, PGresult *res, int shift,
		       struct bk_db_error *err)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *pos;

	memset(err, 0, sizeof(*err));
	if (msg) {
		copy_text(err->sqlstate, sizeof(err->sqlstate),
			  PQresultErrorField(res, PG_DIAG_SQLSTATE));
		copy_line(err->message, sizeof(err->message), msg);
		copy_text(err->detail, sizeof(err->detail),
			  PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		copy_text(err->hint, sizeof(err->hint),
			  PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
		pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
		err->position = pos ? (int)strtol(pos, NULL, 10) - shift : 0;
		if (err->position < 0)
			err->position = 0;
	} else {
		copy_line(err->message, sizeof(err->message), PQerrorMessage(db->conn));
		if (!err->message[0])
			copy_text(err->message, sizeof(err->message), "unknown libpq failure");
	}
	PQclear(res);
	return failure_code(db);
}

/* Run sql; 0 when the result has status want (kept in *out if out). */
static int run(struct bk_db *db, const char *sql, ExecStatusType want,
	       PGresult **out, int shift, struct bk_db_error *err)
{
	PGresult *res = PQexec(db->conn, sql);

	if (!res || PQresultStatus(res) != want)
		return fail_result(db, res, shift, err);
	if (out)
		*out = res;
	else
		PQclear(res);
	return 0;
}

static int run_cmd(struct bk_db *db, const char *sql, struct bk_db_error *err)
{
	return run(db, sql, PGRES_COMMAND_OK, NULL, 0, err);
}

/* Calls on a lost connection fail at once; a caller's open tx is refused. */
static int check_usable(struct bk_db *db, int need_idle, struct bk_db_error *err)
{
	memset(err, 0, sizeof(*err));
	if (PQstatus(db->conn) == CONNECTION_BAD) {
		snprintf(err->message, sizeof(err->message), "connection lost");
		return -1;
	}
	if (need_idle && PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		return set_error(err, "a transaction is already open on this connection");
	return 0;
}

/* Roll back after a failure; the first error (in err) is kept. */
static int rollback_after(struct bk_db *db, int rc)
{
	struct bk_db_error ignored;

	if (rc >= 0 && PQstatus(db->conn) != CONNECTION_BAD &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		if (run_cmd(db, "ROLLBACK", &ignored) < 0)
			return -1;
	return rc;
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_connect(struct bk_db **out, const char *conninfo, int connect_timeout_s,
		      struct bk_db_error *err)
{
	char timeout[16];
	const char *keys[] = { "dbname", "application_name", "client_encoding",
			       connect_timeout_s > 0 ? "connect_timeout" : NULL, NULL };
	const char *vals[] = { conninfo ? conninfo : "", "bkgen", "UTF8", timeout, NULL };
	PGconn *conn;
	struct bk_db *db;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	snprintf(timeout, sizeof(timeout), "%d", connect_timeout_s);
	conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		copy_line(err->message, sizeof(err->message),
			  conn ? PQerrorMessage(conn) : "out of memory");
		PQfinish(conn);
		return -1;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	db = bk_xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->version = PQserverVersion(conn);
	*out = db;
	return 0;
}

static int pg_server_version(struct bk_db *db)
{
	return db->version;
}

static void pg_close(struct bk_db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

static void pg_free_strings(char **v, int n)
{
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void pg_free_mem(void *p)
{
	free(p);
}

/* Type names of the described parameters, with one catalog query. */
static int param_type_names(struct bk_db *db, const PGresult *desc, int n,
			    char ***names, struct bk_db_error *err)
{
	struct bk_buf arr = BK_BUF_INIT;
	const char *params[1];
	PGresult *res;

	*names = bk_xcalloc((size_t)n + 1, sizeof(char *));
	if (n == 0)
		return 0;
	bk_buf_puts(&arr, "{");
	for (int i = 0; i < n; i++)
		bk_buf_printf(&arr, "%s%u", i ? "," : "", (unsigned)PQparamtype(desc, i));
	bk_buf_puts(&arr, "}");
	params[0] = arr.ptr;
	res = PQexecParams(db->conn,
			   "SELECT format_type(u.t, NULL) FROM unnest($1::oid[]) "
			   "WITH ORDINALITY AS u(t, i) ORDER BY u.i",
			   1, NULL, params, NULL, NULL, 0);
	bk_buf_release(&arr);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != n) {
		pg_free_strings(*names, n);
		*names = NULL;
		return fail_result(db, res, 0, err);
	}
	for (int i = 0; i < n; i++)
		(*names)[i] = bk_xstrdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

/*
 * PQprepare + describe: validates one statement, counts its $n. It uses the
 * unnamed statement, which the next query replaces, so nothing can leak
 * (not even from an aborted transaction) and no DEALLOCATE is needed.
 */
static int describe(struct bk_db *db, const char *sql, int *nparams,
		    char ***type_names, struct bk_db_error *err)
{
	PGresult *res = PQprepare(db->conn, "", sql, 0, NULL);
	int rc = 0;

	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail_result(db, res, 0, err);
	PQclear(res);
	res = PQdescribePrepared(db->conn, "");
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail_result(db, res, 0, err);
	*nparams = PQnparams(res);
	if (type_names)
		rc = param_type_names(db, res, *nparams, type_names, err);
	PQclear(res);
	return rc;
}

static int pg_prepare(struct bk_db *db, const char *sql, int *nparams,
		      char ***type_names, struct bk_db_error *err)
{
	int rc = check_usable(db, 0, err);

	*nparams = 0;
	if (type_names)
		*type_names = NULL;
	if (rc)
		return rc;
	return describe(db, sql, nparams, type_names, err);
}

/* Append "SET LOCAL name = 'value'; " for a "name=value" setting. */
static int add_setting(struct bk_db *db, struct bk_buf *sql, const char *setting,
		       struct bk_db_error *err)
{
	const char *eq = strchr(setting, '=');
	const char *name = setting, *end, *value;
	char *lit;

	while (*name == ' ')
		name++;
	end = eq ? eq : name;
	while (end > name && end[-1] == ' ')
		end--;
	if (!eq || end == name || !(islower((unsigned char)*name) || *name == '_'))
		return set_error(err, "invalid setting '%s': expected name=value", setting);
	for (const char *p = name; p < end; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_' && *p != '.')
			return set_error(err, "invalid setting name in '%s'", setting);
	for (value = eq + 1; *value == ' '; value++)
		;
	lit = PQescapeLiteral(db->conn, value, strlen(value));
	if (!lit)
		return set_error(err, "invalid setting value in '%s'", setting);
	bk_buf_puts(sql, "SET LOCAL ");
	bk_buf_add(sql, name, (size_t)(end - name));
	bk_buf_printf(sql, " = %s; ", lit);
	PQfreemem(lit);
	return 0;
}

/* BEGIN and the SET LOCALs of an explain request, in one round trip. */
static int begin_explain(struct bk_db *db, const struct bk_db_explain *req,
			 struct bk_db_error *err)
{
	struct bk_buf sql = BK_BUF_INIT;
	int rc = 0;

	bk_buf_puts(&sql, (req->flags & BK_DB_ALLOW_WRITES) ? "BEGIN; " : "BEGIN READ ONLY; ");
	if (req->statement_timeout_ms > 0)
		bk_buf_printf(&sql, "SET LOCAL statement_timeout = %d; ", req->statement_timeout_ms);
	if (req->lock_timeout_ms > 0)
		bk_buf_printf(&sql, "SET LOCAL lock_timeout = %d; ", req->lock_timeout_ms);
	for (size_t i = 0; !rc && i < req->settings_nr; i++)
		rc = add_setting(db, &sql, req->settings[i], err);
	if (req->flags & BK_DB_SEQSCAN_OFF)
		bk_buf_puts(&sql, "SET LOCAL enable_seqscan = off; ");
	if (!rc)
		rc = run_cmd(db, sql.ptr, err);
	bk_buf_release(&sql);
	return rc;
}

/* Run an EXPLAIN whose caller SQL starts at shift; its one value → *json. */
static int explain_value(struct bk_db *db, const char *sql, int shift, char **json,
			 struct bk_db_error *err)
{
	PGresult *res = NULL;
	int rc = run(db, sql, PGRES_TUPLES_OK, &res, shift, err);

	if (rc)
		return rc;
	if (PQntuples(res) < 1 || PQnfields(res) < 1) {
		PQclear(res);
		return set_error(err, "EXPLAIN returned no plan");
	}
	*json = bk_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* PostgreSQL 12-15: a generic plan through PREPARE / EXPLAIN EXECUTE. */
static int explain_prepared(struct bk_db *db, const char *sql, int nparams,
			    char **json, int *prepared, struct bk_db_error *err)
{
	static const char prefix[] = "SET LOCAL plan_cache_mode = force_generic_plan; "
				     "PREPARE bk_x AS ";
	struct bk_buf b = BK_BUF_INIT;
	int rc;

	if (db->version < 120000)
		return set_error(err, "explaining a query with parameters needs "
				 "PostgreSQL 12 or later (server is %d)", db->version);
	bk_buf_puts(&b, prefix);
	bk_buf_puts(&b, sql);
	rc = run(db, b.ptr, PGRES_COMMAND_OK, NULL, (int)sizeof(prefix) - 1, err);
	bk_buf_reset(&b);
	if (!rc) {
		*prepared = 1;
		bk_buf_puts(&b, "EXPLAIN (FORMAT JSON) EXECUTE bk_x(");
		for (int i = 0; i < nparams; i++)
			bk_buf_puts(&b, i ? ", NULL" : "NULL");
		bk_buf_puts(&b, ")");
		rc = explain_value(db, b.ptr, 0, json, err);
	}
	bk_buf_release(&b);
	return rc;
}

/* Plan the statement inside the open transaction. *prepared: bk_x exists. */
static int explain_in_tx(struct bk_db *db, const struct bk_db_explain *req,
			 char **json, int *prepared, struct bk_db_error *err)
{
	struct bk_buf b = BK_BUF_INIT;
	int nparams = 0, rc = describe(db, req->sql, &nparams, NULL, err);
	int analyze = (req->flags & BK_DB_ANALYZE) != 0;

	if (rc)
		return rc;
	if (nparams > 0 && analyze)
		return set_error(err, "cannot ANALYZE a query with parameters");
	if (nparams > 0 && db->version < 160000)
		return explain_prepared(db, req->sql, nparams, json, prepared, err);
	if (nparams > 0)
		bk_buf_puts(&b, "EXPLAIN (GENERIC_PLAN, FORMAT JSON) ");
	else if (analyze)
		bk_buf_puts(&b, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ");
	else
		bk_buf_puts(&b, "EXPLAIN (FORMAT JSON) ");
	int shift = (int)b.len;
	bk_buf_puts(&b, req->sql);
	rc = explain_value(db, b.ptr, shift, json, err);
	bk_buf_release(&b);
	return rc;
}

static int pg_explain(struct bk_db *db, const struct bk_db_explain *req,
		      char **plan_json, struct bk_db_error *err)
{
	struct bk_db_error ignored;
	int prepared = 0, rc = check_usable(db, 1, err);

	*plan_json = NULL;
	if (rc)
		return rc;
	if (!req->sql)
		return set_error(err, "no statement to explain");
	rc = begin_explain(db, req, err);
	if (!rc)
		rc = explain_in_tx(db, req, plan_json, &prepared, err);
	if (rc == 0 && run_cmd(db, "ROLLBACK", err) < 0)
		rc = -1;
	rc = rollback_after(db, rc);
	if (rc >= 0 && prepared && run_cmd(db, "DEALLOCATE bk_x", &ignored) < 0) {
		*err = ignored;
		rc = -1;
	}
	if (rc) {
		free(*plan_json);
		*plan_json = NULL;
	}
	return rc;
}

static void rows_to_json(struct bk_buf *out, const PGresult *res)
{
	int rows = PQntuples(res), cols = PQnfields(res);

	bk_buf_puts(out, "[");
	for (int r = 0; r < rows; r++) {
		bk_buf_puts(out, r ? ",{" : "{");
		for (int c = 0; c < cols; c++) {
			if (c)
				bk_buf_puts(out, ",");
			sb_json_string(out, PQfname(res, c));
			bk_buf_puts(out, ":");
			if (PQgetisnull(res, r, c))
				bk_buf_puts(out, "null");
			else
				sb_json_string(out, PQgetvalue(res, r, c));
		}
		bk_buf_puts(out, "}");
	}
	bk_buf_puts(out, "]");
}

static int pg_query_json(struct bk_db *db, const char *sql, int nparams,
			 const char *const *params, char **rows_json,
			 struct bk_db_error *err)
{
	struct bk_buf out = BK_BUF_INIT;
	PGresult *res;
	int rc = check_usable(db, 1, err);

	*rows_json = NULL;
	if (rc)
		return rc;
	rc = run_cmd(db, "BEGIN READ ONLY", err);
	if (rc)
		return rollback_after(db, rc);
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
		return rollback_after(db, fail_result(db, res, 0, err));
	rows_to_json(&out, res);
	PQclear(res);
	rc = run_cmd(db, "ROLLBACK", err);
	if (rc) {
		bk_buf_release(&out);
		return rollback_after(db, rc);
	}
	*rows_json = bk_buf_detach(&out);
	return 0;
}

static int pg_exec_script(struct bk_db *db, const char *script, struct bk_db_error *err)
{
	PGresult *res;
	int rc = check_usable(db, 0, err);

	if (rc)
		return rc;
	res = PQexec(db->conn, script);
	if (res && (PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK ||
		    PQresultStatus(res) == PGRES_EMPTY_QUERY)) {
		PQclear(res);
		return 0;
	}
	/* a script that failed inside its own BEGIN leaves the session usable */
	return rollback_after(db, fail_result(db, res, 0, err));
}

static const struct bk_db_vtable vtable = {
	.abi = BK_DB_ABI_VERSION,
	.name = "postgres",
	.description = "PostgreSQL through libpq",
	.connect = pg_connect,
	.server_version = pg_server_version,
	.prepare = pg_prepare,
	.explain = pg_explain,
	.query_json = pg_query_json,
	.exec_script = pg_exec_script,
	.close = pg_close,
	.free_strings = pg_free_strings,
	.free_mem = pg_free_mem,
};

EXPORT const struct bk_db_vtable *bkgen_db_plugin(void);

EXPORT const struct bk_db_vtable *bkgen_db_plugin(void)
{
	return &vtable;
}
