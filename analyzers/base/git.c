#include "base/git.h"

#include <git2.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static int git_init_rc;

static void git_shutdown(void)
{
	git_libgit2_shutdown();
}

static void git_init_once(void)
{
	git_init_rc = git_libgit2_init();
	if (git_init_rc >= 0)
		atexit(git_shutdown);
}

int bk_git_init(struct bk_err *err)
{
	pthread_once(&git_once, git_init_once);
	if (git_init_rc < 0)
		return bk_err_from_git(err, "initialise", "libgit2");
	return 0;
}

int bk_err_from_git(struct bk_err *err, const char *what, const char *where)
{
	const git_error *e = git_error_last();
	const char *why = e && e->message ? e->message : "unknown libgit2 error";
	if (where)
		return bk_err_set(err, BK_EIO, "git: cannot %s '%s': %s", what, where, why);
	return bk_err_set(err, BK_EIO, "git: cannot %s: %s", what, why);
}

int bk_git_open(struct git_repository **out, const char *dir, int flags,
		struct bk_err *err)
{
	*out = NULL;
	int rc = bk_git_init(err);
	if (rc)
		return rc;
	rc = git_repository_open_ext(out, dir,
				     flags & BK_GIT_SEARCH ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) {
		*out = NULL;
		return 1;
	}
	if (rc < 0) {
		*out = NULL;
		return bk_err_from_git(err, "open the git repository at", dir);
	}
	if ((flags & BK_GIT_NEED_WORKDIR) && !git_repository_workdir(*out)) {
		git_repository_free(*out);
		*out = NULL;
		return bk_err_set(err, BK_EUSAGE, "the git repository is bare: there is no work tree to check");
	}
	return 0;
}

void bk_git_close(struct git_repository *repo)
{
	git_repository_free(repo);
}

int bk_git_hooks_dir(char **out, struct bk_err *err)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	int rc;

	*out = NULL;
	rc = bk_git_open(&repo, ".", BK_GIT_SEARCH, err);
	if (rc == 1)
		return bk_err_set(err, BK_EUSAGE, "not a git repository (or any parent directory); run it inside the repository the hook is for");
	if (rc)
		return rc;
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		rc = bk_err_from_git(err, "read the configuration of", git_repository_path(repo));
		goto out;
	}
	rc = git_config_get_path(&buf, cfg, "core.hooksPath");
	if (rc == 0 && buf.ptr && *buf.ptr) {
		struct bk_buf b = BK_BUF_INIT;
		const char *base = git_repository_workdir(repo);
		if (buf.ptr[0] != '/')
			bk_buf_puts(&b, base ? base : git_repository_path(repo));
		bk_buf_puts(&b, buf.ptr);
		*out = bk_buf_detach(&b);
	} else {
		git_buf_dispose(&buf);
		if (git_repository_item_path(&buf, repo, GIT_REPOSITORY_ITEM_HOOKS) < 0) {
			rc = bk_err_from_git(err, "find the hooks directory of", git_repository_path(repo));
			goto out;
		}
		*out = bk_xstrdup(buf.ptr);
	}
	rc = 0;
	size_t n = strlen(*out);
	while (n > 1 && (*out)[n - 1] == '/')
		(*out)[--n] = '\0';
out:
	git_buf_dispose(&buf);
	git_config_free(cfg);
	bk_git_close(repo);
	return rc;
}

struct bk_git_ignore {
	git_repository *repo;
	git_index *index;
	char *prefix;            /* the template dir relative to the work tree, "" or "a/b/" */
};

int bk_git_ignore_open(struct bk_git_ignore **out, const char *dir)
{
	git_repository *repo = NULL;
	char abs[PATH_MAX], wd[PATH_MAX];
	const char *workdir;
	size_t n;

	*out = NULL;
	if (bk_git_open(&repo, dir, BK_GIT_SEARCH, NULL) || !(workdir = git_repository_workdir(repo)) ||
	    !realpath(dir, abs) || !realpath(workdir, wd) || strncmp(abs, wd, n = strlen(wd)) ||
	    (abs[n] && abs[n] != '/')) {
		bk_git_close(repo);
		return 0;   /* not in a work tree: git ignores nothing */
	}
	struct bk_git_ignore *ig = bk_xcalloc(1, sizeof(*ig));
	struct bk_buf prefix = BK_BUF_INIT;
	if (abs[n])
		bk_buf_printf(&prefix, "%s/", abs + n + 1);
	ig->repo = repo;
	ig->prefix = bk_buf_detach(&prefix);
	if (git_repository_index(&ig->index, repo))
		ig->index = NULL;
	*out = ig;
	return 0;
}

int bk_git_ignore_has(const struct bk_git_ignore *ig, const char *rel, int is_dir)
{
	struct bk_buf path = BK_BUF_INIT;
	int ignored = 0;
	size_t pos;

	if (!ig)
		return 0;
	bk_buf_printf(&path, "%s%s%s", ig->prefix, rel, is_dir ? "/" : "");
	if (git_ignore_path_is_ignored(&ignored, ig->repo, path.ptr))
		ignored = 0;
	/* Tracked files are part of the template whatever .gitignore says. */
	if (ignored && ig->index &&
	    (is_dir ? !git_index_find_prefix(&pos, ig->index, path.ptr)
		    : git_index_get_bypath(ig->index, path.ptr, 0) != NULL))
		ignored = 0;
	bk_buf_release(&path);
	return ignored;
}

void bk_git_ignore_free(struct bk_git_ignore *ig)
{
	if (!ig)
		return;
	git_index_free(ig->index);
	bk_git_close(ig->repo);
	free(ig->prefix);
	free(ig);
}
