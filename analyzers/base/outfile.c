/*
 * Output files (outfile.h). The temporary files alive at a time are kept
 * in a small static table so that a signal handler, which can reach
 * nothing else, may remove them: the one piece of global state here. The
 * handler is installed only for signals whose action is the default (to
 * die): an ignored signal or someone else's handler is left alone.
 */
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/util.h"

#define CLEANUP_SLOTS 4

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGNALS (sizeof(cleanup_signals) / sizeof(*cleanup_signals))

static char cleanup_path[CLEANUP_SLOTS][PATH_MAX];
static volatile sig_atomic_t cleanup_used[CLEANUP_SLOTS];
static struct sigaction saved_action[NSIGNALS];
static int handled[NSIGNALS];
static int live;

static void on_signal(int sig)
{
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (cleanup_used[i])
			unlink(cleanup_path[i]);
	for (size_t k = 0; k < NSIGNALS; k++)
		if (cleanup_signals[k] == sig)
			sigaction(sig, &saved_action[k], NULL);
	raise(sig); /* blocked until we return, then the default action */
}

static void handlers_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t k = 0; k < NSIGNALS; k++) {
		sigaction(cleanup_signals[k], NULL, &saved_action[k]);
		handled[k] = !(saved_action[k].sa_flags & SA_SIGINFO) &&
			     saved_action[k].sa_handler == SIG_DFL;
		if (handled[k])
			sigaction(cleanup_signals[k], &sa, NULL);
	}
}

static void handlers_restore(void)
{
	for (size_t k = 0; k < NSIGNALS; k++)
		if (handled[k])
			sigaction(cleanup_signals[k], &saved_action[k], NULL);
}

/* Register a temporary file for removal on a signal; its slot or -1. */
static int cleanup_add(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return -1;
	for (int i = 0; i < CLEANUP_SLOTS; i++) {
		if (cleanup_used[i])
			continue;
		memcpy(cleanup_path[i], path, strlen(path) + 1);
		if (!live++)
			handlers_install();
		cleanup_used[i] = 1;
		return i;
	}
	return -1;
}

static void cleanup_drop(int slot)
{
	if (slot < 0)
		return;
	cleanup_used[slot] = 0;
	if (!--live)
		handlers_restore();
}

static int fail(struct bk_outfile *of, const char *why, struct bk_err *err)
{
	int rc = bk_err_set(err, BK_EIO, "cannot write '%s': %s", of->path, why);
	bk_outfile_abort(of);
	return rc;
}

/* A temporary file next to target, with the mode the result should have. */
static int open_temp(struct bk_outfile *of, mode_t mode, struct bk_err *err)
{
	struct bk_buf tmp = BK_BUF_INIT;
	int fd;

	sigset_t block, old;

	/* no signal between creating the file and knowing to remove it */
	sigemptyset(&block);
	for (size_t k = 0; k < NSIGNALS; k++)
		sigaddset(&block, cleanup_signals[k]);
	sigprocmask(SIG_BLOCK, &block, &old);
	bk_buf_printf(&tmp, "%s.tmp.XXXXXX", of->target);
	if ((fd = mkstemp(tmp.ptr)) >= 0) {
		of->tmp = bk_buf_detach(&tmp);
		of->slot = cleanup_add(of->tmp);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		int saved = errno;
		bk_buf_release(&tmp);
		return fail(of, strerror(saved), err);
	}
	if (fchmod(fd, mode) || !(of->fp = fdopen(fd, "w"))) {
		int saved = errno;
		close(fd);
		return fail(of, strerror(saved), err);
	}
	return 0;
}

static int write_through(struct bk_outfile *of, struct bk_err *err)
{
	int fd = open(of->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail(of, strerror(errno), err);
	if (!(of->fp = fdopen(fd, "w"))) {
		int saved = errno;
		close(fd);
		return fail(of, strerror(saved), err);
	}
	return 0;
}

int bk_outfile_open(struct bk_outfile *of, const char *path, struct bk_err *err)
{
	struct stat st, lst;
	mode_t mask = umask(0);

	umask(mask);
	memset(of, 0, sizeof(*of));
	of->slot = -1;
	of->path = bk_xstrdup(path);
	if (stat(path, &st)) {
		if (errno != ENOENT)
			return fail(of, strerror(errno), err);
		if (!lstat(path, &lst) && S_ISLNK(lst.st_mode))
			return fail(of, "a symbolic link to a file that does not exist", err);
		of->target = bk_xstrdup(path);
		return open_temp(of, 0666 & ~mask, err);
	}
	if (S_ISDIR(st.st_mode))
		return fail(of, "it is a directory", err);
	if (!S_ISREG(st.st_mode))
		return write_through(of, err);
	of->target = (!lstat(path, &lst) && S_ISLNK(lst.st_mode)) ? realpath(path, NULL)
								   : bk_xstrdup(path);
	if (!of->target)
		return fail(of, strerror(errno), err);
	return open_temp(of, st.st_mode & 07777, err);
}

int bk_outfile_commit(struct bk_outfile *of, struct bk_err *err)
{
	int bad = ferror(of->fp);
	int saved = errno;

	if (fclose(of->fp))
		bad = 1, saved = errno;
	of->fp = NULL;
	if (!bad && of->tmp && rename(of->tmp, of->target))
		bad = 1, saved = errno;
	if (bad)
		return fail(of, strerror(saved ? saved : EIO), err);
	cleanup_drop(of->slot);
	of->slot = -1;
	free(of->tmp);
	of->tmp = NULL;
	bk_outfile_abort(of);
	return 0;
}

void bk_outfile_abort(struct bk_outfile *of)
{
	if (of->fp)
		fclose(of->fp);
	if (of->tmp)
		unlink(of->tmp);
	cleanup_drop(of->slot);
	free(of->tmp);
	free(of->target);
	free(of->path);
	memset(of, 0, sizeof(*of));
	of->slot = -1;
}
