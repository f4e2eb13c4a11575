/*
 * The file walker: turns the paths on the command line into the list of
 * files to check. Inside a git repository it honours .gitignore and
 * .git/info/exclude (libgit2; the handle never leaves walk.c); it always
 * honours the include/exclude globs. Symbolic links are followed; a
 * directory already on the way down (same device + inode) is a loop and is
 * not entered again, and a file reached under two names is listed once.
 * Files whose extension no language claims are not listed at all.
 */
#ifndef BK_WALK_H
#define BK_WALK_H

#include <stddef.h>
#include "base/err.h"
#include "base/report.h"

struct bk_walk_opts {
	const char *const *include;   /* globs; empty: everything */
	size_t include_nr;
	const char *const *exclude;   /* globs */
	size_t exclude_nr;
	int no_git;                   /* do not consult git ignore files */
	/* Does this path belong to a language? (ext table); NULL: all. */
	int (*wanted)(const char *path, void *data);
	void *wanted_data;
};

struct bk_file_list {
	char **paths;                 /* sorted, unique */
	size_t nr, alloc;
};

/*
 * Walk paths (files or directories; none means "."). Listed paths start
 * with the argument as given, without "./" (absolute stays absolute).
 * A file or directory named here is taken even when git ignores it (what
 * lies below is then not filtered by git); the globs always apply. Globs
 * are matched against the path relative to the argument and relative to
 * the cwd; a directory an exclude glob matches is not entered, and a
 * directory an include glob matches includes everything below it.
 *
 * A path that does not exist is an error (BK_EUSAGE); libgit2 failures
 * are BK_EIO. Recorded as skips in report (may be NULL): unreadable
 * directories (is_error), symlink loops, dangling symbolic links.
 * *out is initialised here; it is empty after an error.
 */
int bk_walk(struct bk_file_list *out, const char *const *paths, size_t nr,
	    const struct bk_walk_opts *opts, struct bk_report *report,
	    struct bk_err *err);
void bk_file_list_release(struct bk_file_list *l);

#endif
