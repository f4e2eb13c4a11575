/*
 * Rendering a template in memory: the case forms of the source name and
 * their replacement in contents and paths, the comment-marked option
 * blocks, and the plan of which template file becomes which project file.
 * Writing the plan to disk is render-write.c.
 */
#include "template/template.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/git.h"
#include "base/glob.h"

void bk_case_forms(char *out[BK_CASE_NR], const char *kebab)
{
	struct bk_buf f[BK_CASE_NR];
	size_t word = 0;   /* index of the word being written */
	int start = 1;     /* at the start of a word */

	for (int i = 0; i < BK_CASE_NR; i++)
		bk_buf_init(&f[i]);
	for (const char *p = kebab; *p; p++) {
		if (*p == '-') {
			bk_buf_putc(&f[BK_CASE_KEBAB], '-');
			bk_buf_putc(&f[BK_CASE_SNAKE], '_');
			bk_buf_putc(&f[BK_CASE_UPPER], '_');
			word += !start;
			start = 1;
			continue;
		}
		char c = *p, up = (char)toupper((unsigned char)c);
		bk_buf_putc(&f[BK_CASE_KEBAB], c);
		bk_buf_putc(&f[BK_CASE_SNAKE], c);
		bk_buf_putc(&f[BK_CASE_UPPER], up);
		bk_buf_putc(&f[BK_CASE_FLAT], c);
		bk_buf_putc(&f[BK_CASE_CAMEL], start && word ? up : c);
		bk_buf_putc(&f[BK_CASE_PASCAL], start ? up : c);
		start = 0;
	}
	for (int i = 0; i < BK_CASE_NR; i++)
		out[i] = bk_buf_detach(&f[i]);
}

void bk_case_forms_release(char *forms[BK_CASE_NR])
{
	for (int i = 0; i < BK_CASE_NR; i++) {
		free(forms[i]);
		forms[i] = NULL;
	}
}

void bk_renamer_init(struct bk_renamer *r, const char *from, const char *to)
{
	memset(r, 0, sizeof(*r));
	bk_case_forms(r->from, from);
	bk_case_forms(r->to, to);
	/* Distinct forms, longest first so that no form eats part of another. */
	for (int i = 0; i < BK_CASE_NR; i++) {
		size_t k;
		for (k = 0; k < r->nr && strcmp(r->from[r->order[k]], r->from[i]); k++)
			;
		if (k < r->nr || !*r->from[i])
			continue;
		for (k = r->nr; k > 0 && strlen(r->from[r->order[k - 1]]) < strlen(r->from[i]); k--)
			r->order[k] = r->order[k - 1];
		r->order[k] = i;
		r->nr++;
	}
}

void bk_renamer_release(struct bk_renamer *r)
{
	bk_case_forms_release(r->from);
	bk_case_forms_release(r->to);
	r->nr = 0;
}

void bk_renamer_apply(const struct bk_renamer *r, struct bk_buf *out,
		      const char *text, size_t len)
{
	size_t i = 0, copied = 0;

	while (i < len) {
		size_t k;
		for (k = 0; k < r->nr; k++) {
			const char *f = r->from[r->order[k]];
			size_t n = strlen(f);
			if (f[0] == text[i] && n <= len - i && !memcmp(text + i, f, n))
				break;
		}
		if (k == r->nr) {
			i++;
			continue;
		}
		bk_buf_add(out, text + copied, i - copied);
		bk_buf_puts(out, r->to[r->order[k]]);
		i += strlen(r->from[r->order[k]]);
		copied = i;
	}
	bk_buf_add(out, text + copied, len - copied);
}

/* ---- option blocks ---- */

/* Comment openers a marker may follow, longest first where they overlap. */
static const char *const comment_open[] = { "<!--", "{{/*", "{#", "//", "/*", "#", "--", ";", "%", NULL };
/* What may follow the marker on its line. */
static const char *const comment_close[] = { "-->", "*/}}", "*/", "#}", NULL };

enum marker { MARK_NONE, MARK_IF, MARK_ENDIF };

struct marker_line {
	enum marker kind;
	size_t col;              /* 1-based column of "bkgen:" */
	const char *cond;        /* MARK_IF: the condition */
	size_t cond_len;
	const char *junk;        /* unexpected text after the marker, or NULL */
	size_t junk_len;
};

static const char *skip_space(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *after_prefix(const char *p, const char *e, const char *prefix)
{
	size_t n = strlen(prefix);
	return (size_t)(e - p) >= n && !memcmp(p, prefix, n) ? p + n : NULL;
}

/* Only whitespace and comment closers left? Else the first odd char. */
static const char *trailing_junk(const char *p, const char *e)
{
	for (p = skip_space(p, e); p < e; p = skip_space(p, e)) {
		const char *next = NULL;
		for (size_t i = 0; comment_close[i] && !next; i++)
			next = after_prefix(p, e, comment_close[i]);
		if (!next)
			return p;
		p = next;
	}
	return NULL;
}

static void set_junk(struct marker_line *m, const char *after, const char *e)
{
	const char *p = m->junk = trailing_junk(after, e);
	while (p && p < e && *p != ' ' && *p != '\t')
		p++;
	m->junk_len = p ? (size_t)(p - m->junk) : 0;
}

/* Does a word end at q: end of line, a blank or a comment closer? */
static int word_ends(const char *q, const char *e)
{
	if (q == e || *q == ' ' || *q == '\t')
		return 1;
	for (size_t i = 0; comment_close[i]; i++)
		if (after_prefix(q, e, comment_close[i]))
			return 1;
	return 0;
}

static void parse_marker(struct marker_line *m, const char *line, const char *e)
{
	const char *p = skip_space(line, e), *q = NULL;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; comment_open[i] && !q; i++)
		q = after_prefix(p, e, comment_open[i]);
	if (!q)
		return;
	p = skip_space(q, e);
	m->col = (size_t)(p - line) + 1;
	if ((q = after_prefix(p, e, "bkgen:endif")) && word_ends(q, e)) {
		m->kind = MARK_ENDIF;
		set_junk(m, q, e);
	} else if ((q = after_prefix(p, e, "bkgen:if")) && q < e && (*q == ' ' || *q == '\t')) {
		m->kind = MARK_IF;
		m->cond = skip_space(q, e);
		for (q = m->cond; !word_ends(q, e); q++)
			;
		m->cond_len = (size_t)(q - m->cond);
		set_junk(m, q, e);
	}
}

#define MAX_DEPTH 32

struct block_state {
	int keep[MAX_DEPTH];
	size_t open_line[MAX_DEPTH], open_col[MAX_DEPTH];
	size_t depth;
};

static int kept(const struct block_state *s)
{
	for (size_t i = 0; i < s->depth; i++)
		if (!s->keep[i])
			return 0;
	return 1;
}

static int on_marker(struct block_state *s, const struct marker_line *m, size_t line,
		     const char *path, const struct bk_template *t,
		     const struct bk_answers *a, struct bk_err *err)
{
	struct bk_tcond c;
	struct bk_err why = { 0 };

	if (m->junk)
		return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: unexpected '%.*s' after the %s marker",
				  path, line, m->col, (int)(m->junk_len < 40 ? m->junk_len : 40), m->junk,
				  m->kind == MARK_IF ? "bkgen:if" : "bkgen:endif");
	if (m->kind == MARK_ENDIF) {
		if (!s->depth)
			return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: 'bkgen:endif' without a 'bkgen:if' before it",
					  path, line, m->col);
		s->depth--;
		return 0;
	}
	if (s->depth == MAX_DEPTH)
		return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: 'bkgen:if' blocks nest deeper than %d",
				  path, line, m->col, MAX_DEPTH);
	if (!m->cond_len || bk_tcond_parse(&c, t, m->cond, m->cond_len, &why))
		return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: bad condition in 'bkgen:if': %s", path, line, m->col,
				  m->cond_len ? why.msg : "no option named (e.g. '# bkgen:if docker')");
	s->keep[s->depth] = bk_tcond_eval(&c, t, a);
	s->open_line[s->depth] = line;
	s->open_col[s->depth++] = m->col;
	bk_tcond_release(&c);
	return 0;
}

int bk_render_blocks(struct bk_buf *out, const char *path, const char *text,
		     size_t len, const struct bk_template *t,
		     const struct bk_answers *a, struct bk_err *err)
{
	struct block_state s = { .depth = 0 };
	size_t line = 0;
	int rc;

	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end, *e = nl ? nl : end;
		struct marker_line m;

		line++;
		if (e > p && e[-1] == '\r')
			e--;
		parse_marker(&m, p, e);
		if (m.kind != MARK_NONE) {
			if ((rc = on_marker(&s, &m, line, path, t, a, err)))
				return rc;
		} else if (kept(&s)) {
			bk_buf_add(out, p, (size_t)(next - p));
		}
		p = next;
	}
	if (s.depth)
		return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: 'bkgen:if' is never closed (add a 'bkgen:endif' line)",
				  path, s.open_line[s.depth - 1], s.open_col[s.depth - 1]);
	return 0;
}

/* ---- the plan ---- */

int bk_path_is_safe(const char *rel)
{
	if (!*rel || rel[0] == '/')
		return 0;
	for (const char *seg = rel; seg;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (!n || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
			return 0;
		seg = slash ? slash + 1 : NULL;
	}
	return 1;
}

static int matches_any(char *const *globs, size_t nr, const char *rel)
{
	for (size_t i = 0; i < nr; i++)
		if (bk_glob_match(globs[i], rel))
			return 1;
	return 0;
}

struct planner {
	const struct bk_template *t;
	const struct bk_answers *a;
	struct bk_renamer names;
	struct bk_git_ignore *ignore;
	struct bk_render_plan *plan;
	struct bk_err *err;
};

static int selected(const struct planner *pl, const char *rel)
{
	for (size_t i = 0; i < pl->t->files_nr; i++)
		if (bk_glob_match(pl->t->files[i].glob, rel) &&
		    !bk_tcond_eval(&pl->t->files[i].when, pl->t, pl->a))
			return 0;
	return 1;
}

static int plan_file(struct planner *pl, const char *rel, const struct stat *st)
{
	struct bk_buf dst = BK_BUF_INIT;

	if (!selected(pl, rel))
		return 0;
	bk_renamer_apply(&pl->names, &dst, rel, strlen(rel));
	if (!bk_path_is_safe(dst.ptr)) {
		int rc = bk_err_set(pl->err, BK_ECONFIG, "%s/%s: renders to '%s', which is not a path inside the project",
				    pl->t->dir, rel, dst.ptr);
		bk_buf_release(&dst);
		return rc;
	}
	if (!strcmp(dst.ptr, BK_ANSWERS_FILE)) {
		bk_buf_release(&dst);
		return 0;
	}
	BK_ALLOC_GROW(pl->plan->files, pl->plan->nr + 1, pl->plan->alloc);
	struct bk_render_file *f = &pl->plan->files[pl->plan->nr++];
	f->src = bk_xstrdup(rel);
	f->dst = bk_buf_detach(&dst);
	f->verbatim = matches_any(pl->t->verbatim, pl->t->verbatim_nr, rel);
	f->executable = (st->st_mode & S_IXUSR) != 0;
	return 0;
}

static int plan_dir(struct planner *pl, struct bk_buf *abs, struct bk_buf *rel);

/* Files from `include:`, checked at load; written under their `to` path. */
static void plan_includes(struct planner *pl)
{
	for (size_t i = 0; i < pl->t->include_nr; i++) {
		const struct bk_tinclude *inc = &pl->t->include[i];
		struct bk_buf dst = BK_BUF_INIT, abs = BK_BUF_INIT;
		struct stat st;

		bk_renamer_apply(&pl->names, &dst, inc->to, strlen(inc->to));
		bk_buf_printf(&abs, "%s/%s", pl->t->dir, inc->from);
		BK_ALLOC_GROW(pl->plan->files, pl->plan->nr + 1, pl->plan->alloc);
		struct bk_render_file *f = &pl->plan->files[pl->plan->nr++];
		f->src = bk_xstrdup(inc->from);
		f->dst = bk_buf_detach(&dst);
		f->verbatim = matches_any(pl->t->verbatim, pl->t->verbatim_nr, inc->to);
		f->executable = !stat(abs.ptr, &st) && (st.st_mode & S_IXUSR);
		bk_buf_release(&abs);
	}
}

static int plan_entry(struct planner *pl, struct bk_buf *abs, struct bk_buf *rel,
		      const char *name)
{
	size_t abs_len = abs->len, rel_len = rel->len;
	struct stat st;
	int rc = 0;

	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git") ||
	    (!rel_len && !strcmp(name, BK_TEMPLATE_MANIFEST)))
		return 0;
	bk_buf_printf(abs, "/%s", name);
	bk_buf_printf(rel, "%s%s", rel_len ? "/" : "", name);
	if (lstat(abs->ptr, &st))
		rc = bk_err_set(pl->err, BK_EIO, "cannot read template file '%s': %s", abs->ptr, strerror(errno));
	else if (bk_git_ignore_has(pl->ignore, rel->ptr, S_ISDIR(st.st_mode)))
		;
	else if (S_ISDIR(st.st_mode)) {
		bk_buf_putc(rel, '/');   /* a directory, for "dir/" globs */
		if (!matches_any(pl->t->exclude, pl->t->exclude_nr, rel->ptr)) {
			rel->ptr[--rel->len] = '\0';
			rc = plan_dir(pl, abs, rel);
		}
	} else if (S_ISLNK(st.st_mode))
		rc = bk_err_set(pl->err, BK_ECONFIG,
				"template file '%s' is a symbolic link; a template holds only regular files and "
				"directories, so that nothing is written outside the project", abs->ptr);
	else if (!S_ISREG(st.st_mode))
		rc = bk_err_set(pl->err, BK_ECONFIG, "template file '%s' is not a regular file or directory", abs->ptr);
	else if (!matches_any(pl->t->exclude, pl->t->exclude_nr, rel->ptr))
		rc = plan_file(pl, rel->ptr, &st);
	abs->ptr[abs->len = abs_len] = '\0';
	rel->ptr[rel->len = rel_len] = '\0';
	return rc;
}

static int plan_dir(struct planner *pl, struct bk_buf *abs, struct bk_buf *rel)
{
	DIR *dir = opendir(abs->ptr);
	struct dirent *e;
	int rc = 0;

	if (!dir)
		return bk_err_set(pl->err, BK_EIO, "cannot read template directory '%s': %s", abs->ptr, strerror(errno));
	while (!rc && (e = readdir(dir)))
		rc = plan_entry(pl, abs, rel, e->d_name);
	closedir(dir);
	return rc;
}

static int by_dst(const void *a, const void *b)
{
	return strcmp(((const struct bk_render_file *)a)->dst, ((const struct bk_render_file *)b)->dst);
}

int bk_render_plan(struct bk_render_plan *out, const struct bk_template *t,
		   const struct bk_answers *a, struct bk_err *err)
{
	struct planner pl = { .t = t, .a = a, .plan = out, .err = err };
	struct bk_buf abs = BK_BUF_INIT, rel = BK_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	bk_renamer_init(&pl.names, t->source_name, a->name);
	bk_git_ignore_open(&pl.ignore, t->dir);
	bk_buf_puts(&abs, t->dir);
	if (!(rc = plan_dir(&pl, &abs, &rel)))
		plan_includes(&pl);
	if (!rc && out->nr)
		qsort(out->files, out->nr, sizeof(*out->files), by_dst);
	for (size_t i = 1; !rc && i < out->nr; i++)
		if (!strcmp(out->files[i - 1].dst, out->files[i].dst))
			rc = bk_err_set(err, BK_ECONFIG,
					"template files '%s' and '%s' both render to '%s' for the name '%s'; rename one in the template",
					out->files[i - 1].src, out->files[i].src, out->files[i].dst, a->name);
	bk_renamer_release(&pl.names);
	bk_git_ignore_free(pl.ignore);
	bk_buf_release(&abs);
	bk_buf_release(&rel);
	if (rc)
		bk_render_plan_release(out);
	return rc;
}

void bk_render_plan_release(struct bk_render_plan *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		free(p->files[i].src);
		free(p->files[i].dst);
	}
	free(p->files);
	memset(p, 0, sizeof(*p));
}

int bk_render_contents(struct bk_buf *out, const struct bk_template *t,
		       const struct bk_answers *a, const struct bk_renamer *r,
		       const struct bk_render_file *f, struct bk_err *err)
{
	struct bk_buf path = BK_BUF_INIT, raw = BK_BUF_INIT, kept_lines = BK_BUF_INIT;
	struct bk_buf valued = BK_BUF_INIT;
	int rc = 0;

	bk_buf_printf(&path, "%s/%s", t->dir, f->src);
	if (bk_read_file(&raw, path.ptr))
		rc = bk_err_set(err, BK_EIO, "cannot read template file '%s': %s", path.ptr, strerror(errno));
	else if (f->verbatim)
		bk_buf_add(out, raw.ptr, raw.len);
	else if (!(rc = bk_render_blocks(&kept_lines, path.ptr, raw.ptr, raw.len, t, a, err))) {
		bk_template_apply_replace(&valued, t, a, f->src, kept_lines.ptr, kept_lines.len);
		bk_renamer_apply(r, out, valued.ptr, valued.len);
	}
	bk_buf_release(&valued);
	bk_buf_release(&path);
	bk_buf_release(&raw);
	bk_buf_release(&kept_lines);
	return rc;
}
