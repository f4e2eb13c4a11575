/*
 * libyaml adapter. The document API resolves aliases for us; positions
 * come from the node marks (0-based in libyaml, 1-based here).
 */
#include "base/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "base/role.h"
#include "base/util.h"

struct bk_ydoc {
	yaml_document_t doc;
	char *path;
	const char *text; /* borrowed: only used while loading/locating */
	char *text_copy;
	size_t len;
};

static int parser_error(const yaml_parser_t *p, const char *path, struct bk_err *err)
{
	return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: invalid YAML: %s%s%s",
			  path, p->problem_mark.line + 1, p->problem_mark.column + 1,
			  p->problem ? p->problem : "syntax error", p->context ? " " : "",
			  p->context ? p->context : "");
}

static int event_error(const yaml_event_t *ev, const char *path, const char *what,
		       struct bk_err *err)
{
	return bk_err_set(err, BK_ECONFIG, "%s:%zu:%zu: %s", path, ev->start_mark.line + 1,
			  ev->start_mark.column + 1, what);
}

static const yaml_char_t *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.anchor;
	default: return NULL;
	}
}

/*
 * libyaml's loader takes time quadratic in the nesting depth (400 KB of
 * '[' ran for minutes) and in the number of anchors (each alias is looked
 * up in a list). Its event parser, stopped at the first event past a
 * bound, checks both cheaply before the document is loaded.
 */
static int check_shape(const char *path, const char *text, size_t len, struct bk_err *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, anchors = 0, done = 0, rc = 0;

	if (len > BK_YAML_MAX_SIZE)
		return bk_err_set(err, BK_ECONFIG, "%s:1:1: %zu bytes, more than the %d a "
				  "YAML file of bkgen may hold", path, len, BK_YAML_MAX_SIZE);
	if (!yaml_parser_initialize(&p))
		return bk_err_set(err, BK_EIO, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&p, path, err);
			break;
		}
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > BK_YAML_MAX_DEPTH)
				rc = event_error(&ev, path, "YAML nested deeper than "
						 BK_YAML_STR(BK_YAML_MAX_DEPTH) " levels", err);
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		} else if (ev.type == YAML_DOCUMENT_END_EVENT || ev.type == YAML_STREAM_END_EVENT) {
			done = 1; /* only the first document is loaded */
		}
		if (!rc && event_anchor(&ev) && ++anchors > BK_YAML_MAX_ANCHORS)
			rc = event_error(&ev, path, "more than " BK_YAML_STR(BK_YAML_MAX_ANCHORS)
					 " YAML anchors", err);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

int bk_ydoc_load(struct bk_ydoc **out, const char *path, const char *text,
		 size_t len, struct bk_err *err)
{
	yaml_parser_t parser;
	struct bk_ydoc *d;
	int rc = 0;

	if ((rc = check_shape(path, text, len, err)))
		return rc;
	d = bk_xcalloc(1, sizeof(*d));
	d->path = bk_xstrdup(path);
	d->text_copy = bk_xstrndup(text, len);
	d->text = d->text_copy;
	d->len = len;
	if (!yaml_parser_initialize(&parser)) {
		free(d->path);
		free(d->text_copy);
		free(d);
		return bk_err_set(err, BK_EIO, "cannot initialise the YAML parser");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)d->text, len);
	if (!yaml_parser_load(&parser, &d->doc)) {
		rc = parser_error(&parser, path, err);
		yaml_parser_delete(&parser);
		free(d->path);
		free(d->text_copy);
		free(d);
		return rc;
	}
	yaml_parser_delete(&parser);
	*out = d;
	return 0;
}

void bk_ydoc_free(struct bk_ydoc *d)
{
	if (!d)
		return;
	yaml_document_delete(&d->doc);
	free(d->path);
	free(d->text_copy);
	free(d);
}

const char *bk_ydoc_path(const struct bk_ydoc *d)
{
	return d->path;
}

static yaml_node_t *node_at(const struct bk_ydoc *d, int id)
{
	if (id <= 0)
		return NULL;
	return yaml_document_get_node((yaml_document_t *)&d->doc, id);
}

int bk_ydoc_root(const struct bk_ydoc *d)
{
	yaml_node_t *root = yaml_document_get_root_node((yaml_document_t *)&d->doc);
	return root ? (int)(root - d->doc.nodes.start) + 1 : 0;
}

enum bk_ykind bk_ynode_kind(const struct bk_ydoc *d, int id)
{
	yaml_node_t *n = node_at(d, id);
	if (!n)
		return BK_Y_NONE;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return BK_Y_SCALAR;
	case YAML_SEQUENCE_NODE:
		return BK_Y_SEQ;
	case YAML_MAPPING_NODE:
		return BK_Y_MAP;
	default:
		return BK_Y_NONE;
	}
}

const char *bk_ynode_scalar(const struct bk_ydoc *d, int id)
{
	yaml_node_t *n = node_at(d, id);
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int bk_ynode_plain(const struct bk_ydoc *d, int id)
{
	yaml_node_t *n = node_at(d, id);
	return n && n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

size_t bk_ynode_len(const struct bk_ydoc *d, int id)
{
	yaml_node_t *n = node_at(d, id);
	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return 0;
}

int bk_ynode_item(const struct bk_ydoc *d, int id, size_t i)
{
	yaml_node_t *n = node_at(d, id);
	if (!n || n->type != YAML_SEQUENCE_NODE || i >= bk_ynode_len(d, id))
		return 0;
	return n->data.sequence.items.start[i];
}

int bk_ynode_pair(const struct bk_ydoc *d, int id, size_t i, int *key)
{
	yaml_node_t *n = node_at(d, id);
	if (!n || n->type != YAML_MAPPING_NODE || i >= bk_ynode_len(d, id))
		return 0;
	yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
	if (key)
		*key = p->key;
	return p->value;
}

int bk_ynode_get(const struct bk_ydoc *d, int map, const char *key)
{
	size_t n = bk_ynode_len(d, map);
	for (size_t i = 0; i < n; i++) {
		int k, v = bk_ynode_pair(d, map, i, &k);
		const char *s = bk_ynode_scalar(d, k);
		if (s && !strcmp(s, key))
			return v;
	}
	return 0;
}

void bk_ynode_pos(const struct bk_ydoc *d, int id, uint32_t *line, uint32_t *col)
{
	yaml_node_t *n = node_at(d, id);
	*line = n ? (uint32_t)n->start_mark.line + 1 : 1;
	*col = n ? (uint32_t)n->start_mark.column + 1 : 1;
}

/* Leading spaces of the line starting at p. */
static size_t indent_at(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && p[n] == ' ')
		n++;
	return n;
}

void bk_ynode_text_pos(const struct bk_ydoc *d, int id, size_t offset,
		       uint32_t *line, uint32_t *col)
{
	yaml_node_t *n = node_at(d, id);
	const char *value;
	uint32_t lines = 0;
	size_t line_start = 0;

	bk_ynode_pos(d, id, line, col);
	if (!n || n->type != YAML_SCALAR_NODE)
		return;
	value = (const char *)n->data.scalar.value;
	for (size_t i = 0; i < offset && value[i]; i++)
		if (value[i] == '\n') {
			lines++;
			line_start = i + 1;
		}
	if (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
		/* Content starts on the line after the indicator. */
		const char *p = d->text + n->start_mark.index;
		const char *end = d->text + d->len;
		while (p < end && *p != '\n')
			p++;
		if (p < end)
			p++;
		/* The indentation is set by the first non-blank line. */
		while (p < end && p[indent_at(p, end)] == '\n') {
			p += indent_at(p, end) + 1;
		}
		*line = (uint32_t)n->start_mark.line + 2 + lines;
		*col = (uint32_t)(indent_at(p, end) + (offset - line_start)) + 1;
		return;
	}
	*line += lines;
	if (lines)
		*col = (uint32_t)(offset - line_start) + 1;
	else
		*col += (uint32_t)offset +
			(n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1);
}

int bk_yerr(struct bk_err *err, const struct bk_ydoc *d, int node,
	    const char *fmt, ...)
{
	char msg[1536];
	uint32_t line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bk_ynode_pos(d, node, &line, &col);
	return bk_err_set(err, BK_ECONFIG, "%s:%u:%u: %s", d->path, line, col, msg);
}

int bk_ymap_check_keys(const struct bk_ydoc *d, int map,
		       const char *const *allowed, const char *what,
		       struct bk_err *err)
{
	size_t n = bk_ynode_len(d, map);
	for (size_t i = 0; i < n; i++) {
		int k;
		const char *const *a;
		struct bk_buf list = BK_BUF_INIT;
		int rc;

		bk_ynode_pair(d, map, i, &k);
		const char *s = bk_ynode_scalar(d, k);
		if (!s)
			return bk_yerr(err, d, k, "%s keys must be plain strings", what);
		for (a = allowed; *a; a++)
			if (!strcmp(*a, s))
				break;
		if (*a)
			continue;
		for (a = allowed; *a; a++)
			bk_buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
		rc = bk_yerr(err, d, k, "unknown key '%s' in %s (expected one of: %s)",
			     s, what, list.ptr);
		bk_buf_release(&list);
		return rc;
	}
	return 0;
}

int bk_yget_string(char **out, const struct bk_ydoc *d, int map, const char *key,
		   int required, struct bk_err *err)
{
	int v = bk_ynode_get(d, map, key);
	const char *s;

	if (!v)
		return required ? bk_yerr(err, d, map, "missing required key '%s'", key) : 0;
	if (!(s = bk_ynode_scalar(d, v)) || !*s)
		return bk_yerr(err, d, v, "'%s' must be a non-empty string", key);
	*out = bk_xstrdup(s);
	return 0;
}

int bk_yget_strings(char ***out, size_t *nr, const struct bk_ydoc *d, int node,
		    const char *what, struct bk_err *err)
{
	size_t n = bk_ynode_kind(d, node) == BK_Y_SEQ ? bk_ynode_len(d, node) : 1;

	if (bk_ynode_kind(d, node) != BK_Y_SCALAR && bk_ynode_kind(d, node) != BK_Y_SEQ)
		return bk_yerr(err, d, node, "'%s' must be a string or a list of strings", what);
	*out = bk_xrealloc(*out, (*nr + n + 1) * sizeof(char *));
	if (bk_ynode_kind(d, node) == BK_Y_SCALAR) {
		(*out)[(*nr)++] = bk_xstrdup(bk_ynode_scalar(d, node));
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int item = bk_ynode_item(d, node, i);
		const char *s = bk_ynode_scalar(d, item);
		if (!s)
			return bk_yerr(err, d, item, "items of '%s' must be strings", what);
		(*out)[(*nr)++] = bk_xstrdup(s);
	}
	return 0;
}

int bk_yget_roles(unsigned *out, const struct bk_ydoc *d, int node, const char *what,
		  struct bk_err *err)
{
	size_t n = bk_ynode_kind(d, node) == BK_Y_SEQ ? bk_ynode_len(d, node) : 1;

	if (bk_ynode_kind(d, node) != BK_Y_SCALAR && bk_ynode_kind(d, node) != BK_Y_SEQ)
		return bk_yerr(err, d, node, "'%s' must be a role or a list of roles", what);
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		int item = bk_ynode_kind(d, node) == BK_Y_SEQ ? bk_ynode_item(d, node, i) : node;
		const char *s = bk_ynode_scalar(d, item), *bad;
		size_t bad_len;
		unsigned mask;
		if (!s || strchr(s, ',') || bk_roles_parse(&mask, s, &bad, &bad_len))
			return bk_yerr(err, d, item, "unknown role '%s' in '%s' (expected all, "
				       "or any of: source, test, seed, migration, vendored, "
				       "generated, example, browser)", s ? s : "", what);
		*out |= mask;
	}
	if (!*out)
		return bk_yerr(err, d, node, "'%s' names no role", what);
	return 0;
}
