/*
 * Pure SQL text processing for extraction: placeholder normalisation to
 * $1..$n, splitting .sql files into statements, and the first keyword.
 *
 * All three share one lexical rule: string literals ('' and E'' with
 * backslashes), quoted identifiers, -- and nested block comments and
 * dollar-quoted bodies are opaque regions, never looked into for
 * placeholders or semicolons. Unterminated regions run to the end of the
 * text, as the server would read them.
 *
 * Surprises: psycopg collapses %% everywhere in the query (it formats the
 * whole string), so with BK_PH_PERCENT %% becomes % inside strings and
 * comments too. Existing $n are always kept and reserve their numbers,
 * whatever the styles, so new numbers never collide with them.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain/sqlextract.h"
#include "base/util.h"

/* PostgreSQL's limit on bind parameters; larger "$n" are not parameters. */
#define SQLNORM_MAX_PARAM 65535

static int is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_ident_start(c) || isdigit(c);
}

static int is_ident_char(unsigned char c)
{
	return is_name_char(c) || c == '$';
}

static int ident_before(const char *s, size_t i)
{
	return i > 0 && is_ident_char((unsigned char)s[i - 1]);
}

/* 'x', "x", E'x': q doubled is a quote; backslash escapes if asked. */
static size_t quoted_end(const char *s, size_t len, size_t i, char q,
			 int backslash)
{
	for (i++; i < len; i++) {
		if (backslash && s[i] == '\\' && i + 1 < len) {
			i++;
		} else if (s[i] == q) {
			if (i + 1 < len && s[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return len;
}

static size_t block_comment_end(const char *s, size_t len, size_t i)
{
	int depth = 0;
	while (i + 1 < len) {
		if (s[i] == '/' && s[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (s[i] == '*' && s[i + 1] == '/') {
			i += 2;
			if (--depth == 0)
				return i;
		} else {
			i++;
		}
	}
	return len;
}

/* Length of a dollar-quote opener $$ or $tag$ at i, 0 if there is none. */
static size_t dollar_tag_len(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;
	if (s[i] != '$' || ident_before(s, i))
		return 0;
	if (j < len && is_ident_start((unsigned char)s[j]))
		while (j < len && is_name_char((unsigned char)s[j]))
			j++;
	return j < len && s[j] == '$' ? j + 1 - i : 0;
}

static size_t dollar_body_end(const char *s, size_t len, size_t i,
			      size_t tag)
{
	size_t from = i + tag;
	const char *e = memmem(s + from, len - from, s + i, tag);
	return e ? (size_t)(e - s) + tag : len;
}

/* End of the opaque region starting at i, or i when none starts there. */
static size_t region_end(const char *s, size_t len, size_t i)
{
	char c = s[i], d = i + 1 < len ? s[i + 1] : '\0';
	size_t tag;

	if (c == '\'' || c == '"')
		return quoted_end(s, len, i, c, 0);
	if ((c == 'E' || c == 'e') && d == '\'' && !ident_before(s, i))
		return quoted_end(s, len, i + 1, '\'', 1);
	if (c == '-' && d == '-') {
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	if (c == '/' && d == '*')
		return block_comment_end(s, len, i);
	if ((tag = dollar_tag_len(s, len, i)))
		return dollar_body_end(s, len, i, tag);
	return i;
}

/* Whitespace and comments from i; returns the first other position. */
static size_t skip_blank(const char *s, size_t len, size_t i)
{
	while (i < len) {
		if (isspace((unsigned char)s[i]))
			i++;
		else if (i + 1 < len && ((s[i] == '-' && s[i + 1] == '-') ||
					 (s[i] == '/' && s[i + 1] == '*')))
			i = region_end(s, len, i);
		else
			break;
	}
	return i;
}

/* Digits from i up to the limit: the number, or 0 if none or too big. */
static int parse_index(const char *s, size_t len, size_t *i)
{
	long v = 0;
	size_t j = *i;
	while (j < len && isdigit((unsigned char)s[j])) {
		if (v <= SQLNORM_MAX_PARAM)
			v = v * 10 + (s[j] - '0');
		j++;
	}
	if (j == *i || v > SQLNORM_MAX_PARAM)
		return -1;
	*i = j;
	return (int)v;
}

/* $n at i: its number and end, or -1. */
static int dollar_param(const char *s, size_t len, size_t i, size_t *end)
{
	size_t j = i + 1;
	int n;
	if (s[i] != '$' || ident_before(s, i))
		return -1;
	n = parse_index(s, len, &j);
	if (n <= 0)
		return -1;
	*end = j;
	return n;
}

/* {k} at i: the number k + 1 and end, or -1. */
static int brace_param(const char *s, size_t len, size_t i, size_t *end)
{
	size_t j = i + 1;
	int n;
	if (s[i] != '{')
		return -1;
	n = parse_index(s, len, &j);
	if (n < 0 || n >= SQLNORM_MAX_PARAM || j >= len || s[j] != '}')
		return -1;
	*end = j + 1;
	return n + 1;
}

/* The highest number taken before renumbering: $n, and {k} if enabled. */
static int highest_fixed(const char *s, size_t len, unsigned styles)
{
	int max = 0, n;
	size_t i = 0, e;
	while (i < len) {
		if ((e = region_end(s, len, i)) > i) {
			i = e;
			continue;
		}
		n = dollar_param(s, len, i, &e);
		if (n < 0 && (styles & BK_PH_BRACE))
			n = brace_param(s, len, i, &e);
		if (n < 0) {
			i++;
			continue;
		}
		if (n > max)
			max = n;
		i = e;
	}
	return max;
}

/* Nesting of [ ]: a set bit means an ARRAY[...] constructor, not a slice. */
#define SQLNORM_MAX_BRACKETS 64

struct norm {
	const char *s;
	size_t len;
	unsigned styles;
	struct bk_buf out;
	char **names;   /* per number - 1: the original name or NULL */
	size_t names_alloc;
	int next;       /* the highest number in use */
	uint64_t array_brackets;
	int depth;
};

static void norm_number(struct norm *n, int num)
{
	bk_buf_printf(&n->out, "$%d", num);
}

static void norm_reserve(struct norm *n, int upto)
{
	size_t old = n->names_alloc;
	BK_ALLOC_GROW(n->names, (size_t)upto, n->names_alloc);
	if (n->names_alloc > old)
		memset(n->names + old, 0,
		       (n->names_alloc - old) * sizeof(*n->names));
}

static void norm_positional(struct norm *n)
{
	norm_reserve(n, ++n->next);
	norm_number(n, n->next);
}

/* One name, one number; names are compared exactly. */
static void norm_named(struct norm *n, const char *name, size_t nlen)
{
	for (int k = 0; k < n->next; k++) {
		if (n->names[k] && strlen(n->names[k]) == nlen &&
		    !memcmp(n->names[k], name, nlen)) {
			norm_number(n, k + 1);
			return;
		}
	}
	norm_reserve(n, ++n->next);
	n->names[n->next - 1] = bk_xstrndup(name, nlen);
	norm_number(n, n->next);
}

static size_t name_end(const char *s, size_t len, size_t i)
{
	while (i < len && is_name_char((unsigned char)s[i]))
		i++;
	return i;
}

/* Regions are copied; psycopg collapses %% even there. */
static void norm_copy_region(struct norm *n, size_t i, size_t e)
{
	if (!(n->styles & BK_PH_PERCENT)) {
		bk_buf_add(&n->out, n->s + i, e - i);
		return;
	}
	for (; i < e; i++) {
		bk_buf_putc(&n->out, n->s[i]);
		if (n->s[i] == '%' && i + 1 < e && n->s[i + 1] == '%')
			i++;
	}
}

/* ?, but not the jsonb operators ?| ?& nor ? followed by a string. */
static size_t norm_question(struct norm *n, size_t i)
{
	size_t j = i + 1;
	if (j < n->len && (n->s[j] == '|' || n->s[j] == '&'))
		return i;
	while (j < n->len && isspace((unsigned char)n->s[j]))
		j++;
	if (j < n->len && n->s[j] == '\'')
		return i;
	norm_positional(n);
	return i + 1;
}

static int is_percent_kind(char c)
{
	return c == 's' || c == 'b' || c == 't';
}

/* %% -> %, %s %b %t -> next number, %(name)s -> the name's number. */
static size_t norm_percent(struct norm *n, size_t i)
{
	const char *s = n->s;
	size_t j = i + 1;
	if (j >= n->len)
		return i;
	if (s[j] == '%') {
		bk_buf_putc(&n->out, '%');
		return j + 1;
	}
	if (is_percent_kind(s[j])) {
		norm_positional(n);
		return j + 1;
	}
	if (s[j] != '(')
		return i;
	while (++j < n->len && s[j] != ')' && s[j] != '\n')
		;
	if (j + 1 >= n->len || s[j] != ')' || j == i + 2 ||
	    !is_percent_kind(s[j + 1]))
		return i;
	norm_named(n, s + i + 2, j - i - 2);
	return j + 2;
}

static int in_slice(const struct norm *n)
{
	if (n->depth <= 0)
		return 0;
	if (n->depth > SQLNORM_MAX_BRACKETS)
		return 1;
	return !(n->array_brackets >> (n->depth - 1) & 1);
}

/* A sigil (':' or '@') at i followed by a name, not after a word: a parameter. */
static size_t norm_sigil_name(struct norm *n, size_t i)
{
	size_t e;

	if (ident_before(n->s, i) || i + 1 >= n->len ||
	    !is_ident_start((unsigned char)n->s[i + 1]))
		return i;
	e = name_end(n->s, n->len, i + 1);
	norm_named(n, n->s + i + 1, e - i - 1);
	return e;
}

/* :name, not ::type, not a slice bound arr[a:b], not after a word. */
static size_t norm_colon(struct norm *n, size_t i)
{
	if (i + 1 < n->len && n->s[i + 1] == ':') {
		bk_buf_add(&n->out, "::", 2);
		return i + 2;
	}
	return in_slice(n) ? i : norm_sigil_name(n, i);
}

/* @name, not the operators @> <@ @@ @-@ nor an address-like a@b. */
static size_t norm_at(struct norm *n, size_t i)
{
	if (i > 0 && (n->s[i - 1] == '<' || n->s[i - 1] == '@'))
		return i;
	return norm_sigil_name(n, i);
}

static size_t norm_brace(struct norm *n, size_t i)
{
	size_t e;
	int num = brace_param(n->s, n->len, i, &e);
	if (num < 0)
		return i;
	norm_number(n, num);
	return e;
}

/* Is the [ at i an ARRAY[...] constructor (ARRAY, blanks, [)? */
static int array_constructor(const char *s, size_t i)
{
	while (i > 0 && isspace((unsigned char)s[i - 1]))
		i--;
	return i >= 5 && !strncasecmp(s + i - 5, "array", 5) &&
	       !ident_before(s, i - 5);
}

static void norm_bracket(struct norm *n, size_t i)
{
	if (n->s[i] == ']') {
		if (n->depth > 0)
			n->depth--;
		return;
	}
	if (++n->depth > SQLNORM_MAX_BRACKETS)
		return;
	n->array_brackets &= ~((uint64_t)1 << (n->depth - 1));
	if (array_constructor(n->s, i))
		n->array_brackets |= (uint64_t)1 << (n->depth - 1);
}

/* A placeholder at i: its end, or i when there is none. */
static size_t norm_placeholder(struct norm *n, size_t i)
{
	unsigned st = n->styles;
	switch (n->s[i]) {
	case '?':
		return st & BK_PH_QUESTION ? norm_question(n, i) : i;
	case '%':
		return st & BK_PH_PERCENT ? norm_percent(n, i) : i;
	case ':':
		return st & BK_PH_COLON ? norm_colon(n, i) : i;
	case '@':
		return st & BK_PH_AT ? norm_at(n, i) : i;
	case '{':
		return st & BK_PH_BRACE ? norm_brace(n, i) : i;
	case '\\':
		if (!(st & BK_PH_COLON) || i + 1 >= n->len || n->s[i + 1] != ':')
			return i;
		bk_buf_putc(&n->out, ':');
		return i + 2;
	}
	return i;
}

static size_t norm_step(struct norm *n, size_t i)
{
	size_t e = region_end(n->s, n->len, i);
	if (e > i) {
		norm_copy_region(n, i, e);
		return e;
	}
	if (dollar_param(n->s, n->len, i, &e) > 0) {
		bk_buf_add(&n->out, n->s + i, e - i);
		return e;
	}
	if ((e = norm_placeholder(n, i)) > i)
		return e;
	if (n->s[i] == '[' || n->s[i] == ']')
		norm_bracket(n, i);
	bk_buf_putc(&n->out, n->s[i]);
	return i + 1;
}

int bk_sql_normalize(const char *sql, size_t len, unsigned styles, char **out,
		     char ***names)
{
	struct norm n = { sql, len, styles, BK_BUF_INIT, NULL, 0, 0, 0, 0 };
	size_t i = 0;

	n.next = highest_fixed(sql, len, styles);
	norm_reserve(&n, n.next);
	bk_buf_grow(&n.out, len);
	while (i < len)
		i = norm_step(&n, i);
	*out = bk_buf_detach(&n.out);
	if (names && n.next > 0) {
		*names = n.names;
		return n.next;
	}
	if (names)
		*names = NULL;
	for (int k = 0; k < n.next; k++)
		free(n.names[k]);
	free(n.names);
	return n.next;
}

/* The word at i if it starts one (not inside an identifier), else 0. */
static size_t word_at(const char *s, size_t len, size_t i)
{
	if (!isalpha((unsigned char)s[i]) || ident_before(s, i))
		return 0;
	return name_end(s, len, i) - i;
}

static int word_is(const char *s, size_t wlen, const char *kw)
{
	return wlen == strlen(kw) && !strncasecmp(s, kw, wlen);
}

/* BEGIN ATOMIC opens a body; inside it CASE opens and END closes. */
static int atomic_depth(const char *s, size_t len, size_t i, size_t wlen,
			int depth)
{
	size_t j;
	if (depth > 0) {
		if (word_is(s + i, wlen, "case") || word_is(s + i, wlen, "begin"))
			return depth + 1;
		return word_is(s + i, wlen, "end") ? depth - 1 : depth;
	}
	if (!word_is(s + i, wlen, "begin"))
		return 0;
	j = skip_blank(s, len, i + wlen);
	return j < len && word_is(s + j, word_at(s, len, j), "atomic");
}

static void split_emit(const char *text, size_t start, size_t end,
		       void (*fn)(void *, const char *, size_t, size_t),
		       void *ctx)
{
	start = skip_blank(text, end, start);
	while (end > start && isspace((unsigned char)text[end - 1]))
		end--;
	if (end > start)
		fn(ctx, text + start, end - start, start);
}

void bk_sql_split(const char *text, size_t len,
		  void (*fn)(void *ctx, const char *stmt, size_t len, size_t offset),
		  void *ctx)
{
	size_t i = 0, start = 0, e, w;
	int depth = 0;

	while (i < len) {
		if ((e = region_end(text, len, i)) > i) {
			i = e;
		} else if ((w = word_at(text, len, i))) {
			depth = atomic_depth(text, len, i, w, depth);
			i += w;
		} else if (text[i] == ';' && depth == 0) {
			split_emit(text, start, i, fn, ctx);
			start = ++i;
		} else {
			i++;
		}
	}
	split_emit(text, start, len, fn, ctx);
}

void bk_sql_first_keyword(const char *sql, char out[16])
{
	size_t len = strlen(sql), i = 0, k = 0;

	for (;;) {
		i = skip_blank(sql, len, i);
		if (i >= len || sql[i] != '(')
			break;
		i++;
	}
	if (i < len && isalpha((unsigned char)sql[i]))
		while (i < len && k < 15 && is_name_char((unsigned char)sql[i]))
			out[k++] = (char)toupper((unsigned char)sql[i++]);
	out[k] = '\0';
}

/* The literal after OFFSET, or -1. */
long long bk_sql_offset(const char *sql)
{
	for (const char *p = sql; *p; p++) {
		if (strncasecmp(p, "offset", 6) || (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
			continue;
		const char *q = p + 6;
		if (!isspace((unsigned char)*q))
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (isdigit((unsigned char)*q))
			return strtoll(q, NULL, 10);
	}
	return -1;
}
