/*
 * Compiling rules: the combined query of a language (pattern -> rule map),
 * per-rule queries and condition queries, eagerly or on first use.
 */
#include "lint/engine-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In-progress matches a query cursor may hold (tree-sitter's own knob). */
#define BK_QUERY_MATCH_LIMIT 256

/* Up to this many files of a language, rules run one query each. */
#define PER_RULE_MAX_FILES 16

/*
 * A combined query past these sizes could overflow tree-sitter's 16-bit
 * indices: the language's rules then run one query each.
 */
#define COMBINED_MAX_STEPS 60000
#define COMBINED_MAX_LEN (128 * 1024)

static int is_builtin(const struct bk_rule *r)
{
	return !strncmp(r->path, "builtin:", 8);
}

static int compile_entry_regex(struct bk_regex **out, const struct entry *en,
			       const char *src, const struct bk_loc *l, struct bk_err *err)
{
	char where[512];
	if (!src)
		return 0;
	snprintf(where, sizeof(where), "%s:%u:%u", en->rule->path, l->line, l->col);
	return bk_regex_new(out, src, where, err);
}

static void cond_c_init(struct cond_c *c, const struct bk_cond *src)
{
	c->src = src;
	c->except = bk_xcalloc(src->except_nr + 1, sizeof(*c->except));
	for (size_t i = 0; i < src->except_nr; i++)
		cond_c_init(&c->except[i], &src->except[i]);
}

static void cquery_release(struct cquery *cq);

static void cond_c_release(struct cond_c *c)
{
	for (size_t i = 0; i < c->src->except_nr; i++)
		cond_c_release(&c->except[i]);
	free(c->except);
	bk_regex_free(c->re);
	cquery_release(&c->cq);
}

static int add_entry(struct bk_engine *e, const struct bk_rule *r, size_t index,
		     const struct bk_rule_lang *rl, struct bk_err *err)
{
	struct lang_c *lc = &e->langs[rl->lang];
	lc->entries = bk_xrealloc(lc->entries, (lc->entries_nr + 1) * sizeof(*lc->entries));
	struct entry *en = &lc->entries[lc->entries_nr++];
	memset(en, 0, sizeof(*en));
	en->rule = r;
	en->rule_index = index;
	en->rl = rl;
	en->where_nr = rl->where_nr;
	en->unless_nr = rl->unless_nr;
	en->where = bk_xcalloc(rl->where_nr + 1, sizeof(*en->where));
	en->unless = bk_xcalloc(rl->unless_nr + 1, sizeof(*en->unless));
	for (size_t k = 0; k < rl->where_nr; k++)
		cond_c_init(&en->where[k], &rl->where[k]);
	for (size_t k = 0; k < rl->unless_nr; k++)
		cond_c_init(&en->unless[k], &rl->unless[k]);
	int rc = compile_entry_regex(&en->prefilter, en, rl->prefilter_src,
				     &rl->prefilter_loc, err);
	return rc ? rc : compile_entry_regex(&en->report_at, en, rl->report_at_src,
					     &rl->report_at_loc, err);
}

int bk_engine_new(struct bk_engine **out, const struct bk_ruleset *set,
		  struct bk_err *err)
{
	struct bk_engine *e = bk_xcalloc(1, sizeof(*e));
	int rc = 0;

	e->set = set;
	e->langs = bk_xcalloc(bk_langs_nr, sizeof(*e->langs));
	for (int i = 0; i < BK_COMPILE_LOCKS; i++)
		pthread_mutex_init(&e->locks[i], NULL);
	for (size_t i = 0; i < set->nr && !rc; i++) {
		const struct bk_rule *r = &set->rules[i];
		for (size_t j = 0; r->enabled && j < r->langs_nr && !rc; j++)
			rc = add_entry(e, r, i, &r->langs[j], err);
	}
	if (rc) {
		bk_engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

unsigned bk_engine_roles(const struct bk_engine *e)
{
	unsigned roles = 0;
	for (size_t i = 0; i < e->set->nr; i++)
		if (e->set->rules[i].enabled)
			roles |= bk_rule_roles(&e->set->rules[i]);
	return roles;
}

int bk_engine_has_lang(const struct bk_engine *e, int lang)
{
	return lang >= 0 && e->langs[lang].entries_nr > 0;
}

double bk_engine_compile_ms(const struct bk_engine *e)
{
	return (double)atomic_load(&((struct bk_engine *)e)->compile_ns) / 1e6;
}

/* "file:line:col" of byte `offset` of a query that starts at line/col. */
static void query_where(const char *file, uint32_t line, uint32_t col,
			const char *src, uint32_t offset, char *buf, size_t n)
{
	uint32_t l = line, c = col;
	for (uint32_t i = 0; i < offset && src[i]; i++) {
		if (src[i] == '\n') {
			l++;
			c = col;
		} else {
			c++;
		}
	}
	snprintf(buf, n, "%s:%u:%u", file, l, c);
}

static const char *query_error_name(TSQueryError e)
{
	switch (e) {
	case TSQueryErrorSyntax: return "invalid query syntax";
	case TSQueryErrorNodeType: return "unknown node type";
	case TSQueryErrorField: return "unknown field";
	case TSQueryErrorCapture: return "unknown capture";
	case TSQueryErrorStructure: return "impossible pattern (the grammar has no such structure)";
	case TSQueryErrorLanguage: return "incompatible grammar";
	default: return "query error";
	}
}

/* The word at offset, for messages like "unknown node type 'foo'". */
static void word_at(const char *src, uint32_t offset, char *buf, size_t n)
{
	size_t i = 0;
	const char *p = src + offset;
	while (*p && i + 1 < n && (*p == '_' || *p == '.' || *p == '-' ||
				   (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				   (*p >= '0' && *p <= '9')))
		buf[i++] = *p++;
	buf[i] = '\0';
}

/* A query bk_query_check refused, as file:line:col: what (the way out). */
static int query_refused(const struct bk_query_scan *scan, int lang, const char *src,
			 const char *file, uint32_t line, uint32_t col,
			 struct bk_err *err)
{
	char where[512];

	query_where(file, line, col, src, scan->offset, where, sizeof(where));
	return bk_err_set(err, BK_ECONFIG, "%s: %s in the %s query%s%s%s", where,
			  scan->problem, bk_langs[lang].name, scan->hint ? " (" : "",
			  scan->hint ? scan->hint : "", scan->hint ? ")" : "");
}

int bk_query_compile(TSQuery **out, int lang, const char *src, const char *file,
		     uint32_t line, uint32_t col, struct bk_err *err)
{
	uint32_t off;
	TSQueryError qe;
	struct bk_query_scan scan;
	char where[512], word[64];

	*out = NULL;
	if (bk_query_check(bk_langs[lang].grammar(), src, strlen(src), &scan) < 0)
		return query_refused(&scan, lang, src, file, line, col, err);
	*out = ts_query_new(bk_langs[lang].grammar(), src, (uint32_t)strlen(src),
			    &off, &qe);
	if (*out)
		return 0;
	query_where(file, line, col, src, off, where, sizeof(where));
	word_at(src, off, word, sizeof(word));
	return bk_err_set(err, BK_ECONFIG, "%s: %s%s%s%s in the %s query", where,
			  query_error_name(qe), *word ? " '" : "", word,
			  *word ? "'" : "", bk_langs[lang].name);
}

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

/* Where a byte of one query's source lies in its rule file. */
struct src_pos {
	const char *file, *src;
	uint32_t line, col;
};

static void single_where(void *data, uint32_t offset, char *buf, size_t n)
{
	const struct src_pos *p = data;
	query_where(p->file, p->line, p->col, p->src, offset, buf, n);
}

/* Compile src into cq (not yet marked ready). */
static int cquery_build(struct cquery *cq, int lang, const struct src_pos *pos,
			void (*where)(void *, uint32_t, char *, size_t),
			void *where_data, struct bk_err *err)
{
	int rc = bk_query_compile(&cq->q, lang, pos->src, pos->file, pos->line,
				  pos->col, err);
	if (!rc)
		rc = bk_predset_new(&cq->preds, cq->q, lang, where, where_data, err);
	if (!rc) {
		cq->report_capture = capture_id(cq->q, "report");
		cq->at_capture = capture_id(cq->q, "at");
	}
	return rc;
}

static void cquery_release(struct cquery *cq)
{
	if (cq->q)
		ts_query_delete(cq->q);
	bk_predset_free(cq->preds);
	free(cq->pattern_entry);
	memset(cq, 0, sizeof(*cq));
}

/*
 * Is name a capture of this rule's own patterns? In the combined query the
 * capture table is shared by all rules, so look per pattern.
 */
static int rule_has_capture(const struct lang_c *lc, const struct entry *en,
			    const TSQuery *q, const char *name)
{
	uint32_t id = capture_id(q, name);
	if (id == NO_CAPTURE)
		return 0;
	for (uint32_t p = 0; p < ts_query_pattern_count(q); p++) {
		if (q == lc->combined.q && &lc->entries[lc->combined.pattern_entry[p]] != en)
			continue;
		if (ts_query_capture_quantifier_for_id(q, p, id) != TSQuantifierZero)
			return 1;
	}
	return 0;
}

/* `same:` and `in:` names must be captures of the rule's query. */
static int check_cond_names(const struct lang_c *lc, const struct entry *en,
			    const TSQuery *main_q, const struct cond_c *c, int lang,
			    struct bk_err *err)
{
	const struct bk_cond *s = c->src;
	if ((s->scope == BK_SCOPE_CAPTURE || s->scope == BK_SCOPE_DEFINITION) &&
	    !rule_has_capture(lc, en, main_q, s->scope_capture))
		return bk_err_set(err, BK_ECONFIG,
				  "%s:%u:%u: 'in: %s%s' names no capture of the %s query",
				  en->rule->path, s->loc.line, s->loc.col,
				  s->scope == BK_SCOPE_DEFINITION ? "definition-of " : "",
				  s->scope_capture, bk_langs[lang].name);
	for (size_t i = 0; i < s->same_nr; i++)
		if (!rule_has_capture(lc, en, main_q, s->same[i]) ||
		    capture_id(c->cq.q, s->same[i]) == NO_CAPTURE)
			return bk_err_set(err, BK_ECONFIG,
					  "%s:%u:%u: 'same: %s' needs a capture @%s in both the "
					  "%s query and the condition",
					  en->rule->path, s->loc.line, s->loc.col, s->same[i],
					  s->same[i], bk_langs[lang].name);
	return 0;
}

static int build_cond(struct cond_c *c, int lang, const struct entry *en,
		      struct bk_err *err)
{
	struct src_pos pos = { en->rule->path, c->src->query_src, c->src->loc.line,
			       c->src->loc.col };
	if (c->src->kind == BK_COND_FILE) {
		char where[512];
		snprintf(where, sizeof(where), "%s:%u:%u", en->rule->path,
			 c->src->loc.line, c->src->loc.col);
		return bk_regex_new(&c->re, c->src->query_src, where, err);
	}
	return cquery_build(&c->cq, lang, &pos, single_where, &pos, err);
}

static int build_single(struct entry *en, int lang, struct bk_err *err)
{
	struct src_pos pos = { en->rule->path, en->rl->query_src, en->rl->query_line,
			       en->rl->query_col };
	return cquery_build(&en->single, lang, &pos, single_where, &pos, err);
}

/*
 * Compile cq on first use, under its lock, and publish it. A query
 * that cannot compile is marked -1 and never run; only built-in rules are
 * compiled this way, and the test suite proves they compile.
 */
static const struct cquery *lazy(const struct bk_engine *ce, struct cquery *cq,
				 int (*build)(struct cquery *, void *, int, struct bk_err *),
				 void *arg, int lang)
{
	struct bk_engine *e = (struct bk_engine *)ce;
	struct bk_err err = { 0 };
	int state = atomic_load_explicit(&cq->ready, memory_order_acquire);

	if (!state) {
		pthread_mutex_t *lock = &e->locks[((uintptr_t)cq >> 4) % BK_COMPILE_LOCKS];
		pthread_mutex_lock(lock);
		if (!atomic_load(&cq->ready)) {
			uint64_t t0 = bk_now_ns();
			int ok = !build(cq, arg, lang, &err);
			if (!ok)
				cquery_release(cq);
			atomic_store_explicit(&cq->ready, ok ? 1 : -1, memory_order_release);
			atomic_fetch_add(&e->compile_ns, bk_now_ns() - t0);
		}
		pthread_mutex_unlock(lock);
		state = atomic_load(&cq->ready);
	}
	return state > 0 ? cq : NULL;
}

static int lazy_single(struct cquery *cq, void *arg, int lang, struct bk_err *err)
{
	(void)cq;
	return build_single(arg, lang, err);
}

const struct cquery *bk_engine_single(const struct bk_engine *e, int lang,
				      struct entry *en)
{
	return lazy(e, &en->single, lazy_single, en, lang);
}

struct cond_arg {
	const struct entry *en;
	struct cond_c *c;
};

static int lazy_cond(struct cquery *cq, void *arg, int lang, struct bk_err *err)
{
	struct cond_arg *a = arg;
	(void)cq;
	return build_cond(a->c, lang, a->en, err);
}

const struct cquery *bk_engine_cond(const struct bk_engine *e, int lang,
				    const struct entry *en, struct cond_c *c)
{
	struct cond_arg a = { en, c };
	return lazy(e, &c->cq, lazy_cond, &a, lang);
}

/* Which entry does a byte of the combined source belong to? */
static size_t entry_at(const struct lang_c *lc, uint32_t offset)
{
	size_t i = 0;
	while (i + 1 < lc->entries_nr && lc->entries[i + 1].src_start <= offset)
		i++;
	return i;
}

static void combined_where(void *data, uint32_t offset, char *buf, size_t n)
{
	const struct lang_c *lc = data;
	const struct entry *en = &lc->entries[entry_at(lc, offset)];
	query_where(en->rule->path, en->rl->query_line, en->rl->query_col,
		    en->rl->query_src, offset - en->src_start, buf, n);
}

/*
 * The combined query's needles, per rule: declared by the rule, or the
 * union of what its patterns' predicates require. A pattern requiring no
 * literal makes the rule run on every file (gate_all).
 */
static void combined_needles(struct lang_c *lc)
{
	uint32_t np = ts_query_pattern_count(lc->combined.q);
	for (uint32_t p = 0; p < np; p++) {
		struct entry *en = &lc->entries[lc->combined.pattern_entry[p]];
		const char *const *nd;
		size_t n;
		if (en->rl->needles_nr || en->gate_all)
			continue;
		if (!(n = bk_predset_needles(lc->combined.preds, p, &nd)))
			en->gate_all = 1;
		for (size_t i = 0; i < n; i++) {
			BK_ALLOC_GROW(en->gate_needles, en->gate_needles_nr + 1, en->gate_needles_alloc);
			en->gate_needles[en->gate_needles_nr++] = nd[i];
		}
	}
	for (size_t i = 0; i < lc->entries_nr; i++) {
		struct entry *en = &lc->entries[i];
		if (en->rl->needles_nr) {
			free(en->gate_needles);
			en->gate_needles = (const char **)bk_xcalloc(en->rl->needles_nr, sizeof(char *));
			memcpy(en->gate_needles, en->rl->needles, en->rl->needles_nr * sizeof(char *));
			en->gate_needles_nr = en->rl->needles_nr;
			en->gate_all = 0;
		}
	}
}

/*
 * Check every rule's query before joining them, in order: the error of
 * the first refused one or, for a syntax error, of compiling it alone
 * (given them joined, tree-sitter would read on into the next rule's
 * text). Returns 1 when they may not be joined all the same, else 0 and
 * *too_big when the joined query would be too large.
 */
static int combined_check(struct lang_c *lc, int lang, int *too_big,
			  struct bk_err *err)
{
	uint64_t steps = 0, len = 0;
	int syntax = 0;

	for (size_t i = 0; i < lc->entries_nr; i++) {
		struct entry *en = &lc->entries[i];
		const char *src = en->rl->query_src;
		struct bk_query_scan scan;
		int r = bk_query_check(bk_langs[lang].grammar(), src, strlen(src), &scan), rc;
		if (r < 0)
			return query_refused(&scan, lang, src, en->rule->path,
					     en->rl->query_line, en->rl->query_col, err);
		if (r > 0 && (rc = build_single(en, lang, err)))
			return rc;
		syntax |= r;
		steps += scan.steps;
		len += strlen(src) + 1;
	}
	*too_big = steps > COMBINED_MAX_STEPS || len > COMBINED_MAX_LEN;
	return syntax;
}

static int build_combined(struct lang_c *lc, int lang, struct bk_err *err)
{
	struct bk_buf src = BK_BUF_INIT;
	uint32_t off = 0, np;
	TSQueryError qe = TSQueryErrorSyntax;
	int rc, too_big = 0;

	if ((rc = combined_check(lc, lang, &too_big, err)) < 0)
		return rc;
	if (!rc && too_big) {
		lc->per_rule = 1;
		return 0;
	}
	for (size_t i = 0; i < lc->entries_nr; i++) {
		lc->entries[i].src_start = (uint32_t)src.len;
		bk_buf_puts(&src, lc->entries[i].rl->query_src);
		bk_buf_putc(&src, '\n');
	}
	if (!rc)
		lc->combined.q = ts_query_new(bk_langs[lang].grammar(), src.ptr,
					      (uint32_t)src.len, &off, &qe);
	bk_buf_release(&src); /* the query keeps what it needs */
	if (!lc->combined.q) {
		/*
		 * Compile the rules alone, in order, for a precise message: an
		 * unclosed pattern is only noticed in a later rule's text.
		 */
		for (size_t i = 0; i < lc->entries_nr; i++)
			if (!lc->entries[i].single.q &&
			    (rc = build_single(&lc->entries[i], lang, err)))
				return rc;
		return bk_err_set(err, BK_ECONFIG, "%s: %s in the combined %s query",
				  lc->entries[entry_at(lc, off)].rule->path,
				  query_error_name(qe), bk_langs[lang].name);
	}
	np = ts_query_pattern_count(lc->combined.q);
	lc->combined.pattern_entry = bk_xcalloc(np + 1, sizeof(uint32_t));
	for (uint32_t p = 0; p < np; p++)
		lc->combined.pattern_entry[p] = (uint32_t)entry_at(
			lc, ts_query_start_byte_for_pattern(lc->combined.q, p));
	lc->combined.report_capture = capture_id(lc->combined.q, "report");
	lc->combined.at_capture = NO_CAPTURE;
	if ((rc = bk_predset_new(&lc->combined.preds, lc->combined.q, lang,
				 combined_where, lc, err)))
		return rc;
	combined_needles(lc);
	atomic_store(&lc->combined.ready, 1);
	return 0;
}

/* Compile conditions (and their exceptions) now and check capture names. */
static int build_conds_now(const struct lang_c *lc, struct entry *en, int lang,
			   const TSQuery *main_q, struct cond_c *cs, size_t n,
			   struct bk_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!cs[i].cq.ready) {
			if ((rc = build_cond(&cs[i], lang, en, err)))
				break;
			atomic_store(&cs[i].cq.ready, 1);
		}
		if (!(rc = check_cond_names(lc, en, main_q, &cs[i], lang, err)))
			rc = build_conds_now(lc, en, lang, main_q, cs[i].except,
					     cs[i].src->except_nr, err);
	}
	return rc;
}

/* Compile an entry's query and conditions now and check capture names. */
static int build_entry_now(const struct lang_c *lc, struct entry *en, int lang,
			   const TSQuery *main_q, struct bk_err *err)
{
	int rc = 0;
	if (!main_q) {
		if ((rc = build_single(en, lang, err)))
			return rc;
		atomic_store(&en->single.ready, 1);
		main_q = en->single.q;
	}
	if (!(rc = build_conds_now(lc, en, lang, main_q, en->where, en->where_nr, err)))
		rc = build_conds_now(lc, en, lang, main_q, en->unless, en->unless_nr, err);
	return rc;
}

static int compile_regexes(struct lang_c *lc, struct bk_err *err)
{
	for (size_t i = 0; i < lc->entries_nr; i++) {
		struct entry *en = &lc->entries[i];
		char where[512];
		snprintf(where, sizeof(where), "%s:%u:%u", en->rule->path,
			 en->rl->query_line, en->rl->query_col);
		int rc = bk_regex_new(&en->re, en->rl->regex_src, where, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int prepare_lang(struct lang_c *lc, int lang, int eager_all, struct bk_err *err)
{
	int rc = 0;
	if (!bk_langs[lang].grammar)
		return compile_regexes(lc, err);
	if (!lc->per_rule && (rc = build_combined(lc, lang, err)))
		return rc;
	for (size_t i = 0; i < lc->entries_nr && !rc; i++) {
		struct entry *en = &lc->entries[i];
		if (eager_all || !is_builtin(en->rule))
			rc = build_entry_now(lc, en, lang, lc->per_rule ? NULL : lc->combined.q, err);
	}
	return rc;
}

int bk_engine_prepare(struct bk_engine *e, int lang, size_t files,
		      struct bk_err *err)
{
	struct lang_c *lc = &e->langs[lang];
	uint64_t t0 = bk_now_ns();
	int rc;

	if (lc->prepared || !lc->entries_nr)
		return 0;
	lc->prepared = 1;
	if (e->mode == BK_MODE_AUTO)
		lc->per_rule = files <= PER_RULE_MAX_FILES;
	else
		lc->per_rule = e->mode == BK_MODE_PER_RULE;
	rc = prepare_lang(lc, lang, 0, err);
	atomic_fetch_add(&e->compile_ns, bk_now_ns() - t0);
	return rc;
}

int bk_engine_prepare_all(struct bk_engine *e, struct bk_err *err)
{
	for (size_t l = 0; l < bk_langs_nr; l++) {
		struct lang_c *lc = &e->langs[l];
		int rc;
		if (lc->prepared || !lc->entries_nr)
			continue;
		lc->prepared = 1;
		lc->per_rule = e->mode == BK_MODE_PER_RULE;
		if ((rc = prepare_lang(lc, (int)l, 1, err)))
			return rc;
	}
	return 0;
}

void bk_engine_set_mode(struct bk_engine *e, enum bk_engine_mode mode)
{
	e->mode = mode;
}

void bk_engine_free(struct bk_engine *e)
{
	if (!e)
		return;
	for (size_t l = 0; l < bk_langs_nr; l++) {
		struct lang_c *lc = &e->langs[l];
		for (size_t i = 0; i < lc->entries_nr; i++) {
			struct entry *en = &lc->entries[i];
			for (size_t j = 0; j < en->where_nr; j++)
				cond_c_release(&en->where[j]);
			for (size_t j = 0; j < en->unless_nr; j++)
				cond_c_release(&en->unless[j]);
			free(en->where);
			free(en->unless);
			cquery_release(&en->single);
			bk_regex_free(en->re);
			bk_regex_free(en->prefilter);
			bk_regex_free(en->report_at);
			free(en->gate_needles);
		}
		free(lc->entries);
		cquery_release(&lc->combined);
	}
	for (int i = 0; i < BK_COMPILE_LOCKS; i++)
		pthread_mutex_destroy(&e->locks[i]);
	free(e->langs);
	free(e);
}

struct bk_worker *bk_worker_new(const struct bk_engine *e)
{
	struct bk_worker *w = bk_xcalloc(1, sizeof(*w));
	w->e = e;
	w->parser = ts_parser_new();
	w->cursor = ts_query_cursor_new();
	w->cond_cursor = ts_query_cursor_new();
	/*
	 * The default limit on in-progress matches is unbounded, and some
	 * patterns over some files (large bundles) then go quadratic.
	 */
	ts_query_cursor_set_match_limit(w->cursor, BK_QUERY_MATCH_LIMIT);
	ts_query_cursor_set_match_limit(w->cond_cursor, BK_QUERY_MATCH_LIMIT);
	w->scratch = bk_regex_scratch_new();
	w->budget_ns = (uint64_t)BK_FILE_BUDGET_MS * 1000000u;
	w->max_findings = BK_MAX_FINDINGS_PER_FILE;
	w->stats.rules = bk_xcalloc(e->set->nr + 1, sizeof(*w->stats.rules));
	return w;
}

void bk_worker_set_budget(struct bk_worker *w, uint64_t ms)
{
	w->budget_ns = ms * 1000000u;
}

void bk_worker_set_max_findings(struct bk_worker *w, size_t n)
{
	w->max_findings = n;
}

void bk_worker_failure(const struct bk_worker *w, struct bk_buf *out)
{
	bk_regex_scratch_failure(w->scratch, out);
}

const struct bk_worker_stats *bk_worker_stats(const struct bk_worker *w)
{
	return &w->stats;
}

void bk_worker_free(struct bk_worker *w)
{
	if (!w)
		return;
	ts_parser_delete(w->parser);
	ts_query_cursor_delete(w->cursor);
	ts_query_cursor_delete(w->cond_cursor);
	bk_cond_file_reset(w);
	free(w->fconds);
	free(w->fdefs);
	free(w->defs);
	bk_regex_scratch_free(w->scratch);
	free(w->stats.rules);
	free(w);
}
