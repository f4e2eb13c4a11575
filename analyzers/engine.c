/*
 * Compiling the rules of a language into one query, mapping each pattern
 * back to its rule, and deriving the prefilter needles.
 */
#include "engine-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

int bk_engine_new(struct bk_engine **out, const struct bk_ruleset *set,
		  struct bk_err *err)
{
	struct bk_engine *e = bk_xcalloc(1, sizeof(*e));
	(void)err;
	e->set = set;
	e->langs = bk_xcalloc(bk_langs_nr, sizeof(*e->langs));
	for (size_t i = 0; i < set->nr; i++) {
		const struct bk_rule *r = &set->rules[i];
		if (!r->enabled)
			continue;
		for (size_t j = 0; j < r->langs_nr; j++) {
			struct lang_c *lc = &e->langs[r->langs[j].lang];
			lc->entries = bk_xrealloc(lc->entries,
						  (lc->entries_nr + 1) * sizeof(*lc->entries));
			struct entry *en = &lc->entries[lc->entries_nr++];
			memset(en, 0, sizeof(*en));
			en->rule = r;
			en->rule_index = i;
			en->rl = &r->langs[j];
		}
	}
	*out = e;
	return 0;
}

int bk_engine_has_lang(const struct bk_engine *e, int lang)
{
	return lang >= 0 && e->langs[lang].entries_nr > 0;
}

double bk_engine_compile_ms(const struct bk_engine *e)
{
	return e->compile_ms;
}

/* Which entry does a byte offset of the combined source belong to? */
static size_t entry_at(const struct lang_c *lc, uint32_t offset)
{
	size_t i = 0;
	while (i + 1 < lc->entries_nr && lc->entries[i + 1].src_start <= offset)
		i++;
	return i;
}

/* "file:line:col" for an offset in a query source that starts at line/col. */
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

struct where_ctx {
	const struct lang_c *lc;
};

static void combined_where(void *data, uint32_t offset, char *buf, size_t n)
{
	const struct lang_c *lc = ((struct where_ctx *)data)->lc;
	const struct entry *en = &lc->entries[entry_at(lc, offset)];
	query_where(en->rule->path, en->rl->query_line, en->rl->query_col,
		    en->rl->query_src, offset - en->src_start, buf, n);
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
	while (*p && i + 1 < n && (p[0] == '_' || p[0] == '.' || p[0] == '-' ||
				   (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
				   (p[0] >= '0' && p[0] <= '9')))
		buf[i++] = *p++;
	buf[i] = '\0';
}

int bk_query_compile(TSQuery **out, int lang, const char *src, const char *file,
		     uint32_t line, uint32_t col, struct bk_err *err)
{
	uint32_t off;
	TSQueryError qe;
	char where[512], word[64];

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
	lc->needles_all = 1;
	return 0;
}

static int compile_conds(struct lang_c *lc, int lang, struct bk_err *err)
{
	for (size_t i = 0; i < lc->entries_nr; i++) {
		struct entry *en = &lc->entries[i];
		const struct bk_rule_lang *rl = en->rl;
		en->where = bk_xcalloc(rl->where_nr + 1, sizeof(*en->where));
		en->unless = bk_xcalloc(rl->unless_nr + 1, sizeof(*en->unless));
		for (size_t j = 0; j < rl->where_nr; j++, en->where_nr++)
			if (bk_cond_compile(&en->where[j], &rl->where[j], lang, lc->q, en->rule, err))
				return err->code;
		for (size_t j = 0; j < rl->unless_nr; j++, en->unless_nr++)
			if (bk_cond_compile(&en->unless[j], &rl->unless[j], lang, lc->q, en->rule, err))
				return err->code;
	}
	return 0;
}

/* Union of the needles; any pattern without one disables the prefilter. */
static void collect_needles(struct lang_c *lc)
{
	size_t alloc = 0;
	uint32_t np = ts_query_pattern_count(lc->q);
	for (uint32_t p = 0; p < np && !lc->needles_all; p++) {
		const struct bk_rule_lang *rl = lc->entries[lc->pattern_entry[p]].rl;
		const char *const *nd = (const char *const *)rl->needles;
		size_t n = rl->needles_nr;
		if (!n)
			n = bk_predset_needles(lc->preds, p, &nd);
		if (!n)
			lc->needles_all = 1;
		for (size_t i = 0; i < n; i++) {
			BK_ALLOC_GROW(lc->needles, lc->needles_nr + 1, alloc);
			lc->needles[lc->needles_nr++] = nd[i];
		}
	}
}

static int compile_lang(struct lang_c *lc, int lang, struct bk_err *err)
{
	struct bk_buf src = BK_BUF_INIT;
	struct where_ctx wc = { lc };
	uint32_t off;
	TSQueryError qe;
	int rc = 0;

	for (size_t i = 0; i < lc->entries_nr; i++) {
		lc->entries[i].src_start = (uint32_t)src.len;
		bk_buf_puts(&src, lc->entries[i].rl->query_src);
		bk_buf_putc(&src, '\n');
	}
	lc->q = ts_query_new(bk_langs[lang].grammar(), src.ptr, (uint32_t)src.len, &off, &qe);
	if (!lc->q) {
		/* Recompile the guilty rule alone for a precise message. */
		const struct entry *en = &lc->entries[entry_at(lc, off)];
		TSQuery *q = NULL;
		rc = bk_query_compile(&q, lang, en->rl->query_src, en->rule->path,
				      en->rl->query_line, en->rl->query_col, err);
		if (!rc) {
			ts_query_delete(q);
			rc = bk_err_set(err, BK_ECONFIG, "%s: %s in the combined %s query",
					en->rule->path, query_error_name(qe), bk_langs[lang].name);
		}
		goto out;
	}
	uint32_t np = ts_query_pattern_count(lc->q);
	lc->pattern_entry = bk_xcalloc(np ? np : 1, sizeof(uint32_t));
	for (uint32_t p = 0; p < np; p++)
		lc->pattern_entry[p] =
			(uint32_t)entry_at(lc, ts_query_start_byte_for_pattern(lc->q, p));
	lc->report_capture = NO_CAPTURE;
	for (uint32_t c = 0; c < ts_query_capture_count(lc->q); c++) {
		uint32_t len;
		const char *name = ts_query_capture_name_for_id(lc->q, c, &len);
		if (len == 6 && !memcmp(name, "report", 6))
			lc->report_capture = c;
	}
	if ((rc = bk_predset_new(&lc->preds, lc->q, lang, combined_where, &wc, err)))
		goto out;
	collect_needles(lc);
	rc = compile_conds(lc, lang, err);
out:
	bk_buf_release(&src);
	return rc;
}

int bk_engine_prepare(struct bk_engine *e, int lang, struct bk_err *err)
{
	struct lang_c *lc = &e->langs[lang];
	uint64_t t0 = bk_now_ns();
	int rc;

	if (lc->prepared || !lc->entries_nr)
		return 0;
	lc->prepared = 1;
	rc = bk_langs[lang].grammar ? compile_lang(lc, lang, err)
				    : compile_regexes(lc, err);
	e->compile_ms += (double)(bk_now_ns() - t0) / 1e6;
	return rc;
}

int bk_engine_prepare_all(struct bk_engine *e, struct bk_err *err)
{
	for (size_t i = 0; i < bk_langs_nr; i++) {
		int rc = bk_engine_prepare(e, (int)i, err);
		if (rc)
			return rc;
	}
	return 0;
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
				bk_cond_release(&en->where[j]);
			for (size_t j = 0; j < en->unless_nr; j++)
				bk_cond_release(&en->unless[j]);
			free(en->where);
			free(en->unless);
			bk_regex_free(en->re);
		}
		free(lc->entries);
		bk_predset_free(lc->preds);
		if (lc->q)
			ts_query_delete(lc->q);
		free(lc->pattern_entry);
		free(lc->needles);
	}
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
	w->scratch = bk_regex_scratch_new();
	w->stats.rules = bk_xcalloc(e->set->nr + 1, sizeof(*w->stats.rules));
	return w;
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
	bk_regex_scratch_free(w->scratch);
	free(w->stats.rules);
	free(w);
}
