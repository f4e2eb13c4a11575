/*
 * The language table: one row per language (name, grammar, extensions,
 * node types the engine needs to know). Adding a language is one row.
 */
#ifndef BK_LANG_H
#define BK_LANG_H

#include <stddef.h>

struct TSLanguage;

struct bk_lang {
	const char *name;                       /* "javascript" */
	const struct TSLanguage *(*grammar)(void); /* NULL: text language */
	const char *const *extensions;          /* ".js", ... NULL-ended */
	const char *const *comment_types;       /* comment node types */
	const char *const *function_types;      /* function-like scopes */
	const char *const *noop_texts;          /* statements that do nothing */
	const char *fixture_ext;                /* "js": tests/rules/<id>/<lang>.<ext> */
	/*
	 * Test code inside a source file: an item preceded by (or holding) an
	 * attribute node of this type whose text contains one of test_attrs
	 * (Rust's #[cfg(test)] modules and #[test] functions, C#'s [Fact]).
	 */
	const char *test_attr_type;
	const char *const *test_attrs;
};

extern const struct bk_lang bk_langs[];
extern const size_t bk_langs_nr;

/* Index of the language named name, or -1. */
int bk_lang_by_name(const char *name);
/* Index of the language claiming path's extension, or -1. */
int bk_lang_for_path(const char *path);
/*
 * The extension of path (".vue") when it is source code of a language
 * bkgen does not read, so a run can say what it did not look at; else NULL.
 */
const char *bk_lang_unsupported(const char *path);
/* Is type (a node type) in the NULL-terminated list? */
int bk_lang_type_in(const char *const *list, const char *type);

#endif
