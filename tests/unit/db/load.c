/* Loading database plugins (analyzers/explain/plugin-load.c). */
#include <dlfcn.h>
#include <jansson.h>
#include "dbtest.h"

Test(dbload, loads_the_postgres_plugin)
{
	struct bk_db_plugin p;

	t_db_load(&p);
	cr_assert_eq(p.vt->abi, BK_DB_ABI_VERSION);
	cr_assert_str_eq(p.vt->name, "postgres");
	cr_assert(strstr(p.path, "/bkgen-db-postgres.so"));
	bk_db_plugin_unload(&p);
	cr_assert_null(p.handle);
	bk_db_plugin_unload(&p);
}

Test(dbload, missing_plugin_lists_the_directory)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };

	cr_assert_eq(bk_db_plugin_load(&p, "postgres", "/nonexistent-bkgen", &err), BK_EIO);
	cr_assert_str_eq(err.msg, "database plugin 'postgres' not found (looked in: "
			 "/nonexistent-bkgen); build it with 'make' or pass --plugin-dir");
	cr_assert_null(p.handle);
}

Test(dbload, default_search_lists_every_directory)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };
	char dir[PATH_MAX], want[2 * PATH_MAX + 64];

	unsetenv("BKGEN_PLUGIN_DIR");
	t_db_exe_dir(dir, sizeof(dir));
	cr_assert_eq(bk_db_plugin_load(&p, "nosuch", NULL, &err), BK_EIO);
	snprintf(want, sizeof(want), "(looked in: %s/plugins, %s/../lib/bkgen/plugins, ",
		 dir, dir);
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	cr_assert(strstr(err.msg, "lib/bkgen/plugins)"), "%s", err.msg);
}

Test(dbload, environment_overrides_the_search)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };

	setenv("BKGEN_PLUGIN_DIR", "/nonexistent-env", 1);
	cr_assert_eq(bk_db_plugin_load(&p, "postgres", NULL, &err), BK_EIO);
	cr_assert(strstr(err.msg, "(looked in: /nonexistent-env)"), "%s", err.msg);
	unsetenv("BKGEN_PLUGIN_DIR");
}

Test(dbload, refuses_another_abi)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };
	char dir[PATH_MAX];

	t_db_plugin_dir(dir, sizeof(dir), "plugins-test", "bkgen-db-badabi.so");
	cr_assert_eq(bk_db_plugin_load(&p, "badabi", dir, &err), BK_EIO);
	cr_assert(strstr(err.msg, "was built for ABI 999, this bkgen speaks ABI 1; "
			 "rebuild it"), "%s", err.msg);
	cr_assert_null(p.handle);
}

static char *scratch_dir(void)
{
	char *dir = strdup("/tmp/bkgen-dbload-XXXXXX");

	cr_assert(mkdtemp(dir));
	return dir;
}

static void scratch_plugin(const char *dir, const char *name, const char *target,
			   const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/bkgen-db-%s.so", dir, name);
	if (target) {
		cr_assert_eq(symlink(target, path), 0);
		return;
	}
	f = fopen(path, "w");
	cr_assert(f);
	fputs(content, f);
	fclose(f);
}

static void scratch_remove(char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bkgen-db-%s.so", dir, name);
	unlink(path);
	rmdir(dir);
	free(dir);
}

Test(dbload, broken_shared_object_reports_dlerror)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };
	char *dir = scratch_dir();

	scratch_plugin(dir, "junk", NULL, "not an ELF file\n");
	cr_assert_eq(bk_db_plugin_load(&p, "junk", dir, &err), BK_EIO);
	cr_assert(strstr(err.msg, "cannot load database plugin 'junk': "), "%s", err.msg);
	cr_assert(strstr(err.msg, "bkgen-db-junk.so"), "%s", err.msg);
	scratch_remove(dir, "junk");
}

Test(dbload, shared_object_without_entry_point_is_refused)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };
	char *dir = scratch_dir();
	Dl_info info;

	/*
	 * Any shared library will do; not libc's dlopen, which clang's ASan
	 * intercepts in the test binary itself.
	 */
	cr_assert(dladdr((void *)json_object, &info) && info.dli_fname);
	scratch_plugin(dir, "nosym", info.dli_fname, NULL);
	cr_assert_eq(bk_db_plugin_load(&p, "nosym", dir, &err), BK_EIO);
	cr_assert(strstr(err.msg, "does not export 'bkgen_db_plugin'"), "%s", err.msg);
	scratch_remove(dir, "nosym");
}

Test(dbload, refuses_names_that_are_paths)
{
	struct bk_db_plugin p;
	struct bk_err err = { 0 };

	cr_assert_eq(bk_db_plugin_load(&p, "../postgres", "/tmp", &err), BK_EIO);
	cr_assert(strstr(err.msg, "invalid database plugin name"), "%s", err.msg);
}
