/*
 * Checking one file: prefilter, parse once, one pass of the combined
 * query, predicates, conditions, message, suppressions.
 */
#include "lint/engine-int.h"

#include <stdlib.h>
#include <string.h>
#include "lint/suppress.h"
#include "base/util.h"

struct file_ctx {
	struct bk_worker *w;
	struct lang_c *lc;
	const struct cquery *cq;  /* the query whose matches are processed */
	int lang;
	const char *path;
	const char *text;
	size_t len;
	struct bk_report *out;
	size_t first_finding;     /* this file's findings start here in out */
	enum bk_role role;
	struct spots *spots;      /* with a cap: the spots found so far */
	size_t kept, dropped;     /* distinct spots kept, and past the cap */
};

/*
 * The distinct (rule, start, end) spots of a file, kept or dropped: two
 * patterns of a rule matching one node make one finding (drop_duplicates
 * keeps one), so they must take one place under the cap, and a spot
 * past it is counted once. Open addressing, at most half full.
 */
struct spot {
	const struct bk_rule *rule;   /* NULL: empty slot */
	uint32_t start, end;
	int kept;
};

struct spots {
	struct spot *v;
	size_t nr, size;
};

static size_t spot_hash(const struct bk_rule *rule, uint32_t start, uint32_t end)
{
	uint64_t h = (uint64_t)(uintptr_t)rule * 0x9E3779B97F4A7C15u;
	h ^= ((uint64_t)start << 32 | end) * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(h ^ (h >> 29));
}

/* The spot's slot, added (kept as given) if new; *fresh says which. */
static struct spot *spot_find(struct spots *s, const struct bk_rule *rule, uint32_t start,
			      uint32_t end, int kept, int *fresh)
{
	if (2 * (s->nr + 1) > s->size) {
		struct spots grown = { NULL, 0, s->size ? 2 * s->size : 64 };
		grown.v = bk_xcalloc(grown.size, sizeof(*grown.v));
		for (size_t i = 0; i < s->size; i++)
			if (s->v[i].rule) {
				int f;
				*spot_find(&grown, s->v[i].rule, s->v[i].start, s->v[i].end,
					   s->v[i].kept, &f) = s->v[i];
			}
		free(s->v);
		*s = grown;
	}
	size_t i = spot_hash(rule, start, end) & (s->size - 1);
	while (s->v[i].rule && (s->v[i].rule != rule || s->v[i].start != start ||
				s->v[i].end != end))
		i = (i + 1) & (s->size - 1);
	*fresh = !s->v[i].rule;
	if (*fresh) {
		s->v[i] = (struct spot){ rule, start, end, kept };
		s->nr++;
	}
	return &s->v[i];
}

/* Under the worker's cap, may this finding be added? Counts the rest. */
static int under_cap(struct file_ctx *f, const struct bk_rule *rule, uint32_t sb, uint32_t eb)
{
	int fresh, room = f->kept < f->w->max_findings;
	struct spot *sp;

	if (!f->w->max_findings)
		return 1;
	if (!f->spots)
		f->spots = bk_xcalloc(1, sizeof(*f->spots));
	sp = spot_find(f->spots, rule, sb, eb, room, &fresh);
	if (fresh) {
		if (room)
			f->kept++;
		else
			f->dropped++;
	}
	return sp->kept;
}


static int applies(const struct file_ctx *f, const struct entry *en, enum bk_role role)
{
	return (bk_rule_roles(en->rule) & BK_ROLE_BIT(role)) != 0;
}

/* Does node hold, or follow, one of the language's test attributes? */
static int has_test_attr(const struct file_ctx *f, TSNode node)
{
	const struct bk_lang *l = &bk_langs[f->lang];
	TSNode kids[2] = { ts_node_prev_named_sibling(node), ts_node_named_child(node, 0) };
	for (int k = 0; k < 2; k++) {
		for (TSNode a = kids[k]; !ts_node_is_null(a) && !strcmp(ts_node_type(a), l->test_attr_type);
		     a = k ? ts_node_next_named_sibling(a) : ts_node_prev_named_sibling(a)) {
			uint32_t s = ts_node_start_byte(a), e = ts_node_end_byte(a);
			for (size_t i = 0; l->test_attrs[i]; i++)
				if (memmem(f->text + s, e - s, l->test_attrs[i], strlen(l->test_attrs[i])))
					return 1;
		}
	}
	return 0;
}

/* Is node in test code of a source file (a #[cfg(test)] module, ...)? */
static int in_test_region(const struct file_ctx *f, TSNode node)
{
	if (!bk_langs[f->lang].test_attr_type || f->role == BK_ROLE_TEST)
		return 0;
	for (TSNode n = ts_node_parent(node); !ts_node_is_null(n); n = ts_node_parent(n))
		if (has_test_attr(f, n))
			return 1;
	return 0;
}

static int any_needle(const char *const *nd, size_t n, const char *text, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (memmem(text, len, nd[i], strlen(nd[i])))
			return 1;
	return 0;
}

static int prefilter_ok(struct file_ctx *f, const struct entry *en)
{
	return !en->prefilter || bk_regex_may_match(en->prefilter, f->text, f->len, f->w->scratch);
}

/* Per-rule mode: may this rule match in text? Compiles it if it must. */
static const struct cquery *entry_gate(struct file_ctx *f, struct entry *en)
{
	const struct cquery *cq;
	if (en->rl->needles_nr &&
	    !any_needle((const char *const *)en->rl->needles, en->rl->needles_nr, f->text, f->len))
		return NULL;
	if (!prefilter_ok(f, en) || !(cq = bk_engine_single(f->w->e, f->lang, en)))
		return NULL;
	if (en->rl->needles_nr)
		return cq;
	for (uint32_t p = 0; p < ts_query_pattern_count(cq->q); p++) {
		const char *const *nd;
		size_t n = bk_predset_needles(cq->preds, p, &nd);
		if (!n || any_needle(nd, n, f->text, f->len))
			return cq;
	}
	return NULL;
}

/* Combined mode: may this rule match in text? */
static int entry_gate_combined(struct file_ctx *f, const struct entry *en)
{
	return (en->gate_all ||
		any_needle(en->gate_needles, en->gate_needles_nr, f->text, f->len)) &&
	       prefilter_ok(f, en);
}

/*
 * Append {{name}} = first line of the capture's text, at most 60 bytes;
 * {{name|text}} gives text when the match has no such capture.
 */
static void put_capture(struct bk_buf *b, const struct file_ctx *f,
			const TSQueryMatch *m, const char *name, size_t n)
{
	const char *bar = memchr(name, '|', n);
	size_t full = n;

	if (bar)
		n = (size_t)(bar - name);
	for (uint16_t i = 0; m && i < m->capture_count; i++) {
		uint32_t len;
		const char *cn = ts_query_capture_name_for_id(f->cq->q, m->captures[i].index, &len);
		if (len != n || memcmp(cn, name, n))
			continue;
		uint32_t s = ts_node_start_byte(m->captures[i].node);
		uint32_t e = ts_node_end_byte(m->captures[i].node);
		const char *nl = memchr(f->text + s, '\n', e - s);
		size_t take = nl ? (size_t)(nl - (f->text + s)) : e - s;
		if (take > 60) {
			size_t cut = 57;
			while (cut > 0 && ((unsigned char)f->text[s + cut] & 0xC0) == 0x80)
				cut--; /* not inside a UTF-8 sequence */
			bk_buf_add(b, f->text + s, cut);
			bk_buf_puts(b, "...");
		} else {
			bk_buf_add(b, f->text + s, take);
		}
		return;
	}
	if (bar)
		bk_buf_add(b, bar + 1, full - n - 1);
	else
		bk_buf_printf(b, "{{%.*s}}", (int)n, name);
}

static char *render_message(const struct file_ctx *f, const struct entry *en,
			    const TSQueryMatch *m)
{
	const char *p = en->rl->message ? en->rl->message : en->rule->message;
	struct bk_buf b = BK_BUF_INIT;
	while (*p) {
		const char *open = strstr(p, "{{"), *close;
		if (!open || !(close = strstr(open + 2, "}}"))) {
			bk_buf_puts(&b, p);
			break;
		}
		bk_buf_add(&b, p, (size_t)(open - p));
		put_capture(&b, f, m, open + 2, (size_t)(close - open - 2));
		p = close + 2;
	}
	return bk_buf_detach(&b);
}

/* The point of byte `to`, from the point p of byte `from` (from <= to). */
static TSPoint advance_point(TSPoint p, const char *text, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (text[i] == '\n') {
			p.row++;
			p.column = 0;
		} else {
			p.column++;
		}
	}
	return p;
}

/*
 * `report-at`: the finding covers the first match of the entry's regex
 * inside the reported range (the `*` of a 30-line SQL string, not its
 * opening quote); without a match it keeps the whole range.
 */
static void narrow_range(struct file_ctx *f, const struct entry *en, uint32_t *sb,
			 uint32_t *eb, TSPoint *sp, TSPoint *ep)
{
	size_t ms, me;
	if (!en->report_at ||
	    bk_regex_search(en->report_at, f->text + *sb, *eb - *sb, 0, &ms, &me, f->w->scratch) <= 0)
		return;
	if (me < ms) /* \K in a lookaround */
		me = ms;
	*sp = advance_point(*sp, f->text, *sb, *sb + ms);
	*ep = advance_point(*sp, f->text, *sb + ms, *sb + me);
	*eb = *sb + (uint32_t)me;
	*sb += (uint32_t)ms;
}

static void add_finding(struct file_ctx *f, const struct entry *en,
			const TSQueryMatch *m, uint32_t sb, uint32_t eb,
			TSPoint sp, TSPoint ep)
{
	struct bk_report *r = f->out;
	narrow_range(f, en, &sb, &eb, &sp, &ep);
	if (!under_cap(f, en->rule, sb, eb))
		return;
	struct bk_finding *fd = bk_report_add_finding(r, en->rule, f->path);
	fd->start_byte = sb;
	fd->end_byte = eb;
	fd->start_line = sp.row;
	fd->start_col = sp.column;
	fd->end_line = ep.row;
	fd->end_col = ep.column;
	fd->message = render_message(f, en, m);
	fd->line_text = bk_line_at(f->text, f->len, sb);
	fd->end_line_text = bk_line_at(f->text, f->len, eb > sb ? eb - 1 : eb);
	f->w->stats.rules[en->rule_index].findings++;
}

/* The node to report: @report, else the widest capture. */
static TSNode report_node(const struct cquery *cq, const TSQueryMatch *m)
{
	TSNode best = m->captures[0].node;
	for (uint16_t i = 0; i < m->capture_count; i++) {
		TSNode n = m->captures[i].node;
		if (m->captures[i].index == cq->report_capture)
			return n;
		if (ts_node_end_byte(n) - ts_node_start_byte(n) >
		    ts_node_end_byte(best) - ts_node_start_byte(best))
			best = n;
	}
	return best;
}

static int conditions_pass(struct file_ctx *f, const struct entry *en,
			   const TSQueryMatch *m, TSNode report, TSNode root)
{
	uint64_t t0 = bk_now_ns();
	int ok = 1;
	for (size_t i = 0; ok && i < en->where_nr; i++)
		ok = bk_cond_holds(f->w, f->cq, en, &en->where[i], f->lang, m, report,
				   root, f->text);
	for (size_t i = 0; ok && i < en->unless_nr; i++)
		ok = !bk_cond_holds(f->w, f->cq, en, &en->unless[i], f->lang, m, report,
				    root, f->text);
	uint64_t dt = bk_now_ns() - t0;
	f->w->stats.cond_ns += dt;
	f->w->stats.rules[en->rule_index].cond_ns += dt;
	return ok;
}

/* tree-sitter asks now and then whether to give up on the file. */
static bool over_budget(struct bk_worker *w)
{
	if (!w->timed_out && bk_now_ns() > w->deadline_ns)
		w->timed_out = 1;
	return w->timed_out;
}

static bool query_progress(TSQueryCursorState *st)
{
	return over_budget(st->payload);
}

static bool parse_progress(TSParseState *st)
{
	return over_budget(st->payload);
}

static int same_spot_cmp(const void *pa, const void *pb)
{
	const struct bk_finding *a = pa, *b = pb;
	int c = strcmp(a->rule->id, b->rule->id);
	if (!c)
		c = a->start_byte < b->start_byte ? -1 : a->start_byte > b->start_byte;
	if (!c)
		c = a->end_byte < b->end_byte ? -1 : a->end_byte > b->end_byte;
	return c;
}

/* Two patterns of one rule matching one node give one finding. */
static void drop_duplicates(struct file_ctx *f)
{
	struct bk_report *r = f->out;
	size_t n = r->findings_nr - f->first_finding, keep = 0;
	struct bk_finding *first;

	if (n < 2)
		return; /* findings may still be NULL: no pointer arithmetic on it */
	first = r->findings + f->first_finding;
	qsort(first, n, sizeof(*first), same_spot_cmp);
	for (size_t i = 0; i < n; i++) {
		if (keep && !same_spot_cmp(&first[keep - 1], &first[i])) {
			f->w->stats.rules[first[i].rule - f->w->e->set->rules].findings--;
			bk_finding_release(&first[i]);
			continue;
		}
		first[keep++] = first[i];
	}
	r->findings_nr = f->first_finding + keep;
}

/*
 * Run f->cq over the tree; `only` fixes the entry (per-rule mode), else
 * matches of rules whose gate failed are dropped unseen.
 */
static void run_query(struct file_ctx *f, TSNode root, const struct entry *only,
		      const struct cquery **gates)
{
	struct bk_worker *w = f->w;
	const struct cquery *cq = f->cq;
	TSQueryMatch m;
	uint64_t t0 = bk_now_ns(), tcond = w->stats.cond_ns;

	TSQueryCursorOptions opts = { w, query_progress };
	ts_query_cursor_exec_with_options(w->cursor, cq->q, root, &opts);
	while (!w->timed_out && !bk_regex_scratch_failed(w->scratch) &&
	       ts_query_cursor_next_match(w->cursor, &m)) {
		uint32_t ei = only ? 0 : cq->pattern_entry[m.pattern_index];
		const struct entry *en = only ? only : &f->lc->entries[ei];
		if (!m.capture_count || (!only && !gates[ei]))
			continue;
		w->stats.rules[en->rule_index].matches++;
		if (!bk_predset_eval(cq->preds, &m, f->text, w->scratch))
			continue;
		TSNode rep = report_node(cq, &m);
		if (!applies(f, en, BK_ROLE_TEST) && in_test_region(f, rep))
			continue;
		if (!conditions_pass(f, en, &m, rep, root))
			continue;
		add_finding(f, en, &m, ts_node_start_byte(rep), ts_node_end_byte(rep),
			    ts_node_start_point(rep), ts_node_end_point(rep));
	}
	w->stats.query_ns += bk_now_ns() - t0 - (w->stats.cond_ns - tcond);
}

static TSPoint point_at(const char *text, size_t offset)
{
	TSPoint p = { 0, 0 };
	size_t ls = 0;
	for (size_t i = 0; i < offset; i++)
		if (text[i] == '\n') {
			p.row++;
			ls = i + 1;
		}
	p.column = (uint32_t)(offset - ls);
	return p;
}

static void run_regexes(struct file_ctx *f)
{
	uint64_t t0 = bk_now_ns();
	for (size_t i = 0; i < f->lc->entries_nr; i++) {
		const struct entry *en = &f->lc->entries[i];
		size_t pos = 0, ms, me;
		if (!applies(f, en, f->role))
			continue;
		while (pos <= f->len &&
		       bk_regex_search(en->re, f->text, f->len, pos, &ms, &me, f->w->scratch) > 0) {
			f->w->stats.rules[en->rule_index].matches++;
			add_finding(f, en, NULL, (uint32_t)ms, (uint32_t)me,
				    point_at(f->text, ms), point_at(f->text, me));
			pos = me > ms ? me : me + 1;
		}
	}
	f->w->stats.regex_ns += bk_now_ns() - t0;
}

struct comment_ctx {
	TSNode root;
	int lang;
	const char *text;
	size_t len;
};

static int in_comment(void *data, uint32_t offset)
{
	struct comment_ctx *c = data;
	if (ts_node_is_null(c->root)) {
		/* Text languages (SQL): a "--" earlier on the line, outside '...'. */
		uint32_t i = offset;
		int quoted = 0;
		while (i > 0 && c->text[i - 1] != '\n')
			i--;
		for (; i + 1 < offset; i++) {
			if (c->text[i] == '\'')
				quoted = !quoted; /* '' inside a string toggles twice */
			else if (!quoted && c->text[i] == '-' && c->text[i + 1] == '-')
				return 1;
		}
		return 0;
	}
	TSNode n = ts_node_descendant_for_byte_range(c->root, offset, offset + 1);
	for (; !ts_node_is_null(n); n = ts_node_parent(n))
		if (bk_lang_type_in(bk_langs[c->lang].comment_types, ts_node_type(n)))
			return 1;
	return 0;
}

/* A finding of bk_unused_ignore_rule at the marker. */
static void add_unused(struct file_ctx *f, const struct bk_suppression *s,
		       const char *id)
{
	struct bk_report *r = f->out;
	size_t ls = 0;
	uint32_t line = 0;
	for (size_t i = 0; i < f->len && line < s->line; i++)
		if (f->text[i] == '\n') {
			line++;
			ls = i + 1;
		}
	struct bk_buf msg = BK_BUF_INIT;
	bk_buf_printf(&msg, "unused suppression: no '%s' finding here to ignore", id);
	struct bk_finding *fd = bk_report_add_finding(r, &bk_unused_ignore_rule, f->path);
	fd->start_line = fd->end_line = s->line;
	fd->start_col = s->col;
	fd->end_col = s->col + 12; /* "bkgen-ignore" */
	fd->start_byte = (uint32_t)(ls + s->col);
	fd->end_byte = fd->start_byte + 12;
	fd->message = bk_buf_detach(&msg);
	fd->line_text = bk_line_at(f->text, f->len, fd->start_byte);
	fd->end_line_text = bk_xstrdup(fd->line_text);
}

static void apply_suppressions(struct file_ctx *f, TSNode root, unsigned flags)
{
	struct bk_suppressions sup = { 0 };
	struct comment_ctx cc = { root, f->lang, f->text, f->len };
	struct bk_report *r = f->out;
	size_t keep = f->first_finding;

	if (!memmem(f->text, f->len, "bkgen-ignore", 12))
		return;
	bk_suppress_scan(&sup, f->text, f->len, in_comment, &cc);
	for (size_t i = f->first_finding; i < r->findings_nr; i++) {
		struct bk_finding *fd = &r->findings[i];
		if (bk_suppress_covers(&sup, fd->start_line, fd->rule->id)) {
			bk_finding_release(fd);
			continue;
		}
		r->findings[keep++] = *fd;
	}
	r->findings_nr = keep;
	for (size_t i = 0; (flags & BK_CHECK_UNUSED_IGNORES) && i < sup.nr; i++)
		for (size_t j = 0; j < sup.items[i].ids_nr; j++)
			if (!sup.items[i].used[j])
				add_unused(f, &sup.items[i], sup.items[i].ids[j]);
	bk_suppress_release(&sup);
}

/*
 * Which rules may match in this file (gates[i] non-NULL)? None: the file
 * is never parsed.
 */
static size_t plan(struct file_ctx *f, const struct cquery **gates)
{
	struct lang_c *lc = f->lc;
	size_t n = 0;
	for (size_t i = 0; i < lc->entries_nr; i++) {
		if (!applies(f, &lc->entries[i], f->role))
			gates[i] = NULL;
		else if (lc->per_rule)
			gates[i] = entry_gate(f, &lc->entries[i]);
		else
			gates[i] = entry_gate_combined(f, &lc->entries[i]) ? &lc->combined : NULL;
		n += gates[i] != NULL;
	}
	return n;
}

struct text_input {
	const char *text;
	size_t len;
};

static const char *read_text(void *payload, uint32_t byte, TSPoint pos,
			     uint32_t *bytes_read)
{
	const struct text_input *in = payload;
	(void)pos;
	*bytes_read = byte < in->len ? (uint32_t)(in->len - byte) : 0;
	return in->text + (byte < in->len ? byte : in->len);
}

/* One finding at the top of the file: how many more were not kept. */
static void add_too_many(struct file_ctx *f)
{
	struct bk_report *r = f->out;
	struct bk_buf msg = BK_BUF_INIT;

	bk_buf_printf(&msg, "%zu more finding%s in this file not reported "
		      "(at most %zu per file: --max-findings-per-file)",
		      f->dropped, f->dropped == 1 ? "" : "s", f->w->max_findings);
	struct bk_finding *fd = bk_report_add_finding(r, &bk_too_many_findings_rule, f->path);
	fd->message = bk_buf_detach(&msg);
	fd->line_text = bk_line_at(f->text, f->len, 0);
	fd->end_line_text = bk_xstrdup(fd->line_text);
	r->findings_not_shown += f->dropped;
}

/* The file's results cannot be trusted (out of time, a regex gave up). */
static void drop_findings(struct file_ctx *f)
{
	for (size_t i = f->first_finding; i < f->out->findings_nr; i++)
		bk_finding_release(&f->out->findings[i]);
	f->out->findings_nr = f->first_finding;
}

static int check_tree(struct file_ctx *f, const struct cquery **gates,
		      unsigned flags)
{
	struct bk_worker *w = f->w;
	uint64_t t0 = bk_now_ns();
	TSTree *tree;
	TSNode root;
	int rc;

	TSParseOptions opts = { w, parse_progress };
	struct text_input in = { f->text, f->len };
	TSInput input = { &in, read_text, TSInputEncodingUTF8, NULL };
	ts_parser_set_language(w->parser, bk_langs[f->lang].grammar());
	tree = ts_parser_parse_with_options(w->parser, NULL, input, opts);
	w->stats.parse_ns += bk_now_ns() - t0;
	if (!tree) {
		ts_parser_reset(w->parser);
		return w->timed_out ? BK_ETIMEOUT : BK_EIO;
	}
	root = ts_tree_root_node(tree);
	if (!f->lc->per_rule) {
		f->cq = &f->lc->combined;
		run_query(f, root, NULL, gates);
	} else {
		for (size_t i = 0; i < f->lc->entries_nr; i++)
			if ((f->cq = gates[i]))
				run_query(f, root, &f->lc->entries[i], gates);
	}
	rc = w->timed_out ? BK_ETIMEOUT : bk_regex_scratch_failed(w->scratch) ? BK_ELIMIT : 0;
	if (rc) {
		drop_findings(f);
	} else {
		drop_duplicates(f);
		apply_suppressions(f, root, flags); /* uses the tree */
		if (f->dropped)
			add_too_many(f);
	}
	ts_tree_delete(tree);
	return rc;
}

int bk_engine_check(struct bk_worker *w, const char *path, int lang,
		    const char *text, size_t len, enum bk_role role, unsigned flags,
		    struct bk_report *out)
{
	struct lang_c *lc = &((struct bk_engine *)w->e)->langs[lang];
	struct file_ctx f = { w, lc, NULL, lang, path, text, len, out, out->findings_nr, role,
			      NULL, 0, 0 };
	const struct cquery **gates;
	int rc = 0;

	if (!lc->entries_nr)
		return 0;
	w->timed_out = 0;
	w->path = path;
	bk_regex_scratch_clear(w->scratch);
	bk_cond_file_reset(w);
	w->deadline_ns = bk_now_ns() + w->budget_ns;
	if (!bk_langs[lang].grammar) {
		out->files_scanned++;
		out->bytes_scanned += len;
		run_regexes(&f);
		if (bk_regex_scratch_failed(w->scratch)) {
			drop_findings(&f);
			rc = BK_ELIMIT;
		} else {
			drop_duplicates(&f);
			apply_suppressions(&f, (TSNode){ 0 }, flags);
			if (f.dropped)
				add_too_many(&f);
		}
		goto out;
	}
	gates = bk_xcalloc(lc->entries_nr, sizeof(*gates));
	/*
	 * A stale marker sits where the code was fixed, so the file may well
	 * have lost its needles: parse it anyway to report the marker.
	 */
	if (!plan(&f, gates) &&
	    !((flags & BK_CHECK_UNUSED_IGNORES) && memmem(text, len, "bkgen-ignore", 12))) {
		out->files_prefiltered++;
	} else {
		out->files_scanned++;
		out->bytes_scanned += len;
		rc = check_tree(&f, gates, flags);
	}
	free(gates);
out:
	if (f.spots)
		free(f.spots->v);
	free(f.spots);
	return rc;
}
