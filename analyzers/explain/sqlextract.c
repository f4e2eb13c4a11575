/*
 * Finding SQL in code: the per-language table of query call sites lives in
 * sqlextract-lang.c; this file walks a tree-sitter tree, matches call
 * sites against the table, and evaluates the SQL argument: literals (with
 * their escapes decoded), joins of literals, and identifiers bound exactly
 * once in the file to such a value. Anything built from non-literals is
 * reported as dynamic, and only when a literal part reads like SQL, so a
 * cache's .execute() or a path's .query() stays silent.
 *
 * No state is shared between calls (one parser per call, no queries to
 * compile), so several threads may extract at once.
 */
#include "explain/sqlextract.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "base/lang.h"
#include "explain/sqlextract-int.h"
#include "base/syntax.h"
#include "base/util.h"

#define MAX_RESOLVE_DEPTH 8
#define MAX_FIRST_STRING_ARGS 3
/* Deeper expressions (a chain of 100,000 '+') are not read: no stack overflow. */
#define MAX_EVAL_NESTING 200

static const char *const code_statement_keywords =
	"SELECT INSERT UPDATE DELETE WITH VALUES TABLE MERGE CREATE ALTER "
	"DROP TRUNCATE CALL COPY GRANT REVOKE";

struct binding {
	const char *name;
	uint32_t len;
	TSNode value; /* null unless bound with a value */
	int count;
	int fragment; /* some binding is an SQL fragment (sql``, sql.raw()) */
};

struct ex {
	const char *path, *src;
	const struct sqlx_lang *lang;
	struct binding *b;
	size_t b_nr, b_alloc;
	struct bk_sql_list *out;
	uint64_t deadline_ns;     /* 0: none */
	int timed_out;
};

/* The value of an SQL argument as far as it can be read. */
struct val {
	struct bk_buf text;
	TSNode first, last; /* literals, for the position */
	int have;
	int dynamic;
	char *why;
	int holes; /* substitutions bound as $n */
	int depth;
	int nesting; /* of eval calls */
};

int sqlx_word_in(const char *list, const char *s, size_t n)
{
	while (*list) {
		size_t w = strcspn(list, " ");
		if (w == n && !memcmp(list, s, n))
			return 1;
		list += w;
		while (*list == ' ')
			list++;
	}
	return 0;
}

int sqlx_type_in(TSNode n, const char *list)
{
	const char *t;
	if (ts_node_is_null(n))
		return 0;
	t = ts_node_type(n);
	return sqlx_word_in(list, t, strlen(t));
}

static const char *text_of(const struct ex *x, TSNode n, size_t *len)
{
	*len = ts_node_end_byte(n) - ts_node_start_byte(n);
	return x->src + ts_node_start_byte(n);
}

static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* One line for a why: the node's text, newlines folded, at most 40 bytes. */
static void why_text(struct bk_buf *b, const struct ex *x, TSNode n)
{
	size_t len;
	const char *s = text_of(x, n, &len);
	for (size_t i = 0; i < len && i < 40; i++)
		bk_buf_putc(b, s[i] == '\n' || s[i] == '\t' ? ' ' : s[i]);
	if (len > 40)
		bk_buf_puts(b, "...");
}

static void set_dynamic(struct val *v, const struct ex *x, const char *pre,
			TSNode n, const char *post)
{
	struct bk_buf b = BK_BUF_INIT;
	if (v->dynamic)
		return;
	bk_buf_puts(&b, pre);
	if (!ts_node_is_null(n))
		why_text(&b, x, n);
	bk_buf_puts(&b, post);
	v->dynamic = 1;
	v->why = bk_buf_detach(&b);
}

/* ---- bindings: names bound exactly once to a value ---- */

static void bind(struct ex *x, TSNode name, TSNode value)
{
	size_t len;
	const char *s;
	int fragment = !ts_node_is_null(value) && sqlx_is_fragment(x->src, value);
	if (ts_node_is_null(name) || !sqlx_type_in(name, "identifier"))
		return;
	s = text_of(x, name, &len);
	for (size_t i = 0; i < x->b_nr; i++)
		if (x->b[i].len == len && !memcmp(x->b[i].name, s, len)) {
			x->b[i].count++;
			x->b[i].fragment |= fragment;
			return;
		}
	BK_ALLOC_GROW(x->b, x->b_nr + 1, x->b_alloc);
	x->b[x->b_nr++] = (struct binding){ s, (uint32_t)len, value, 1, fragment };
}

/* The identifier a declaration or parameter binds, through C declarators. */
static TSNode decl_name(TSNode n)
{
	static const char *const fields[] = { "name", "pattern", "declarator", "left" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		TSNode f = field(n, fields[i]);
		if (ts_node_is_null(f))
			continue;
		while (sqlx_type_in(f, "pointer_declarator array_declarator "
				  "parenthesized_declarator"))
			f = field(f, "declarator");
		return f;
	}
	return (TSNode){ 0 };
}

/* C#'s variable_declarator has its value as an unnamed-field child. */
static TSNode decl_value(TSNode n, TSNode name)
{
	TSNode v = field(n, "value");
	uint32_t nr = ts_node_named_child_count(n);
	if (!ts_node_is_null(v) || nr < 2)
		return v;
	v = ts_node_named_child(n, nr - 1);
	return ts_node_eq(v, name) ? (TSNode){ 0 } : v;
}

static void bind_lists(struct ex *x, TSNode left, TSNode right, int with_value)
{
	if (!sqlx_type_in(left, "expression_list")) {
		bind(x, left, with_value ? right : (TSNode){ 0 });
		return;
	}
	for (uint32_t i = 0; i < ts_node_named_child_count(left); i++) {
		TSNode v = { 0 };
		if (with_value && !ts_node_is_null(right) &&
		    ts_node_named_child_count(right) ==
			    ts_node_named_child_count(left))
			v = ts_node_named_child(right, i);
		bind(x, ts_node_named_child(left, i), v);
	}
}

static void bind_node(struct ex *x, TSNode n)
{
	if (sqlx_type_in(n, "variable_declarator const_item static_item "
		       "let_declaration init_declarator")) {
		TSNode name = decl_name(n);
		bind(x, name, decl_value(n, name));
	} else if (sqlx_type_in(n, "assignment const_spec var_spec "
			      "short_var_declaration")) {
		TSNode l = field(n, "left"), r = field(n, "right");
		if (ts_node_is_null(l))
			l = field(n, "name"), r = field(n, "value");
		if (!ts_node_is_null(r) && sqlx_type_in(r, "expression_list") &&
		    !sqlx_type_in(l, "expression_list"))
			r = ts_node_named_child_count(r) == 1 ?
				ts_node_named_child(r, 0) : (TSNode){ 0 };
		bind_lists(x, l, r, 1);
	} else if (sqlx_type_in(n, sqlx_rebind_types)) {
		bind_lists(x, field(n, "left"), field(n, "right"), 1);
	} else if (sqlx_type_in(n, sqlx_param_types)) {
		TSNode name = decl_name(n);
		if (!ts_node_is_null(name)) {
			bind(x, name, (TSNode){ 0 });
			return;
		}
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			bind(x, ts_node_named_child(n, i), (TSNode){ 0 });
	}
}

static const struct binding *lookup(const struct ex *x, TSNode id)
{
	size_t len;
	const char *s = text_of(x, id, &len);
	for (size_t i = 0; i < x->b_nr; i++)
		if (x->b[i].len == len && !memcmp(x->b[i].name, s, len))
			return &x->b[i];
	return NULL;
}

/* ---- evaluating the SQL argument ---- */

static int eval(struct ex *x, TSNode n, struct val *v, unsigned flags);

static void note_literal(struct val *v, TSNode n)
{
	if (!v->have)
		v->first = n;
	v->last = n;
	v->have = 1;
}

/* A substitution in a tagged template or an *Interpolated() call. */
static void eval_hole(struct ex *x, TSNode hole, struct val *v, unsigned flags)
{
	TSNode e = { 0 };
	for (uint32_t i = 0; i < ts_node_named_child_count(hole); i++) {
		TSNode c = ts_node_named_child(hole, i);
		if (!sqlx_type_in(c, "interpolation_brace interpolation_alignment_clause "
			       "interpolation_format_clause")) {
			e = c;
			break;
		}
	}
	if (!(flags & SQLX_HOLES)) {
		set_dynamic(v, x, x->lang->hole_why, hole, "");
		return;
	}
	if (sqlx_type_in(e, "identifier") && lookup(x, e) && lookup(x, e)->fragment) {
		set_dynamic(v, x, "", hole, " is an SQL fragment");
		return;
	}
	if (!ts_node_is_null(e) && sqlx_is_fragment(x->src, e)) {
		TSNode fn = field(e, "function");
		int tagged = sqlx_type_in(field(e, "arguments"), "template_string");
		set_dynamic(v, x, "", fn, tagged ? "`` fragment" : "() fragment");
		return;
	}
	bk_buf_printf(&v->text, "$%d", ++v->holes);
}

/* Raw strings lose their common indentation: dedent what the literal added. */
static void dedent_tail(struct bk_buf *text, size_t start)
{
	struct bk_buf tail = BK_BUF_INIT;

	bk_buf_add(&tail, text->ptr + start, text->len - start);
	sqlx_dedent(&tail);
	text->len = start;
	text->ptr[start] = '\0';
	bk_buf_add(text, tail.ptr, tail.len);
	bk_buf_release(&tail);
}

/*
 * The pieces of the literal and its holes are decoded straight into
 * v->text; a raw string is dedented whole, holes included, once at the end.
 */
static void read_literal(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	struct sqlx_delims d;
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	size_t start = v->text.len;
	uint32_t pos;

	sqlx_delims(&d, x->lang, ts_node_type(n), x->src + s, e - s);
	pos = s + d.open;
	note_literal(v, n);
	for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
		TSNode c = ts_node_child(n, i);
		if (!sqlx_type_in(c, "template_substitution interpolation"))
			continue;
		sqlx_decode(&v->text, &d, x->src + pos, ts_node_start_byte(c) - pos);
		eval_hole(x, c, v, flags);
		pos = ts_node_end_byte(c);
	}
	if (e - d.close > pos)
		sqlx_decode(&v->text, &d, x->src + pos, e - d.close - pos);
	if (d.dedent)
		dedent_tail(&v->text, start);
}

static int eval_concat(struct ex *x, TSNode l, TSNode r, struct val *v,
		       unsigned flags)
{
	int lok = eval(x, l, v, flags);
	int rok = ts_node_is_null(r) ? 1 : eval(x, r, v, flags);
	if (!lok && !rok)
		return 0;
	if (!lok || !rok)
		set_dynamic(v, x, "SQL built by concatenation with '", lok ? r : l, "'");
	return 1;
}

static int eval_binary(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	size_t len;
	TSNode op = field(n, "operator");
	const char *o;
	if (ts_node_is_null(op))
		return 0;
	o = text_of(x, op, &len);
	if (len == 1 && *o == '+')
		return eval_concat(x, field(n, "left"), field(n, "right"), v, flags);
	if (len == 1 && *o == '%' && eval(x, field(n, "left"), v, flags)) {
		set_dynamic(v, x, "SQL formatted with the % operator", (TSNode){ 0 }, "");
		return 1;
	}
	return 0;
}

/* A nameless call on a string, as in Python's "...".format(x). */
static TSNode callee_object(TSNode fn)
{
	static const char *const fields[] = { "object", "operand", "value", "expression" };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		TSNode o = field(fn, fields[i]);
		if (!ts_node_is_null(o))
			return o;
	}
	return (TSNode){ 0 };
}

/* Sprintf(lit, ...), string.Format(lit, ...), lit.format(...), format!(lit). */
static int eval_format(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	int method = 0;
	TSNode fn = field(n, ts_node_is_null(field(n, "macro")) ? "function" : "macro");
	TSNode name = sqlx_callee_name(fn, &method), subject = { 0 };
	size_t len;
	const char *s;

	if (ts_node_is_null(name))
		return 0;
	s = text_of(x, name, &len);
	if (!sqlx_word_in(x->lang->format_calls, s, len))
		return 0;
	if (sqlx_type_in(n, "macro_invocation"))
		subject = sqlx_first_token_string(n);
	else if (method && eval(x, callee_object(fn), v, flags))
		subject = fn; /* "...".format(x): the string is the object */
	else
		subject = sqlx_nth_arg(field(n, "arguments"), 0);
	if (!ts_node_eq(subject, fn) && !eval(x, subject, v, flags))
		return 0;
	set_dynamic(v, x, "SQL formatted by ", name,
		    sqlx_type_in(n, "macro_invocation") ? "!()" : "()");
	return 1;
}

/* node-postgres's query config: query({ text: "...", values }). */
static int eval_config(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
		TSNode pair = ts_node_named_child(n, i), key = field(pair, "key");
		size_t len;
		const char *k;
		if (!sqlx_type_in(key, "property_identifier"))
			continue;
		k = text_of(x, key, &len);
		if (len == 4 && !memcmp(k, "text", 4))
			return eval(x, field(pair, "value"), v, flags);
	}
	return 0;
}

static int eval_ident(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	const struct binding *b = lookup(x, n);
	int ok;
	if (!b || b->count != 1 || ts_node_is_null(b->value) ||
	    v->depth >= MAX_RESOLVE_DEPTH)
		return 0;
	v->depth++;
	ok = eval(x, b->value, v, flags);
	v->depth--;
	return ok;
}

static int eval_node(struct ex *x, TSNode n, struct val *v, unsigned flags);

static int eval(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	int ok = 0;
	if (v->nesting < MAX_EVAL_NESTING) {
		v->nesting++;
		ok = eval_node(x, n, v, flags);
		v->nesting--;
	}
	return ok;
}

static int eval_node(struct ex *x, TSNode n, struct val *v, unsigned flags)
{
	if (ts_node_is_null(n))
		return 0;
	if (sqlx_type_in(n, "parenthesized_expression argument reference_expression")) {
		uint32_t nr = ts_node_named_child_count(n);
		return nr ? eval(x, ts_node_named_child(n, nr - 1), v, flags) : 0;
	}
	if (sqlx_type_in(n, sqlx_literal_types)) {
		read_literal(x, n, v, flags);
		return 1;
	}
	if (sqlx_type_in(n, "concatenated_string")) {
		int ok = 1;
		for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
			ok &= eval_concat(x, ts_node_named_child(n, i),
					  (TSNode){ 0 }, v, flags);
		return ok;
	}
	if (sqlx_type_in(n, "binary_expression binary_operator"))
		return eval_binary(x, n, v, flags);
	if (sqlx_type_in(n, "identifier"))
		return eval_ident(x, n, v, flags);
	if (sqlx_type_in(n, "object"))
		return eval_config(x, n, v, flags);
	if (sqlx_type_in(n, "call_expression call invocation_expression macro_invocation"))
		return eval_format(x, n, v, flags);
	return 0;
}

/* ---- output ---- */

void sqlx_push(struct bk_sql_list *out, const struct sqlx_pos *p,
	       const char *sql, size_t sql_len, unsigned styles,
	       const char *why, const char *api)
{
	struct bk_sql_stmt *s;
	BK_ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	s = &out->v[out->nr++];
	memset(s, 0, sizeof(*s));
	s->path = bk_xstrdup(p->path);
	s->line = p->line, s->col = p->col;
	s->end_line = p->end_line, s->end_col = p->end_col;
	s->start_byte = p->start_byte, s->end_byte = p->end_byte;
	s->line_text = bk_line_at(p->src, p->src_len, p->start_byte);
	s->api = api;
	if (why) {
		s->dynamic = 1;
		s->why = bk_xstrdup(why);
		return;
	}
	s->nparams = bk_sql_normalize(sql, sql_len, styles, &s->sql,
				      &s->param_names);
}

static void emit(struct ex *x, const struct sqlx_site *site, struct val *v,
		 size_t src_len)
{
	char kw[16];
	struct sqlx_pos p;
	TSPoint a = ts_node_start_point(v->first), b = ts_node_end_point(v->last);

	bk_sql_first_keyword(v->text.ptr, kw);
	if (!*kw || !sqlx_word_in(code_statement_keywords, kw, strlen(kw)))
		return;
	p = (struct sqlx_pos){ x->path, x->src, src_len, a.row, a.column,
			       b.row, b.column, ts_node_start_byte(v->first),
			       ts_node_end_byte(v->last) };
	sqlx_push(x->out, &p, v->text.ptr, v->text.len, site->styles,
		  v->dynamic ? v->why : NULL, site->api);
}

struct walk {
	struct ex *x;
	size_t src_len;
};

static int take(struct walk *w, const struct sqlx_site *site, TSNode arg)
{
	struct val v = { .text = BK_BUF_INIT };
	int ok = eval(w->x, arg, &v, site->flags);
	if (ok && v.have)
		emit(w->x, site, &v, w->src_len);
	bk_buf_release(&v.text);
	free(v.why);
	return ok;
}

static void take_args(struct walk *w, const struct sqlx_site *site, TSNode args)
{
	if (site->arg >= 0) {
		TSNode a = sqlx_nth_arg(args, (uint32_t)site->arg);
		if (!ts_node_is_null(a))
			take(w, site, a);
		return;
	}
	for (uint32_t i = 0; i < MAX_FIRST_STRING_ARGS; i++) {
		TSNode a = sqlx_nth_arg(args, i);
		if (ts_node_is_null(a) || take(w, site, a))
			return;
	}
}

static void visit(struct walk *w, TSNode n)
{
	struct sqlx_match m;
	if (!sqlx_match_site(&m, w->x->lang, w->x->src, n))
		return;
	if (m.site->kind == SQLX_TAG || m.site->kind == SQLX_MACRO ||
	    m.site->kind == SQLX_ASSIGN)
		take(w, m.site, m.args);
	else
		take_args(w, m.site, m.args);
}

static int over_budget(struct ex *x)
{
	if (!x->timed_out && x->deadline_ns && bk_now_ns() > x->deadline_ns)
		x->timed_out = 1;
	return x->timed_out;
}

static bool parse_progress(TSParseState *st)
{
	return over_budget(st->payload);
}

static int walk_stop(void *x)
{
	return over_budget(x);
}

/* Every type the callbacks look for is a named node. */
static void bind_cb(void *ctx, TSNode n)
{
	if (ts_node_is_named(n))
		bind_node(ctx, n);
}

static void visit_cb(void *ctx, TSNode n)
{
	if (ts_node_is_named(n))
		visit(ctx, n);
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

static int extract_code(struct ex *x, const struct TSLanguage *grammar,
			size_t len, struct bk_err *err)
{
	TSParser *parser = ts_parser_new();
	TSTree *tree = NULL;
	int rc = 0;
	struct walk w = { x, len };
	struct text_input in = { x->src, len };
	TSInput input = { &in, read_text, TSInputEncodingUTF8, NULL };
	TSParseOptions opts = { x, parse_progress };

	if (!ts_parser_set_language(parser, grammar)) {
		rc = bk_err_set(err, BK_EIO, "%s: grammar version mismatch", x->path);
		goto out;
	}
	tree = ts_parser_parse_with_options(parser, NULL, input, opts);
	if (tree && !x->timed_out)
		bk_syntax_walk_until(ts_tree_root_node(tree), bind_cb, x, walk_stop, x);
	if (tree && !x->timed_out)
		bk_syntax_walk_until(ts_tree_root_node(tree), visit_cb, &w, walk_stop, x);
	/* no tree, and not out of time: nothing readable, not an error */
	if (x->timed_out)
		rc = bk_err_set(err, BK_ETIMEOUT, "%s: extracting its SQL took too long", x->path);
out:
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return rc;
}

static void release_from(struct bk_sql_list *l, size_t from)
{
	for (size_t i = from; i < l->nr; i++) {
		struct bk_sql_stmt *s = &l->v[i];
		for (int k = 0; s->param_names && k < s->nparams; k++)
			free(s->param_names[k]);
		free(s->param_names);
		free(s->path);
		free(s->line_text);
		free(s->sql);
		free(s->why);
	}
	l->nr = from;
}

int bk_sql_extract(struct bk_sql_list *out, const char *path,
		   const char *src, size_t len, uint64_t budget_ms,
		   struct bk_err *err)
{
	int li = bk_lang_for_path(path);
	struct ex x = { path, src, NULL, NULL, 0, 0, out,
			budget_ms ? bk_now_ns() + budget_ms * 1000000u : 0, 0 };
	size_t before = out->nr;
	int rc;

	if (li < 0)
		return 0;
	if (!bk_langs[li].grammar) {
		if (!strcmp(bk_langs[li].name, "sql"))
			sqlx_extract_sql_file(out, path, src, len);
		return 0;
	}
	x.lang = sqlx_lang_find(bk_langs[li].name);
	if (!x.lang)
		return 0;
	if (len > UINT32_MAX)
		return bk_err_set(err, BK_EIO, "%s: file too large to parse", path);
	rc = extract_code(&x, bk_langs[li].grammar(), len, err);
	if (rc == BK_ETIMEOUT)
		release_from(out, before);
	free(x.b);
	return rc;
}

int bk_sql_extractable(const char *path)
{
	int li = bk_lang_for_path(path);
	if (li < 0)
		return 0;
	if (!bk_langs[li].grammar)
		return !strcmp(bk_langs[li].name, "sql");
	return sqlx_lang_find(bk_langs[li].name) != NULL;
}

void bk_sql_list_release(struct bk_sql_list *l)
{
	release_from(l, 0);
	free(l->v);
	l->v = NULL;
	l->nr = l->alloc = 0;
}
