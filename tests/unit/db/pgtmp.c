/*
 * Throwaway clusters (analyzers/explain/pgtmp.c): these tests start their own,
 * since they stop or orphan them.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "dbtest.h"

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void record(void *ctx, const char *what)
{
	char *seen = ctx;
	size_t len = strlen(seen);

	snprintf(seen + len, 64 - len, "%s ", what);
}

static void start(struct bk_pgtmp *t)
{
	char seen[64] = "";
	struct bk_pgtmp_opts o = { .progress = record, .progress_ctx = seen };
	struct bk_err err = { 0 };

	cr_assert_eq(bk_pgtmp_start(t, &o, &err), 0, "%s", err.msg);
	cr_assert_str_eq(seen, "initdb starting ready ");
}

/* Gone, or a zombie that nobody reaps (a container without init). */
static int gone(pid_t pid)
{
	char path[64], buf[256] = "";
	FILE *f;
	const char *paren;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

Test(pgtmp, finds_a_server_directory)
{
	struct bk_err err = { 0 };
	char *dir = bk_pgtmp_find_bindir(&err);
	char path[PATH_MAX];

	cr_assert(dir, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/initdb", dir);
	cr_assert_eq(access(path, X_OK), 0, "%s", path);
	free(dir);
}

Test(pgtmp, bad_bindir_variable_is_an_error)
{
	struct bk_err err = { 0 };

	setenv("BKGEN_PG_BINDIR", "/nonexistent-bkgen", 1);
	cr_assert_null(bk_pgtmp_find_bindir(&err));
	cr_assert_eq(err.code, BK_EIO);
	cr_assert(strstr(err.msg, "/nonexistent-bkgen"), "%s", err.msg);
	unsetenv("BKGEN_PG_BINDIR");
}

Test(pgtmp, start_then_stop_removes_everything, .timeout = 60)
{
	struct bk_pgtmp t;
	char dir[PATH_MAX], sock[PATH_MAX + 32];
	pid_t pm;

	start(&t);
	snprintf(dir, sizeof(dir), "%s", t.dir);
	snprintf(sock, sizeof(sock), "%s/.s.PGSQL.%d", t.dir, t.port);
	cr_assert(exists(sock));
	cr_assert(strstr(t.conninfo, "host=") && strstr(t.conninfo, "user=bkgen"));
	pm = t.postmaster;
	bk_pgtmp_stop(&t);
	cr_assert_not(exists(dir), "%s still exists", dir);
	cr_assert(gone(pm));
	cr_assert_null(t.dir);
	bk_pgtmp_stop(&t);
}

Test(pgtmp, failing_settings_report_the_log, .timeout = 60)
{
	const char *settings[] = { "no_such_setting_bkgen=1" };
	struct bk_pgtmp_opts o = { .settings = settings, .settings_nr = 1 };
	struct bk_pgtmp t;
	struct bk_err err = { 0 };

	cr_assert_neq(bk_pgtmp_start(&t, &o, &err), 0);
	cr_assert(strstr(err.msg, "no_such_setting_bkgen"), "%s", err.msg);
	cr_assert_null(t.dir);
}

Test(pgtmp, server_gone_gives_minus_one, .timeout = 60)
{
	struct bk_db_plugin p;
	struct bk_pgtmp t;
	struct bk_db_explain req = { .sql = "SELECT 1" };
	struct bk_db_error e;
	struct bk_db *db;
	char *json = NULL;

	start(&t);
	t_db_load(&p);
	db = t_db_connect(&p, t.conninfo);
	cr_assert_eq(p.vt->explain(db, &req, &json, &e), 0, "%s", e.message);
	p.vt->free_mem(json);
	json = NULL;
	bk_pgtmp_stop(&t);
	cr_assert_eq(p.vt->explain(db, &req, &json, &e), -1);
	cr_assert_null(json);
	cr_assert(e.message[0]);
	cr_assert_eq(p.vt->explain(db, &req, &json, &e), -1);
	p.vt->close(db);
	bk_db_plugin_unload(&p);
}

/* A child starts a cluster and dies by sig (0: _exit); the janitor cleans. */
static void orphan_cluster(int sig)
{
	char dir[PATH_MAX] = "";
	int fds[2], status, pm = 0, off = 0;
	ssize_t n;
	pid_t child;

	cr_assert_eq(pipe(fds), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		struct bk_pgtmp t;
		struct bk_pgtmp_opts o = { 0 };
		struct bk_err err = { 0 };

		close(fds[0]);
		if (bk_pgtmp_start(&t, &o, &err) == 0 &&
		    dprintf(fds[1], "%d %s", (int)t.postmaster, t.dir) > 0 && sig)
			raise(sig);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], dir, sizeof(dir) - 1);
	close(fds[0]);
	cr_assert_gt(n, 0, "the child could not start a cluster");
	dir[n] = '\0';
	cr_assert_eq(sscanf(dir, "%d %n", &pm, &off), 1);
	memmove(dir, dir + off, strlen(dir + off) + 1);
	cr_assert(pm > 0 && !gone(pm));
	waitpid(child, &status, 0);
	for (int i = 0; i < 400 && (exists(dir) || !gone(pm)); i++)
		nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
	cr_assert_not(exists(dir), "the janitor left %s", dir);
	cr_assert(gone(pm), "the postmaster %d survived", pm);
}

Test(pgtmp, janitor_cleans_up_after_exit, .timeout = 60)
{
	orphan_cluster(0);
}

Test(pgtmp, janitor_cleans_up_after_sigkill, .timeout = 60)
{
	orphan_cluster(SIGKILL);
}

Test(pgtmp, shutdown_during_a_query_gives_minus_one, .timeout = 60)
{
	struct bk_db_plugin p;
	struct bk_pgtmp t;
	struct bk_db_explain req = { .sql = "SELECT pg_sleep(20)", .flags = BK_DB_ANALYZE };
	struct bk_db_error e;
	struct bk_db *db;
	char *json = NULL;
	time_t began;
	pid_t killer;

	start(&t);
	t_db_load(&p);
	db = t_db_connect(&p, t.conninfo);
	killer = fork();
	cr_assert_geq(killer, 0);
	if (killer == 0) {
		nanosleep(&(struct timespec){ 0, 300000000L }, NULL);
		kill(t.postmaster, SIGINT);
		_exit(0);
	}
	began = time(NULL);
	cr_assert_eq(p.vt->explain(db, &req, &json, &e), -1, "%s", e.message);
	cr_assert_lt(time(NULL) - began, 10);
	cr_assert_null(json);
	waitpid(killer, NULL, 0);
	p.vt->close(db);
	bk_db_plugin_unload(&p);
	bk_pgtmp_stop(&t);
}
