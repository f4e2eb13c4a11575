/*
 * Engine internals shared by engine.c (compile), cond.c and check-file.c.
 *
 * Two ways to run a language's rules, chosen per run by how many files of
 * the language there are:
 *  - combined: all rules in one query, one cursor pass per file. Best for
 *    many files; compiling the query costs 5-200 ms once.
 *  - per rule: each rule's own query, compiled only when a file contains
 *    one of the rule's needles. Best for a handful of files (pre-commit),
 *    where compiling every rule would dominate.
 * Condition queries are compiled the first time a match needs them.
 * Built-in rules compile lazily (the test suite proves they compile);
 * user rules are compiled up front so their errors come before any work.
 */
#ifndef BK_ENGINE_INT_H
#define BK_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <tree_sitter/api.h>
#include "lint/engine.h"
#include "base/lang.h"
#include "lint/pred.h"
#include "base/regex.h"
#include "base/util.h"

#define NO_CAPTURE UINT32_MAX
#define BK_COMPILE_LOCKS 16

/* A compiled query, ready when `ready` is set (then read-only). */
struct cquery {
	atomic_int ready;
	TSQuery *q;
	struct bk_predset *preds;
	uint32_t report_capture;    /* @report, or NO_CAPTURE */
	uint32_t at_capture;        /* @at, or NO_CAPTURE */
	uint32_t *pattern_entry;    /* combined: pattern -> entry index */
};

struct cond_c {
	const struct bk_cond *src;
	struct cquery cq;
	struct cond_c *except;      /* src->except_nr */
	struct bk_regex *re;        /* BK_COND_FILE */
};

/* One rule in one language. */
struct entry {
	const struct bk_rule *rule;
	size_t rule_index;
	const struct bk_rule_lang *rl;
	struct cond_c *where, *unless;
	size_t where_nr, unless_nr;
	struct cquery single;       /* per-rule mode */
	struct bk_regex *re;        /* text languages */
	struct bk_regex *prefilter; /* a file must match it to be checked */
	struct bk_regex *report_at; /* narrows a finding to a match in its node */
	const char **gate_needles;  /* combined: declared or derived needles */
	size_t gate_needles_nr, gate_needles_alloc;
	int gate_all;               /* combined: some pattern has no needle */
	uint32_t src_start;         /* offset in the combined source */
};

struct lang_c {
	int prepared;
	int per_rule;               /* run mode, set by prepare */
	size_t entries_nr;
	struct entry *entries;
	struct cquery combined;
};

struct bk_engine {
	const struct bk_ruleset *set;
	struct lang_c *langs;       /* bk_langs_nr */
	enum bk_engine_mode mode;
	/* Lazy compiles: a lock per query (striped), so workers compile
	 * different rules at the same time. */
	pthread_mutex_t locks[BK_COMPILE_LOCKS];
	_Atomic uint64_t compile_ns;
};

/*
 * A file-wide `has` condition gives the same matches for every finding in
 * the file: they are found once per file and kept here as the texts of
 * their `same:` captures (hash + ranges, compared by text).
 */
struct file_cond {
	const struct bk_cond *src;  /* which condition */
	int any;                    /* some match (without `same:`) */
	uint64_t *hashes;
	uint32_t *ranges;           /* same_nr (start, end) pairs per match */
	size_t nr, alloc;
};

/* A named function of the file being checked (`in: definition-of`). */
struct fn_def {
	uint64_t hash;              /* of the name's text */
	uint32_t name_start, name_end;
	TSNode fn;
};

struct bk_worker {
	const struct bk_engine *e;
	TSParser *parser;
	TSQueryCursor *cursor;
	TSQueryCursor *cond_cursor;
	struct bk_regex_scratch *scratch;
	struct bk_worker_stats stats;
	const char *path;           /* of the file being checked */
	struct file_cond *fconds;   /* reset for every file */
	size_t fconds_nr, fconds_alloc;
	struct fn_def *fdefs;       /* named functions, found once per file */
	size_t fdefs_nr, fdefs_alloc;
	int fdefs_built;
	TSNode *defs;               /* scratch: the nodes of one definition-of */
	size_t defs_nr, defs_alloc;
	uint64_t budget_ns;         /* per file */
	size_t max_findings;        /* per file, 0: no cap */
	uint64_t deadline_ns;       /* of the file being checked */
	int timed_out;
};

/*
 * Bounds on a query's text, checked before tree-sitter sees it
 * (query-check.c): its indices are 16 bits and its parser recursive.
 */
#define BK_QUERY_MAX_LEN 65536
#define BK_QUERY_MAX_DEPTH 100
#define BK_QUERY_MAX_STEPS 8192
#define BK_STR_(x) #x
#define BK_STR(x) BK_STR_(x)

struct bk_query_scan {
	uint32_t steps;           /* tree-sitter's steps for the text */
	uint32_t offset;          /* where the problem is */
	const char *problem;      /* NULL: none */
	const char *hint;         /* the way out, may be NULL */
};

/*
 * query-check.c: may tree-sitter be given src for lang? 0: yes; 1: it holds a
 * syntax error tree-sitter will report (it may still be given it alone);
 * -1: no, out->problem says why.
 */
int bk_query_check(const TSLanguage *lang, const char *src, size_t len,
		   struct bk_query_scan *out);

/* engine.c: compile a query now (errors point into the rule file). */
int bk_query_compile(TSQuery **out, int lang, const char *src, const char *file,
		     uint32_t line, uint32_t col, struct bk_err *err);
/* engine.c: make sure cq is compiled (lazily, thread-safe). */
const struct cquery *bk_engine_single(const struct bk_engine *e, int lang,
				      struct entry *en);
const struct cquery *bk_engine_cond(const struct bk_engine *e, int lang,
				    const struct entry *en, struct cond_c *c);

/* cond.c */
void bk_cond_file_reset(struct bk_worker *w);
int bk_cond_holds(struct bk_worker *w, const struct cquery *main_q,
		  const struct entry *en, struct cond_c *c, int lang,
		  const TSQueryMatch *m, TSNode report, TSNode root,
		  const char *text);

#endif
