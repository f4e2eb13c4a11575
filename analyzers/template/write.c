/*
 * Writing a render. Everything is rendered into a temporary sibling of
 * the target first (same filesystem, so renames are atomic), committed
 * there, and only then moved into place:
 *   - a missing target: the temporary directory is renamed to it;
 *   - an empty directory: its entries are moved in (the directory itself
 *     stays, so a shell sitting in it keeps working);
 *   - a non-empty directory (--force): each file is renamed over its
 *     destination after every destination was checked, so files the
 *     template does not own are never touched and no link is followed.
 * Any failure or cancellation removes the temporary directory.
 */
#include "template/template.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct writer {
	const struct bk_template *t;
	const struct bk_answers *a;
	const struct bk_new_opts *o;
	struct bk_render_plan plan;
	char **paths;            /* every written path, answers file included */
	size_t paths_nr;
	char *tmp;
	struct bk_err *err;
};

int bk_dir_is_empty(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int empty = 1;

	if (stat(path, &st))
		return errno == ENOENT ? 1 : -1;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return -1;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

static int is_cancelled(const struct writer *w)
{
	if (w->o->cancel && *w->o->cancel)
		return bk_err_set(w->err, BK_EIO, "interrupted; nothing was written to '%s'", w->o->target);
	return 0;
}

/* Create the missing directories of path (up to, not including, stop). */
static int make_dirs(const char *path, size_t stop, struct bk_err *err)
{
	char *p = bk_xstrdup(path);
	int rc = 0;

	for (char *s = p + stop + 1; !rc && (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST)
			rc = bk_err_set(err, BK_EIO, "cannot create directory '%s': %s", p, strerror(errno));
		*s = '/';
	}
	free(p);
	return rc;
}

static int write_file(const char *path, const char *data, size_t len, int exec,
		      struct bk_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, exec ? 0777 : 0666);

	if (fd < 0)
		return bk_err_set(err, BK_EIO, "cannot create '%s': %s", path, strerror(errno));
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			return bk_err_set(err, BK_EIO, "cannot write '%s': %s", path, strerror(e));
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd))
		return bk_err_set(err, BK_EIO, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

static int put(struct writer *w, const char *rel, const char *data, size_t len, int exec)
{
	struct bk_buf path = BK_BUF_INIT;
	int rc;

	bk_buf_printf(&path, "%s/%s", w->tmp, rel);
	if (!(rc = make_dirs(path.ptr, strlen(w->tmp), w->err)) &&
	    !(rc = write_file(path.ptr, data, len, exec, w->err))) {
		w->paths = bk_xrealloc(w->paths, (w->paths_nr + 1) * sizeof(char *));
		w->paths[w->paths_nr++] = bk_xstrdup(rel);
	}
	bk_buf_release(&path);
	return rc;
}

static int make_tmp(struct writer *w)
{
	/* An existing target may be "." or end in "..": its real path has a parent. */
	char *real = realpath(w->o->target, NULL);
	const char *target = real ? real : w->o->target, *slash = strrchr(target, '/');
	struct bk_buf dir = BK_BUF_INIT;
	struct timespec ts;
	int rc;

	if (slash && slash > target && make_dirs(target, 0, w->err)) {
		free(real);
		return w->err->code;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	for (unsigned i = 0; i < 100; i++) {
		bk_buf_reset(&dir);
		bk_buf_printf(&dir, "%.*s.%s.bkgen-%ld-%lx", slash ? (int)(slash - target + 1) : 0, target,
			      slash ? slash + 1 : target, (long)getpid(), (unsigned long)ts.tv_nsec + i);
		if (!mkdir(dir.ptr, 0777)) {
			w->tmp = bk_buf_detach(&dir);
			free(real);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	rc = bk_err_set(w->err, BK_EIO, "cannot create a temporary directory next to '%s': %s",
			w->o->target, strerror(errno));
	bk_buf_release(&dir);
	free(real);
	return rc;
}

static int render_all(struct writer *w)
{
	struct bk_renamer names;
	struct bk_buf data = BK_BUF_INIT;
	int rc = 0;

	bk_renamer_init(&names, w->t->source_name, w->a->name);
	for (size_t i = 0; i < w->plan.nr && !rc; i++) {
		const struct bk_render_file *f = &w->plan.files[i];
		bk_buf_reset(&data);
		if (!(rc = bk_render_contents(&data, w->t, w->a, &names, f, w->err)) &&
		    !(rc = put(w, f->dst, data.ptr, data.len, f->executable)))
			rc = is_cancelled(w);
	}
	if (!rc) {
		bk_buf_reset(&data);
		bk_answers_yaml(&data, w->t, w->a);
		rc = put(w, BK_ANSWERS_FILE, data.ptr, data.len, 0);
	}
	bk_buf_release(&data);
	bk_renamer_release(&names);
	return rc;
}

static int has_git_dir(const char *dir)
{
	struct bk_buf p = BK_BUF_INIT;
	struct stat st;
	bk_buf_printf(&p, "%s/.git", dir);
	int yes = !lstat(p.ptr, &st);
	bk_buf_release(&p);
	return yes;
}

static int commit(struct writer *w, struct bk_new_result *res, int existing_repo)
{
	struct bk_buf msg = BK_BUF_INIT;
	struct bk_git_result g = { { 0 }, 0 };
	int rc;

	bk_buf_printf(&msg, "Initial render from bkgen template %s %s\n", w->t->language, w->t->version);
	if (existing_repo)
		rc = bk_gitinit_pristine(&g, w->o->target, w->tmp, w->paths, w->paths_nr, msg.ptr, w->err);
	else
		rc = bk_gitinit_commit(&g, w->tmp, w->paths, w->paths_nr, msg.ptr, w->err);
	if (!rc) {
		memcpy(res->commit, g.commit, sizeof(res->commit));
		res->fallback_identity = g.fallback_identity;
		res->existing_repo = existing_repo;
	}
	bk_buf_release(&msg);
	return rc;
}

/* Move the entries of tmp into the empty directory target; undo on failure. */
static int move_entries(struct writer *w)
{
	DIR *d = opendir(w->tmp);
	struct dirent *e;
	struct bk_buf from = BK_BUF_INIT, to = BK_BUF_INIT;
	char **moved = NULL;
	size_t moved_nr = 0;
	int rc = 0;

	if (!d)
		return bk_err_set(w->err, BK_EIO, "cannot read '%s': %s", w->tmp, strerror(errno));
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		bk_buf_reset(&from);
		bk_buf_reset(&to);
		bk_buf_printf(&from, "%s/%s", w->tmp, e->d_name);
		bk_buf_printf(&to, "%s/%s", w->o->target, e->d_name);
		if (!access(to.ptr, F_OK))
			rc = bk_err_set(w->err, BK_EIO, "cannot move '%s' into '%s': it appeared meanwhile",
					e->d_name, w->o->target);
		else if (rename(from.ptr, to.ptr))
			rc = bk_err_set(w->err, BK_EIO, "cannot move '%s' into '%s': %s", e->d_name,
					w->o->target, strerror(errno));
		else {
			moved = bk_xrealloc(moved, (moved_nr + 1) * sizeof(char *));
			moved[moved_nr++] = bk_xstrdup(e->d_name);
		}
	}
	closedir(d);
	for (size_t i = 0; i < moved_nr; i++) {
		if (rc) {
			bk_buf_reset(&from);
			bk_buf_reset(&to);
			bk_buf_printf(&from, "%s/%s", w->tmp, moved[i]);
			bk_buf_printf(&to, "%s/%s", w->o->target, moved[i]);
			rename(to.ptr, from.ptr);
		}
		free(moved[i]);
	}
	free(moved);
	bk_buf_release(&from);
	bk_buf_release(&to);
	return rc;
}

/* Every directory on the way to rel must be a real directory (or missing). */
static int check_destination(struct writer *w, const char *rel, size_t *overwritten)
{
	struct bk_buf p = BK_BUF_INIT;
	struct stat st;
	int rc = 0;

	bk_buf_printf(&p, "%s/%s", w->o->target, rel);
	for (char *s = p.ptr + strlen(w->o->target) + 1; !rc; s++) {
		char *slash = strchr(s, '/');
		if (slash)
			*slash = '\0';
		if (!lstat(p.ptr, &st) && slash && !S_ISDIR(st.st_mode))
			rc = bk_err_set(w->err, BK_EUSAGE, "'%s' is %s, but the template writes '%s' below it; move it away first",
					p.ptr, S_ISLNK(st.st_mode) ? "a symbolic link (--force never writes through links)"
								   : "not a directory", rel);
		else if (!slash && !lstat(p.ptr, &st)) {
			if (S_ISDIR(st.st_mode))
				rc = bk_err_set(w->err, BK_EUSAGE,
						"'%s' is a directory, but the template writes a file there; move it away first",
						p.ptr);
			(*overwritten)++;
		}
		if (!slash)
			break;
		*slash = '/';
		s = slash;
	}
	bk_buf_release(&p);
	return rc;
}

static int move_files(struct writer *w, int move_git, size_t *overwritten)
{
	struct bk_buf from = BK_BUF_INIT, to = BK_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < w->paths_nr && !rc; i++)
		rc = check_destination(w, w->paths[i], overwritten);
	for (size_t i = 0; i < w->paths_nr + (size_t)move_git && !rc; i++) {
		const char *rel = i < w->paths_nr ? w->paths[i] : ".git";
		bk_buf_reset(&from);
		bk_buf_reset(&to);
		bk_buf_printf(&from, "%s/%s", w->tmp, rel);
		bk_buf_printf(&to, "%s/%s", w->o->target, rel);
		if (!(rc = make_dirs(to.ptr, strlen(w->o->target), w->err)) && rename(from.ptr, to.ptr))
			rc = bk_err_set(w->err, BK_EIO, "cannot move '%s' into place: %s", to.ptr, strerror(errno));
	}
	bk_buf_release(&from);
	bk_buf_release(&to);
	return rc;
}

static int place(struct writer *w, int state, int existing_repo, struct bk_new_result *res)
{
	if (state == 1 && access(w->o->target, F_OK)) {
		if (rename(w->tmp, w->o->target))
			return bk_err_set(w->err, BK_EIO, "cannot move the render to '%s': %s", w->o->target, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return 0;
	}
	if (state == 1)
		return move_entries(w);
	return move_files(w, !w->o->no_git && !existing_repo, &res->overwritten);
}

int bk_new_render(struct bk_new_result *res, const struct bk_template *t,
		  const struct bk_answers *a, const struct bk_new_opts *o,
		  struct bk_err *err)
{
	struct writer w = { .t = t, .a = a, .o = o, .err = err };
	int state = bk_dir_is_empty(o->target), existing_repo = 0, rc;

	memset(res, 0, sizeof(*res));
	if (state < 0)
		return bk_err_set(err, BK_EUSAGE, "'%s' exists and is not a directory; choose another --dir", o->target);
	if (!state && !o->force)
		return bk_err_set(err, BK_EUSAGE, "'%s' is not empty; choose another --dir, or use --force to write "
				  "the template's files into it (other files are kept)", o->target);
	existing_repo = !state && has_git_dir(o->target);
	if ((rc = bk_render_plan(&w.plan, t, a, err)) || (rc = make_tmp(&w)) || (rc = render_all(&w)) ||
	    (!o->no_git && (rc = commit(&w, res, existing_repo))) || (rc = is_cancelled(&w)))
		goto out;
	/* From here on a signal no longer stops the move: it is short. */
	rc = place(&w, state, existing_repo, res);
	res->files = w.paths_nr;
out:
	if (w.tmp)
		bk_rm_tree(w.tmp);
	free(w.tmp);
	for (size_t i = 0; i < w.paths_nr; i++)
		free(w.paths[i]);
	free(w.paths);
	bk_render_plan_release(&w.plan);
	return rc;
}
