/*
 * The libgit2 adapter every git user shares: the walker (ignore rules),
 * check's diffs (--staged, --changed, --since), `bkgen new` (first commit,
 * which template files git ignores) and `bkgen hook` (hooks directory).
 * libgit2 is initialised once per process and shut down at exit; every
 * libgit2 failure becomes one kind of message, "git: cannot WHAT 'WHERE':
 * libgit2's reason". Modules with a git job of their own (diffs, commits)
 * include <git2.h> for it and take these helpers for the rest.
 */
#ifndef BK_GIT_H
#define BK_GIT_H

#include "base/err.h"

struct git_repository;

/* Initialise libgit2 once (thread-safe); BK_EIO if it cannot be. */
int bk_git_init(struct bk_err *err);

/*
 * Turn libgit2's last error into err (BK_EIO): "git: cannot WHAT 'WHERE':
 * reason", or without "'WHERE'" when where is NULL. Returns the code.
 */
int bk_err_from_git(struct bk_err *err, const char *what, const char *where);

enum bk_git_open_flags {
	BK_GIT_SEARCH = 1,      /* look in the parent directories too */
	BK_GIT_NEED_WORKDIR = 2 /* a bare repository is an error */
};

/*
 * Open the repository at dir. Not a repository (nor any parent with
 * BK_GIT_SEARCH): returns 1, *out NULL, err untouched. Errors: BK_EIO, or
 * BK_EUSAGE for a bare repository with BK_GIT_NEED_WORKDIR. Free *out
 * with bk_git_close().
 */
int bk_git_open(struct git_repository **out, const char *dir, int flags,
		struct bk_err *err);
void bk_git_close(struct git_repository *repo);

/*
 * The hooks directory of the repository holding the cwd (core.hooksPath
 * honoured), without a trailing '/'. Not in a repository: BK_EUSAGE.
 */
int bk_git_hooks_dir(char **out, struct bk_err *err);

/*
 * Which paths under dir git ignores, when dir lies in a work tree
 * (tracked files never count as ignored). Outside a work tree *out is
 * NULL and nothing is ignored; bk_git_ignore_has(NULL, ...) is 0.
 */
struct bk_git_ignore;
int bk_git_ignore_open(struct bk_git_ignore **out, const char *dir);
int bk_git_ignore_has(const struct bk_git_ignore *ig, const char *rel, int is_dir);
void bk_git_ignore_free(struct bk_git_ignore *ig);

#endif
