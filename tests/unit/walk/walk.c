/*
 * bk_walk against real directory trees and real git repositories (made with
 * libgit2) under a fresh mkdtemp directory, which is also the cwd.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/walk.h"
#include "base/util.h"

static char tmpdir[PATH_MAX];
static struct bk_file_list list;
static struct bk_report report;
static struct bk_err err;

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bkgen-walk-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	cr_assert_eq(chdir(tmpdir), 0);
	git_libgit2_init();
}

static void teardown(void)
{
	struct bk_buf cmd = BK_BUF_INIT;
	bk_file_list_release(&list);
	bk_report_release(&report);
	git_libgit2_shutdown();
	bk_buf_printf(&cmd, "chmod -R u+rwx %s; rm -rf %s", tmpdir, tmpdir);
	if (chdir("/") == 0)
		cr_expect_eq(system(cmd.ptr), 0);
	bk_buf_release(&cmd);
}

TestSuite(walk, .init = setup, .fini = teardown);

static void mkdirs(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		cr_assert(mkdir(buf, 0755) == 0 || errno == EEXIST, "mkdir %s", buf);
		*p = '/';
	}
}

static void write_file(const char *path, const char *text)
{
	mkdirs(path);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "cannot create %s", path);
	fputs(text, f);
	fclose(f);
}

static void make_symlink(const char *target, const char *path)
{
	mkdirs(path);
	cr_assert_eq(symlink(target, path), 0, "symlink %s", path);
}

static void git_init(const char *dir)
{
	git_repository *repo = NULL;
	cr_assert_eq(git_repository_init(&repo, dir, 0), 0, "git init %s", dir);
	git_repository_free(repo);
}

static void git_track(const char *path)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	cr_assert_eq(git_repository_open(&repo, "."), 0);
	cr_assert_eq(git_repository_index(&index, repo), 0);
	cr_assert_eq(git_index_add_bypath(index, path), 0, "git add %s", path);
	cr_assert_eq(git_index_write(index), 0);
	git_index_free(index);
	git_repository_free(repo);
}

static int walk_with(const struct bk_walk_opts *opts, const char *const *paths,
		     size_t nr)
{
	bk_file_list_release(&list);
	bk_report_release(&report);
	return bk_walk(&list, paths, nr, opts, &report, &err);
}

static int walk(const char *const *paths, size_t nr)
{
	static const struct bk_walk_opts plain;
	return walk_with(&plain, paths, nr);
}

#define WALK(...) \
	walk((const char *const[]){ __VA_ARGS__ }, \
	     sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *))

#define EXPECT_LIST(...) \
	expect_list((const char *const[]){ __VA_ARGS__ }, \
		    sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *))

static void expect_list(const char *const *want, size_t nr)
{
	for (size_t i = 0; i < list.nr && i < nr; i++)
		cr_expect_str_eq(list.paths[i], want[i], "entry %zu", i);
	cr_assert_eq(list.nr, nr, "listed %zu files, expected %zu (first: %s)",
		     list.nr, nr, list.nr ? list.paths[0] : "-");
}

static const struct bk_skip *find_skip(const char *path)
{
	for (size_t i = 0; i < report.skips_nr; i++)
		if (!strcmp(report.skips[i].path, path))
			return &report.skips[i];
	return NULL;
}

/* A repository with an ignored file, an ignored directory, a tracked
 * file in an ignored directory and an info/exclude entry. */
static void make_repo(void)
{
	git_init(".");
	write_file(".gitignore", "*.log\nbuild/\ndist/\n");
	write_file(".git/info/exclude", "secret.js\n");
	write_file("src/a.js", "a\n");
	write_file("src/lib/b.js", "b\n");
	write_file("debug.log", "x\n");
	write_file("build/out.js", "x\n");
	write_file("secret.js", "x\n");
	write_file("dist/keep.js", "x\n");
	write_file("dist/other.js", "x\n");
	git_track("dist/keep.js");
}

Test(walk, lists_files_outside_a_repository_sorted)
{
	write_file("z.js", "");
	write_file("src/b.js", "");
	write_file("src/a.js", "");
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("src/a.js", "src/b.js", "z.js");
}

Test(walk, no_paths_means_the_current_directory)
{
	write_file("a.js", "");
	cr_assert_eq(walk(NULL, 0), 0, "%s", err.msg);
	EXPECT_LIST("a.js");
}

Test(walk, paths_are_shown_as_given_without_dot_slash)
{
	write_file("src/lib/a.js", "");
	cr_assert_eq(WALK("./src//lib/"), 0, "%s", err.msg);
	EXPECT_LIST("src/lib/a.js");
	cr_assert_eq(chdir("src"), 0);
	cr_assert_eq(WALK("../src/lib"), 0, "%s", err.msg);
	EXPECT_LIST("../src/lib/a.js");
}

Test(walk, absolute_paths_stay_absolute)
{
	char want[PATH_MAX + 16];
	write_file("src/a.js", "");
	snprintf(want, sizeof(want), "%s/src/a.js", tmpdir);
	cr_assert_eq(WALK(tmpdir), 0, "%s", err.msg);
	EXPECT_LIST(want);
}

Test(walk, duplicates_are_listed_once)
{
	write_file("src/a.js", "");
	cr_assert_eq(WALK("src", "./src/a.js", "src/"), 0, "%s", err.msg);
	EXPECT_LIST("src/a.js");
}

Test(walk, honours_gitignore)
{
	make_repo();
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST(".gitignore", "dist/keep.js", "src/a.js", "src/lib/b.js");
}

Test(walk, honours_info_exclude)
{
	make_repo();
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	for (size_t i = 0; i < list.nr; i++)
		cr_expect_str_neq(list.paths[i], "secret.js");
}

Test(walk, keeps_tracked_files_that_an_ignore_pattern_matches)
{
	make_repo();
	cr_assert_eq(WALK("dist"), 0, "%s", err.msg);
	EXPECT_LIST("dist/keep.js", "dist/other.js");  /* named: walked whole */
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	cr_assert_eq(list.nr, 4);
	cr_expect_str_eq(list.paths[1], "dist/keep.js");
	cr_expect_str_eq(list.paths[2], "src/a.js");
}

Test(walk, honours_gitignore_from_a_subdirectory)
{
	make_repo();
	write_file("src/x.log", "");
	cr_assert_eq(chdir("src"), 0);
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("a.js", "lib/b.js");
	cr_assert_eq(WALK(".."), 0, "%s", err.msg);
	EXPECT_LIST("../.gitignore", "../dist/keep.js", "../src/a.js",
		    "../src/lib/b.js");
}

Test(walk, no_git_lists_ignored_files)
{
	struct bk_walk_opts opts = { .no_git = 1 };
	make_repo();
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "." }, 1), 0);
	EXPECT_LIST(".gitignore", "build/out.js", "debug.log", "dist/keep.js",
		    "dist/other.js", "secret.js", "src/a.js", "src/lib/b.js");
}

Test(walk, explicit_file_under_ignored_dir_is_listed)
{
	make_repo();
	cr_assert_eq(WALK("build/out.js", "debug.log"), 0, "%s", err.msg);
	EXPECT_LIST("build/out.js", "debug.log");
}

Test(walk, explicit_ignored_directory_is_walked)
{
	make_repo();
	write_file("build/sub/more.js", "");
	cr_assert_eq(WALK("build"), 0, "%s", err.msg);
	EXPECT_LIST("build/out.js", "build/sub/more.js");
}

Test(walk, nested_repository_uses_its_own_ignore_rules)
{
	make_repo();
	git_init("vendor/lib");
	write_file("vendor/lib/.gitignore", "gen.js\n");
	write_file("vendor/lib/gen.js", "");
	write_file("vendor/lib/lib.js", "");
	write_file("vendor/lib/x.log", "");
	cr_assert_eq(WALK("vendor"), 0, "%s", err.msg);
	/* the outer *.log rule stops at the repository boundary, as in git */
	EXPECT_LIST("vendor/lib/.gitignore", "vendor/lib/lib.js",
		    "vendor/lib/x.log");
}

Test(walk, repository_below_a_plain_directory_is_honoured)
{
	git_init("proj");
	write_file("proj/.gitignore", "out/\n");
	write_file("proj/out/a.js", "");
	write_file("proj/src/b.js", "");
	write_file("loose.js", "");
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("loose.js", "proj/.gitignore", "proj/src/b.js");
}

Test(walk, exclude_globs_match_root_and_cwd_relative_paths)
{
	const char *exclude[] = { "lib/**", "src/gen/*.js" };
	struct bk_walk_opts opts = { .exclude = exclude, .exclude_nr = 2 };
	write_file("src/a.js", "");
	write_file("src/lib/b.js", "");
	write_file("src/gen/c.js", "");
	write_file("src/gen/sub/d.js", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "src" }, 1), 0);
	EXPECT_LIST("src/a.js", "src/gen/sub/d.js");
}

Test(walk, excluded_directory_name_is_not_entered)
{
	const char *exclude[] = { "vendor" };
	struct bk_walk_opts opts = { .exclude = exclude, .exclude_nr = 1 };
	write_file("a.js", "");
	write_file("vendor/v.js", "");
	write_file("src/vendor/w.js", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "." }, 1), 0);
	EXPECT_LIST("a.js");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "vendor/v.js" }, 1), 0);
	expect_list(NULL, 0);
}

Test(walk, explicit_file_still_honours_excludes)
{
	const char *exclude[] = { "*.min.js" };
	struct bk_walk_opts opts = { .exclude = exclude, .exclude_nr = 1 };
	write_file("app.min.js", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "app.min.js" }, 1), 0);
	expect_list(NULL, 0);
}

Test(walk, include_globs_must_match)
{
	const char *include[] = { "*.ts", "lib" };
	struct bk_walk_opts opts = { .include = include, .include_nr = 2 };
	write_file("a.js", "");
	write_file("b.ts", "");
	write_file("src/c.ts", "");
	write_file("src/lib/d.js", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "." }, 1), 0);
	EXPECT_LIST("b.ts", "src/c.ts", "src/lib/d.js");
}

static int wants_js(const char *path, void *data)
{
	size_t n = strlen(path);
	++*(int *)data;
	return n > 3 && !strcmp(path + n - 3, ".js");
}

Test(walk, wanted_callback_filters_by_language)
{
	int calls = 0;
	struct bk_walk_opts opts = { .wanted = wants_js, .wanted_data = &calls };
	write_file("a.js", "");
	write_file("README.md", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "." }, 1), 0);
	EXPECT_LIST("a.js");
	cr_expect_eq(calls, 2);
}

Test(walk, files_of_unread_languages_are_counted_by_extension)
{
	int calls = 0;
	struct bk_walk_opts opts = { .wanted = wants_js, .wanted_data = &calls,
				     .exclude = (const char *const[]){ "old/" }, .exclude_nr = 1 };
	write_file("a.js", "");
	write_file("App.vue", "");
	write_file("src/Page.vue", "");
	write_file("src/Main.java", "");
	write_file("old/Legacy.vue", "");
	write_file("README.md", "");
	cr_assert_eq(walk_with(&opts, (const char *const[]){ "." }, 1), 0);
	EXPECT_LIST("a.js");
	cr_assert_eq(report.unsupported_nr, 2);
	for (size_t i = 0; i < report.unsupported_nr; i++) {
		if (!strcmp(report.unsupported[i].ext, ".vue"))
			cr_expect_eq(report.unsupported[i].n, 2, "excluded files do not count");
		else
			cr_expect_str_eq(report.unsupported[i].ext, ".java");
	}
}

Test(walk, missing_path_is_a_usage_error)
{
	write_file("a.js", "");
	cr_assert_eq(WALK("a.js", "nope"), BK_EUSAGE);
	cr_expect_str_eq(err.msg, "path 'nope' does not exist");
	cr_expect_eq(list.nr, 0);
}

Test(walk, follows_symlinked_files_and_directories)
{
	write_file("real/a.js", "");
	write_file("other/b.js", "");
	make_symlink("../real", "src/linked");
	make_symlink("../other/b.js", "src/b.js");
	cr_assert_eq(WALK("src"), 0, "%s", err.msg);
	EXPECT_LIST("src/b.js", "src/linked/a.js");
}

Test(walk, file_reached_under_two_names_is_listed_once)
{
	char abs[PATH_MAX + 16];
	write_file("a/x.js", "");
	write_file("a/y.js", "");
	cr_assert_eq(WALK("a/../a", "a"), 0, "%s", err.msg);
	EXPECT_LIST("a/x.js", "a/y.js");
	snprintf(abs, sizeof(abs), "%s/a/x.js", tmpdir);
	cr_assert_eq(WALK(abs, "a/x.js"), 0, "%s", err.msg);
	EXPECT_LIST("a/x.js");
	/* through symbolic links: the shortest name stays */
	make_symlink("a", "b");
	make_symlink("a/y.js", "z.js");
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("a/x.js", "z.js");
}

Test(walk, symlink_loop_is_skipped_not_followed)
{
	write_file("src/a.js", "");
	make_symlink("..", "src/lib/up");
	cr_assert_eq(WALK("src"), 0, "%s", err.msg);
	EXPECT_LIST("src/a.js");
	const struct bk_skip *s = find_skip("src/lib/up");
	cr_assert_not_null(s);
	cr_expect_eq(s->reason, BK_SKIP_SYMLINK_LOOP);
	cr_expect_str_eq(s->detail, "leads back to 'src'");
}

Test(walk, self_referencing_symlink_is_a_loop)
{
	make_symlink("a.js", "a.js");
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	expect_list(NULL, 0);
	cr_assert_eq(report.skips_nr, 1);
	cr_expect_eq(report.skips[0].reason, BK_SKIP_SYMLINK_LOOP);
}

Test(walk, dangling_symlink_is_skipped_as_unreadable)
{
	write_file("a.js", "");
	make_symlink("gone.js", "b.js");
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("a.js");
	const struct bk_skip *s = find_skip("b.js");
	cr_assert_not_null(s);
	cr_expect_eq(s->reason, BK_SKIP_UNREADABLE);
	cr_expect_str_eq(s->detail, "dangling symbolic link");
}

Test(walk, files_below_a_symlinked_directory_honour_gitignore)
{
	make_repo();
	write_file("real/c.js", "");
	write_file("real/c.log", "");
	make_symlink("../real", "src/linked");
	cr_assert_eq(WALK("src"), 0, "%s", err.msg);
	EXPECT_LIST("src/a.js", "src/lib/b.js", "src/linked/c.js");
}

Test(walk, report_may_be_null)
{
	static const struct bk_walk_opts plain;
	make_symlink("gone.js", "b.js");
	cr_assert_eq(bk_walk(&list, NULL, 0, &plain, NULL, &err), 0);
	expect_list(NULL, 0);
}

/* Root reads everything: become nobody, so that permissions count. */
static void drop_root(void)
{
	if (geteuid() != 0)
		return;
	struct bk_buf cmd = BK_BUF_INIT;
	bk_buf_printf(&cmd, "chown -R 65534:65534 %s", tmpdir);
	int failed = system(cmd.ptr) != 0 || setgroups(0, NULL) != 0 ||
		     setgid(65534) != 0 || setuid(65534) != 0;
	bk_buf_release(&cmd);
	if (failed)
		cr_skip_test("cannot drop root privileges");
	/* libgit2 reads ~/.gitconfig; root's home is closed to nobody */
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, tmpdir);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, tmpdir);
}

static void expect_unreadable(const char *path)
{
	const struct bk_skip *s = find_skip(path);
	cr_assert_not_null(s, "no skip for %s", path);
	cr_expect_eq(s->reason, BK_SKIP_UNREADABLE);
	cr_expect_str_eq(s->detail, strerror(EACCES));
	cr_expect_eq(s->is_error, 1);
}

Test(walk, unreadable_directory_is_skipped)
{
	write_file("a.js", "");
	write_file("locked/b.js", "");
	drop_root();
	cr_assert_eq(chmod("locked", 0), 0);
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST("a.js");
	expect_unreadable("locked");
}

Test(walk, unreadable_directory_in_a_repository_is_skipped)
{
	make_repo();
	write_file("locked/b.js", "");
	write_file("build/locked/c.js", "");
	drop_root();
	cr_assert_eq(chmod("locked", 0), 0);
	cr_assert_eq(chmod("build/locked", 0), 0);
	cr_assert_eq(WALK("."), 0, "%s", err.msg);
	EXPECT_LIST(".gitignore", "dist/keep.js", "src/a.js", "src/lib/b.js");
	expect_unreadable("locked");
	cr_expect_eq(report.skips_nr, 1);
}
