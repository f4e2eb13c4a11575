/*
 * The data side of SQL extraction: one table of query call sites per
 * language (which calls carry SQL, in which argument, with which
 * placeholder style), how each language spells string literals, and the
 * statements of .sql files. Supporting a new driver is one row here.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "explain/sqlextract-int.h"

#define PH_JS (BK_PH_DOLLAR | BK_PH_QUESTION)
#define PH_PY (BK_PH_PERCENT | BK_PH_DOLLAR | BK_PH_QUESTION | BK_PH_COLON)
#define PH_GO (BK_PH_DOLLAR | BK_PH_QUESTION)

static const struct sqlx_site js_sites[] = {
	{ SQLX_TAG, "sql", 0, BK_PH_DOLLAR, SQLX_HOLES, "sql tagged template" },
	{ SQLX_TAG, "$queryRaw $executeRaw", 0, BK_PH_DOLLAR, SQLX_HOLES,
	  "Prisma $queryRaw" },
	{ SQLX_TAG, "unsafe typeAlias type", 0, BK_PH_DOLLAR, SQLX_HOLES,
	  "slonik sql tag" },
	{ SQLX_CALL, "$queryRawUnsafe $executeRawUnsafe", 0, BK_PH_DOLLAR,
	  SQLX_METHOD, "Prisma $queryRawUnsafe" },
	{ SQLX_CALL, "unsafe", 0, BK_PH_DOLLAR, SQLX_METHOD,
	  "postgres.js sql.unsafe" },
	{ SQLX_CALL, "raw", 0, BK_PH_QUESTION | BK_PH_COLON | BK_PH_DOLLAR,
	  SQLX_METHOD, "Knex raw" },
	{ SQLX_CALL, "query", 0, PH_JS, SQLX_METHOD, "node-postgres query" },
	{ SQLX_CALL, "execute", 0, PH_JS, SQLX_METHOD, "execute" },
	{ 0 },
};

static const struct sqlx_site py_sites[] = {
	{ SQLX_CALL, "execute executemany mogrify", 0, PH_PY, SQLX_METHOD,
	  "DB-API execute" },
	{ SQLX_CALL, "fetch fetchrow fetchval", 0, BK_PH_DOLLAR, SQLX_METHOD,
	  "asyncpg fetch" },
	{ SQLX_CALL, "exec_driver_sql", 0, PH_PY, SQLX_METHOD,
	  "SQLAlchemy exec_driver_sql" },
	{ SQLX_CALL, "text", 0, BK_PH_COLON, 0, "SQLAlchemy text" },
	{ 0 },
};

static const struct sqlx_site go_sites[] = {
	{ SQLX_CALL, "Query QueryRow QueryContext QueryRowContext Exec "
		     "ExecContext Prepare PrepareContext", SQLX_FIRST_STRING,
	  PH_GO, SQLX_METHOD, "database/sql" },
	{ SQLX_CALL, "Get Select GetContext SelectContext MustExec "
		     "MustExecContext Queryx QueryRowx QueryxContext "
		     "QueryRowxContext Preparex PreparexContext",
	  SQLX_FIRST_STRING, PH_GO, SQLX_METHOD, "sqlx" },
	{ SQLX_CALL, "NamedExec NamedQuery NamedExecContext NamedQueryContext "
		     "PrepareNamed PrepareNamedContext", SQLX_FIRST_STRING,
	  BK_PH_COLON, SQLX_METHOD, "sqlx named" },
	{ 0 },
};

static const struct sqlx_site rust_sites[] = {
	{ SQLX_MACRO, "query query_as query_scalar query_unchecked "
		      "query_as_unchecked query_scalar_unchecked",
	  SQLX_FIRST_STRING, BK_PH_DOLLAR, 0, "sqlx macro" },
	{ SQLX_CALL, "query query_as query_scalar query_with query_as_with",
	  0, BK_PH_DOLLAR, SQLX_FUNC, "sqlx query" },
	{ SQLX_CALL, "query query_one query_opt query_raw execute prepare "
		     "simple_query batch_execute", 0, BK_PH_DOLLAR, SQLX_METHOD,
	  "tokio-postgres" },
	{ 0 },
};

static const struct sqlx_site cs_sites[] = {
	{ SQLX_CALL, "Query QueryAsync QueryFirst QueryFirstAsync "
		     "QueryFirstOrDefault QueryFirstOrDefaultAsync QuerySingle "
		     "QuerySingleAsync QuerySingleOrDefault "
		     "QuerySingleOrDefaultAsync QueryMultiple QueryMultipleAsync "
		     "Execute ExecuteAsync ExecuteScalar ExecuteScalarAsync "
		     "ExecuteReader ExecuteReaderAsync", 0, BK_PH_AT, SQLX_METHOD,
	  "Dapper" },
	{ SQLX_CALL, "FromSqlRaw ExecuteSqlRaw ExecuteSqlRawAsync SqlQueryRaw",
	  0, BK_PH_BRACE, SQLX_METHOD, "EF Core FromSqlRaw" },
	{ SQLX_CALL, "FromSqlInterpolated FromSql ExecuteSqlInterpolated "
		     "ExecuteSqlInterpolatedAsync ExecuteSql ExecuteSqlAsync "
		     "SqlQuery", 0, BK_PH_DOLLAR | BK_PH_BRACE,
	  SQLX_METHOD | SQLX_HOLES, "EF Core FromSqlInterpolated" },
	{ SQLX_NEW, "NpgsqlCommand NpgsqlBatchCommand", 0,
	  BK_PH_AT | BK_PH_DOLLAR, 0, "Npgsql command" },
	{ SQLX_ASSIGN, "CommandText", 0, BK_PH_AT | BK_PH_DOLLAR, 0,
	  "CommandText" },
	{ 0 },
};

static const struct sqlx_site c_sites[] = {
	{ SQLX_CALL, "PQexec PQsendQuery PQexecParams PQsendQueryParams", 1,
	  BK_PH_DOLLAR, SQLX_FUNC, "libpq" },
	{ SQLX_CALL, "PQprepare PQsendPrepare", 2, BK_PH_DOLLAR, SQLX_FUNC,
	  "libpq" },
	{ 0 },
};

static const struct sqlx_lang langs[] = {
	{ "javascript", js_sites, SQLX_ESC_C, "template substitution ", "format" },
	{ "typescript", js_sites, SQLX_ESC_C, "template substitution ", "format" },
	{ "tsx", js_sites, SQLX_ESC_C, "template substitution ", "format" },
	{ "python", py_sites, SQLX_ESC_PYTHON, "f-string interpolation ", "format" },
	{ "go", go_sites, SQLX_ESC_C, "", "Sprintf" },
	{ "rust", rust_sites, SQLX_ESC_RUST, "", "format" },
	{ "csharp", cs_sites, SQLX_ESC_C, "string interpolation ", "Format" },
	{ "c", c_sites, SQLX_ESC_C, "", "" },
};

const char sqlx_literal_types[] =
	"string template_string interpreted_string_literal raw_string_literal "
	"string_literal verbatim_string_literal interpolated_string_expression";
const char sqlx_rebind_types[] =
	"assignment_expression assignment_statement augmented_assignment "
	"augmented_assignment_expression compound_assignment_expr";
const char sqlx_param_types[] =
	"formal_parameters required_parameter optional_parameter parameters "
	"typed_parameter default_parameter typed_default_parameter "
	"parameter_declaration variadic_parameter_declaration parameter";

/* SQL helpers whose substitution is SQL text, not a bound value. */
static const char fragment_calls[] = "sql raw unsafe identifier join fragment";

const struct sqlx_lang *sqlx_lang_find(const char *name)
{
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (!strcmp(langs[i].name, name))
			return &langs[i];
	return NULL;
}


static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

TSNode sqlx_callee_name(TSNode fn, int *method)
{
	static const char *const parts[] = { "property", "attribute", "field", "name" };
	*method = 0;
	for (int depth = 0; depth < 8 && !ts_node_is_null(fn); depth++) {
		TSNode next = { 0 };
		if (sqlx_type_in(fn, "identifier property_identifier field_identifier "
			       "type_identifier"))
			return fn;
		if (sqlx_type_in(fn, "generic_function call_expression")) {
			fn = field(fn, "function");
			continue;
		}
		if (sqlx_type_in(fn, "generic_name instantiation_expression "
			       "non_null_expression")) {
			fn = ts_node_named_child(fn, 0);
			continue;
		}
		if (sqlx_type_in(fn, "member_expression attribute selector_expression "
			       "field_expression member_access_expression "
			       "member_binding_expression"))
			*method = 1;
		for (size_t i = 0; i < 4 && ts_node_is_null(next); i++)
			next = field(fn, parts[i]);
		fn = next;
	}
	return (TSNode){ 0 };
}

TSNode sqlx_nth_arg(TSNode args, uint32_t i)
{
	if (ts_node_is_null(args))
		return args;
	for (uint32_t k = 0; k < ts_node_named_child_count(args); k++) {
		TSNode a = ts_node_named_child(args, k);
		if (strstr(ts_node_type(a), "comment"))
			continue;
		if (i-- == 0)
			return a;
	}
	return (TSNode){ 0 };
}

TSNode sqlx_first_token_string(TSNode macro)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(macro); i++) {
		TSNode tt = ts_node_named_child(macro, i);
		if (!sqlx_type_in(tt, "token_tree"))
			continue;
		for (uint32_t k = 0; k < ts_node_named_child_count(tt); k++) {
			TSNode t = ts_node_named_child(tt, k);
			if (sqlx_type_in(t, "string_literal raw_string_literal"))
				return t;
		}
	}
	return (TSNode){ 0 };
}

int sqlx_is_fragment(const char *src, TSNode e)
{
	int method;
	TSNode name;
	if (!sqlx_type_in(e, "call_expression"))
		return 0;
	if (sqlx_type_in(field(e, "arguments"), "template_string"))
		return 1;
	name = sqlx_callee_name(field(e, "function"), &method);
	if (ts_node_is_null(name))
		return 0;
	return sqlx_word_in(fragment_calls, src + ts_node_start_byte(name),
			    ts_node_end_byte(name) - ts_node_start_byte(name));
}

int sqlx_match_site(struct sqlx_match *out, const struct sqlx_lang *lang,
		    const char *src, TSNode n)
{
	enum sqlx_kind kind;
	TSNode name, args;
	int method = 0;

	if (sqlx_type_in(n, "call_expression call invocation_expression")) {
		args = field(n, "arguments");
		kind = sqlx_type_in(args, "template_string") ? SQLX_TAG : SQLX_CALL;
		name = sqlx_callee_name(field(n, "function"), &method);
	} else if (sqlx_type_in(n, "macro_invocation")) {
		kind = SQLX_MACRO;
		args = sqlx_first_token_string(n);
		name = sqlx_callee_name(field(n, "macro"), &method);
	} else if (sqlx_type_in(n, "object_creation_expression")) {
		kind = SQLX_NEW;
		args = field(n, "arguments");
		name = sqlx_callee_name(field(n, "type"), &method);
	} else if (sqlx_type_in(n, "assignment_expression")) {
		kind = SQLX_ASSIGN;
		args = field(n, "right");
		name = sqlx_callee_name(field(n, "left"), &method);
	} else {
		return 0;
	}
	if (ts_node_is_null(name) || ts_node_is_null(args))
		return 0;
	for (const struct sqlx_site *s = lang->sites; s->names; s++) {
		if (s->kind != kind || ((s->flags & SQLX_FUNC) && method) ||
		    ((s->flags & SQLX_METHOD) && !method))
			continue;
		if (sqlx_word_in(s->names, src + ts_node_start_byte(name),
				 ts_node_end_byte(name) - ts_node_start_byte(name))) {
			*out = (struct sqlx_match){ s, args };
			return 1;
		}
	}
	return 0;
}

/* ---- string literals ---- */

void sqlx_delims(struct sqlx_delims *d, const struct sqlx_lang *lang,
		 const char *type, const char *text, size_t len)
{
	size_t i = 0, hashes = 0, run = 0, q;
	int csharp = !strcmp(lang->name, "csharp"), python = !strcmp(lang->name, "python");

	memset(d, 0, sizeof(*d));
	d->escapes = lang->escapes;
	for (; i < len && (isalnum((unsigned char)text[i]) || text[i] == '@' ||
			   text[i] == '$'); i++) {
		char c = text[i];
		d->raw |= (c == 'r' || c == 'R') && !csharp;
		d->verbatim |= c == '@';
		d->braces |= c == '$' || (python && (c == 'f' || c == 'F'));
	}
	for (; i < len && text[i] == '#'; i++)
		hashes++;
	while (i + run < len && text[i + run] == text[i])
		run++;
	q = run >= 3 ? (csharp ? run : 3) : 1;
	d->raw |= !strcmp(type, "raw_string_literal") || (csharp && run >= 3);
	d->dedent = csharp && run >= 3;
	d->verbatim &= !d->raw;
	d->open = (uint32_t)(i + q > len ? len : i + q);
	d->close = (uint32_t)(q + hashes > len - d->open ? len - d->open : q + hashes);
}

static void put_utf8(struct bk_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		bk_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		bk_buf_putc(b, (char)(0xc0 | (cp >> 6)));
		bk_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		bk_buf_putc(b, (char)(0xe0 | (cp >> 12)));
		bk_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		bk_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		bk_buf_putc(b, (char)(0xf0 | (cp >> 18)));
		bk_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		bk_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		bk_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Up to max digits of base at s; *used gets how many were read. */
static unsigned long digits(const char *s, size_t n, size_t max, int base,
			    size_t *used)
{
	unsigned long v = 0;
	size_t i = 0;
	for (; i < n && i < max; i++) {
		int c = (unsigned char)s[i], d;
		if (isdigit(c))
			d = c - '0';
		else if (isxdigit(c))
			d = tolower(c) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	*used = i;
	return v;
}

/* One escape after a backslash; returns the bytes consumed. */
static size_t decode_escape(struct bk_buf *out, enum sqlx_escapes esc,
			    const char *s, size_t n)
{
	static const char simple[] = "n\nt\tr\ra\ab\bf\fv\v\\\\''\"\"``$$";
	size_t used = 0;
	const char *m = strchr(simple, s[0]);
	unsigned long v;

	if (m && ((m - simple) % 2) == 0) {
		bk_buf_putc(out, m[1]);
		return 1;
	}
	switch (s[0]) {
	case '\n':
		if (esc == SQLX_ESC_RUST)
			while (used + 1 < n && isspace((unsigned char)s[used + 1]))
				used++;
		return used + 1;
	case 'x':
		v = digits(s + 1, n - 1, 2, 16, &used);
		bk_buf_putc(out, (char)v);
		return used + 1;
	case 'u':
	case 'U':
		if (n > 1 && s[1] == '{') {
			v = digits(s + 2, n - 2, 6, 16, &used);
			put_utf8(out, v);
			return used + 2 + (used + 2 < n && s[used + 2] == '}');
		}
		v = digits(s + 1, n - 1, s[0] == 'u' ? 4 : 8, 16, &used);
		put_utf8(out, v);
		return used + 1;
	}
	if (s[0] >= '0' && s[0] <= '7') {
		v = digits(s, n, 3, 8, &used);
		bk_buf_putc(out, (char)v);
		return used;
	}
	if (esc == SQLX_ESC_PYTHON)
		bk_buf_putc(out, '\\');
	bk_buf_putc(out, s[0]);
	return 1;
}

void sqlx_decode(struct bk_buf *out, const struct sqlx_delims *d,
		 const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (((d->braces && (c == '{' || c == '}')) ||
		     (d->verbatim && c == '"')) && i + 1 < len && s[i + 1] == c) {
			bk_buf_putc(out, c);
			i++;
		} else if (c != '\\' || d->raw || d->verbatim || i + 1 >= len) {
			bk_buf_putc(out, c);
		} else {
			i += decode_escape(out, d->escapes, s + i + 1, len - i - 1);
		}
	}
}

/* C# raw strings: drop the opening and closing lines and the closing indent. */
void sqlx_dedent(struct bk_buf *b)
{
	struct bk_buf o = BK_BUF_INIT;
	const char *s = b->ptr, *first = memchr(s, '\n', b->len);
	const char *last = b->len ? memrchr(s, '\n', b->len) : NULL;
	size_t indent;

	if (!first || strspn(s, " \t") < (size_t)(first - s) ||
	    strspn(last + 1, " \t") != b->len - (size_t)(last + 1 - s))
		return;
	indent = b->len - (size_t)(last + 1 - s);
	for (const char *p = first + 1; first != last;) {
		const char *eol = memchr(p, '\n', (size_t)(last - p) + 1);
		size_t skip = 0;
		while (skip < indent && p + skip < eol && (p[skip] == ' ' || p[skip] == '\t'))
			skip++;
		if (p != first + 1)
			bk_buf_putc(&o, '\n');
		bk_buf_add(&o, p + skip, (size_t)(eol - p) - skip);
		if (eol == last)
			break;
		p = eol + 1;
	}
	bk_buf_release(b);
	*b = o;
}

/* ---- .sql files ---- */

static const char sql_file_keywords[] =
	"SELECT INSERT UPDATE DELETE WITH VALUES TABLE MERGE";

struct sql_file {
	struct bk_sql_list *out;
	const char *path, *src;
	size_t len, at;
	uint32_t line, col;
};

static void advance(struct sql_file *f, size_t to)
{
	for (; f->at < to && f->at < f->len; f->at++) {
		if (f->src[f->at] == '\n')
			f->line++, f->col = 0;
		else
			f->col++;
	}
}

/* sqlc.arg(name), sqlc.narg('name'), sqlc.slice(name) -> @name. */
static void sqlc_rewrite(struct bk_buf *out, const char *s, size_t len)
{
	static const char *const fns[] = { "sqlc.arg(", "sqlc.narg(", "sqlc.slice(" };
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		size_t k, fl = 0, e;
		quoted ^= s[i] == '\'';
		for (k = 0; !quoted && k < 3 && !fl; k++)
			if (len - i > strlen(fns[k]) &&
			    !strncasecmp(s + i, fns[k], strlen(fns[k])))
				fl = strlen(fns[k]);
		for (e = i + fl; fl && e < len && s[e] != ')' && s[e] != '\n'; e++)
			;
		if (!fl || e >= len || s[e] != ')') {
			bk_buf_putc(out, s[i]);
			continue;
		}
		bk_buf_putc(out, '@');
		for (k = i + fl; k < e; k++)
			if (!strchr("'\" \t", s[k]))
				bk_buf_putc(out, s[k]);
		i = e;
	}
}

static void sql_file_stmt(void *ctx, const char *stmt, size_t len, size_t offset)
{
	struct sql_file *f = ctx;
	struct bk_buf sql = BK_BUF_INIT;
	struct sqlx_pos p = { f->path, f->src, f->len, 0, 0, 0, 0, 0, 0 };
	char kw[16];

	/* bk_sql_split hands over the statement without leading blanks, comments or trailing space. */
	sqlc_rewrite(&sql, stmt, len);
	bk_sql_first_keyword(sql.ptr, kw);
	if (!sqlx_word_in(sql_file_keywords, kw, strlen(kw)))
		goto out;
	advance(f, offset);
	p.line = f->line, p.col = f->col, p.start_byte = (uint32_t)f->at;
	advance(f, offset + len);
	p.end_line = f->line, p.end_col = f->col, p.end_byte = (uint32_t)f->at;
	sqlx_push(f->out, &p, sql.ptr, sql.len,
		  BK_PH_DOLLAR | BK_PH_AT | BK_PH_COLON, NULL, ".sql file");
out:
	bk_buf_release(&sql);
}

void sqlx_extract_sql_file(struct bk_sql_list *out, const char *path,
			   const char *src, size_t len)
{
	struct sql_file f = { out, path, src, len, 0, 0, 0 };
	bk_sql_split(src, len, sql_file_stmt, &f);
}
