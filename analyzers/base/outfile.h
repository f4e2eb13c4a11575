/*
 * Files bkgen writes its reports and baselines to.
 *
 * A regular file, or one that does not exist yet, is written to a
 * temporary sibling that is renamed into place on commit, so a reader
 * never sees half of it and a failed write leaves the old one intact; a
 * symbolic link to a regular file keeps pointing at the new contents.
 * Anything else (a FIFO, a terminal, /dev/stdout, /dev/null) is written
 * through: replacing it would destroy it. A dangling symbolic link or a
 * directory is an error. The temporary file is removed on abort, and on
 * SIGINT, SIGTERM or SIGHUP while it exists (the signal then does what it
 * did before).
 */
#ifndef BK_OUTFILE_H
#define BK_OUTFILE_H

#include <stdio.h>
#include "base/err.h"

struct bk_outfile {
	FILE *fp;       /* write here */
	char *path;     /* as given */
	char *target;   /* what is replaced (a symbolic link's target) */
	char *tmp;      /* NULL when written through */
	int slot;       /* in the signal-time cleanup list, or -1 */
};

/* Open path for writing; BK_EIO with "cannot write 'path': why" on failure. */
int bk_outfile_open(struct bk_outfile *of, const char *path, struct bk_err *err);
/* Flush, close and rename into place; on failure nothing is replaced. */
int bk_outfile_commit(struct bk_outfile *of, struct bk_err *err);
/* Close and remove the temporary file; a no-op after commit. */
void bk_outfile_abort(struct bk_outfile *of);

#endif
