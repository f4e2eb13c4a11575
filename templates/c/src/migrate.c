#include "migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

#define MIGRATE_LOCK_ID "727073690" /* any constant shared by every migrator */
#define MIGRATION_MAX_BYTES (16 * 1024 * 1024)

static const struct db_statement stmt_applied = { "migrate_applied",
	"SELECT version, checksum FROM schema_migrations ORDER BY version" };

static const char migrate_prologue[] =
	"SET lock_timeout = '60s';"
	"SET statement_timeout = '15min';"
	"SELECT pg_advisory_lock(" MIGRATE_LOCK_ID ");"
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version text PRIMARY KEY,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now());";

static int migrate_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 9 && strspn(d->d_name, "0123456789") == 4 && d->d_name[4] == '_' &&
	       strcmp(d->d_name + n - 4, ".sql") == 0 &&
	       strspn(d->d_name, "0123456789abcdefghijklmnopqrstuvwxyz_-.") == n;
}

static int migrate_read(const char *dir, const char *name, struct buf *out, struct err *err)
{
	char path[4096];
	char chunk[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f == NULL)
		return err_set(err, ERR_INVALID, "cannot read migration '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(out, chunk, n) != 0) {
			fclose(f);
			return err_set(err, ERR_INVALID, "migration '%s' is larger than %d bytes", path,
				       MIGRATION_MAX_BYTES);
		}
	}
	fclose(f);
	return 0;
}

/* The checksum recorded for version, or NULL when it is not applied. */
static const char *migrate_applied_checksum(const struct db_rows *applied, const char *version)
{
	for (int i = 0; i < db_rows_count(applied); i++)
		if (strcmp(db_value(applied, i, 0), version) == 0)
			return db_value(applied, i, 1);
	return NULL;
}

/* Appends file and its bookkeeping row to script unless already applied. */
static int migrate_plan_file(const char *dir, const char *name, const struct db_rows *applied,
			     struct buf *script, int *pending, struct err *err)
{
	struct buf sql;
	char sum[2 * SHA256_LEN + 1];
	const char *recorded;
	int rc;

	buf_init(&sql, MIGRATION_MAX_BYTES);
	rc = migrate_read(dir, name, &sql, err);
	if (rc == 0) {
		crypto_sha256_hex(sql.data, sql.len, sum);
		recorded = migrate_applied_checksum(applied, name);
		if (recorded && strcmp(recorded, sum) != 0)
			rc = err_set(err, ERR_INVALID,
				     "migration '%s' changed after it was applied; add a new migration instead",
				     name);
		else if (recorded == NULL && buf_printf(script,
			 "\n-- %s\n%s\n;\nINSERT INTO schema_migrations (version, checksum) VALUES ('%s', '%s');\n",
			 name, sql.data, name, sum) == 0)
			(*pending)++;
	}
	buf_release(&sql);
	return rc;
}

static int migrate_plan(const char *dir, const struct db_rows *applied, struct buf *script,
			int *pending, struct err *err)
{
	struct dirent **files = NULL;
	int n = scandir(dir, &files, migrate_filter, alphasort);
	int rc = 0;

	if (n < 0)
		return err_set(err, ERR_INVALID, "cannot list migrations directory '%s' (MIGRATIONS_DIR)", dir);
	for (int i = 0; i < n; i++) {
		if (rc == 0)
			rc = migrate_plan_file(dir, files[i]->d_name, applied, script, pending, err);
		free(files[i]);
	}
	free(files);
	return rc;
}

static int migrate_apply(struct pool_conn *conn, const char *dir, struct err *err)
{
	struct db_rows *applied = NULL;
	struct buf script = BUF_INIT;
	int pending = 0;

	buf_puts(&script, "BEGIN;");
	if (db_script(conn, migrate_prologue, err) != 0 ||
	    db_query(conn, &stmt_applied, 0, NULL, &applied, err) != 0 ||
	    migrate_plan(dir, applied, &script, &pending, err) != 0)
		goto out;
	buf_puts(&script, "COMMIT;");
	if (pending > 0 && db_script(conn, script.data, err) != 0)
		goto out;
	log_json(LOG_INFO, "migrations up to date",
		 json_pack("{s:i, s:i}", "applied_now", pending, "applied_before",
			   db_rows_count(applied)));
out:
	db_rows_free(applied);
	buf_release(&script);
	return err->kind;
}

int migrate_run(const struct config *cfg, struct err *err)
{
	struct pool *pool = pool_new(cfg, "acme-payments-migrate");
	struct pool_conn *conn = NULL;

	if (pool == NULL)
		return err_set(err, ERR_INTERNAL, "out of memory");
	if (pool_acquire(pool, cfg->db_acquire_timeout_ms, &conn, err) == 0) {
		migrate_apply(conn, cfg->migrations_dir, err);
		pool_release(pool, conn); /* a failed script is rolled back here */
	}
	pool_free(pool); /* closing the session releases the advisory lock */
	return err->kind;
}
