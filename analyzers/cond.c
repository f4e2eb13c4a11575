/*
 * Structural conditions a plain query cannot say: "the reported node (or
 * its function, or the file) contains a match of Q" and "an ancestor of
 * the reported node matches Q", optionally tying captures of both matches
 * together by text (`same:`, e.g. the same curl handle). Captures are
 * looked up by name, since the rule may run in the combined query or in
 * its own.
 */
#include "engine-int.h"

#include <string.h>

static int capture_named(const TSQuery *q, const TSQueryMatch *m,
			 const char *name, TSNode *out)
{
	size_t n = strlen(name);
	for (uint16_t i = 0; i < m->capture_count; i++) {
		uint32_t len;
		const char *s = ts_query_capture_name_for_id(q, m->captures[i].index, &len);
		if (len == n && !memcmp(s, name, n)) {
			*out = m->captures[i].node;
			return 1;
		}
	}
	return 0;
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

struct eval {
	struct bk_worker *w;
	const struct cquery *main_q, *cq;
	const struct bk_cond *src;
	const TSQueryMatch *m;
	TSNode report;
	const char *text;
	TSNode at;                /* when set, @at must be exactly this node */
};

/* Does this condition match also satisfy `same:` and `@at`? */
static int match_fits(const struct eval *ev, const TSQueryMatch *cm)
{
	for (size_t i = 0; i < ev->src->same_nr; i++) {
		TSNode a, b;
		if (!capture_named(ev->main_q->q, ev->m, ev->src->same[i], &a) ||
		    !capture_named(ev->cq->q, cm, ev->src->same[i], &b) ||
		    !same_text(ev->text, a, b))
			return 0;
	}
	if (ev->src->kind == BK_COND_INSIDE && ev->cq->at_capture != NO_CAPTURE) {
		TSNode at;
		if (!first_capture(cm, ev->cq->at_capture, &at) || !contains(at, ev->report))
			return 0;
		if (!ts_node_is_null(ev->at) && !ts_node_eq(at, ev->at))
			return 0;
	}
	return 1;
}

static int any_match(const struct eval *ev, TSNode node, uint32_t max_depth)
{
	TSQueryCursor *cur = ev->w->cond_cursor;
	TSQueryMatch cm;
	ts_query_cursor_set_max_start_depth(cur, max_depth);
	ts_query_cursor_exec(cur, ev->cq->q, node);
	while (ts_query_cursor_next_match(cur, &cm))
		if (bk_predset_eval(ev->cq->preds, &cm, ev->text, ev->w->scratch) &&
		    match_fits(ev, &cm))
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

static int has_holds(const struct eval *ev, int lang, TSNode root)
{
	TSNode scope = ev->report;
	switch (ev->src->scope) {
	case BK_SCOPE_REPORT:
		break;
	case BK_SCOPE_FUNCTION:
		scope = enclosing_function(ev->report, root, lang);
		break;
	case BK_SCOPE_FILE:
		scope = root;
		break;
	case BK_SCOPE_CAPTURE:
		if (!capture_named(ev->main_q->q, ev->m, ev->src->scope_capture, &scope))
			return 0;
		break;
	}
	return any_match(ev, scope, UINT32_MAX);
}

/* How far above a function a pattern capturing it as @at may start:
 * `items.map(x => ...)` is call > arguments > arrow_function. */
#define CALLBACK_DEPTH 3

/*
 * Is the function node fn itself the @at of a match rooted a few levels
 * up (a callback run once per item, such as `rows.forEach(r => ...)`)?
 */
static int callback_holds(struct eval *ev, TSNode fn)
{
	TSNode p = fn;
	int hit = 0;
	if (ev->cq->at_capture == NO_CAPTURE)
		return 0;
	ev->at = fn;
	for (int k = 0; k < CALLBACK_DEPTH && !hit; k++) {
		p = ts_node_parent(p);
		if (ts_node_is_null(p))
			break;
		hit = any_match(ev, p, 0);
	}
	ev->at = (TSNode){ 0 };
	return hit;
}

/*
 * Walk up from the reported node trying patterns rooted at each ancestor.
 * The nearest enclosing function ends the walk (unless across-functions),
 * after checking whether that function is itself a matched callback.
 */
static int inside_holds(struct eval *ev, int lang)
{
	for (TSNode p = ts_node_parent(ev->report); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (any_match(ev, p, 0))
			return 1;
		if (!ev->src->across_functions &&
		    bk_lang_type_in(bk_langs[lang].function_types, ts_node_type(p)))
			return callback_holds(ev, p);
	}
	return 0;
}

int bk_cond_holds(struct bk_worker *w, const struct cquery *main_q,
		  const struct entry *en, struct cond_c *c, int lang,
		  const TSQueryMatch *m, TSNode report, TSNode root,
		  const char *text)
{
	struct eval ev = { .w = w, .main_q = main_q, .src = c->src, .m = m,
			   .report = report, .text = text };
	if (!(ev.cq = bk_engine_cond(w->e, lang, en, c)))
		return 0;
	if (c->src->kind == BK_COND_HAS)
		return has_holds(&ev, lang, root);
	return inside_holds(&ev, lang);
}
