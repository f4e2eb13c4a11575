/*
 * The git side of `bkgen new` (libgit2; the handles never leave this
 * file): the first commit of a fresh render, the pristine ref a later
 * `bkgen update` merges against, and which files of a template checked
 * into a repository git ignores (build outputs are not template files).
 */
#include "template/template.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int git_fail(struct bk_err *err, const char *what, const char *dir)
{
	const git_error *e = git_error_last();
	return bk_err_set(err, BK_EIO, "git: cannot %s in '%s': %s", what, dir,
			  e && e->message ? e->message : "unknown error");
}

/* The configured identity, or bkgen's own when there is none. */
static int signature(git_signature **out, git_repository *repo, int *fallback)
{
	if (!git_signature_default(out, repo))
		return 0;
	*fallback = 1;
	return git_signature_now(out, "bkgen", "bkgen@localhost");
}

static int commit_tree(struct bk_git_result *res, git_repository *repo,
		       const git_oid *tree_id, const char *update_ref,
		       const char *message, const char *dir, struct bk_err *err)
{
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	git_oid id;
	int rc = 0;

	if (git_tree_lookup(&tree, repo, tree_id))
		rc = git_fail(err, "read the render's tree", dir);
	else if (signature(&sig, repo, &res->fallback_identity))
		rc = git_fail(err, "make a signature", dir);
	else if (git_commit_create(&id, repo, update_ref, sig, sig, NULL, message, tree, 0, NULL))
		rc = git_fail(err, "commit the render", dir);
	else if (git_reference_create(&ref, repo, BK_PRISTINE_REF, &id, 1, "bkgen new: pristine render"))
		rc = git_fail(err, "create " BK_PRISTINE_REF, dir);
	else
		git_oid_tostr(res->commit, sizeof(res->commit), &id);
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	return rc;
}

int bk_gitinit_commit(struct bk_git_result *res, const char *dir,
		      char *const *paths, size_t nr, const char *message,
		      struct bk_err *err)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_oid tree_id;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	git_libgit2_init();
	if (git_repository_init(&repo, dir, 0) || git_repository_index(&index, repo)) {
		rc = git_fail(err, "create a repository", dir);
		goto out;
	}
	/* By path, not "add all": the render's own .gitignore must not drop files. */
	for (size_t i = 0; i < nr && !rc; i++)
		if (git_index_add_bypath(index, paths[i]))
			rc = git_fail(err, "add files", dir);
	if (!rc && (git_index_write(index) || git_index_write_tree(&tree_id, index)))
		rc = git_fail(err, "write the index", dir);
	if (!rc)
		rc = commit_tree(res, repo, &tree_id, "HEAD", message, dir, err);
out:
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

static int add_blob(git_repository *repo, git_index *index, const char *render_dir,
		    const char *rel)
{
	struct bk_buf path = BK_BUF_INIT;
	git_index_entry e;
	struct stat st;
	int rc;

	bk_buf_printf(&path, "%s/%s", render_dir, rel);
	memset(&e, 0, sizeof(e));
	e.path = rel;
	e.mode = !stat(path.ptr, &st) && (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
	rc = git_blob_create_from_disk(&e.id, repo, path.ptr);
	if (!rc)
		rc = git_index_add(index, &e);
	bk_buf_release(&path);
	return rc;
}

int bk_gitinit_pristine(struct bk_git_result *res, const char *repo_dir,
			const char *render_dir, char *const *paths, size_t nr,
			const char *message, struct bk_err *err)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_oid tree_id;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	git_libgit2_init();
	if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) {
		rc = git_fail(err, "open the repository", repo_dir);
		goto out;
	}
	/* An index of our own: the repository's index and HEAD stay as they are. */
	if (git_index_new(&index)) {
		rc = git_fail(err, "create an index", repo_dir);
		goto out;
	}
	for (size_t i = 0; i < nr && !rc; i++)
		if (add_blob(repo, index, render_dir, paths[i]))
			rc = git_fail(err, "store the render", repo_dir);
	if (!rc && git_index_write_tree_to(&tree_id, index, repo))
		rc = git_fail(err, "write the render's tree", repo_dir);
	if (!rc)
		rc = commit_tree(res, repo, &tree_id, NULL, message, repo_dir, err);
out:
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
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
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) || !(workdir = git_repository_workdir(repo)) ||
	    !realpath(dir, abs) || !realpath(workdir, wd) || strncmp(abs, wd, n = strlen(wd)) ||
	    (abs[n] && abs[n] != '/')) {
		git_repository_free(repo);
		git_libgit2_shutdown();
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
	git_repository_free(ig->repo);
	free(ig->prefix);
	free(ig);
	git_libgit2_shutdown();
}
