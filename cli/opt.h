/*
 * Options. A row (struct bk_opt) describes one option; a command's table
 * is a NULL-ended array of pointers to rows and drives parsing, --help,
 * the man page check and shell completion, so they cannot drift apart.
 * Rows that several commands have are defined once (setup.h) and shared
 * by pointer. A value is found by its row, never by its name: a misspelt
 * option is a compile error, not a value that is silently never set.
 */
#ifndef BK_OPT_H
#define BK_OPT_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

enum bk_opt_kind {
	BK_OPT_FLAG,     /* --stats */
	BK_OPT_VALUE,    /* --format json, --format=json */
	BK_OPT_LIST,     /* repeatable: --rules a --rules b */
};

struct bk_opt {
	const char *name;              /* long name without "--" */
	char short_name;               /* 0: none */
	enum bk_opt_kind kind;
	const char *arg;               /* placeholder in help: "FORMAT" */
	const char *const *choices;    /* NULL-ended, or NULL: free text */
	const char *help;
};

struct bk_optval {
	int set;
	const char *value;             /* last value */
	const char **list;             /* every value (BK_OPT_LIST) */
	size_t list_nr;
};

struct bk_args {
	const struct bk_opt *const *opts;  /* the table parsed against */
	size_t opts_nr;
	struct bk_optval *vals;        /* parallel to opts */
	char **pos;                    /* positional arguments */
	size_t pos_nr;
};

/*
 * Parse argv against a table (argv[0] is the command name). "--" ends
 * options. Errors name the option, suggest the closest one, and return
 * BK_EUSAGE.
 */
int bk_args_parse(struct bk_args *out, const struct bk_opt *const *opts, int argc,
		  char **argv, struct bk_err *err);
void bk_args_release(struct bk_args *a);
/*
 * The value of the row opt, or NULL when the table has no such row (shared
 * code asks for options some commands lack). A table holding a different
 * row of the same name is a programming error and asserts.
 */
const struct bk_optval *bk_args_get(const struct bk_args *a, const struct bk_opt *opt);
int bk_args_flag(const struct bk_args *a, const struct bk_opt *opt);
/* The last value given, or NULL. */
const char *bk_args_value(const struct bk_args *a, const struct bk_opt *opt);

/* Write the option list for --help. */
void bk_opts_help(FILE *out, const struct bk_opt *const *opts);

#endif
