/*
 * Reading EXPLAIN (FORMAT JSON) plans: the node accessors the rules use,
 * the walk that hands every node (children in "Plans", InitPlans and
 * SubPlans included) to every check, node descriptions, the relations a
 * plan reads, and index columns derived from condition texts.
 *
 * Fields are looked up by name and every one may be missing: PostgreSQL
 * adds fields in new versions and prints some only with ANALYZE or
 * BUFFERS. Numbers are read as doubles whatever JSON type they have.
 */
#include "explain/plan-int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- node accessors ---- */

double bk_plan_num(const json_t *node, const char *key, double dflt)
{
	const json_t *v = json_object_get(node, key);

	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v)) {
		char *end;
		double d = strtod(json_string_value(v), &end);
		return end != json_string_value(v) ? d : dflt;
	}
	return dflt;
}

const char *bk_plan_str(const json_t *node, const char *key)
{
	return json_string_value(json_object_get(node, key));
}

int bk_plan_is(const json_t *node, const char *node_type)
{
	const char *t = bk_plan_str(node, "Node Type");
	return t && !strcmp(t, node_type);
}

double bk_plan_loops(const json_t *node)
{
	return bk_plan_num(node, "Actual Loops", 1);
}

double bk_plan_total(const json_t *node, const char *key)
{
	return bk_plan_num(node, key, 0) * bk_plan_loops(node);
}

double bk_plan_rows(const json_t *node, int analyzed)
{
	if (analyzed && json_object_get(node, "Actual Rows"))
		return bk_plan_total(node, "Actual Rows");
	return bk_plan_num(node, "Plan Rows", 0);
}

const json_t *bk_plan_child(const json_t *node, size_t i)
{
	return json_array_get(json_object_get(node, "Plans"), i);
}

const json_t *bk_plan_input(const json_t *node)
{
	const json_t *c;

	for (size_t i = 0; (c = bk_plan_child(node, i)); i++) {
		const char *rel = bk_plan_str(c, "Parent Relationship");
		if (!rel || (strcmp(rel, "InitPlan") && strcmp(rel, "SubPlan")))
			return c;
	}
	return NULL;
}

static const struct bk_rel_stats *rel_find(const struct bk_plan_ctx *ctx, const json_t *node)
{
	const char *name = bk_plan_str(node, "Relation Name");
	const char *schema = bk_plan_str(node, "Schema");

	if (!name || !ctx->rels)
		return NULL;
	for (size_t i = 0; i < ctx->rels_nr; i++) {
		const struct bk_rel_stats *r = &ctx->rels[i];
		if (r->name && !strcmp(r->name, name) &&
		    (!schema || !r->schema || !*r->schema || !strcmp(schema, r->schema)))
			return r;
	}
	return NULL;
}

double bk_plan_rel_rows(const struct bk_plan_ctx *ctx, const json_t *node)
{
	const struct bk_rel_stats *r = rel_find(ctx, node);
	double rows = bk_plan_num(node, "Plan Rows", 0);

	if (r && r->reltuples >= 0)
		return r->reltuples;
	/* per loop, both: one loop reads the relation once */
	if (ctx->analyzed && json_object_get(node, "Actual Rows")) {
		double read = bk_plan_num(node, "Actual Rows", 0) +
			      bk_plan_num(node, "Rows Removed by Filter", 0);
		if (read > rows)
			rows = read;
	}
	return rows;
}

void bk_plan_rel_name(struct bk_buf *b, const struct bk_plan_ctx *ctx, const json_t *node)
{
	const char *schema = bk_plan_str(node, "Schema");
	const char *name = bk_plan_str(node, "Relation Name");
	const struct bk_rel_stats *r = rel_find(ctx, node);

	if (!schema && r && r->schema && *r->schema)
		schema = r->schema;
	if (schema)
		bk_buf_printf(b, "%s.", schema);
	bk_buf_puts(b, name ? name : "?");
}

/* ---- numbers and node descriptions ---- */

static void put_grouped(struct bk_buf *b, unsigned long long n)
{
	if (n >= 1000) {
		put_grouped(b, n / 1000);
		bk_buf_printf(b, ",%03llu", n % 1000);
	} else {
		bk_buf_printf(b, "%llu", n);
	}
}

void bk_plan_count(struct bk_buf *b, double n)
{
	/* no libm: the build does not link it */
	if (!(n > -1e18 && n < 1e18)) {
		bk_buf_printf(b, "%g", n);
		return;
	}
	if (n < 0) {
		bk_buf_putc(b, '-');
		n = -n;
	}
	put_grouped(b, (unsigned long long)(n + 0.5));
}

/* A number as EXPLAIN would print it: whole, or with two decimals. */
static void put_num(struct bk_buf *b, double n)
{
	if (n > -1e15 && n < 1e15 && n == (double)(long long)n)
		bk_buf_printf(b, "%.0f", n);
	else
		bk_buf_printf(b, "%.2f", n);
}

static void put_field(struct bk_buf *b, const json_t *node, const char *key, const char *label)
{
	const json_t *v = json_object_get(node, key);

	if (json_is_string(v)) {
		bk_buf_printf(b, ", %s: %s", label, json_string_value(v));
	} else if (json_is_number(v) && json_number_value(v) != 0) {
		bk_buf_printf(b, ", %s: ", label);
		put_num(b, json_number_value(v));
	} else if (json_is_array(v) && json_array_size(v)) {
		bk_buf_printf(b, ", %s: ", label);
		for (size_t i = 0; i < json_array_size(v); i++)
			bk_buf_printf(b, "%s%s", i ? ", " : "",
				      json_string_value(json_array_get(v, i)) ?
				      json_string_value(json_array_get(v, i)) : "?");
	}
}

static void describe_head(struct bk_buf *b, const json_t *node, const struct bk_plan_ctx *ctx)
{
	const char *type = bk_plan_str(node, "Node Type");
	const char *strategy = bk_plan_str(node, "Strategy");

	if (strategy && type && !strcmp(type, "Aggregate"))
		bk_buf_printf(b, "%s ", strategy);
	bk_buf_puts(b, type ? type : "node");
	if (bk_plan_str(node, "Relation Name")) {
		bk_buf_puts(b, " on ");
		bk_plan_rel_name(b, ctx, node);
	}
	if (bk_plan_str(node, "Index Name"))
		bk_buf_printf(b, " using %s", bk_plan_str(node, "Index Name"));
	bk_buf_puts(b, " (rows=");
	put_num(b, bk_plan_num(node, "Plan Rows", 0));
	bk_buf_printf(b, " cost=%.2f..%.2f", bk_plan_num(node, "Startup Cost", 0),
		      bk_plan_num(node, "Total Cost", 0));
	if (ctx->analyzed && json_object_get(node, "Actual Loops")) {
		bk_buf_puts(b, ", actual rows=");
		put_num(b, bk_plan_num(node, "Actual Rows", 0));
		bk_buf_puts(b, " loops=");
		put_num(b, bk_plan_loops(node));
	}
	if (json_is_true(json_object_get(node, "Disabled")))
		bk_buf_puts(b, ", disabled");
}

static void describe_node(struct bk_buf *b, const json_t *node, const struct bk_plan_ctx *ctx)
{
	static const char *const fields[][2] = {
		{ "Index Cond", "Index Cond" }, { "Recheck Cond", "Recheck Cond" },
		{ "Hash Cond", "Hash Cond" }, { "Merge Cond", "Merge Cond" },
		{ "Join Filter", "Join Filter" }, { "Filter", "Filter" },
		{ "Rows Removed by Join Filter", "Rows Removed by Join Filter" },
		{ "Rows Removed by Filter", "Rows Removed by Filter" },
		{ "Rows Removed by Index Recheck", "Rows Removed by Index Recheck" },
		{ "Sort Key", "Sort Key" }, { "Group Key", "Group Key" },
		{ "Sort Method", "Sort Method" }, { "Sort Space Used", "Sort Space kB" },
		{ "Sort Space Type", "Sort Space Type" }, { "Hash Batches", "Hash Batches" },
		{ "Original Hash Batches", "Original Hash Batches" },
		{ "Peak Memory Usage", "Peak Memory kB" },
		{ "HashAgg Batches", "HashAgg Batches" }, { "Disk Usage", "Disk Usage kB" },
		{ "Exact Heap Blocks", "Exact Heap Blocks" },
		{ "Lossy Heap Blocks", "Lossy Heap Blocks" }, { "Heap Fetches", "Heap Fetches" },
		{ "Temp Written Blocks", "Temp Written Blocks" },
	};

	describe_head(b, node, ctx);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		put_field(b, node, fields[i][0], fields[i][1]);
	bk_buf_putc(b, ')');
}

void bk_plan_report(const struct bk_plan_visit *v, const struct bk_plan_rule *rule,
		    struct bk_buf *message, struct bk_buf *fix)
{
	struct bk_plan_findings *f = v->out;
	struct bk_plan_finding *p;
	struct bk_buf node = BK_BUF_INIT;

	describe_node(&node, v->node, v->ctx);
	BK_ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	p = &f->v[f->nr++];
	p->rule_id = rule->id;
	p->message = bk_buf_detach(message);
	p->node = bk_buf_detach(&node);
	p->fix = fix && fix->len ? bk_buf_detach(fix) : NULL;
	if (fix)
		bk_buf_release(fix);
}

void bk_plan_findings_release(struct bk_plan_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nr; i++) {
		free(f->v[i].message);
		free(f->v[i].node);
		free(f->v[i].fix);
	}
	free(f->v);
	f->v = NULL;
	f->nr = f->alloc = 0;
}

/* ---- loading and walking ---- */

struct bk_plan {
	json_t *root;
	const json_t *top;  /* the "Plan" object */
};

int bk_plan_load(struct bk_plan **out, const char *json, struct bk_err *err)
{
	json_error_t jerr;
	json_t *root = json_loads(json ? json : "", 0, &jerr);
	const json_t *top;

	*out = NULL;
	if (!root)
		return bk_err_set(err, BK_EIO, "invalid EXPLAIN JSON: %s (line %d)", jerr.text, jerr.line);
	top = json_object_get(json_is_array(root) ? json_array_get(root, 0) : root, "Plan");
	if (!json_is_object(top)) {
		json_decref(root);
		return bk_err_set(err, BK_EIO, "not an EXPLAIN (FORMAT JSON) plan: no \"Plan\" object");
	}
	*out = bk_xmalloc(sizeof(**out));
	(*out)->root = root;
	(*out)->top = top;
	return 0;
}

void bk_plan_free(struct bk_plan *p)
{
	if (!p)
		return;
	json_decref(p->root);
	free(p);
}

typedef void walk_fn(const struct bk_plan_visit *v, void *data);

static void walk(struct bk_plan_visit *v, walk_fn *fn, void *data)
{
	const json_t *plans = json_object_get(v->node, "Plans");
	struct bk_plan_visit child = *v;

	fn(v, data);
	child.parent = v->node;
	child.under_limit = v->under_limit || bk_plan_is(v->node, "Limit");
	for (size_t i = 0; i < json_array_size(plans); i++) {
		child.node = json_array_get(plans, i);
		if (json_is_object(child.node))
			walk(&child, fn, data);
	}
}

static void run_checks(const struct bk_plan_visit *v, void *data)
{
	(void)data;
	for (const struct bk_plan_rule *r = bk_plan_rules; r->id; r++) {
		int off = r->source == BK_PLAN_NODE_SEQSCAN_OFF;
		if (r->source != BK_PLAN_NODE && !off)
			continue;
		/* with sequential scans penalised only the remaining ones tell */
		if (off == !!v->ctx->seqscan_off || (off && v->ctx->seqscan_set_off))
			r->check(r, v);
	}
}

void bk_plan_judge(const struct bk_plan *p, const struct bk_plan_ctx *ctx,
		   struct bk_plan_findings *out)
{
	struct bk_plan_visit v = { .node = p->top, .ctx = ctx, .out = out };
	walk(&v, run_checks, NULL);
}

struct names {
	char **v;
	size_t nr, alloc;
};

static void collect_relation(const struct bk_plan_visit *v, void *data)
{
	struct names *n = data;
	const char *name = bk_plan_str(v->node, "Relation Name");
	const char *schema = bk_plan_str(v->node, "Schema");
	struct bk_buf key = BK_BUF_INIT;

	if (!name)
		return;
	bk_buf_printf(&key, "%s.%s", schema ? schema : "", name);
	for (size_t i = 0; i < n->nr; i++) {
		if (!strcmp(n->v[i], key.ptr)) {
			bk_buf_release(&key);
			return;
		}
	}
	BK_ALLOC_GROW(n->v, n->nr + 1, n->alloc);
	n->v[n->nr++] = bk_buf_detach(&key);
}

void bk_plan_relations(const struct bk_plan *p, char ***names, size_t *nr)
{
	struct names n = { 0 };
	struct bk_plan_visit v = { .node = p->top };

	walk(&v, collect_relation, &n);
	*names = n.v;
	*nr = n.nr;
}

/* ---- catalog rows ---- */

static char *row_string(const json_t *row, const char *key)
{
	const char *s = bk_plan_str(row, key);
	return s ? bk_xstrdup(s) : NULL;
}

static int row_bool(const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);
	const char *s = json_string_value(v);

	if (s)
		return !strcmp(s, "t") || !strcmp(s, "true") || !strcmp(s, "1");
	return json_is_true(v) || (json_is_number(v) && json_number_value(v) != 0);
}

int bk_plan_parse_rel_stats(const char *rows_json, struct bk_rel_stats **out, size_t *nr,
			    struct bk_err *err)
{
	json_error_t jerr;
	json_t *rows = json_loads(rows_json ? rows_json : "", 0, &jerr);
	size_t n = 0;

	*out = NULL;
	*nr = 0;
	if (!json_is_array(rows)) {
		json_decref(rows);
		return bk_err_set(err, BK_EIO, "invalid relation statistics rows: %s",
				  rows ? "not a JSON array" : jerr.text);
	}
	*out = bk_xcalloc(json_array_size(rows) + 1, sizeof(**out));
	for (size_t i = 0; i < json_array_size(rows); i++) {
		const json_t *row = json_array_get(rows, i);
		struct bk_rel_stats *s = &(*out)[n];
		if (!json_is_string(json_object_get(row, "name")))
			continue;
		s->schema = row_string(row, "schema");
		s->name = row_string(row, "name");
		s->reltuples = bk_plan_num(row, "reltuples", -1);
		s->analyzed = row_bool(row, "analyzed");
		n++;
	}
	*nr = n;
	json_decref(rows);
	return 0;
}

void bk_rel_stats_free(struct bk_rel_stats *v, size_t nr)
{
	if (!v)
		return;
	for (size_t i = 0; i < nr; i++) {
		free(v[i].schema);
		free(v[i].name);
	}
	free(v);
}

/* ---- index columns from condition texts ---- */

struct index_cols {
	char *eq[8];
	size_t eq_nr;
	char *range;
	const char *alias;
};

/* Index past a quoted string or identifier starting at s[i], or i + 1. */
static size_t skip_quoted(const char *s, size_t len, size_t i)
{
	char q = s[i];

	if (q != '\'' && q != '"')
		return i + 1;
	for (i++; i < len; i++) {
		if (s[i] == q && (i + 1 >= len || s[i + 1] != q))
			return i + 1;
		if (s[i] == q)
			i++;
	}
	return len;
}

/* Offset of word at parenthesis depth 0 in s[0..len), or len. */
static size_t find_top(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);
	int depth = 0;

	for (size_t i = 0; i < len;) {
		if (s[i] == '(' || s[i] == ')') {
			depth += s[i] == '(' ? 1 : -1;
			i++;
		} else if (s[i] == '\'' || s[i] == '"') {
			i = skip_quoted(s, len, i);
		} else if (!depth && i + wl <= len && !memcmp(s + i, word, wl)) {
			return i;
		} else {
			i++;
		}
	}
	return len;
}

/* Offset of the parenthesis closing s[0] == '(', or len. */
static size_t closing_paren(const char *s, size_t len)
{
	int depth = 0;

	for (size_t i = 0; i < len;) {
		if (s[i] == '\'' || s[i] == '"') {
			i = skip_quoted(s, len, i);
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i;
		i++;
	}
	return len;
}

/* Trim blanks and parentheses that wrap the whole text. */
static void strip_wrapping(const char **s, size_t *len)
{
	for (;;) {
		while (*len && isspace((unsigned char)**s))
			(*s)++, (*len)--;
		while (*len && isspace((unsigned char)(*s)[*len - 1]))
			(*len)--;
		if (*len < 2 || **s != '(' || closing_paren(*s, *len) != *len - 1)
			return;
		(*s)++;
		*len -= 2;
	}
}

static int ident_char(char c, int first)
{
	return isalpha((unsigned char)c) || c == '_' || (!first && (isdigit((unsigned char)c) || c == '$'));
}

/* Length of an identifier (plain or quoted) at s, 0 if none. */
static size_t ident_len(const char *s, size_t len)
{
	size_t i = 0;

	if (len && s[0] == '"')
		return skip_quoted(s, len, 0);
	while (i < len && ident_char(s[i], i == 0))
		i++;
	return i;
}

/* The column of a side ("col", "a.col", "(col)::text"), alias-checked. */
static char *side_column(const char *s, size_t len, const char *alias)
{
	size_t cast, a, c;

	strip_wrapping(&s, &len);
	while ((cast = find_top(s, len, "::")) < len) {
		len = cast;
		strip_wrapping(&s, &len);
	}
	a = ident_len(s, len);
	if (!a)
		return NULL;
	if (a == len)
		return bk_xstrndup(s, len);
	if (s[a] != '.' || (c = ident_len(s + a + 1, len - a - 1)) != len - a - 1)
		return NULL;
	if (alias && (strlen(alias) != a || strncmp(s, alias, a)))
		return NULL;
	return bk_xstrndup(s + a + 1, c);
}

static void add_column(struct index_cols *ic, char *col, int eq)
{
	for (size_t i = 0; i < ic->eq_nr; i++)
		if (!strcmp(ic->eq[i], col))
			goto drop;
	if (eq && ic->eq_nr < sizeof(ic->eq) / sizeof(ic->eq[0])) {
		ic->eq[ic->eq_nr++] = col;
		return;
	}
	if (!eq && !ic->range) {
		ic->range = col;
		return;
	}
drop:
	free(col);
}

/* One comparison "(left op right)"; anything else is left out. */
static void add_term(struct index_cols *ic, const char *s, size_t len)
{
	static const char *const ops[] = { " = ", " <= ", " >= ", " < ", " > " };
	char *col;

	strip_wrapping(&s, &len);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t at = find_top(s, len, ops[i]), ol = strlen(ops[i]);
		if (at == len)
			continue;
		col = side_column(s, at, ic->alias);
		if (!col)
			col = side_column(s + at + ol, len - at - ol, ic->alias);
		if (col)
			add_column(ic, col, i == 0);
		return;
	}
}

static void add_expr(struct index_cols *ic, const char *s)
{
	size_t len = strlen(s), at;

	strip_wrapping(&s, &len);
	if (find_top(s, len, " OR ") < len)
		return;
	while ((at = find_top(s, len, " AND ")) < len) {
		add_term(ic, s, at);
		s += at + 5;
		len -= at + 5;
	}
	add_term(ic, s, len);
}

size_t bk_plan_index_columns(struct bk_buf *cols, const char *alias,
			     const char *const *exprs, size_t n)
{
	struct index_cols ic = { .alias = alias };
	size_t nr;

	for (size_t i = 0; i < n; i++)
		if (exprs[i])
			add_expr(&ic, exprs[i]);
	for (size_t i = 0; i < ic.eq_nr; i++) {
		bk_buf_printf(cols, "%s%s", i ? ", " : "", ic.eq[i]);
		free(ic.eq[i]);
	}
	if (ic.range)
		bk_buf_printf(cols, "%s%s", ic.eq_nr ? ", " : "", ic.range);
	nr = ic.eq_nr + !!ic.range;
	free(ic.range);
	return nr;
}

int bk_plan_index_fix(struct bk_buf *fix, const struct bk_plan_ctx *ctx,
		      const json_t *scan, const char *const *exprs, size_t n)
{
	struct bk_buf cols = BK_BUF_INIT;
	const char *alias = bk_plan_str(scan, "Alias");

	if (!bk_plan_index_columns(&cols, alias, exprs, n)) {
		bk_buf_release(&cols);
		return 0;
	}
	bk_buf_puts(fix, "CREATE INDEX CONCURRENTLY ON ");
	bk_plan_rel_name(fix, ctx, scan);
	bk_buf_printf(fix, " (%s);", cols.ptr);
	bk_buf_release(&cols);
	return 1;
}
