/*
 * Structural conditions a plain query cannot say: "the reported node (or
 * its function, or the file) contains a match of Q" and "an ancestor of
 * the reported node matches Q", optionally tying captures of both matches
 * together by text (`same:`, e.g. the same curl handle). Captures are
 * looked up by name, since the rule may run in the combined query or in
 * its own.
 */
#include "lint/engine-int.h"
#include "base/syntax.h"

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

static uint64_t text_hash(uint64_t h, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h ^ 0x1f; /* separator between captures */
}

/* Hash of the `same:` captures of a match, and their ranges; 0 if absent. */
static int same_key(const struct eval *ev, const TSQuery *q, const TSQueryMatch *m,
		    uint64_t *hash, uint32_t *ranges)
{
	*hash = 1469598103934665603u;
	for (size_t i = 0; i < ev->src->same_nr; i++) {
		TSNode n;
		if (!capture_named(q, m, ev->src->same[i], &n))
			return 0;
		ranges[2 * i] = ts_node_start_byte(n);
		ranges[2 * i + 1] = ts_node_end_byte(n);
		*hash = text_hash(*hash, ev->text + ranges[2 * i],
				  ranges[2 * i + 1] - ranges[2 * i]);
	}
	return 1;
}

void bk_cond_file_reset(struct bk_worker *w)
{
	for (size_t i = 0; i < w->fconds_nr; i++) {
		free(w->fconds[i].hashes);
		free(w->fconds[i].ranges);
	}
	w->fconds_nr = 0;
	w->fdefs_nr = 0;
	w->fdefs_built = 0;
}

/* Run a file-wide condition once and remember what it matched. */
static const struct file_cond *file_cond(const struct eval *ev, TSNode root)
{
	struct bk_worker *w = ev->w;
	size_t k = ev->src->same_nr;
	TSQueryCursor *cur = w->cond_cursor;
	TSQueryMatch cm;
	uint64_t h;

	for (size_t i = 0; i < w->fconds_nr; i++)
		if (w->fconds[i].src == ev->src)
			return &w->fconds[i];
	BK_ALLOC_GROW(w->fconds, w->fconds_nr + 1, w->fconds_alloc);
	struct file_cond *fc = &w->fconds[w->fconds_nr++];
	memset(fc, 0, sizeof(*fc));
	fc->src = ev->src;
	ts_query_cursor_set_max_start_depth(cur, UINT32_MAX);
	ts_query_cursor_exec(cur, ev->cq->q, root);
	while (ts_query_cursor_next_match(cur, &cm)) {
		if (!bk_predset_eval(ev->cq->preds, &cm, ev->text, w->scratch))
			continue;
		fc->any = 1;
		if (!k)
			break;
		if (fc->nr == fc->alloc) {
			BK_ALLOC_GROW(fc->hashes, fc->nr + 1, fc->alloc);
			fc->ranges = bk_xrealloc(fc->ranges, fc->alloc * 2 * k * sizeof(uint32_t));
		}
		if (same_key(ev, ev->cq->q, &cm, &h, &fc->ranges[fc->nr * 2 * k]))
			fc->hashes[fc->nr++] = h;
	}
	return fc;
}

/* Does a file-wide condition have a match whose `same:` texts equal ours? */
static int file_has(const struct eval *ev, TSNode root)
{
	const struct file_cond *fc = file_cond(ev, root);
	size_t k = ev->src->same_nr;
	uint32_t mine[2 * 8];
	uint64_t h;

	if (!k || k > 8)
		return k ? any_match(ev, root, UINT32_MAX) : fc->any;
	if (!fc->nr || !same_key(ev, ev->main_q->q, ev->m, &h, mine))
		return 0;
	for (size_t i = 0; i < fc->nr; i++) {
		const uint32_t *r = &fc->ranges[i * 2 * k];
		size_t j = 0;
		if (fc->hashes[i] != h)
			continue;
		while (j < k && r[2 * j + 1] - r[2 * j] == mine[2 * j + 1] - mine[2 * j] &&
		       !memcmp(ev->text + r[2 * j], ev->text + mine[2 * j],
			       mine[2 * j + 1] - mine[2 * j]))
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

static TSNode enclosing_function(TSNode n, TSNode root, int lang)
{
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p); p = ts_node_parent(p))
		if (bk_lang_type_in(bk_langs[lang].function_types, ts_node_type(p)))
			return p;
	return root;
}

/*
 * `in: definition-of CAPTURE`: the code a capture stands for. A function
 * node is itself; the name of a function is that function; any other
 * identifier names the functions of the file called so (a handler passed
 * by name); anything else is itself. To that come, transitively, the
 * functions of the file its code names (the helpers it calls, directly or
 * through this/self, not members of other objects), a few levels deep, so "does the handler write" sees through one-line
 * wrappers. Which nodes are functions comes from the language table.
 */

/* Most functions one definition-of gathers, and how many calls deep. */
#define DEF_MAX 32
#define DEF_DEPTH 3

/* identifier, field_identifier, property_identifier, ...: a name. */
static int is_name_type(const char *type)
{
	size_t n = strlen(type);
	return n >= 10 && !strcmp(type + n - 10, "identifier");
}

/* n if it is a name, else its last named descendant that is one. */
static TSNode last_name(TSNode n)
{
	while (!ts_node_is_null(n) && !is_name_type(ts_node_type(n))) {
		uint32_t k = ts_node_named_child_count(n);
		if (!k)
			return (TSNode){ 0 };
		n = ts_node_named_child(n, k - 1);
	}
	return n;
}

static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/*
 * The name of a function node: its own `name` (most grammars), the end of
 * its `declarator` chain (C), or what it is assigned or bound to
 * (`const h = () => ...`, `{ h: function () {} }`, `exports.h = ...`),
 * also through a wrapper call given only that function
 * (`const h = asyncHandler(async (req, res) => ...)`).
 */
static TSNode function_name(TSNode fn)
{
	static const char *const bound[] = { "name", "key", "left", "property", "pattern" };
	TSNode n = field(fn, "name"), d = fn, x, p;

	if (!ts_node_is_null(n))
		return is_name_type(ts_node_type(n)) ? n : (TSNode){ 0 };
	while (!ts_node_is_null(x = field(d, "declarator")))
		d = x;
	if (!ts_node_eq(d, fn))
		return is_name_type(ts_node_type(d)) ? d : (TSNode){ 0 };
	if (ts_node_is_null(p = ts_node_parent(fn)))
		return p;
	/* const h = asyncHandler(async (req, res) => ...): the wrapped function */
	if (ts_node_named_child_count(p) == 1 && strstr(ts_node_type(p), "argument") &&
	    !ts_node_is_null(x = ts_node_parent(p)) && !ts_node_is_null(ts_node_parent(x)))
		p = ts_node_parent(fn = x);
	for (size_t i = 0; i < sizeof(bound) / sizeof(bound[0]); i++)
		if (!ts_node_is_null(x = field(p, bound[i])) && !ts_node_eq(x, fn))
			return last_name(x);
	return (TSNode){ 0 };
}

static uint64_t name_hash(const char *s, uint32_t n)
{
	return text_hash(1469598103934665603u, s, n);
}

struct fdefs_walk {
	struct bk_worker *w;
	const char *const *types;
	const char *text;
};

static void fdefs_add(void *ctx, TSNode n)
{
	struct fdefs_walk *fw = ctx;
	struct bk_worker *w = fw->w;
	TSNode name;
	if (bk_lang_type_in(fw->types, ts_node_type(n)) &&
	    !ts_node_is_null(name = function_name(n))) {
		BK_ALLOC_GROW(w->fdefs, w->fdefs_nr + 1, w->fdefs_alloc);
		struct fn_def *fd = &w->fdefs[w->fdefs_nr++];
		fd->name_start = ts_node_start_byte(name);
		fd->name_end = ts_node_end_byte(name);
		fd->hash = name_hash(fw->text + fd->name_start, fd->name_end - fd->name_start);
		fd->fn = n;
	}
}

/* Index the file's named functions, once per file. */
static void fdefs_build(struct bk_worker *w, TSNode root, int lang, const char *text)
{
	struct fdefs_walk fw = { w, bk_langs[lang].function_types, text };

	w->fdefs_nr = 0;
	w->fdefs_built = 1;
	bk_syntax_walk(root, fdefs_add, &fw);
}

/* Add n to the definition set unless it is already covered. */
static void defs_add(struct bk_worker *w, TSNode n)
{
	if (w->defs_nr >= DEF_MAX)
		return;
	for (size_t i = 0; i < w->defs_nr; i++)
		if (contains(w->defs[i], n))
			return;
	BK_ALLOC_GROW(w->defs, w->defs_nr + 1, w->defs_alloc);
	w->defs[w->defs_nr++] = n;
}

/*
 * Add what the name node n refers to: the function it is the name of, or
 * else the file's functions named so.
 */
static void defs_add_named(struct bk_worker *w, TSNode n, const char *text)
{
	uint32_t s = ts_node_start_byte(n), len = ts_node_end_byte(n) - s;
	uint64_t h = name_hash(text + s, len);
	for (size_t i = 0; i < w->fdefs_nr; i++)
		if (w->fdefs[i].name_start == s) {
			defs_add(w, w->fdefs[i].fn);
			return;
		}
	for (size_t i = 0; i < w->fdefs_nr; i++) {
		const struct fn_def *fd = &w->fdefs[i];
		if (fd->hash == h && fd->name_end - fd->name_start == len &&
		    !memcmp(text + fd->name_start, text + s, len))
			defs_add(w, fd->fn);
	}
}

/*
 * Is the name n the member of some other object (db.add, _mediator.Send)?
 * Those are not this file's functions, even when one is named alike; a
 * member of this, self, Self, base or super is.
 */
static int foreign_member(TSNode n, const char *text)
{
	static const char *const access[] = { "member", "selector", "field_expression",
					      "attribute", "scoped", "access" };
	static const char *const own[] = { "this", "self", "Self", "base", "super" };
	TSNode p = ts_node_parent(n), obj;
	uint32_t k = ts_node_is_null(p) ? 0 : ts_node_named_child_count(p), s, e;
	size_t i;

	if (k < 2 || !ts_node_eq(ts_node_named_child(p, k - 1), n))
		return 0;
	for (i = 0; i < sizeof(access) / sizeof(access[0]); i++)
		if (strstr(ts_node_type(p), access[i]))
			break;
	if (i == sizeof(access) / sizeof(access[0]))
		return 0;
	obj = ts_node_named_child(p, 0);
	s = ts_node_start_byte(obj);
	e = ts_node_end_byte(obj);
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strlen(own[i]) == e - s && !memcmp(text + s, own[i], e - s))
			return 0;
	return 1;
}

struct follow_walk {
	struct bk_worker *w;
	const char *text;
};

static void follow_name(void *ctx, TSNode n)
{
	struct follow_walk *fw = ctx;
	if (ts_node_child_count(n) == 0 && ts_node_is_named(n) &&
	    is_name_type(ts_node_type(n)) && !foreign_member(n, fw->text))
		defs_add_named(fw->w, n, fw->text);
}

/* Add the functions that the names inside node refer to. */
static void defs_follow(struct bk_worker *w, TSNode node, const char *text)
{
	struct follow_walk fw = { w, text };
	bk_syntax_walk(node, follow_name, &fw);
}

/* Fill w->defs with the code the capture n stands for. */
static void definition_of(struct bk_worker *w, TSNode n, int lang, TSNode root,
			  const char *text)
{
	size_t done = 0;

	if (!w->fdefs_built)
		fdefs_build(w, root, lang, text);
	w->defs_nr = 0;
	if (bk_lang_type_in(bk_langs[lang].function_types, ts_node_type(n)))
		defs_add(w, n);
	else if (is_name_type(ts_node_type(n)))
		defs_add_named(w, n, text);
	else
		defs_add(w, n);
	for (int depth = 0; depth < DEF_DEPTH && done < w->defs_nr; depth++) {
		size_t end = w->defs_nr;
		for (; done < end; done++)
			defs_follow(w, w->defs[done], text);
	}
}

static int definition_has(const struct eval *ev, int lang, TSNode root)
{
	TSNode n;
	if (!capture_named(ev->main_q->q, ev->m, ev->src->scope_capture, &n))
		return 0;
	definition_of(ev->w, n, lang, root, ev->text);
	for (size_t i = 0; i < ev->w->defs_nr; i++)
		if (any_match(ev, ev->w->defs[i], UINT32_MAX))
			return 1;
	return 0;
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
		return file_has(ev, root);
	case BK_SCOPE_DEFINITION:
		return definition_has(ev, lang, root);
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
	int holds;
	if (!(ev.cq = bk_engine_cond(w->e, lang, en, c)))
		return 0;
	if (c->src->kind == BK_COND_FILE)
		holds = bk_regex_search(c->re, w->path, strlen(w->path), 0, NULL, NULL,
					w->scratch) > 0;
	else if (c->src->kind == BK_COND_HAS)
		holds = has_holds(&ev, lang, root);
	else
		holds = inside_holds(&ev, lang);
	for (size_t i = 0; holds && i < c->src->except_nr; i++)
		holds = !bk_cond_holds(w, main_q, en, &c->except[i], lang, m, report,
				       root, text);
	return holds;
}
