/*
 * bkgen hook install [--force] | uninstall: the git pre-commit hook that
 * runs `bkgen check --staged --new-only`.
 *
 * The hooks directory comes from libgit2 (gitdiff.c), so core.hooksPath is
 * honoured. The hook runs the bkgen on PATH and falls back to the absolute
 * path of the binary that installed it. A marker comment identifies hooks
 * bkgen wrote: install will not overwrite any other hook without --force,
 * and uninstall removes only a hook carrying the marker.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "base/git.h"
#include "setup.h"
#include "base/util.h"

#define HOOK_MARKER "# bkgen-managed-hook: pre-commit"

static const struct bk_opt opt_force =
	{ "force", 0, BK_OPT_FLAG, NULL, NULL, "install: replace a pre-commit hook that bkgen did not write" };

static const struct bk_opt *const hook_opts[] = { &opt_force, &bk_opt_help, NULL };

static int hook_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_hook = {
	.name = "hook",
	.usage = "install [--force] | uninstall",
	.summary = "install or remove the git pre-commit hook",
	.description =
	  "Writes a pre-commit hook that runs `bkgen check --staged --new-only` into\n"
	  "the repository's hooks directory (core.hooksPath is honoured), or removes it.\n"
	  "A hook bkgen did not write is replaced only with --force, and never removed.\n"
	  "Exit status: 0 done, 2 usage error, not a repository or a foreign hook,\n"
	  "3 runtime failure.",
	.opts = hook_opts,
	.run = hook_run,
};

/* Single-quote s for sh. */
static void sh_quote(struct bk_buf *b, const char *s)
{
	bk_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			bk_buf_puts(b, "'\\''");
		else
			bk_buf_putc(b, *s);
	}
	bk_buf_putc(b, '\'');
}

/* 1: the file exists and bkgen wrote it; 0: exists, foreign; -1: absent. */
static int hook_is_ours(const char *path)
{
	struct bk_buf text = BK_BUF_INIT;
	int rc;
	if (bk_read_file(&text, path) < 0)
		rc = errno == ENOENT ? -1 : 0;
	else
		rc = strstr(text.ptr, HOOK_MARKER) != NULL;
	bk_buf_release(&text);
	return rc;
}

static int mkdirs(const char *dir)
{
	char *d = bk_xstrdup(dir);
	int rc = 0;
	for (char *p = d + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0777) && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (!rc && mkdir(d, 0777) && errno != EEXIST)
		rc = -1;
	free(d);
	return rc;
}

static int hook_install(const char *dir, const char *path, int force, struct bk_err *err)
{
	struct bk_buf script = BK_BUF_INIT, tmp = BK_BUF_INIT;
	char *self = realpath("/proc/self/exe", NULL);
	int fd, rc = 0;

	if (hook_is_ours(path) == 0 && !force) {
		rc = bk_err_set(err, BK_EUSAGE, "'%s' exists and was not written by bkgen; "
				"add 'bkgen check --staged --new-only' to it, or replace it with 'bkgen hook install --force'",
				path);
		goto out;
	}
	bk_buf_puts(&script, "#!/bin/sh\n" HOOK_MARKER "\n"
		    "# Written by 'bkgen hook install'; 'bkgen hook uninstall' removes it.\n"
		    "if command -v bkgen >/dev/null 2>&1; then\n"
		    "\texec bkgen check --staged --new-only\n"
		    "fi\n"
		    "exec ");
	sh_quote(&script, self ? self : "bkgen");
	bk_buf_puts(&script, " check --staged --new-only\n");
	if (mkdirs(dir)) {
		rc = bk_err_set(err, BK_EIO, "cannot create the hooks directory '%s': %s", dir, strerror(errno));
		goto out;
	}
	bk_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC, 0755)) < 0) {
		rc = bk_err_set(err, BK_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto out;
	}
	int bad = write(fd, script.ptr, script.len) != (ssize_t)script.len;
	bad |= fchmod(fd, 0755) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp.ptr, path)) {
		rc = bk_err_set(err, BK_EIO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp.ptr);
		goto out;
	}
	printf("installed the pre-commit hook %s\n", path);
out:
	free(self);
	bk_buf_release(&tmp);
	bk_buf_release(&script);
	return rc;
}

static int hook_uninstall(const char *path, struct bk_err *err)
{
	int ours = hook_is_ours(path);
	if (ours < 0) {
		printf("no pre-commit hook at %s\n", path);
		return 0;
	}
	if (!ours)
		return bk_err_set(err, BK_EUSAGE, "'%s' was not written by bkgen; left it alone (remove it by hand if you mean to)", path);
	if (unlink(path))
		return bk_err_set(err, BK_EIO, "cannot remove '%s': %s", path, strerror(errno));
	printf("removed the pre-commit hook %s\n", path);
	return 0;
}

static int hook_run(struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_args *args = &cli->args;
	const char *action = args->pos_nr ? args->pos[0] : "";
	struct bk_buf path = BK_BUF_INIT;
	char *dir = NULL;
	int rc;

	if (args->pos_nr > 1)
		return bk_cli_usage_error(cli, err, "too many arguments");
	if (!args->pos_nr)
		return bk_cli_usage_error(cli, err, "missing action (install or uninstall)");
	if (strcmp(action, "install") && strcmp(action, "uninstall"))
		return bk_cli_usage_error(cli, err, "unknown action '%s' (install or uninstall)", action);
	if (!(rc = bk_git_hooks_dir(&dir, err))) {
		bk_buf_printf(&path, "%s/pre-commit", dir);
		rc = !strcmp(action, "install")
			? hook_install(dir, path.ptr, bk_args_flag(args, &opt_force), err)
			: hook_uninstall(path.ptr, err);
	}
	free(dir);
	bk_buf_release(&path);
	return rc;
}
