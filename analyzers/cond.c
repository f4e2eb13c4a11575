/*
 * Structural conditions a plain query cannot say: "the reported node (or
 * its function, or the file) contains a match of Q" and "an ancestor of
 * the reported node matches Q", optionally tying captures of both matches
 * together by text (`same:`, e.g. the same curl handle).
 */
#include "engine-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static uint32_t capture_id(const TSQuery *q, const char *name)
{
	size_t n = strlen(name);
	for (uint32_t c = 0; c < ts_query_capture_count(q); c++) {
		uint32_t len;
		const char *s = ts_query_capture_name_for_id(q, c, &len);
		if (len == n && !memcmp(s, name, n))
			return c;
	}
	return NO_CAPTURE;
}

static void cond_where(void *data, uint32_t offset, char *buf, size_t n)
{
	const struct bk_cond *c = data;
	uint32_t l = c->loc.line, col = c->loc.col;
	for (uint32_t i = 0; i < offset && c->query_src[i]; i++) {
		if (c->query_src[i] == '\n') {
			l++;
			col = c->loc.col;
		} else {
			col++;
		}
	}
	snprintf(buf, n, "%s:%u:%u", c->loc.file, l, col);
}

int bk_cond_compile(struct cond_c *out, const struct bk_cond *src, int lang,
		    const TSQuery *main_q, const struct bk_rule *rule,
		    struct bk_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->src = src;
	out->scope_capture = NO_CAPTURE;
	if ((rc = bk_query_compile(&out->q, lang, src->query_src, rule->path,
				   src->loc.line, src->loc.col, err)))
		return rc;
	if ((rc = bk_predset_new(&out->preds, out->q, lang, cond_where,
				 (void *)src, err)))
		return rc;
	out->at_capture = capture_id(out->q, "at");
	if (src->scope == BK_SCOPE_CAPTURE &&
	    (out->scope_capture = capture_id(main_q, src->scope_capture)) == NO_CAPTURE)
		return bk_err_set(err, BK_ECONFIG,
				  "%s:%u:%u: 'in: %s' names no capture of the %s query",
				  rule->path, src->loc.line, src->loc.col,
				  src->scope_capture, bk_langs[lang].name);
	out->same_nr = src->same_nr;
	out->same_main = bk_xcalloc(src->same_nr + 1, sizeof(uint32_t));
	out->same_cond = bk_xcalloc(src->same_nr + 1, sizeof(uint32_t));
	for (size_t i = 0; i < src->same_nr; i++) {
		out->same_main[i] = capture_id(main_q, src->same[i]);
		out->same_cond[i] = capture_id(out->q, src->same[i]);
		if (out->same_main[i] == NO_CAPTURE || out->same_cond[i] == NO_CAPTURE)
			return bk_err_set(err, BK_ECONFIG,
					  "%s:%u:%u: 'same: %s' needs a capture @%s in both "
					  "the %s query and the condition",
					  rule->path, src->loc.line, src->loc.col,
					  src->same[i], src->same[i], bk_langs[lang].name);
	}
	return 0;
}

void bk_cond_release(struct cond_c *c)
{
	if (c->q)
		ts_query_delete(c->q);
	bk_predset_free(c->preds);
	free(c->same_main);
	free(c->same_cond);
	memset(c, 0, sizeof(*c));
}

static int first_capture(const TSQueryMatch *m, uint32_t id, TSNode *out)
{
	for (uint16_t i = 0; i < m->capture_count; i++)
		if (m->captures[i].index == id) {
			*out = m->captures[i].node;
			return 1;
		}
	return 0;
}

static int same_text(const char *text, TSNode a, TSNode b)
{
	uint32_t as = ts_node_start_byte(a), ae = ts_node_end_byte(a);
	uint32_t bs = ts_node_start_byte(b), be = ts_node_end_byte(b);
	return ae - as == be - bs && !memcmp(text + as, text + bs, ae - as);
}

static int contains(TSNode outer, TSNode inner)
{
	return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
	       ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

/* Does this condition match also satisfy `same:` and `@at`? */
static int match_fits(const struct cond_c *c, const TSQueryMatch *main_m,
		      const TSQueryMatch *cm, TSNode report, const char *text)
{
	for (size_t i = 0; i < c->same_nr; i++) {
		TSNode a, b;
		if (!first_capture(main_m, c->same_main[i], &a) ||
		    !first_capture(cm, c->same_cond[i], &b) || !same_text(text, a, b))
			return 0;
	}
	if (c->src->kind == BK_COND_INSIDE && c->at_capture != NO_CAPTURE) {
		TSNode at;
		if (!first_capture(cm, c->at_capture, &at) || !contains(at, report))
			return 0;
	}
	return 1;
}

static int any_match(struct bk_worker *w, const struct cond_c *c, TSNode node,
		     const TSQueryMatch *main_m, TSNode report, const char *text,
		     uint32_t max_depth)
{
	TSQueryMatch cm;
	ts_query_cursor_set_max_start_depth(w->cond_cursor, max_depth);
	ts_query_cursor_exec(w->cond_cursor, c->q, node);
	while (ts_query_cursor_next_match(w->cond_cursor, &cm))
		if (bk_predset_eval(c->preds, &cm, text, w->scratch) &&
		    match_fits(c, main_m, &cm, report, text))
			return 1;
	return 0;
}

static TSNode enclosing_function(TSNode n, TSNode root, int lang)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
		if (bk_lang_type_in(bk_langs[lang].function_types, ts_node_type(p)))
			return p;
	return root;
}

static int has_holds(struct bk_worker *w, const struct cond_c *c, int lang,
		     const TSQueryMatch *m, TSNode report, TSNode root,
		     const char *text)
{
	TSNode scope = report;
	switch (c->src->scope) {
	case BK_SCOPE_REPORT:
		break;
	case BK_SCOPE_FUNCTION:
		scope = enclosing_function(report, root, lang);
		break;
	case BK_SCOPE_FILE:
		scope = root;
		break;
	case BK_SCOPE_CAPTURE:
		if (!first_capture(m, c->scope_capture, &scope))
			return 0;
		break;
	}
	return any_match(w, c, scope, m, report, text, UINT32_MAX);
}

static int inside_holds(struct bk_worker *w, const struct cond_c *c, int lang,
			const TSQueryMatch *m, TSNode report, const char *text)
{
	for (TSNode p = ts_node_parent(report); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (any_match(w, c, p, m, report, text, 0))
			return 1;
		if (!c->src->across_functions &&
		    bk_lang_type_in(bk_langs[lang].function_types, ts_node_type(p)))
			return 0;
	}
	return 0;
}

int bk_cond_holds(struct bk_worker *w, const struct cond_c *c, int lang,
		  const TSQueryMatch *m, TSNode report, TSNode root,
		  const char *text)
{
	if (c->src->kind == BK_COND_HAS)
		return has_holds(w, c, lang, m, report, root, text);
	return inside_holds(w, c, lang, m, report, text);
}
