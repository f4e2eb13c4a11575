/*
 * The file walker. The filesystem is walked with opendir/readdir (so that
 * symbolic links can be followed and unreadable directories reported), and
 * git decides nothing but which names are kept.
 *
 * Inside a work tree the names git does not ignore are read once per walk
 * root: index entries plus the untracked, not ignored files from
 * git_status_list_new, kept in a sorted array and searched with bsearch.
 * On a 5,000-file repository that costs less than asking
 * git_ignore_path_is_ignored for every name (about 17 us a call), and it
 * keeps tracked files that an ignore pattern would match, as git does.
 * Directories reached through a symbolic link are invisible to git; below
 * them names are asked one by one (WALK_QUERY). A directory holding a .git
 * entry is a nested repository or submodule and gets its own name set.
 */
#include "base/walk.h"
#include "base/glob.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/git.h"
#include "base/lang.h"
#include "base/util.h"

enum walk_mode { WALK_PLAIN, WALK_SET, WALK_QUERY };

struct walk_repo {
	git_repository *repo;
	char **names;           /* sorted; submodules, nested repos end in '/' */
	size_t nr, alloc;
};

struct walk_dir {
	enum walk_mode mode;
	struct walk_repo *repo;  /* NULL in WALK_PLAIN */
	int included;            /* an include glob matched this or a parent */
};

struct walk_ancestor {
	dev_t dev;
	ino_t ino;
	size_t path_len;
};

struct walker {
	const struct bk_walk_opts *opts;
	struct bk_report *report;
	struct bk_file_list *out;
	struct bk_buf path;      /* as shown to the user; also used to open */
	struct bk_buf rel;       /* relative to the repository's work tree */
	size_t root_off;         /* start of the walk-root-relative path */
	size_t cwd_off;          /* start of the cwd-relative path; SIZE_MAX */
	struct walk_ancestor *stack;
	size_t stack_nr, stack_alloc;
	const char *cwd;
	int followed_link;       /* a file may now be listed under two names */
};

static int walk_dir(struct walker *w, const struct walk_dir *d,
		    struct bk_err *err);

static void path_push(struct bk_buf *b, const char *name)
{
	if (b->len && b->ptr[b->len - 1] != '/')
		bk_buf_putc(b, '/');
	bk_buf_puts(b, name);
}

static void path_pop(struct bk_buf *b, size_t len)
{
	b->len = len;
	if (b->cap)
		b->ptr[len] = '\0';
}

static const char *fs_path(const struct walker *w)
{
	return w->path.len ? w->path.ptr : ".";
}

static void add_skip(struct walker *w, enum bk_skip_reason reason,
		     int is_error, const char *detail)
{
	if (w->report)
		bk_report_add_skip(w->report, fs_path(w), reason, bk_xstrdup(detail), is_error);
}

/* ---- names git keeps ---- */

static void repo_release(struct walk_repo *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->names[i]);
	free(r->names);
	git_repository_free(r->repo);
	memset(r, 0, sizeof(*r));
}

static void repo_add(struct walk_repo *r, const char *name, int is_dir)
{
	struct bk_buf b = BK_BUF_INIT;
	bk_buf_puts(&b, name);
	if (is_dir && (!b.len || b.ptr[b.len - 1] != '/'))
		bk_buf_putc(&b, '/');
	BK_ALLOC_GROW(r->names, r->nr + 1, r->alloc);
	r->names[r->nr++] = bk_buf_detach(&b);
}

static int repo_add_index(struct walk_repo *r, const char *prefix)
{
	git_index *index = NULL;
	size_t pos = 0;
	int rc = git_repository_index(&index, r->repo);
	if (rc < 0)
		return rc;
	if (git_index_find_prefix(&pos, index, prefix) == 0) {
		size_t n = git_index_entrycount(index), plen = strlen(prefix);
		for (; pos < n; pos++) {
			const git_index_entry *e = git_index_get_byindex(index, pos);
			if (strncmp(e->path, prefix, plen))
				break;
			repo_add(r, e->path, e->mode == GIT_FILEMODE_COMMIT);
		}
	}
	git_index_free(index);
	return 0;
}

static int repo_add_untracked(struct walk_repo *r, const char *prefix)
{
	git_status_options so;
	git_status_list *list = NULL;
	char *spec = (char *)prefix;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		   GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
		   GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	if (*prefix) {
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
	}
	int rc = git_status_list_new(&list, r->repo, &so);
	if (rc < 0)
		return rc;
	size_t n = git_status_list_entrycount(list);
	for (size_t i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		if ((e->status & GIT_STATUS_WT_NEW) && e->index_to_workdir)
			repo_add(r, e->index_to_workdir->new_file.path, 0);
	}
	git_status_list_free(list);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Everything git keeps below prefix ("" or "dir/"). */
static int repo_load(struct walk_repo *r, const char *prefix)
{
	int rc = repo_add_index(r, prefix);
	if (!rc)
		rc = repo_add_untracked(r, prefix);
	if (!rc && r->nr)
		qsort(r->names, r->nr, sizeof(*r->names), cmp_str);
	return rc;
}

/* Index of the first name >= key. */
static size_t repo_lower_bound(const struct walk_repo *r, const char *key)
{
	size_t lo = 0, hi = r->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(r->names[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is name kept or, for a directory ("a/b/"), anything below it? */
static int repo_has(const struct walk_repo *r, const char *name, int below)
{
	size_t i = repo_lower_bound(r, name);
	if (i >= r->nr)
		return 0;
	return below ? !strncmp(r->names[i], name, strlen(name))
		     : !strcmp(r->names[i], name);
}

/*
 * Open the repository holding dir. *out stays zeroed outside any work
 * tree; otherwise *prefix gets dir's path inside it ("" or "a/b/").
 */
static int repo_open(struct walk_repo *out, struct bk_buf *prefix,
		     const char *dir, unsigned flags, struct bk_err *err)
{
	char *real = NULL;
	int rc = bk_git_open(&out->repo, dir, flags, err);
	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	const char *wd = git_repository_workdir(out->repo);
	real = realpath(dir, NULL);
	size_t wlen = wd ? strlen(wd) : 0;
	if (!wd || !real || strncmp(real, wd, wlen - 1) ||
	    (real[wlen - 1] && real[wlen - 1] != '/')) {
		repo_release(out);    /* bare, or dir is not in the work tree */
		goto out;
	}
	bk_buf_reset(prefix);
	if (real[wlen - 1]) {
		bk_buf_puts(prefix, real + wlen);
		bk_buf_putc(prefix, '/');
	}
out:
	free(real);
	return 0;
}

/* 1 ignored, 0 not, -1 libgit2 error: 17 us a call, so used sparingly. */
static int repo_ignores(struct walk_repo *r, const char *rel)
{
	int ignored = 0;
	return git_ignore_path_is_ignored(&ignored, r->repo, rel) < 0 ? -1
								     : ignored;
}

/* ---- globs ---- */

static const char *path_form(const struct walker *w, size_t off)
{
	return off <= w->path.len ? w->path.ptr + off : NULL;
}

static int globs_any(const char *const *globs, size_t nr, const char *path)
{
	for (size_t i = 0; path && *path && i < nr; i++)
		if (bk_glob_match(globs[i], path))
			return 1;
	return 0;
}

/* Does a glob match the walk-root-relative or the cwd-relative path? */
static int globs_match(const struct walker *w, const char *const *globs,
		       size_t nr)
{
	const char *a = path_form(w, w->root_off);
	const char *b = path_form(w, w->cwd_off);
	return globs_any(globs, nr, a) || (b != a && globs_any(globs, nr, b));
}

/* Check the current path (a directory when is_dir) against the globs. */
static int path_excluded(struct walker *w, int is_dir, int *included)
{
	const struct bk_walk_opts *o = w->opts;
	size_t len = w->path.len;
	if (is_dir)
		bk_buf_putc(&w->path, '/');
	int excluded = globs_match(w, o->exclude, o->exclude_nr);
	if (!excluded && !*included)
		*included = !o->include_nr ||
			    globs_match(w, o->include, o->include_nr);
	path_pop(&w->path, len);
	return excluded;
}

/* ---- walking ---- */

static void list_add(struct walker *w)
{
	struct bk_file_list *l = w->out;
	BK_ALLOC_GROW(l->paths, l->nr + 1, l->alloc);
	l->paths[l->nr++] = bk_xstrdup(w->path.ptr);
}

static int wanted(const struct walker *w)
{
	return !w->opts->wanted || w->opts->wanted(w->path.ptr,
						     w->opts->wanted_data);
}

/* Does git keep the current entry (rel)? -1 on a libgit2 error. */
static int git_keeps(const struct walk_dir *d, struct walker *w, int is_dir)
{
	int keep = 1;
	if (d->mode == WALK_PLAIN)
		return 1;
	if (d->mode == WALK_SET) {
		if (is_dir)
			bk_buf_putc(&w->rel, '/');
		keep = repo_has(d->repo, w->rel.ptr, is_dir);
		path_pop(&w->rel, w->rel.len - (size_t)is_dir);
		/* git skips unreadable directories silently; we report them */
		if (keep || !is_dir || access(w->path.ptr, R_OK | X_OK) == 0)
			return keep;
	}
	int ignored = repo_ignores(d->repo, w->rel.ptr);
	return ignored < 0 ? -1 : !ignored;
}

static void walk_file(struct walker *w, const struct walk_dir *d)
{
	int included = d->included;
	const char *ext;
	if (wanted(w)) {
		if (!path_excluded(w, 0, &included) && included)
			list_add(w);
	} else if (w->report && (ext = bk_lang_unsupported(w->path.ptr)) &&
		   !path_excluded(w, 0, &included) && included) {
		bk_report_count_unsupported(w->report, ext);
	}
}

/* A name we cannot follow: record it when it would have been listed. */
static void walk_broken_link(struct walker *w, const struct walk_dir *d,
			     int errnum)
{
	int included = d->included;
	if (!wanted(w) || path_excluded(w, 0, &included) || !included)
		return;
	if (errnum == ELOOP)
		add_skip(w, BK_SKIP_SYMLINK_LOOP, 0,
			 "too many levels of symbolic links");
	else if (errnum == ENOENT)
		add_skip(w, BK_SKIP_UNREADABLE, 0, "dangling symbolic link");
	else
		add_skip(w, BK_SKIP_UNREADABLE, 1, strerror(errnum));
}

/* Is the directory st already on the way down? Records the loop. */
static int on_descent_path(struct walker *w, const struct stat *st)
{
	for (size_t i = 0; i < w->stack_nr; i++) {
		const struct walk_ancestor *a = &w->stack[i];
		if (a->dev != st->st_dev || a->ino != st->st_ino)
			continue;
		struct bk_buf msg = BK_BUF_INIT;
		if (a->path_len)
			bk_buf_printf(&msg, "leads back to '%.*s'",
				      (int)a->path_len, w->path.ptr);
		else
			bk_buf_puts(&msg, "leads back to '.'");
		add_skip(w, BK_SKIP_SYMLINK_LOOP, 0, msg.ptr);
		bk_buf_release(&msg);
		return 1;
	}
	return 0;
}

static int walk_descend(struct walker *w, const struct walk_dir *d,
			const struct stat *st, struct bk_err *err)
{
	if (on_descent_path(w, st))
		return 0;
	BK_ALLOC_GROW(w->stack, w->stack_nr + 1, w->stack_alloc);
	w->stack[w->stack_nr++] = (struct walk_ancestor){
		st->st_dev, st->st_ino, w->path.len };
	int rc = walk_dir(w, d, err);
	w->stack_nr--;
	return rc;
}

/*
 * Set up git for the directory at w->path: d is WALK_SET with repo when it
 * lies in a work tree git does not ignore, else WALK_PLAIN. A directory
 * git ignores is walked whole, as it was asked for by name.
 */
static int git_setup(struct walker *w, struct walk_dir *d,
		     struct walk_repo *repo, unsigned flags, struct bk_err *err)
{
	d->mode = WALK_PLAIN;
	d->repo = NULL;
	int rc = repo_open(repo, &w->rel, fs_path(w), flags, err);
	if (rc < 0 || !repo->repo)
		return rc;
	if (w->rel.len) {
		path_pop(&w->rel, w->rel.len - 1);
		int ignored = repo_ignores(repo, w->rel.ptr);
		if (ignored < 0)
			return bk_err_from_git(err, "check ignore rules for", fs_path(w));
		bk_buf_putc(&w->rel, '/');
		if (ignored)
			return 0;
	}
	if (repo_load(repo, w->rel.ptr) < 0)
		return bk_err_from_git(err, "list the files of", fs_path(w));
	d->mode = WALK_SET;
	d->repo = repo;
	return 0;
}

/* A directory holding .git: walk it with its own repository. */
static int walk_nested_repo(struct walker *w, const struct walk_dir *parent,
			    const struct stat *st, struct bk_err *err)
{
	struct walk_repo repo = { 0 };
	struct walk_dir d = *parent;
	struct bk_buf outer_rel = w->rel;
	bk_buf_init(&w->rel);
	int rc = git_setup(w, &d, &repo, 0, err);
	if (!rc)
		rc = walk_descend(w, &d, st, err);
	repo_release(&repo);
	bk_buf_release(&w->rel);
	w->rel = outer_rel;
	return rc;
}

static int has_dotgit(struct walker *w)
{
	struct stat st;
	size_t len = w->path.len;
	path_push(&w->path, ".git");
	int found = lstat(w->path.ptr, &st) == 0;
	path_pop(&w->path, len);
	return found;
}

static int walk_subdir(struct walker *w, const struct walk_dir *parent,
		       const struct stat *st, int via_link, struct bk_err *err)
{
	struct walk_dir d = *parent;
	if (path_excluded(w, 1, &d.included))
		return 0;
	if (d.mode != WALK_PLAIN)
		bk_buf_putc(&w->rel, '/');
	if (d.mode == WALK_QUERY || (d.mode == WALK_SET && via_link)) {
		d.mode = WALK_QUERY;
		return walk_descend(w, &d, st, err);
	}
	if (!w->opts->no_git && has_dotgit(w))
		return walk_nested_repo(w, &d, st, err);
	return walk_descend(w, &d, st, err);
}

static int walk_entry(struct walker *w, const struct walk_dir *d,
		      unsigned char type, struct bk_err *err)
{
	struct stat st;
	int is_dir = type == DT_DIR;
	if (type == DT_UNKNOWN) {
		if (lstat(w->path.ptr, &st) < 0)
			return 0;             /* gone since readdir */
		is_dir = S_ISDIR(st.st_mode);
		type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode)
			? DT_REG : is_dir ? DT_DIR : DT_UNKNOWN;
	}
	int keep = git_keeps(d, w, is_dir);
	if (keep <= 0)
		return keep < 0 ? bk_err_from_git(err, "check ignore rules for",
					   w->path.ptr) : 0;
	if (type == DT_REG) {
		walk_file(w, d);
		return 0;
	}
	if (type != DT_DIR && type != DT_LNK)
		return 0;
	if (stat(w->path.ptr, &st) < 0) {
		walk_broken_link(w, d, errno);
		return 0;
	}
	w->followed_link |= type == DT_LNK;
	if (S_ISREG(st.st_mode))
		walk_file(w, d);
	else if (S_ISDIR(st.st_mode))
		return walk_subdir(w, d, &st, type == DT_LNK, err);
	return 0;
}

/* Names of a directory as "<d_type><name>\0" records. */
static int read_names(struct bk_buf *names, const char *dir)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return -1;
	struct dirent *de;
	while ((errno = 0, de = readdir(dh))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".git"))
			continue;
		bk_buf_putc(names, (char)de->d_type);
		bk_buf_add(names, n, strlen(n) + 1);
	}
	int saved = errno;
	closedir(dh);
	errno = saved;
	return saved ? -1 : 0;
}

static int walk_dir(struct walker *w, const struct walk_dir *d,
		    struct bk_err *err)
{
	struct bk_buf names = BK_BUF_INIT;
	size_t path_len = w->path.len, rel_len = w->rel.len;
	int rc = 0;
	if (read_names(&names, fs_path(w)) < 0) {
		add_skip(w, BK_SKIP_UNREADABLE, 1, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < names.len && !rc;) {
		unsigned char type = (unsigned char)names.ptr[i];
		const char *name = names.ptr + i + 1;
		i += strlen(name) + 2;
		path_push(&w->path, name);
		if (d->mode != WALK_PLAIN)
			bk_buf_puts(&w->rel, name);
		rc = walk_entry(w, d, type, err);
		path_pop(&w->path, path_len);
		path_pop(&w->rel, rel_len);
	}
out:
	bk_buf_release(&names);
	return rc;
}

/* ---- the paths on the command line ---- */

/* "./src//a/" -> "src/a", "." -> "", "/" -> "/". */
static void normalise_arg(struct bk_buf *out, const char *arg)
{
	bk_buf_reset(out);
	if (*arg == '/')
		bk_buf_putc(out, '/');
	for (const char *s = arg; *s;) {
		s += strspn(s, "/");
		size_t n = strcspn(s, "/");
		if (n && !(n == 1 && *s == '.')) {
			if (out->len && out->ptr[out->len - 1] != '/')
				bk_buf_putc(out, '/');
			bk_buf_add(out, s, n);
		}
		s += n;
	}
}

/* Where the children's paths start, relative to the root and the cwd. */
static void set_offsets(struct walker *w)
{
	const char *p = w->path.ptr;
	size_t len = w->path.len, clen = strlen(w->cwd);
	w->root_off = len + (len && p[len - 1] != '/');
	w->cwd_off = SIZE_MAX;
	if (p[0] != '/')
		w->cwd_off = 0;
	else if (clen && !strncmp(p, w->cwd, clen) &&
		 (clen == 1 || p[clen] == '/' || !p[clen]))
		w->cwd_off = clen + (clen > 1);
}

/* The argument's own path for globs: cwd-relative, else its basename. */
static const char *arg_glob_path(const struct walker *w)
{
	const char *p = w->path.ptr;
	if (*p != '/')
		return p;
	if (w->cwd_off != SIZE_MAX)
		return w->cwd_off <= w->path.len ? p + w->cwd_off : "";
	const char *slash = strrchr(p, '/');
	return slash[1] ? slash + 1 : "";
}

/* Globs on a path named on the command line and on all its parents. */
static int arg_filtered(const struct walker *w, int is_dir, int *included)
{
	const struct bk_walk_opts *o = w->opts;
	struct bk_buf b = BK_BUF_INIT;
	int excluded = 0;
	*included = !o->include_nr;
	for (const char *s = arg_glob_path(w); *s && !excluded;) {
		const char *e = s + strcspn(s, "/");
		bk_buf_add(&b, s, (size_t)(e - s));
		if (*e || is_dir)
			bk_buf_putc(&b, '/');
		excluded = globs_any(o->exclude, o->exclude_nr, b.ptr);
		*included |= globs_any(o->include, o->include_nr, b.ptr);
		s = *e ? e + 1 : e;
	}
	bk_buf_release(&b);
	return excluded;
}

static int walk_root(struct walker *w, const struct stat *st,
		     struct bk_err *err)
{
	struct walk_repo repo = { 0 };
	struct walk_dir d = { WALK_PLAIN, NULL, 0 };
	int rc = 0;
	if (arg_filtered(w, 1, &d.included))
		return 0;
	bk_buf_reset(&w->rel);
	if (!w->opts->no_git)
		rc = git_setup(w, &d, &repo, BK_GIT_SEARCH, err);
	if (!rc)
		rc = walk_descend(w, &d, st, err);
	repo_release(&repo);
	return rc;
}

static int walk_arg(struct walker *w, const char *arg, struct bk_err *err)
{
	struct stat st;
	int included = 0;
	normalise_arg(&w->path, arg);
	set_offsets(w);
	if (lstat(fs_path(w), &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return bk_err_set(err, BK_EUSAGE,
					  "path '%s' does not exist", arg);
		return bk_err_set(err, BK_EIO, "cannot access '%s': %s", arg,
				  strerror(errno));
	}
	if (stat(fs_path(w), &st) < 0) {
		struct walk_dir d = { WALK_PLAIN, NULL, 0 };
		walk_broken_link(w, &d, errno);
	} else if (S_ISDIR(st.st_mode)) {
		return walk_root(w, &st, err);
	} else if (!S_ISREG(st.st_mode)) {
		add_skip(w, BK_SKIP_UNREADABLE, 1, "not a regular file");
	} else if (wanted(w) && !arg_filtered(w, 0, &included) && included) {
		list_add(w);
	}
	return 0;
}

static void list_sort_unique(struct bk_file_list *l)
{
	size_t n = 0;
	if (!l->nr)
		return;
	qsort(l->paths, l->nr, sizeof(*l->paths), cmp_str);
	for (size_t i = 0; i < l->nr; i++) {
		if (n && !strcmp(l->paths[n - 1], l->paths[i]))
			free(l->paths[i]);
		else
			l->paths[n++] = l->paths[i];
	}
	l->nr = n;
}

struct file_id {
	dev_t dev;
	ino_t ino;
	size_t index;
	const char *path;
};

/* Same file together; of its names, the shortest (then the smallest) first. */
static int cmp_file_id(const void *pa, const void *pb)
{
	const struct file_id *a = pa, *b = pb;
	size_t la = strlen(a->path), lb = strlen(b->path);
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a->path, b->path);
}

/*
 * One file reached under two names (a/../a and a, absolute and relative,
 * through a symbolic link) is listed once, under its shortest name.
 */
static void list_drop_aliases(struct bk_file_list *l)
{
	struct file_id *ids = bk_xcalloc(l->nr + 1, sizeof(*ids));
	char *drop = bk_xcalloc(l->nr + 1, 1);
	size_t n = 0, keep = 0;
	struct stat st;

	for (size_t i = 0; i < l->nr; i++)
		if (!stat(l->paths[i], &st))
			ids[n++] = (struct file_id){ st.st_dev, st.st_ino, i, l->paths[i] };
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_file_id);
	for (size_t k = 1; k < n; k++)
		if (ids[k].dev == ids[k - 1].dev && ids[k].ino == ids[k - 1].ino)
			drop[ids[k].index] = 1;
	for (size_t i = 0; i < l->nr; i++) {
		if (drop[i])
			free(l->paths[i]);
		else
			l->paths[keep++] = l->paths[i];
	}
	l->nr = keep;
	free(drop);
	free(ids);
}

int bk_walk(struct bk_file_list *out, const char *const *paths, size_t nr,
	    const struct bk_walk_opts *opts, struct bk_report *report,
	    struct bk_err *err)
{
	static const char *const here[] = { "." };
	char *cwd = getcwd(NULL, 0);  /* NULL: absolute paths get no cwd form */
	struct walker w = { opts, report, out, BK_BUF_INIT, BK_BUF_INIT,
			    0, 0, NULL, 0, 0, cwd ? cwd : "", 0 };
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!opts->no_git && (rc = bk_git_init(err)))
		goto out;
	if (!nr) {
		paths = here;
		nr = 1;
	}
	for (size_t i = 0; i < nr && !rc; i++)
		rc = walk_arg(&w, paths[i], err);
	if (rc) {
		bk_file_list_release(out);
	} else {
		list_sort_unique(out);
		if (nr > 1 || w.followed_link)
			list_drop_aliases(out);
	}
out:
	free(w.stack);
	bk_buf_release(&w.rel);
	bk_buf_release(&w.path);
	free(cwd);
	return rc;
}

void bk_file_list_release(struct bk_file_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}
