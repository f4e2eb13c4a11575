/*
 * Internals shared by sqlextract.c (the walk and the evaluation of SQL
 * arguments) and sqlextract-lang.c (the per-language table of query call
 * sites, string literal syntax, and .sql files). Not for other modules.
 */
#ifndef BK_SQLEXTRACT_INT_H
#define BK_SQLEXTRACT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "explain/sqlextract.h"
#include "base/util.h"

enum sqlx_kind {
	SQLX_CALL,   /* f(args), obj.f(args) */
	SQLX_TAG,    /* f`template` (JS tagged template) */
	SQLX_MACRO,  /* f!(..., "sql", ...): the first string token */
	SQLX_NEW,    /* new Type(args) */
	SQLX_ASSIGN, /* obj.Name = value */
};

enum sqlx_flag {
	SQLX_HOLES = 1 << 0,  /* substitutions are bound values: next $n */
	SQLX_FUNC = 1 << 1,   /* only a plain or path call: f(), a::f() */
	SQLX_METHOD = 1 << 2, /* only a method call: obj.f() */
};

#define SQLX_FIRST_STRING (-1) /* the first string-like of the first args */

struct sqlx_site {
	enum sqlx_kind kind;
	const char *names;  /* space-separated callee names */
	int arg;            /* index of the SQL argument, or SQLX_FIRST_STRING */
	unsigned styles;    /* enum bk_sql_ph */
	unsigned flags;     /* enum sqlx_flag */
	const char *api;
};

enum sqlx_escapes {
	SQLX_ESC_C,      /* backslash escapes, unknown ones drop the backslash */
	SQLX_ESC_PYTHON, /* unknown escapes keep the backslash */
	SQLX_ESC_RUST,   /* backslash-newline also eats leading whitespace */
};

struct sqlx_lang {
	const char *name;             /* as in bk_langs */
	const struct sqlx_site *sites; /* ends with a row with names NULL */
	enum sqlx_escapes escapes;
	const char *hole_why;         /* why a substitution makes SQL dynamic */
	const char *format_calls;     /* calls formatting a string: dynamic */
};

/* How to read one literal's text. */
struct sqlx_delims {
	uint32_t open, close; /* prefix + quotes, closing quotes */
	int raw;              /* no escapes at all */
	int verbatim;         /* C# @"": "" is a quote */
	int braces;           /* {{ and }} are braces (interpolated) */
	int dedent;           /* C# raw string: strip the closing indent */
	enum sqlx_escapes escapes;
};

struct sqlx_match {
	const struct sqlx_site *site;
	TSNode args; /* argument list, or the SQL node itself (TAG, MACRO, ASSIGN) */
};

struct sqlx_pos {
	const char *path, *src;
	size_t src_len;
	uint32_t line, col, end_line, end_col, start_byte, end_byte;
};

extern const char sqlx_literal_types[];
extern const char sqlx_rebind_types[];
extern const char sqlx_param_types[];

const struct sqlx_lang *sqlx_lang_find(const char *name);
int sqlx_word_in(const char *list, const char *s, size_t n);
/* Is n (may be null) of one of the node types in the space-separated list? */
int sqlx_type_in(TSNode n, const char *list);

/* The call site at n matching lang's table, if any. */
int sqlx_match_site(struct sqlx_match *out, const struct sqlx_lang *lang,
		    const char *src, TSNode n);
/* The name node of a callee (obj.f -> f, a::f<T> -> f); *method set for obj.f. */
TSNode sqlx_callee_name(TSNode fn, int *method);
/* The i-th argument of an argument list, comments skipped. */
TSNode sqlx_nth_arg(TSNode args, uint32_t i);
/* The first string literal token of a macro invocation's token tree. */
TSNode sqlx_first_token_string(TSNode macro);
/* Is the substitution e an SQL fragment (sql``, sql.raw(), ...)? */
int sqlx_is_fragment(const char *src, TSNode e);

void sqlx_delims(struct sqlx_delims *d, const struct sqlx_lang *lang,
		 const char *type, const char *text, size_t len);
void sqlx_decode(struct bk_buf *out, const struct sqlx_delims *d,
		 const char *s, size_t len);
void sqlx_dedent(struct bk_buf *b);

/* Append one statement (why != NULL: dynamic) to out. */
void sqlx_push(struct bk_sql_list *out, const struct sqlx_pos *p,
	       const char *sql, size_t sql_len, unsigned styles,
	       const char *why, const char *api);
void sqlx_extract_sql_file(struct bk_sql_list *out, const char *path,
			   const char *src, size_t len);

#endif
