/*
 * What git says changed: the files to lint for --staged, --changed and
 * --since, the staged content of each (read from the index, not the work
 * tree), and the added or modified line ranges for --new-only. The
 * repository is opened through base/git.h; diff handles never leave
 * gitdiff.c.
 */
#ifndef BK_GITDIFF_H
#define BK_GITDIFF_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/util.h"

enum bk_gitdiff_mode {
	BK_GITDIFF_STAGED,   /* HEAD -> index; content from the index */
	BK_GITDIFF_CHANGED,  /* HEAD -> work tree, plus untracked-not-ignored */
	BK_GITDIFF_SINCE,    /* REV's tree -> work tree, plus untracked */
};

struct bk_line_range {
	uint32_t first, last;       /* 0-based, inclusive */
};

struct bk_changed_file {
	char *path;                 /* relative to the cwd */
	char *content;              /* staged blob (--staged), else NULL: read the disk */
	size_t len;
	int all_new;                /* added, untracked, or no base to compare with */
	struct bk_line_range *ranges; /* added lines, in order (want_lines only) */
	size_t ranges_nr, ranges_alloc;
};

struct bk_changes {
	struct bk_changed_file *files; /* sorted by path */
	size_t nr, alloc;
};

/*
 * List the changed files (deletions left out) of the repository holding
 * the cwd. rev is for BK_GITDIFF_SINCE. With want_lines, the added line
 * ranges are worked out too. Not a repository, or an unknown rev: BK_EUSAGE;
 * libgit2 failures: BK_EIO. *out is initialised here; release it.
 */
int bk_gitdiff_list(struct bk_changes *out, enum bk_gitdiff_mode mode,
		    const char *rev, int want_lines, struct bk_err *err);
void bk_changes_release(struct bk_changes *c);
/* The entry for path (as listed), or NULL. Borrowed. */
const struct bk_changed_file *bk_changes_find(const struct bk_changes *c,
					      const char *path);
/* Is line (0-based) of f added or modified? */
int bk_changed_line_is_new(const struct bk_changed_file *f, uint32_t line);

#endif
