/*
 * A throwaway PostgreSQL cluster from the local installation: initdb into
 * a fresh temporary directory, a postmaster listening on a unix socket only
 * (no TCP), trust auth for one superuser. A janitor process holds the other
 * end of a socket pair with us: whenever we exit (normally, on Ctrl-C, even
 * on SIGKILL) it stops the postmaster and removes the directory.
 *
 * As root, initdb and postgres run as an unprivileged user (the "postgres"
 * account if there is one, else "nobody"), since PostgreSQL refuses root.
 */
#ifndef BK_PGTMP_H
#define BK_PGTMP_H

#include <stddef.h>
#include <sys/types.h>
#include "base/err.h"

struct bk_pgtmp_opts {
	const char *bindir;           /* NULL: search (see bk_pgtmp_find_bindir) */
	const char *const *settings;  /* extra "name=value" server settings */
	size_t settings_nr;
	int start_timeout_s;          /* 0: 60 */
	/* progress, may be NULL: called with "initdb", "starting", "ready" */
	void (*progress)(void *ctx, const char *what);
	void *progress_ctx;
};

struct bk_pgtmp {
	char *dir;          /* the temporary directory (data/ and the socket inside) */
	char *bindir;
	char *conninfo;     /* "host=DIR port=N user=bkgen dbname=postgres" */
	int port;
	pid_t postmaster;
	pid_t janitor;
	int janitor_fd;     /* our end of the janitor's socket pair */
};

/*
 * Directory holding initdb/pg_ctl/postgres: $BKGEN_PG_BINDIR, then
 * `pg_config --bindir`, then the newest /usr/lib/postgresql/N/bin, then
 * PATH. NULL (and err) when none is found.
 */
char *bk_pgtmp_find_bindir(struct bk_err *err);

int bk_pgtmp_start(struct bk_pgtmp *t, const struct bk_pgtmp_opts *o,
		   struct bk_err *err);
/*
 * Stop the postmaster (fast shutdown) and wait for the janitor to have
 * removed the directory.
 */
void bk_pgtmp_stop(struct bk_pgtmp *t);

#endif
