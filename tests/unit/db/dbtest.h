/*
 * Helpers for the database tests. One throwaway cluster is shared by the
 * whole test run: plugin.c starts it in a PRE_ALL report hook (in the
 * runner process, before any test process exists) and passes it to the
 * tests in the environment; POST_ALL stops it.
 */
#ifndef BK_TEST_DBTEST_H
#define BK_TEST_DBTEST_H

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "explain/plugin-load.h"
#include "explain/pgtmp.h"

#define T_PG_CONNINFO "BKGEN_TEST_PG_CONNINFO"
#define T_PG_ERROR "BKGEN_TEST_PG_ERROR"

/* Directory of the test binary; plugins live in <it>/plugins. */
static inline void t_db_exe_dir(char *out, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", out, size - 1);
	char *slash;

	cr_assert(n > 0);
	out[n] = '\0';
	slash = strrchr(out, '/');
	cr_assert(slash);
	*slash = '\0';
}

/* <exe dir>/SUB when it holds FILE, else $BKGEN_SRCDIR/build/SUB. */
static inline void t_db_plugin_dir(char *out, size_t size, const char *sub,
				   const char *file)
{
	char dir[PATH_MAX], path[PATH_MAX + 128];
	const char *src = getenv("BKGEN_SRCDIR");
	int n;

	t_db_exe_dir(dir, sizeof(dir));
	n = snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, file);
	cr_assert_lt((size_t)n, sizeof(path));
	if (access(path, F_OK) == 0 || !src)
		n = snprintf(out, size, "%s/%s", dir, sub);
	else
		n = snprintf(out, size, "%s/build/%s", src, sub);
	cr_assert_lt((size_t)n, size);
}

static inline void t_db_load(struct bk_db_plugin *p)
{
	char dir[PATH_MAX];
	struct bk_err err = { 0 };

	t_db_plugin_dir(dir, sizeof(dir), "plugins", "bkgen-db-postgres.so");
	cr_assert_eq(bk_db_plugin_load(p, "postgres", dir, &err), 0, "%s", err.msg);
}

/* The shared cluster's conninfo; fails the test when it did not start. */
static inline const char *t_db_conninfo(void)
{
	const char *ci = getenv(T_PG_CONNINFO);

	if (!ci)
		cr_assert_fail("no test cluster: %s", getenv(T_PG_ERROR) ? getenv(T_PG_ERROR)
			 : "the PRE_ALL hook did not run");
	return ci;
}

static inline struct bk_db *t_db_connect(const struct bk_db_plugin *p, const char *ci)
{
	struct bk_db_error e;
	struct bk_db *db = NULL;

	cr_assert_eq(p->vt->connect(&db, ci, 10, &e), 0, "%s", e.message);
	return db;
}

#endif
