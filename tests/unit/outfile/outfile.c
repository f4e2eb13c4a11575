/*
 * Output files: replaced atomically when regular, written through when
 * not, and no temporary file left behind by a failure or a signal.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/outfile.h"
#include "base/util.h"
#include "../support/support.h"

static char *join(const char *dir, const char *name)
{
	struct bk_buf b = BK_BUF_INIT;
	bk_buf_printf(&b, "%s/%s", dir, name);
	return bk_buf_detach(&b);
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	cr_assert(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static void write_text(const char *path, const char *text)
{
	struct bk_outfile of;
	struct bk_err err = { 0 };
	cr_assert_eq(bk_outfile_open(&of, path, &err), 0, "%s", err.msg);
	fputs(text, of.fp);
	cr_assert_eq(bk_outfile_commit(&of, &err), 0, "%s", err.msg);
}

static char *read_text(const char *path)
{
	struct bk_buf b = BK_BUF_INIT;
	cr_assert_eq(bk_read_file(&b, path), 0, "%s", path);
	return bk_buf_detach(&b);
}

Test(outfile, regular_file_is_replaced_keeping_its_mode)
{
	char *dir = t_tmpdir(), *path = join(dir, "r.txt"), *text;
	struct stat st;

	t_write(dir, "r.txt", "old\n");
	cr_assert_eq(chmod(path, 0640), 0);
	write_text(path, "new\n");
	cr_assert_str_eq(text = read_text(path), "new\n");
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640);
	cr_assert_eq(entries(dir), 1, "a temporary file was left");
	free(text);
	free(path);
	t_rmtree(dir);
	free(dir);
}

Test(outfile, symbolic_link_keeps_pointing_at_the_new_contents)
{
	char *dir = t_tmpdir(), *real = join(dir, "real.txt"), *link = join(dir, "link.txt");
	char *text;
	struct stat st;

	t_write(dir, "real.txt", "old\n");
	cr_assert_eq(symlink("real.txt", link), 0);
	write_text(link, "new\n");
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
	cr_assert_str_eq(text = read_text(real), "new\n");
	free(text);
	free(real);
	free(link);
	t_rmtree(dir);
	free(dir);
}

Test(outfile, fifo_is_written_through)
{
	char *dir = t_tmpdir(), *fifo = join(dir, "f");
	char buf[16] = { 0 };
	struct stat st;
	pid_t pid;
	int status;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	if (!(pid = fork())) {
		write_text(fifo, "through\n");
		_exit(0);
	}
	FILE *in = fopen(fifo, "r");
	cr_assert(in);
	cr_assert(fgets(buf, sizeof(buf), in));
	fclose(in);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status));
	cr_assert_str_eq(buf, "through\n");
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
	free(fifo);
	t_rmtree(dir);
	free(dir);
}

Test(outfile, device_is_written_through)
{
	/*
	 * As root, renaming over /dev/null made it a regular file. A null
	 * device of our own, so that a failure breaks nothing else.
	 */
	char *dir = t_tmpdir(), *dev = join(dir, "null");
	struct stat st;

	FILE *probe = NULL;
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) || !(probe = fopen(dev, "w"))) {
		free(dev);
		t_rmtree(dir);
		free(dir);
		cr_skip_test("cannot make or open a device node here (not root, or nodev)");
	}
	fclose(probe);
	write_text(dev, "nothing\n");
	cr_assert_eq(lstat(dev, &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "the device was replaced by a file");
	cr_assert_eq(entries(dir), 1);
	free(dev);
	t_rmtree(dir);
	free(dir);
}

Test(outfile, dangling_link_and_directory_are_errors)
{
	char *dir = t_tmpdir(), *link = join(dir, "dangling");
	struct bk_outfile of;
	struct bk_err err = { 0 };

	cr_assert_eq(symlink("nowhere", link), 0);
	cr_assert_eq(bk_outfile_open(&of, link, &err), BK_EIO);
	cr_assert(strstr(err.msg, "a symbolic link to a file that does not exist"), "%s", err.msg);
	cr_assert_eq(bk_outfile_open(&of, dir, &err), BK_EIO);
	cr_assert(strstr(err.msg, "it is a directory"), "%s", err.msg);
	cr_assert_eq(entries(dir), 1);
	free(link);
	t_rmtree(dir);
	free(dir);
}

Test(outfile, abort_leaves_the_old_file)
{
	char *dir = t_tmpdir(), *path = join(dir, "r.txt"), *text;
	struct bk_outfile of;
	struct bk_err err = { 0 };

	t_write(dir, "r.txt", "old\n");
	cr_assert_eq(bk_outfile_open(&of, path, &err), 0, "%s", err.msg);
	fputs("half of it", of.fp);
	cr_assert_eq(entries(dir), 2);
	bk_outfile_abort(&of);
	cr_assert_str_eq(text = read_text(path), "old\n");
	cr_assert_eq(entries(dir), 1);
	free(text);
	free(path);
	t_rmtree(dir);
	free(dir);
}

/* In a child: open path, write, raise sig; how the child ended. */
static int signalled_while_writing(const char *path, int sig, int ignore)
{
	int status;
	pid_t pid = fork();
	if (!pid) {
		struct bk_outfile of;
		struct bk_err err = { 0 };
		if (ignore)
			signal(sig, SIG_IGN);
		if (bk_outfile_open(&of, path, &err))
			_exit(9);
		fputs("half of it", of.fp);
		fflush(of.fp);
		raise(sig);
		_exit(0); /* only when the signal is ignored */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

Test(outfile, signal_removes_the_temporary_file)
{
	char *dir = t_tmpdir(), *path = join(dir, "r.txt"), *text;
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	t_write(dir, "r.txt", "old\n");
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		int status = signalled_while_writing(path, sigs[i], 0);
		cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i],
			  "signal %d: the child did not die by it (status %d)", sigs[i], status);
		cr_assert_eq(entries(dir), 1, "signal %d left a temporary file", sigs[i]);
	}
	cr_assert_str_eq(text = read_text(path), "old\n");
	/* an ignored signal stays ignored */
	int status = signalled_while_writing(path, SIGHUP, 1);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status), "status %d", status);
	free(text);
	free(path);
	t_rmtree(dir);
	free(dir);
}
