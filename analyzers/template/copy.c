/*
 * What a template writes besides its own files as they stand: option
 * values put in place of their defaults at the exact spots `replace:`
 * lists, and files shared by all templates (`include:`, such as the API
 * contract templates/openapi.yaml). Both are checked when the manifest
 * loads: each text occurs exactly once and holds the default, and an
 * included file lies inside the directory holding the templates, so a
 * template cannot copy, say, ~/.ssh into a project.
 */
#include "template/template.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/yaml.h"

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	for (const char *p = hay; nl && (p = memmem(p, len - (size_t)(p - hay), needle, nl)); p += nl)
		n++;
	return n;
}

static int parse_replace_item(struct bk_treplace *r, const struct bk_topt *o,
			      const struct bk_template *t, const struct bk_ydoc *d,
			      int item, struct bk_err *err)
{
	static const char *const keys[] = { "file", "text", NULL };
	const char *file = bk_ynode_scalar(d, bk_ynode_get(d, item, "file"));
	const char *text = bk_ynode_scalar(d, bk_ynode_get(d, item, "text"));
	struct bk_buf path = BK_BUF_INIT, body = BK_BUF_INIT;
	int rc;

	if (bk_ynode_kind(d, item) != BK_Y_MAP)
		return bk_yerr(err, d, item, "items of 'replace' are {file: PATH, text: TEXT}");
	if ((rc = bk_ymap_check_keys(d, item, keys, "a 'replace' item", err)))
		return rc;
	if (!file || !text || !*text)
		return bk_yerr(err, d, item, "items of 'replace' need both 'file' and a non-empty 'text'");
	if (!bk_path_is_safe(file))
		return bk_yerr(err, d, bk_ynode_get(d, item, "file"), "'%s' is not a path inside the template", file);
	if (!strstr(text, o->def))
		return bk_yerr(err, d, bk_ynode_get(d, item, "text"), "text '%s' does not contain the default '%s' of '%s'",
			       text, o->def, o->name);
	bk_buf_printf(&path, "%s/%s", t->dir, file);
	if (bk_read_file(&body, path.ptr))
		rc = bk_yerr(err, d, bk_ynode_get(d, item, "file"), "cannot read '%s': %s", path.ptr, strerror(errno));
	else if (count(body.ptr, body.len, text) != 1)
		rc = bk_yerr(err, d, bk_ynode_get(d, item, "text"), "text '%s' occurs %zu times in %s (it must occur once)",
			     text, count(body.ptr, body.len, text), file);
	bk_buf_release(&path);
	bk_buf_release(&body);
	if (!rc) {
		r->file = bk_xstrdup(file);
		r->text = bk_xstrdup(text);
	}
	return rc;
}

int bk_template_parse_replace(struct bk_topt *o, const struct bk_template *t,
			      const struct bk_ydoc *d, int node, struct bk_err *err)
{
	size_t n = bk_ynode_len(d, node);
	int rc = 0;

	if (bk_ynode_kind(d, node) != BK_Y_SEQ || !n)
		return bk_yerr(err, d, node, "'replace' of '%s' must be a list of {file: PATH, text: TEXT}", o->name);
	if (!o->def)
		return bk_yerr(err, d, node, "option '%s' has 'replace' but no default to replace", o->name);
	o->replace = bk_xcalloc(n, sizeof(*o->replace));
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = parse_replace_item(&o->replace[o->replace_nr], o, t, d, bk_ynode_item(d, node, i), err)))
			o->replace_nr++;
	return rc;
}

/* Is the real path of from inside the directory holding the template? */
static int include_inside(const struct bk_template *t, const char *from)
{
	struct bk_buf path = BK_BUF_INIT;
	char root[PATH_MAX], real[PATH_MAX];
	struct stat st;
	int ok;

	bk_buf_printf(&path, "%s/..", t->dir);
	ok = realpath(path.ptr, root) != NULL;
	bk_buf_reset(&path);
	bk_buf_printf(&path, "%s/%s", t->dir, from);
	ok = ok && realpath(path.ptr, real) && !stat(real, &st) && S_ISREG(st.st_mode) &&
	     !strncmp(real, root, strlen(root)) && real[strlen(root)] == '/';
	bk_buf_release(&path);
	return ok;
}

static int parse_include_item(struct bk_tinclude *inc, const struct bk_template *t,
			      const struct bk_ydoc *d, int item, struct bk_err *err)
{
	static const char *const keys[] = { "from", "to", NULL };
	const char *from = bk_ynode_scalar(d, bk_ynode_get(d, item, "from"));
	const char *to = bk_ynode_scalar(d, bk_ynode_get(d, item, "to"));
	int rc;

	if (bk_ynode_kind(d, item) != BK_Y_MAP)
		return bk_yerr(err, d, item, "items of 'include' are {from: PATH, to: PATH}");
	if ((rc = bk_ymap_check_keys(d, item, keys, "an 'include' item", err)))
		return rc;
	if (!from || !to || !*from)
		return bk_yerr(err, d, item, "items of 'include' need both 'from' and 'to'");
	if (from[0] == '/' || !include_inside(t, from))
		return bk_yerr(err, d, bk_ynode_get(d, item, "from"),
			       "'%s' is not a regular file inside the directory that holds the template", from);
	if (!bk_path_is_safe(to))
		return bk_yerr(err, d, bk_ynode_get(d, item, "to"), "'%s' is not a path inside the project", to);
	inc->from = bk_xstrdup(from);
	inc->to = bk_xstrdup(to);
	return 0;
}

int bk_template_parse_include(struct bk_template *t, const struct bk_ydoc *d,
			      int node, struct bk_err *err)
{
	size_t n = bk_ynode_len(d, node);
	int rc = 0;

	if (bk_ynode_kind(d, node) != BK_Y_SEQ)
		return bk_yerr(err, d, node, "'include' must be a list of {from: PATH, to: PATH}");
	t->include = bk_xcalloc(n + 1, sizeof(*t->include));
	for (size_t i = 0; i < n && !rc; i++)
		if (!(rc = parse_include_item(&t->include[t->include_nr], t, d, bk_ynode_item(d, node, i), err)))
			t->include_nr++;
	return rc;
}

void bk_template_copy_release(struct bk_template *t)
{
	for (size_t i = 0; i < t->opts_nr; i++) {
		for (size_t k = 0; k < t->opts[i].replace_nr; k++) {
			free(t->opts[i].replace[k].file);
			free(t->opts[i].replace[k].text);
		}
		free(t->opts[i].replace);
	}
	for (size_t i = 0; i < t->include_nr; i++) {
		free(t->include[i].from);
		free(t->include[i].to);
	}
	free(t->include);
}

/*
 * Every occurrence of the default inside r->text becomes value (a port
 * mapping "8080:8080" names it twice); r->text may be gone (a dropped
 * block).
 */
static void replace_one(struct bk_buf *text, const struct bk_treplace *r, const char *def,
			const char *value)
{
	const char *at = memmem(text->ptr, text->len, r->text, strlen(r->text));
	size_t dl = strlen(def), start, end;
	struct bk_buf out = BK_BUF_INIT;

	if (!at || !dl)
		return;
	start = (size_t)(at - text->ptr);
	end = start + strlen(r->text);
	bk_buf_add(&out, text->ptr, start);
	for (size_t i = start; i < end;) {
		if (i + dl <= end && !memcmp(text->ptr + i, def, dl)) {
			bk_buf_puts(&out, value);
			i += dl;
		} else {
			bk_buf_putc(&out, text->ptr[i++]);
		}
	}
	bk_buf_add(&out, text->ptr + end, text->len - end);
	bk_buf_release(text);
	*text = out;
}

void bk_template_apply_replace(struct bk_buf *out, const struct bk_template *t,
			       const struct bk_answers *a, const char *src,
			       const char *text, size_t len)
{
	struct bk_buf cur = BK_BUF_INIT;

	bk_buf_add(&cur, text, len);
	for (size_t i = 0; i < t->opts_nr; i++)
		for (size_t k = 0; k < t->opts[i].replace_nr; k++)
			if (!strcmp(t->opts[i].replace[k].file, src) && a->values[i])
				replace_one(&cur, &t->opts[i].replace[k], t->opts[i].def, a->values[i]);
	bk_buf_add(out, cur.ptr, cur.len);
	bk_buf_release(&cur);
}
