/*
 * template.yml: loading and validation. Everything a render needs is
 * checked here, with file:line:col, so that rendering never reports a
 * manifest problem: keys, option types, defaults against their own
 * validation, conditions naming real options, globs that stay inside the
 * template.
 */
#include "template/template.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "base/regex.h"
#include "base/yaml.h"

struct loader {
	const struct bk_ydoc *doc;
	struct bk_template *t;
	struct bk_err *err;
};

static const char *const top_keys[] = {
	"name", "language", "summary", "source-name", "version", "options",
	"files", "verbatim", "exclude", "include", "next-steps", NULL,
};

static const char *const opt_keys[] = {
	"type", "default", "help", "pattern", "min", "max", "choices", "replace", NULL,
};

static const char *const type_names[] = {
	[BK_TOPT_STRING] = "string", [BK_TOPT_BOOL] = "bool",
	[BK_TOPT_INT] = "int", [BK_TOPT_CHOICE] = "choice",
};

const char *bk_topt_type_name(enum bk_topt_type type)
{
	return type_names[type];
}

/* One line for --list: a folded summary (>) ends in a newline. */
static int trim_summary(struct loader *l, int root)
{
	char *s = l->t->summary;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (!n || strchr(s, '\n'))
		return bk_yerr(l->err, l->doc, bk_ynode_get(l->doc, root, "summary"), "'summary' must be one line");
	return 0;
}

static int check_source_name(struct loader *l, int root)
{
	int v = bk_ynode_get(l->doc, root, "source-name");
	struct bk_err why = { 0 };

	if (bk_name_check(l->t->source_name, &why))
		return bk_yerr(l->err, l->doc, v, "bad source-name: %s", why.msg);
	if (!strchr(l->t->source_name, '-'))
		return bk_yerr(l->err, l->doc, v,
			       "source-name '%s' needs at least two words (e.g. acme-payments) so that its case forms differ",
			       l->t->source_name);
	return 0;
}

/* A glob (or path) from the manifest: relative, never climbing out. */
static int get_glob(struct loader *l, int node, const char *key, char **out)
{
	const char *s = bk_ynode_scalar(l->doc, node);

	if (!s || !*s)
		return bk_yerr(l->err, l->doc, node, "items of '%s' must be non-empty paths or globs", key);
	const char *p = s[0] == '/' ? s + 1 : s;
	for (const char *seg = p; seg;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 2 && !strncmp(seg, "..", 2))
			return bk_yerr(l->err, l->doc, node,
				       "path '%s' in '%s' leaves the template directory ('..' is not allowed)", s, key);
		seg = slash ? slash + 1 : NULL;
	}
	*out = bk_xstrdup(s);
	return 0;
}

static int get_globs(struct loader *l, int root, const char *key, char ***out,
		     size_t *nr)
{
	int v = bk_ynode_get(l->doc, root, key);
	int rc = 0;

	if (!v)
		return 0;
	if (bk_ynode_kind(l->doc, v) != BK_Y_SEQ)
		return bk_yerr(l->err, l->doc, v, "'%s' must be a list of paths or globs", key);
	*out = bk_xcalloc(bk_ynode_len(l->doc, v) + 1, sizeof(char *));
	for (size_t i = 0; i < bk_ynode_len(l->doc, v) && !rc; i++)
		if (!(rc = get_glob(l, bk_ynode_item(l->doc, v, i), key, &(*out)[*nr])))
			(*nr)++;
	return rc;
}

static int parse_type(struct loader *l, struct bk_topt *o, int map)
{
	int v = bk_ynode_get(l->doc, map, "type");
	const char *s = v ? bk_ynode_scalar(l->doc, v) : NULL;

	if (!v)
		return bk_yerr(l->err, l->doc, map, "option '%s' has no 'type' (string, bool, int or choice)", o->name);
	for (int i = 0; s && i < (int)(sizeof(type_names) / sizeof(*type_names)); i++)
		if (!strcmp(s, type_names[i])) {
			o->type = (enum bk_topt_type)i;
			return 0;
		}
	return bk_yerr(l->err, l->doc, v, "bad type '%s' for option '%s' (expected string, bool, int or choice)",
		       s ? s : "(not a string)", o->name);
}

/* A key that only some types take. */
static int only_for(struct loader *l, const struct bk_topt *o, int map,
		    const char *key, enum bk_topt_type type)
{
	int v = bk_ynode_get(l->doc, map, key);
	if (v && o->type != type)
		return bk_yerr(l->err, l->doc, v, "'%s' applies only to %s options, and '%s' is %s",
			       key, type_names[type], o->name, type_names[o->type]);
	return 0;
}

static int parse_int_bound(struct loader *l, int map, const char *key,
			   long long *out)
{
	int v = bk_ynode_get(l->doc, map, key);
	const char *s = v ? bk_ynode_scalar(l->doc, v) : NULL;
	char *end;

	if (!v)
		return 0;
	errno = 0;
	*out = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || errno)
		return bk_yerr(l->err, l->doc, v, "'%s' must be an integer", key);
	return 0;
}

static int parse_choices(struct loader *l, struct bk_topt *o, int map)
{
	int v = bk_ynode_get(l->doc, map, "choices");
	size_t n = bk_ynode_len(l->doc, v);

	if (!v || bk_ynode_kind(l->doc, v) != BK_Y_SEQ || !n)
		return bk_yerr(l->err, l->doc, v ? v : map,
			       "choice option '%s' needs 'choices', a non-empty list", o->name);
	o->choices = bk_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		int item = bk_ynode_item(l->doc, v, i);
		const char *s = bk_ynode_scalar(l->doc, item);
		if (!s || !*s)
			return bk_yerr(l->err, l->doc, item, "choices of '%s' must be non-empty strings", o->name);
		for (size_t j = 0; j < o->choices_nr; j++)
			if (!strcmp(o->choices[j], s))
				return bk_yerr(l->err, l->doc, item, "choice '%s' of '%s' is listed twice", s, o->name);
		o->choices[o->choices_nr++] = bk_xstrdup(s);
	}
	return 0;
}

static int parse_pattern(struct loader *l, struct bk_topt *o, int map)
{
	int v = bk_ynode_get(l->doc, map, "pattern");
	struct bk_regex *plain = NULL;
	struct bk_buf where = BK_BUF_INIT, anchored = BK_BUF_INIT;
	uint32_t line, col;
	int rc;

	if (!v)
		return 0;
	if (!bk_ynode_scalar(l->doc, v) || !*bk_ynode_scalar(l->doc, v))
		return bk_yerr(l->err, l->doc, v, "'pattern' of '%s' must be a non-empty regex", o->name);
	o->pattern = bk_xstrdup(bk_ynode_scalar(l->doc, v));
	bk_ynode_pos(l->doc, v, &line, &col);
	bk_buf_printf(&where, "%s:%u:%u", bk_ydoc_path(l->doc), line, col);
	/* The plain pattern first, so that errors show the author's text. */
	rc = bk_regex_new(&plain, o->pattern, where.ptr, l->err);
	bk_regex_free(plain);
	if (!rc) {
		bk_buf_printf(&anchored, "\\A(?:%s)\\z", o->pattern);
		rc = bk_regex_new(&o->re, anchored.ptr, where.ptr, l->err);
	}
	bk_buf_release(&where);
	bk_buf_release(&anchored);
	return rc;
}

static int parse_default(struct loader *l, struct bk_topt *o, int map)
{
	int v = bk_ynode_get(l->doc, map, "default");
	const char *s = v ? bk_ynode_scalar(l->doc, v) : NULL;
	struct bk_err why = { 0 };

	if (!v)
		return 0;
	if (!s)
		return bk_yerr(l->err, l->doc, v, "default of '%s' must be a single value", o->name);
	if (bk_topt_check(&o->def, o, s, &why))
		return bk_yerr(l->err, l->doc, v, "bad default for option '%s': %s", o->name, why.msg);
	return 0;
}

static int parse_option(struct loader *l, struct bk_topt *o, int key, int map)
{
	const char *name = bk_ynode_scalar(l->doc, key);
	int rc;

	if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name) ||
	    !(name[0] >= 'a' && name[0] <= 'z'))
		return bk_yerr(l->err, l->doc, key, "option names are lowercase words (a-z, 0-9, '-', '_'), not '%s'",
			       name ? name : "");
	o->name = bk_xstrdup(name);
	if (bk_ynode_kind(l->doc, map) != BK_Y_MAP)
		return bk_yerr(l->err, l->doc, map, "option '%s' must be a mapping (type, default, help, ...)", name);
	if ((rc = bk_ymap_check_keys(l->doc, map, opt_keys, "an option", l->err)) ||
	    (rc = parse_type(l, o, map)) || (rc = only_for(l, o, map, "pattern", BK_TOPT_STRING)) ||
	    (rc = only_for(l, o, map, "min", BK_TOPT_INT)) || (rc = only_for(l, o, map, "max", BK_TOPT_INT)) ||
	    (rc = only_for(l, o, map, "choices", BK_TOPT_CHOICE)))
		return rc;
	o->min = o->type == BK_TOPT_INT ? LLONG_MIN : 0;
	o->max = o->type == BK_TOPT_INT ? LLONG_MAX : 0;
	if ((rc = parse_int_bound(l, map, "min", &o->min)) || (rc = parse_int_bound(l, map, "max", &o->max)))
		return rc;
	if (o->min > o->max)
		return bk_yerr(l->err, l->doc, bk_ynode_get(l->doc, map, "min"),
			       "empty range for '%s': min %lld is above max %lld", name, o->min, o->max);
	if ((o->type == BK_TOPT_CHOICE && (rc = parse_choices(l, o, map))) ||
	    (rc = parse_pattern(l, o, map)) || (rc = bk_yget_string(&o->help, l->doc, map, "help", 0, l->err)) ||
	    (rc = parse_default(l, o, map)))
		return rc;
	int replace = bk_ynode_get(l->doc, map, "replace");
	return replace ? bk_template_parse_replace(o, l->t, l->doc, replace, l->err) : 0;
}

static int parse_options(struct loader *l, int root)
{
	int v = bk_ynode_get(l->doc, root, "options");
	int rc = 0;

	if (!v)
		return 0;
	if (bk_ynode_kind(l->doc, v) != BK_Y_MAP)
		return bk_yerr(l->err, l->doc, v, "'options' must be a mapping of option name to its definition");
	size_t n = bk_ynode_len(l->doc, v);
	l->t->opts = bk_xcalloc(n + 1, sizeof(*l->t->opts));
	for (size_t i = 0; i < n && !rc; i++) {
		int key, map = bk_ynode_pair(l->doc, v, i, &key);
		rc = parse_option(l, &l->t->opts[i], key, map);
		l->t->opts_nr = i + 1;
		if (!rc && bk_template_option(l->t, l->t->opts[i].name) != (int)i)
			rc = bk_yerr(l->err, l->doc, key, "option '%s' is defined twice", l->t->opts[i].name);
	}
	return rc;
}

static int parse_file_rule(struct loader *l, struct bk_tfile_rule *f, int map)
{
	static const char *const keys[] = { "path", "when", NULL };
	int path, when, rc;
	struct bk_err why = { 0 };
	const char *s;

	if (bk_ynode_kind(l->doc, map) != BK_Y_MAP)
		return bk_yerr(l->err, l->doc, map, "items of 'files' are mappings: {path: GLOB, when: OPTION}");
	if ((rc = bk_ymap_check_keys(l->doc, map, keys, "a 'files' item", l->err)))
		return rc;
	if (!(path = bk_ynode_get(l->doc, map, "path")) || !(when = bk_ynode_get(l->doc, map, "when")))
		return bk_yerr(l->err, l->doc, map, "items of 'files' need both 'path' and 'when'");
	if ((rc = get_glob(l, path, "files", &f->glob)))
		return rc;
	if (!(s = bk_ynode_scalar(l->doc, when)) ||
	    bk_tcond_parse(&f->when, l->t, s, strlen(s), &why))
		return bk_yerr(l->err, l->doc, when, "bad condition: %s", s ? why.msg : "'when' must be a string");
	return 0;
}

static int parse_files(struct loader *l, int root)
{
	int v = bk_ynode_get(l->doc, root, "files");
	int rc = 0;

	if (!v)
		return 0;
	if (bk_ynode_kind(l->doc, v) != BK_Y_SEQ)
		return bk_yerr(l->err, l->doc, v, "'files' must be a list of {path: GLOB, when: OPTION}");
	l->t->files = bk_xcalloc(bk_ynode_len(l->doc, v) + 1, sizeof(*l->t->files));
	for (size_t i = 0; i < bk_ynode_len(l->doc, v) && !rc; i++) {
		rc = parse_file_rule(l, &l->t->files[i], bk_ynode_item(l->doc, v, i));
		l->t->files_nr = i + 1;
	}
	return rc;
}

static int parse_root(struct loader *l)
{
	const struct bk_ydoc *d = l->doc;
	struct bk_template *t = l->t;
	int root = bk_ydoc_root(d), rc;

	if (bk_ynode_kind(d, root) != BK_Y_MAP)
		return bk_err_set(l->err, BK_ECONFIG, "%s:1:1: a template manifest must be a mapping (name, language, ...)",
				  bk_ydoc_path(d));
	if ((rc = bk_ymap_check_keys(d, root, top_keys, "template", l->err)) ||
	    (rc = bk_yget_string(&t->name, l->doc, root, "name", 1, l->err)) ||
	    (rc = bk_yget_string(&t->language, l->doc, root, "language", 1, l->err)) ||
	    (rc = bk_yget_string(&t->summary, l->doc, root, "summary", 1, l->err)) || (rc = trim_summary(l, root)) ||
	    (rc = bk_yget_string(&t->source_name, l->doc, root, "source-name", 1, l->err)) ||
	    (rc = check_source_name(l, root)) ||
	    (rc = bk_yget_string(&t->version, l->doc, root, "version", 1, l->err)) ||
	    (rc = bk_yget_string(&t->next_steps, l->doc, root, "next-steps", 0, l->err)) ||
	    (rc = parse_options(l, root)) || (rc = parse_files(l, root)) ||
	    (rc = get_globs(l, root, "verbatim", &t->verbatim, &t->verbatim_nr)) ||
	    (rc = get_globs(l, root, "exclude", &t->exclude, &t->exclude_nr)))
		return rc;
	int include = bk_ynode_get(d, root, "include");
	return include ? bk_template_parse_include(t, d, include, l->err) : 0;
}

int bk_template_parse(struct bk_template *out, const char *dir, const char *path,
		      const char *text, size_t len, struct bk_err *err)
{
	struct bk_ydoc *doc = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->dir = bk_xstrdup(dir);
	out->manifest = bk_xstrdup(path);
	if ((rc = bk_ydoc_load(&doc, path, text, len, err)))
		goto out;
	struct loader l = { doc, out, err };
	rc = parse_root(&l);
out:
	bk_ydoc_free(doc);
	if (rc)
		bk_template_release(out);
	return rc;
}

int bk_template_load(struct bk_template *out, const char *dir, struct bk_err *err)
{
	struct bk_buf path = BK_BUF_INIT, text = BK_BUF_INIT, why = BK_BUF_INIT;
	int rc;

	bk_buf_printf(&path, "%s/%s", dir, BK_TEMPLATE_MANIFEST);
	memset(out, 0, sizeof(*out));
	if (bk_read_regular(&text, path.ptr, BK_YAML_MAX_SIZE, &why))
		rc = bk_err_set(err, BK_ECONFIG, "cannot read template manifest '%s': %s", path.ptr, why.ptr);
	else
		rc = bk_template_parse(out, dir, path.ptr, text.ptr, text.len, err);
	bk_buf_release(&path);
	bk_buf_release(&text);
	bk_buf_release(&why);
	return rc;
}

static void free_list(char **list, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(list[i]);
	free(list);
}

void bk_template_release(struct bk_template *t)
{
	bk_template_copy_release(t);
	for (size_t i = 0; i < t->opts_nr; i++) {
		struct bk_topt *o = &t->opts[i];
		free(o->name);
		free(o->help);
		free(o->def);
		free(o->pattern);
		bk_regex_free(o->re);
		free_list(o->choices, o->choices_nr);
	}
	free(t->opts);
	for (size_t i = 0; i < t->files_nr; i++) {
		free(t->files[i].glob);
		bk_tcond_release(&t->files[i].when);
	}
	free(t->files);
	free_list(t->verbatim, t->verbatim_nr);
	free_list(t->exclude, t->exclude_nr);
	free(t->dir);
	free(t->manifest);
	free(t->name);
	free(t->language);
	free(t->summary);
	free(t->source_name);
	free(t->version);
	free(t->next_steps);
	memset(t, 0, sizeof(*t));
}

int bk_template_option(const struct bk_template *t, const char *name)
{
	for (size_t i = 0; i < t->opts_nr; i++)
		if (t->opts[i].name && !strcmp(t->opts[i].name, name))
			return (int)i;
	return -1;
}
