/*
 * Finding the SQL in code: string literals at query call sites, found with
 * tree-sitter from a per-language table of call names (node-postgres
 * query, postgres.js sql``, psycopg execute, Go database/sql and pgx,
 * sqlx, Dapper, libpq PQexec*, ...), and the statements of .sql files.
 *
 * Every statement keeps the position of the code it came from (the literal
 * at the call site, or the statement in a .sql file), and its placeholders
 * are normalised to $1..$n. SQL built from non-literals (concatenation with
 * a variable, f-strings, format calls, template substitutions that are not
 * bound values) is returned with dynamic set and no text: never guessed.
 */
#ifndef BK_SQLEXTRACT_H
#define BK_SQLEXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

struct bk_sql_stmt {
	char *path;                 /* as given */
	uint32_t line, col;         /* 0-based start of the SQL literal (or call) */
	uint32_t end_line, end_col; /* 0-based end */
	uint32_t start_byte, end_byte;
	char *line_text;            /* the source line of the start, no newline */
	char *sql;                  /* normalised text ($n); NULL when dynamic */
	int nparams;                /* highest $n used */
	char **param_names;         /* per $n: the original name (":id" -> "id"), or NULL; nparams entries, may be NULL */
	int dynamic;                /* 1: built from non-literals, not explained */
	char *why;                  /* dynamic: what made it so, one line */
	const char *api;            /* static: "node-postgres query", ".sql file", ... */
};

struct bk_sql_list {
	struct bk_sql_stmt *v;
	size_t nr, alloc;
};

/*
 * Extract from one file's contents; the language comes from the path
 * (bk_lang_for_path, plus ".sql"). Appends to out. A file in a language
 * with no query calls appends nothing and succeeds. With budget_ms > 0,
 * parsing and walking the file that take longer give BK_ETIMEOUT, and
 * nothing is appended.
 */
int bk_sql_extract(struct bk_sql_list *out, const char *path,
		   const char *src, size_t len, uint64_t budget_ms,
		   struct bk_err *err);

/* Does path name a file extract could read (a known language or .sql)? */
int bk_sql_extractable(const char *path);

/* Placeholder styles, combinable. */
enum bk_sql_ph {
	BK_PH_DOLLAR   = 1 << 0,  /* $1 (kept; numbering starts at the highest) */
	BK_PH_QUESTION = 1 << 1,  /* ?  (not ?| ?& jsonb operators) */
	BK_PH_PERCENT  = 1 << 2,  /* %s, %(name)s; %% becomes % */
	BK_PH_COLON    = 1 << 3,  /* :name (not ::type, not [1:2]) */
	BK_PH_AT       = 1 << 4,  /* @name (not @> <@ operators) */
	BK_PH_BRACE    = 1 << 5,  /* {0} (EF Core FromSqlRaw) */
};

/*
 * Rewrite the placeholders of the given styles in sql to $n (one name, one
 * number), skipping string literals, quoted identifiers, comments and
 * dollar-quoted bodies. *out is malloc'ed; *names (may be NULL) receives
 * the original names per number. Returns the number of parameters.
 */
int bk_sql_normalize(const char *sql, size_t len, unsigned styles, char **out,
		     char ***names);

/*
 * Split a .sql file into statements at top-level semicolons (aware of
 * strings, comments, dollar quoting, BEGIN ATOMIC bodies). Calls fn for
 * each non-empty statement with its byte offset in text.
 */
void bk_sql_split(const char *text, size_t len,
		  void (*fn)(void *ctx, const char *stmt, size_t len, size_t offset),
		  void *ctx);

/* The number after the first OFFSET keyword, or -1 (none, or not a literal). */
long long bk_sql_offset(const char *sql);

/* The first keyword of a statement, upper-cased ("SELECT", "WITH"), "" if none. */
void bk_sql_first_keyword(const char *sql, char out[16]);

void bk_sql_list_release(struct bk_sql_list *l);

#endif
