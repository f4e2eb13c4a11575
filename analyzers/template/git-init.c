/*
 * The git side of `bkgen new` (libgit2; the handles never leave this
 * file): the first commit of a fresh render and the pristine ref a later
 * `bkgen update` merges against. Which template files git ignores is
 * base/git.h's ignore set.
 */
#include "template/template.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/git.h"

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
		rc = bk_err_from_git(err, "read the render's tree in", dir);
	else if (signature(&sig, repo, &res->fallback_identity))
		rc = bk_err_from_git(err, "make a signature in", dir);
	else if (git_commit_create(&id, repo, update_ref, sig, sig, NULL, message, tree, 0, NULL))
		rc = bk_err_from_git(err, "commit the render in", dir);
	else if (git_reference_create(&ref, repo, BK_PRISTINE_REF, &id, 1, "bkgen new: pristine render"))
		rc = bk_err_from_git(err, "create " BK_PRISTINE_REF " in", dir);
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
	if ((rc = bk_git_init(err)))
		return rc;
	if (git_repository_init(&repo, dir, 0) || git_repository_index(&index, repo)) {
		rc = bk_err_from_git(err, "create a repository in", dir);
		goto out;
	}
	/* By path, not "add all": the render's own .gitignore must not drop files. */
	for (size_t i = 0; i < nr && !rc; i++)
		if (git_index_add_bypath(index, paths[i]))
			rc = bk_err_from_git(err, "add files in", dir);
	if (!rc && (git_index_write(index) || git_index_write_tree(&tree_id, index)))
		rc = bk_err_from_git(err, "write the index in", dir);
	if (!rc)
		rc = commit_tree(res, repo, &tree_id, "HEAD", message, dir, err);
out:
	git_index_free(index);
	git_repository_free(repo);
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
	rc = bk_git_open(&repo, repo_dir, 0, err);
	if (rc == 1)
		rc = bk_err_set(err, BK_EIO, "git: cannot open the repository in '%s': not a repository", repo_dir);
	if (rc)
		goto out;
	/* An index of our own: the repository's index and HEAD stay as they are. */
	if (git_index_new(&index)) {
		rc = bk_err_from_git(err, "create an index in", repo_dir);
		goto out;
	}
	for (size_t i = 0; i < nr && !rc; i++)
		if (add_blob(repo, index, render_dir, paths[i]))
			rc = bk_err_from_git(err, "store the render in", repo_dir);
	if (!rc && git_index_write_tree_to(&tree_id, index, repo))
		rc = bk_err_from_git(err, "write the render's tree in", repo_dir);
	if (!rc)
		rc = commit_tree(res, repo, &tree_id, NULL, message, repo_dir, err);
out:
	git_index_free(index);
	git_repository_free(repo);
	return rc;
}
