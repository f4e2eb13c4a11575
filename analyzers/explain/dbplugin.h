/*
 * The database plugin ABI. A plugin is a shared object (bkgen-db-NAME.so in
 * the plugin directory) exporting one symbol, BK_DB_PLUGIN_SYMBOL, a
 * function returning a pointer to a const vtable. The core only ever sees
 * this header; the postgres plugin is the only file that includes libpq.
 *
 * Errors come back in a struct bk_db_error that the plugin fills (fixed
 * buffers, truncated, so nothing crosses the allocator boundary).
 *
 * Return convention of every call that can fail:
 *    0  success
 *    1  the statement failed (syntax, unknown table, timeout...): err says
 *       why, the connection is still usable
 *   -1  the connection is gone or unusable: err says why; stop
 */
#ifndef BK_DBPLUGIN_H
#define BK_DBPLUGIN_H

#include <stddef.h>

#define BK_DB_ABI_VERSION 1
#define BK_DB_PLUGIN_SYMBOL "bkgen_db_plugin"

struct bk_db;  /* a connection, opaque to the core */

struct bk_db_error {
	char sqlstate[6];   /* "" when not from the server */
	char message[512];  /* primary message, one line */
	char detail[512];   /* "" when none */
	char hint[512];     /* "" when none */
	int position;       /* 1-based character offset into the statement, 0: none */
};

enum bk_db_explain_flags {
	BK_DB_ANALYZE = 1 << 0,        /* EXPLAIN ANALYZE, BUFFERS */
	BK_DB_ALLOW_WRITES = 1 << 1,   /* with ANALYZE: a write statement, rolled back */
	BK_DB_SEQSCAN_OFF = 1 << 2,    /* SET LOCAL enable_seqscan = off */
};

struct bk_db_explain {
	const char *sql;        /* one statement, $n placeholders */
	unsigned flags;         /* enum bk_db_explain_flags */
	int statement_timeout_ms;
	int lock_timeout_ms;
	/* extra "name=value" settings applied with SET LOCAL (may be NULL) */
	const char *const *settings;
	size_t settings_nr;
};

struct bk_db_vtable {
	unsigned abi;           /* BK_DB_ABI_VERSION */
	const char *name;       /* "postgres" */
	const char *description;

	/* conninfo: "postgresql://..." URL or "key=value" string. */
	int (*connect)(struct bk_db **out, const char *conninfo, int connect_timeout_s,
		       struct bk_db_error *err);
	/* e.g. 150018 for 15.18, 180000 for 18.0 */
	int (*server_version)(struct bk_db *db);
	/*
	 * Validate one statement (the server parses and analyses it; more than
	 * one statement is refused) and count its parameters. type_names, when
	 * not NULL, receives a malloc'ed array of *nparams malloc'ed type names
	 * ("integer", "text"), freed by the caller with free_strings().
	 */
	int (*prepare)(struct bk_db *db, const char *sql, int *nparams,
		       char ***type_names, struct bk_db_error *err);
	/* Plan one statement; *plan_json is malloc'ed (FORMAT JSON output). */
	int (*explain)(struct bk_db *db, const struct bk_db_explain *req,
		       char **plan_json, struct bk_db_error *err);
	/*
	 * Run a read-only query with text parameters (NULL-able) and return
	 * its rows as a malloc'ed JSON array of objects (all values strings or
	 * null). For catalog lookups.
	 */
	int (*query_json)(struct bk_db *db, const char *sql, int nparams,
			  const char *const *params, char **rows_json,
			  struct bk_db_error *err);
	/*
	 * Run a script of several statements as given, in the caller's
	 * session (for migrations and setup). Not read-only.
	 */
	int (*exec_script)(struct bk_db *db, const char *script,
			   struct bk_db_error *err);
	void (*close)(struct bk_db *db);
	void (*free_strings)(char **v, int n);
	void (*free_mem)(void *p);  /* frees plan_json / rows_json */
};

typedef const struct bk_db_vtable *(*bk_db_plugin_fn)(void);

#endif
