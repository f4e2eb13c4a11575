/*
 * Predicates. Each pattern's predicate steps are turned into a small array
 * of typed predicates once, when the query is compiled; evaluation is then
 * a memcmp or a JIT regex match on the captured node's text.
 */
#include "lint/pred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "base/regex.h"
#include "base/util.h"

enum pred_kind { P_EQ, P_ANY_OF, P_MATCH, P_EMPTY };

struct pred {
	enum pred_kind kind;
	int negate;
	uint32_t capture;
	uint32_t capture2;      /* P_EQ against another capture, else UINT32_MAX */
	const char **strs;      /* borrowed from the query's string table */
	uint32_t *lens;
	size_t strs_nr;
	struct bk_regex *re;
};

struct pattern_preds {
	struct pred *preds;
	size_t nr;
	const char **needles;
	size_t needles_nr;
};

struct bk_predset {
	struct pattern_preds *patterns;
	uint32_t nr;
	int lang;
};

static int is_noop(TSNode n, const char *text, const struct bk_lang *l)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	for (const char *const *t = l->noop_texts; *t; t++)
		if (strlen(*t) == b - a && !memcmp(text + a, *t, b - a))
			return 1;
	return 0;
}

static int is_ignore_comment(TSNode c, const char *text, const struct bk_lang *l)
{
	uint32_t a = ts_node_start_byte(c), b = ts_node_end_byte(c);
	return bk_lang_type_in(l->comment_types, ts_node_type(c)) &&
	       memmem(text + a, b - a, "bkgen-ignore", 12);
}

int bk_node_is_empty(TSNode node, const char *text, int lang)
{
	const struct bk_lang *l = &bk_langs[lang];
	uint32_t n = ts_node_named_child_count(node);

	/* Python hangs a comment written before the first statement on the
	 * enclosing clause, just before the block. */
	for (TSNode p = ts_node_prev_named_sibling(node);
	     !ts_node_is_null(p) && bk_lang_type_in(l->comment_types, ts_node_type(p));
	     p = ts_node_prev_named_sibling(p))
		if (is_ignore_comment(p, text, l))
			return 0;
	if (is_noop(node, text, l))
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(node, i);
		if (bk_lang_type_in(l->comment_types, ts_node_type(c))) {
			uint32_t a = ts_node_start_byte(c), b = ts_node_end_byte(c);
			if (memmem(text + a, b - a, "bkgen-ignore", 12))
				return 0;
			continue;
		}
		if (!is_noop(c, text, l))
			return 0;
	}
	return 1;
}

/* ---- compiling predicates ---- */

struct build {
	const TSQuery *q;
	void (*where)(void *, uint32_t, char *, size_t);
	void *where_data;
	uint32_t pattern;
	struct bk_err *err;
};

static int pred_error(struct build *b, const char *fmt, const char *arg)
{
	char loc[512];
	b->where(b->where_data, ts_query_start_byte_for_pattern(b->q, b->pattern),
		 loc, sizeof(loc));
	return bk_err_set(b->err, BK_ECONFIG, "%s: %s%s%s", loc, fmt,
			  arg ? " " : "", arg ? arg : "");
}

static const char *step_string(const TSQuery *q, const TSQueryPredicateStep *s,
			       uint32_t *len)
{
	return ts_query_string_value_for_id(q, s->value_id, len);
}

static int build_pred(struct build *b, const TSQueryPredicateStep *st,
		      uint32_t nargs, struct pred *p)
{
	uint32_t len;
	const char *name = step_string(b->q, &st[0], &len);

	memset(p, 0, sizeof(*p));
	p->capture2 = UINT32_MAX;
	if (!strcmp(name, "eq?") || !strcmp(name, "not-eq?")) {
		p->kind = P_EQ;
		p->negate = name[0] == 'n';
		if (nargs != 2)
			return pred_error(b, "#eq? takes a capture and a string or capture", NULL);
	} else if (!strcmp(name, "any-of?") || !strcmp(name, "not-any-of?")) {
		p->kind = P_ANY_OF;
		p->negate = name[0] == 'n';
		if (nargs < 2)
			return pred_error(b, "#any-of? takes a capture and strings", NULL);
	} else if (!strcmp(name, "match?") || !strcmp(name, "not-match?")) {
		p->kind = P_MATCH;
		p->negate = name[0] == 'n';
		if (nargs != 2)
			return pred_error(b, "#match? takes a capture and a regex", NULL);
	} else if (!strcmp(name, "empty?")) {
		p->kind = P_EMPTY;
		if (nargs != 1)
			return pred_error(b, "#empty? takes one capture", NULL);
	} else {
		return pred_error(b, "unknown predicate (expected #eq?, #not-eq?, #any-of?, "
				  "#not-any-of?, #match?, #not-match? or #empty?):", name);
	}
	if (st[1].type != TSQueryPredicateStepTypeCapture)
		return pred_error(b, "the first argument of a predicate must be a capture:", name);
	p->capture = st[1].value_id;
	if (p->kind == P_EQ && st[2].type == TSQueryPredicateStepTypeCapture) {
		p->capture2 = st[2].value_id;
		return 0;
	}
	if (p->kind == P_EMPTY)
		return 0;
	p->strs_nr = nargs - 1;
	p->strs = bk_xcalloc(p->strs_nr, sizeof(*p->strs));
	p->lens = bk_xcalloc(p->strs_nr, sizeof(*p->lens));
	for (uint32_t i = 0; i < p->strs_nr; i++) {
		if (st[2 + i].type != TSQueryPredicateStepTypeString)
			return pred_error(b, "expected a string argument in", name);
		p->strs[i] = step_string(b->q, &st[2 + i], &p->lens[i]);
	}
	if (p->kind == P_MATCH) {
		char loc[512];
		b->where(b->where_data, ts_query_start_byte_for_pattern(b->q, b->pattern),
			 loc, sizeof(loc));
		return bk_regex_new(&p->re, p->strs[0], loc, b->err);
	}
	return 0;
}

/*
 * The first positive #eq?/#any-of? against strings whose capture is always
 * present gives the needles: one of them must occur for the pattern to
 * match. (A predicate on an optional capture holds when it is absent.)
 */
static void pattern_needles(struct pattern_preds *pp, const TSQuery *q,
			    uint32_t pattern)
{
	for (size_t i = 0; i < pp->nr; i++) {
		struct pred *p = &pp->preds[i];
		TSQuantifier qt = ts_query_capture_quantifier_for_id(q, pattern, p->capture);
		if ((p->kind == P_EQ || p->kind == P_ANY_OF) && !p->negate &&
		    p->capture2 == UINT32_MAX && p->strs_nr &&
		    (qt == TSQuantifierOne || qt == TSQuantifierOneOrMore)) {
			pp->needles = p->strs;
			pp->needles_nr = p->strs_nr;
			return;
		}
	}
}

static int build_pattern(struct build *b, struct pattern_preds *pp)
{
	uint32_t nsteps;
	const TSQueryPredicateStep *st =
		ts_query_predicates_for_pattern(b->q, b->pattern, &nsteps);
	size_t alloc = 0;

	for (uint32_t i = 0; i < nsteps;) {
		uint32_t j = i;
		while (j < nsteps && st[j].type != TSQueryPredicateStepTypeDone)
			j++;
		if (j > i) {
			BK_ALLOC_GROW(pp->preds, pp->nr + 1, alloc);
			int rc = build_pred(b, &st[i], j - i - 1, &pp->preds[pp->nr]);
			pp->nr++;
			if (rc)
				return rc;
		}
		i = j + 1;
	}
	pattern_needles(pp, b->q, b->pattern);
	return 0;
}

int bk_predset_new(struct bk_predset **out, const TSQuery *q, int lang,
		   void (*where)(void *, uint32_t, char *, size_t),
		   void *where_data, struct bk_err *err)
{
	struct bk_predset *ps = bk_xcalloc(1, sizeof(*ps));
	struct build b = { q, where, where_data, 0, err };

	ps->lang = lang;
	ps->nr = ts_query_pattern_count(q);
	ps->patterns = bk_xcalloc(ps->nr ? ps->nr : 1, sizeof(*ps->patterns));
	for (b.pattern = 0; b.pattern < ps->nr; b.pattern++) {
		int rc = build_pattern(&b, &ps->patterns[b.pattern]);
		if (rc) {
			bk_predset_free(ps);
			return rc;
		}
	}
	*out = ps;
	return 0;
}

void bk_predset_free(struct bk_predset *ps)
{
	if (!ps)
		return;
	for (uint32_t i = 0; i < ps->nr; i++) {
		struct pattern_preds *pp = &ps->patterns[i];
		for (size_t j = 0; j < pp->nr; j++) {
			free(pp->preds[j].strs);
			free(pp->preds[j].lens);
			bk_regex_free(pp->preds[j].re);
		}
		free(pp->preds);
	}
	free(ps->patterns);
	free(ps);
}

size_t bk_predset_needles(const struct bk_predset *ps, uint32_t pattern,
			  const char *const **out)
{
	*out = ps->patterns[pattern].needles;
	return ps->patterns[pattern].needles_nr;
}

/* ---- evaluation ---- */

static int text_eq(const char *text, TSNode n, const char *s, uint32_t len)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	return b - a == len && !memcmp(text + a, s, len);
}

static int nodes_eq(const char *text, TSNode x, TSNode y)
{
	uint32_t a = ts_node_start_byte(x), b = ts_node_end_byte(x);
	uint32_t c = ts_node_start_byte(y), d = ts_node_end_byte(y);
	return b - a == d - c && !memcmp(text + a, text + c, b - a);
}

static const TSNode *capture_node(const TSQueryMatch *m, uint32_t id)
{
	for (uint16_t i = 0; i < m->capture_count; i++)
		if (m->captures[i].index == id)
			return &m->captures[i].node;
	return NULL;
}

static int holds(const struct pred *p, TSNode n, const TSQueryMatch *m,
		 const char *text, int lang, struct bk_regex_scratch *s)
{
	switch (p->kind) {
	case P_EQ:
		if (p->capture2 != UINT32_MAX) {
			const TSNode *o = capture_node(m, p->capture2);
			return o && nodes_eq(text, n, *o);
		}
		return text_eq(text, n, p->strs[0], p->lens[0]);
	case P_ANY_OF:
		for (size_t i = 0; i < p->strs_nr; i++)
			if (text_eq(text, n, p->strs[i], p->lens[i]))
				return 1;
		return 0;
	case P_MATCH: {
		/* a limit hit is recorded in s: the file's results are dropped */
		uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
		return bk_regex_search(p->re, text + a, b - a, 0, NULL, NULL, s) > 0;
	}
	case P_EMPTY:
		return bk_node_is_empty(n, text, lang);
	}
	return 0;
}

int bk_predset_eval(const struct bk_predset *ps, const TSQueryMatch *m,
		    const char *text, struct bk_regex_scratch *s)
{
	const struct pattern_preds *pp = &ps->patterns[m->pattern_index];

	for (size_t i = 0; i < pp->nr; i++) {
		const struct pred *p = &pp->preds[i];
		/*
		 * Every node of a quantified capture must satisfy it; an absent
		 * optional capture satisfies it, as in tree-sitter.
		 */
		for (uint16_t c = 0; c < m->capture_count; c++) {
			if (m->captures[c].index != p->capture)
				continue;
			if (holds(p, m->captures[c].node, m, text, ps->lang, s) == p->negate)
				return 0;
		}
	}
	return 1;
}
