#include "lint/gitdiff.h"

#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "base/git.h"

struct diff_ctx {
	struct bk_changes *out;
	const char *cwd_prefix;     /* cwd inside the work tree: "" or "a/b/" */
	git_repository *repo;
	int load_blobs;
	int no_base;
	struct bk_changed_file *cur;
	struct bk_err *err;
};

/* A work-tree path relative to the cwd ("../" for paths outside it). */
static char *path_from_cwd(const char *prefix, const char *path)
{
	struct bk_buf b = BK_BUF_INIT;
	size_t common = 0;
	for (size_t i = 0; prefix[i] && prefix[i] == path[i]; i++)
		if (prefix[i] == '/')
			common = i + 1;
	for (const char *p = prefix + common; *p; p++)
		if (*p == '/')
			bk_buf_puts(&b, "../");
	bk_buf_puts(&b, path + common);
	return bk_buf_detach(&b);
}

static int open_repo(git_repository **repo, char **prefix, struct bk_err *err)
{
	char *cwd = NULL;
	int rc;

	*repo = NULL;
	*prefix = NULL;
	rc = bk_git_open(repo, ".", BK_GIT_SEARCH | BK_GIT_NEED_WORKDIR, err);
	if (rc == 1)
		return bk_err_set(err, BK_EUSAGE,
				  "not a git repository (or any parent directory); run it inside a work tree or drop --staged/--changed/--since");
	if (rc)
		return rc;
	const char *wd = git_repository_workdir(*repo);
	cwd = realpath(".", NULL);
	size_t wlen = strlen(wd);
	if (cwd && !strncmp(cwd, wd, wlen - 1) && cwd[wlen - 1] == '/') {
		struct bk_buf b = BK_BUF_INIT;
		bk_buf_printf(&b, "%s/", cwd + wlen);
		*prefix = bk_buf_detach(&b);
	} else {
		*prefix = bk_xstrdup("");
	}
	free(cwd);
	return 0;
}

static void close_repo(git_repository *repo, char *prefix)
{
	free(prefix);
	bk_git_close(repo);
}

static int file_cb(const git_diff_delta *d, float progress, void *payload)
{
	struct diff_ctx *c = payload;
	struct bk_changes *out = c->out;
	git_blob *blob = NULL;

	(void)progress;
	c->cur = NULL;
	if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_IGNORED ||
	    d->status == GIT_DELTA_UNREADABLE || !d->new_file.path)
		return 0;
	if (d->new_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_LINK)
		return 0;             /* submodules and symbolic links */
	BK_ALLOC_GROW(out->files, out->nr + 1, out->alloc);
	struct bk_changed_file *f = &out->files[out->nr++];
	memset(f, 0, sizeof(*f));
	f->path = path_from_cwd(c->cwd_prefix, d->new_file.path);
	f->all_new = c->no_base || d->status == GIT_DELTA_ADDED ||
		     d->status == GIT_DELTA_UNTRACKED;
	c->cur = f;
	if (c->load_blobs) {
		if (git_blob_lookup(&blob, c->repo, &d->new_file.id) < 0) {
			bk_err_from_git(c->err, "read a staged blob", NULL);
			return -1;
		}
		f->len = (size_t)git_blob_rawsize(blob);
		f->content = bk_xmalloc(f->len + 1);
		memcpy(f->content, git_blob_rawcontent(blob), f->len);
		f->content[f->len] = '\0';
		git_blob_free(blob);
	}
	return 0;
}

static int hunk_cb(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	struct diff_ctx *c = payload;
	struct bk_changed_file *f = c->cur;

	(void)d;
	if (!f || h->new_lines <= 0)
		return 0;             /* a pure deletion adds no line */
	BK_ALLOC_GROW(f->ranges, f->ranges_nr + 1, f->ranges_alloc);
	f->ranges[f->ranges_nr].first = (uint32_t)(h->new_start - 1);
	f->ranges[f->ranges_nr].last = (uint32_t)(h->new_start - 1 + h->new_lines - 1);
	f->ranges_nr++;
	return 0;
}

static int cmp_changed(const void *a, const void *b)
{
	return strcmp(((const struct bk_changed_file *)a)->path,
		      ((const struct bk_changed_file *)b)->path);
}

static int base_tree(git_tree **tree, git_repository *repo, enum bk_gitdiff_mode mode,
		     const char *rev, struct bk_err *err)
{
	git_object *obj = NULL;
	int rc;

	*tree = NULL;
	if (mode == BK_GITDIFF_SINCE) {
		if (git_revparse_single(&obj, repo, rev) < 0)
			return bk_err_set(err, BK_EUSAGE, "unknown revision '%s' (--since)", rev);
	} else {
		rc = git_revparse_single(&obj, repo, "HEAD");
		if (rc == GIT_ENOTFOUND || git_repository_head_unborn(repo) == 1)
			return 0;     /* no commit yet: everything is new */
		if (rc < 0)
			return bk_err_from_git(err, "resolve HEAD", NULL);
	}
	rc = git_object_peel((git_object **)tree, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	if (rc < 0)
		return mode == BK_GITDIFF_SINCE
			? bk_err_set(err, BK_EUSAGE, "revision '%s' does not name a commit or tree (--since)", rev)
			: bk_err_from_git(err, "read the tree of HEAD", NULL);
	return 0;
}

int bk_gitdiff_list(struct bk_changes *out, enum bk_gitdiff_mode mode,
		    const char *rev, int want_lines, struct bk_err *err)
{
	git_repository *repo = NULL;
	git_tree *tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	char *prefix = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = open_repo(&repo, &prefix, err)) ||
	    (rc = base_tree(&tree, repo, mode, rev, err)))
		goto out;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;      /* hunks are then exactly the added lines */
	o.interhunk_lines = 0;
	if (mode == BK_GITDIFF_STAGED) {
		/*
		 * `git commit -a` and `git commit PATH` stage into a temporary
		 * index named by GIT_INDEX_FILE for the hooks; libgit2 does not
		 * read the variable, so a pre-commit hook would see the old index.
		 */
		const char *env_index = getenv("GIT_INDEX_FILE");
		if (env_index && *env_index ? git_index_open(&index, env_index) < 0
					    : git_repository_index(&index, repo) < 0) {
			rc = bk_err_from_git(err, "read the index", NULL);
			goto out;
		}
		rc = git_diff_tree_to_index(&diff, repo, tree, index, &o);
	} else {
		o.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		rc = git_diff_tree_to_workdir_with_index(&diff, repo, tree, &o);
	}
	if (rc < 0) {
		rc = bk_err_from_git(err, "compute the diff", NULL);
		goto out;
	}
	struct diff_ctx c = { out, prefix, repo, mode == BK_GITDIFF_STAGED, tree == NULL, NULL, err };
	if (want_lines) {
		rc = git_diff_foreach(diff, file_cb, NULL, hunk_cb, NULL, &c);
	} else {
		size_t n = git_diff_num_deltas(diff);
		rc = 0;
		for (size_t i = 0; i < n && !rc; i++)
			rc = file_cb(git_diff_get_delta(diff, i), 0, &c);
	}
	if (rc) {
		if (!err->code)
			bk_err_from_git(err, "walk the diff", NULL);
		rc = err->code;
		goto out;
	}
	if (out->nr)
		qsort(out->files, out->nr, sizeof(*out->files), cmp_changed);
out:
	if (rc)
		bk_changes_release(out);
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(tree);
	close_repo(repo, prefix);
	return rc;
}

void bk_changes_release(struct bk_changes *c)
{
	for (size_t i = 0; i < c->nr; i++) {
		free(c->files[i].path);
		free(c->files[i].content);
		free(c->files[i].ranges);
	}
	free(c->files);
	memset(c, 0, sizeof(*c));
}

const struct bk_changed_file *bk_changes_find(const struct bk_changes *c,
					      const char *path)
{
	struct bk_changed_file key = { .path = (char *)path };
	if (!c->nr)
		return NULL;
	return bsearch(&key, c->files, c->nr, sizeof(*c->files), cmp_changed);
}

int bk_changed_line_is_new(const struct bk_changed_file *f, uint32_t line)
{
	if (f->all_new)
		return 1;
	for (size_t i = 0; i < f->ranges_nr; i++)
		if (line >= f->ranges[i].first && line <= f->ranges[i].last)
			return 1;
	return 0;
}
