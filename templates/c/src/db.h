/* PostgreSQL through libpq, the only module that includes libpq-fe.h.
 *
 * A bounded pool: at most DB_POOL_SIZE connections, made lazily; acquire
 * waits at most a timeout. Every connection has statement_timeout,
 * lock_timeout and idle_in_transaction_session_timeout set, TimeZone UTC.
 * Statements are prepared once per connection on first use. A connection
 * that breaks (database restart) is dropped and made again; a statement
 * outside a transaction that hits a broken connection is retried once on a
 * fresh one, so the first request after a restart does not fail. */
#ifndef DB_H
#define DB_H

#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "err.h"

struct pool;
struct pool_conn;
struct db_rows; /* a query result; free with db_rows_free() */

/* A statement is data: a unique name and its SQL. Define them as static
 * const objects next to the code that runs them. */
struct db_statement {
	const char *name;
	const char *sql;
};

struct pool *pool_new(const struct config *cfg, const char *application_name);
/* Waits for borrowed connections to come back, then closes everything. */
void pool_free(struct pool *p);
int pool_acquire(struct pool *p, long timeout_ms, struct pool_conn **out, struct err *err);
void pool_release(struct pool *p, struct pool_conn *c);

/* Runs a prepared statement. params may hold NULLs (SQL NULL). On success
 * *out (if out is not NULL) holds the rows. */
int db_query(struct pool_conn *c, const struct db_statement *st, int nparams,
	     const char *const *params, struct db_rows **out, struct err *err);
/* A plain SQL script without parameters (migrations). */
int db_script(struct pool_conn *c, const char *sql, struct err *err);
int db_begin(struct pool_conn *c, struct err *err);
int db_commit(struct pool_conn *c, struct err *err);
void db_rollback(struct pool_conn *c);

int db_rows_count(const struct db_rows *rows);
/* Text value ("" for NULL), borrowed from rows. */
const char *db_value(const struct db_rows *rows, int row, int col);
int db_is_null(const struct db_rows *rows, int row, int col);
long long db_int(const struct db_rows *rows, int row, int col);
int db_bool(const struct db_rows *rows, int row, int col);
void db_rows_free(struct db_rows *rows);

/* Quotes s as an element of a text[] literal into out ("{a,b}" building). */
int db_array_append(struct buf *out, const char *s, int first);

#endif
