#include "db.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "clock.h"
#include "log.h"

#define DB_MAX_STATEMENTS 64

struct pool_conn {
	struct pool *pool;
	PGconn *pg;
	const struct db_statement *prepared[DB_MAX_STATEMENTS];
	int nprepared;
	int in_tx;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pool_conn *conns;
	struct pool_conn **idle;
	int size;
	int nidle;
	const char *keys[8];
	const char *values[8];
	char connect_timeout[16];
	char options[256];
};

/* Points rows at a PGresult without a wrapper allocation. */
#define ROWS(r) ((struct db_rows *)(r))
#define PGRES(r) ((PGresult *)(r))

struct pool *pool_new(const struct config *cfg, const char *application_name)
{
	struct pool *p = calloc(1, sizeof(*p));
	pthread_condattr_t attr;

	if (p == NULL)
		return NULL;
	p->size = (int)cfg->db_pool_size;
	p->conns = calloc((size_t)p->size, sizeof(*p->conns));
	p->idle = calloc((size_t)p->size, sizeof(*p->idle));
	if (p->conns == NULL || p->idle == NULL) {
		pool_free(p);
		return NULL;
	}
	for (int i = 0; i < p->size; i++) {
		p->conns[i].pool = p;
		p->idle[p->nidle++] = &p->conns[i];
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &attr);
	pthread_condattr_destroy(&attr);
	snprintf(p->connect_timeout, sizeof(p->connect_timeout), "%ld", cfg->db_connect_timeout_s);
	snprintf(p->options, sizeof(p->options),
		 "-c statement_timeout=%ld -c lock_timeout=%ld -c idle_in_transaction_session_timeout=%ld -c TimeZone=UTC",
		 cfg->db_statement_timeout_ms, cfg->db_statement_timeout_ms,
		 cfg->db_statement_timeout_ms * 4);
	const char *keys[] = { "dbname", "connect_timeout", "application_name", "options",
			       "keepalives", "keepalives_idle", NULL };
	const char *values[] = { cfg->database_url, p->connect_timeout, application_name,
				 p->options, "1", "30", NULL };
	memcpy(p->keys, keys, sizeof(keys));
	memcpy(p->values, values, sizeof(values));
	return p;
}

static void pool_disconnect(struct pool_conn *c)
{
	PQfinish(c->pg);
	c->pg = NULL;
	c->nprepared = 0;
	c->in_tx = 0;
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	if (p->idle) {
		pthread_mutex_lock(&p->mu);
		while (p->nidle < p->size)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < p->size; i++)
			pool_disconnect(&p->conns[i]);
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	free(p->conns);
	free(p->idle);
	free(p);
}

/* libpq messages end in newlines and may span lines; logs want one line. */
static void db_message(char *out, size_t size, const char *msg)
{
	size_t n = 0;

	for (; msg && *msg && n + 1 < size; msg++)
		out[n++] = (*msg == '\n' || *msg == '\t') ? ' ' : *msg;
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Server notices (e.g. "already exists, skipping") go to the log, not stderr. */
static void db_notice(void *ctx, const char *message)
{
	char msg[400];

	(void)ctx;
	db_message(msg, sizeof(msg), message);
	log_msg(LOG_DEBUG, "postgres: %s", msg);
}

static int pool_connect(struct pool *p, struct pool_conn *c, struct err *err)
{
	char msg[400];

	c->pg = PQconnectdbParams(p->keys, p->values, 1);
	if (c->pg != NULL && PQstatus(c->pg) == CONNECTION_OK) {
		PQsetNoticeProcessor(c->pg, db_notice, NULL);
		return 0;
	}
	db_message(msg, sizeof(msg), c->pg ? PQerrorMessage(c->pg) : "out of memory");
	pool_disconnect(c);
	return err_set(err, ERR_UNAVAILABLE, "database unreachable: %s", msg);
}

int pool_acquire(struct pool *p, long timeout_ms, struct pool_conn **out, struct err *err)
{
	struct timespec deadline;
	struct pool_conn *c = NULL;
	int rc = 0;

	clock_deadline(&deadline, timeout_ms);
	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&p->cv, &p->mu, &deadline);
	if (p->nidle > 0)
		c = p->idle[--p->nidle];
	pthread_mutex_unlock(&p->mu);
	if (c == NULL)
		return err_set(err, ERR_UNAVAILABLE,
			       "no database connection free within %ld ms", timeout_ms);
	if (c->pg == NULL && pool_connect(p, c, err) != 0) {
		pool_release(p, c);
		return err->kind;
	}
	*out = c;
	return 0;
}

void pool_release(struct pool *p, struct pool_conn *c)
{
	if (c->pg && (c->in_tx || PQtransactionStatus(c->pg) != PQTRANS_IDLE))
		db_rollback(c);
	if (c->pg && PQstatus(c->pg) != CONNECTION_OK)
		pool_disconnect(c);
	pthread_mutex_lock(&p->mu);
	p->idle[p->nidle++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Class 08 and the shutdown codes mean the connection is gone; timeouts,
 * lock waits and serialization failures are worth a retry: all 503. */
static enum err_kind db_classify(const char *state)
{
	static const char *const unavailable[] = { "57P01", "57P02", "57P03", "53300",
						   "57014", "55P03", "40001", "40P01" };

	if (state == NULL || strncmp(state, "08", 2) == 0)
		return ERR_UNAVAILABLE;
	for (size_t i = 0; i < sizeof(unavailable) / sizeof(unavailable[0]); i++)
		if (strcmp(state, unavailable[i]) == 0)
			return ERR_UNAVAILABLE;
	if (strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (strcmp(state, "22P02") == 0)
		return ERR_INVALID;
	return ERR_INTERNAL;
}

static int db_result_error(struct pool_conn *c, PGresult *res, const char *what,
			   struct err *err)
{
	const char *field = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	enum err_kind kind = db_classify(field);
	char msg[400], state[8] = "";

	/* Both point into res: copy before PQclear(). */
	snprintf(state, sizeof(state), "%s", field ? field : "");
	db_message(msg, sizeof(msg), res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
	PQclear(res);
	if (PQstatus(c->pg) != CONNECTION_OK)
		kind = ERR_UNAVAILABLE;
	return err_set(err, kind, "%s: %s%s%s", what, msg, state[0] ? " SQLSTATE " : "", state);
}

static int db_prepare(struct pool_conn *c, const struct db_statement *st, int nparams,
		      struct err *err)
{
	PGresult *res;

	for (int i = 0; i < c->nprepared; i++)
		if (c->prepared[i] == st)
			return 0;
	if (c->nprepared == DB_MAX_STATEMENTS)
		return err_set(err, ERR_INTERNAL, "more than %d statements", DB_MAX_STATEMENTS);
	res = PQprepare(c->pg, st->name, st->sql, nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return db_result_error(c, res, st->name, err);
	PQclear(res);
	c->prepared[c->nprepared++] = st;
	return 0;
}

static int db_query_once(struct pool_conn *c, const struct db_statement *st, int nparams,
			 const char *const *params, PGresult **out, struct err *err)
{
	PGresult *res;
	ExecStatusType status;

	if (db_prepare(c, st, nparams, err) != 0)
		return err->kind;
	res = PQexecPrepared(c->pg, st->name, nparams, params, NULL, NULL, 0);
	status = PQresultStatus(res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
		return db_result_error(c, res, st->name, err);
	*out = res;
	return 0;
}

int db_query(struct pool_conn *c, const struct db_statement *st, int nparams,
	     const char *const *params, struct db_rows **out, struct err *err)
{
	PGresult *res = NULL;
	int rc = db_query_once(c, st, nparams, params, &res, err);

	/* Outside a transaction a connection found broken (the database
	 * restarted since it was last used) is replaced and the statement
	 * tried once more. */
	if (rc == ERR_UNAVAILABLE && !c->in_tx && PQstatus(c->pg) != CONNECTION_OK) {
		pool_disconnect(c);
		err_clear(err);
		if (pool_connect(c->pool, c, err) != 0)
			return err->kind;
		rc = db_query_once(c, st, nparams, params, &res, err);
	}
	if (rc != 0)
		return rc;
	if (out)
		*out = ROWS(res);
	else
		PQclear(res);
	return 0;
}

static int db_simple(struct pool_conn *c, const char *sql, const char *what, struct err *err)
{
	PGresult *res = PQexec(c->pg, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		return db_result_error(c, res, what, err);
	PQclear(res);
	return 0;
}

int db_script(struct pool_conn *c, const char *sql, struct err *err)
{
	return db_simple(c, sql, "script", err);
}

int db_begin(struct pool_conn *c, struct err *err)
{
	int rc = db_simple(c, "BEGIN", "BEGIN", err);

	/* BEGIN is the first statement of every write: a connection broken by
	 * a restart is replaced here, before anything was sent. */
	if (rc == ERR_UNAVAILABLE && PQstatus(c->pg) != CONNECTION_OK) {
		pool_disconnect(c);
		err_clear(err);
		if (pool_connect(c->pool, c, err) != 0)
			return err->kind;
		rc = db_simple(c, "BEGIN", "BEGIN", err);
	}
	c->in_tx = rc == 0;
	return rc;
}

int db_commit(struct pool_conn *c, struct err *err)
{
	int rc = db_simple(c, "COMMIT", "COMMIT", err);

	c->in_tx = 0;
	return rc;
}

void db_rollback(struct pool_conn *c)
{
	struct err ignored = { 0 };

	c->in_tx = 0;
	if (db_simple(c, "ROLLBACK", "ROLLBACK", &ignored) != 0) {
		/* A connection that cannot roll back is not reused. */
		log_msg(LOG_WARN, "rollback failed, dropping connection: %s", ignored.msg);
		pool_disconnect(c);
	}
}

int db_rows_count(const struct db_rows *rows)
{
	return PQntuples(PGRES(rows));
}

const char *db_value(const struct db_rows *rows, int row, int col)
{
	return PQgetvalue(PGRES(rows), row, col);
}

int db_is_null(const struct db_rows *rows, int row, int col)
{
	return PQgetisnull(PGRES(rows), row, col);
}

long long db_int(const struct db_rows *rows, int row, int col)
{
	return strtoll(PQgetvalue(PGRES(rows), row, col), NULL, 10);
}

int db_bool(const struct db_rows *rows, int row, int col)
{
	return PQgetvalue(PGRES(rows), row, col)[0] == 't';
}

void db_rows_free(struct db_rows *rows)
{
	PQclear(PGRES(rows));
}

int db_array_append(struct buf *out, const char *s, int first)
{
	int rc = buf_puts(out, first ? "\"" : ",\"");

	for (; rc == 0 && *s; s++) {
		if (*s == '"' || *s == '\\')
			rc = buf_puts(out, "\\");
		if (rc == 0)
			rc = buf_append(out, s, 1);
	}
	return rc == 0 ? buf_puts(out, "\"") : rc;
}
