/*
 * The rule engine. Every enabled rule of a language is compiled into ONE
 * tree-sitter query (one cursor pass per file; separate passes per rule
 * cost about 10x), compiled once per process and only for the languages
 * present, then shared read-only by the workers. A worker holds what may
 * not be shared: parser, query cursors, regex match data.
 */
#ifndef BK_ENGINE_H
#define BK_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/report.h"
#include "base/role.h"
#include "base/rule.h"
#include "base/util.h"

struct bk_engine;
struct bk_worker;

#define BK_FILE_BUDGET_MS 10000   /* default time budget per file */
#define BK_MAX_FINDINGS_PER_FILE 1000 /* default cap on one file's findings */
#define BK_MAX_FINDINGS 100000        /* default cap on a run's findings (check) */

/* Flags for bk_engine_check. */
#define BK_CHECK_UNUSED_IGNORES 0x1  /* record suppressions that matched nothing */

/* Per-rule counters (indexed like the rule set), for --stats. */
struct bk_rule_stats {
	uint64_t matches;     /* query matches before predicates/conditions */
	uint64_t findings;
	uint64_t cond_ns;     /* time spent on its conditions */
};

struct bk_worker_stats {
	uint64_t read_ns, parse_ns, query_ns, cond_ns, regex_ns;
	struct bk_rule_stats *rules; /* set->nr entries */
};

/* The rule set must outlive the engine; disabled rules are left out. */
int bk_engine_new(struct bk_engine **out, const struct bk_ruleset *set,
		  struct bk_err *err);
/*
 * Get the rules of one language ready for `files` files (a no-op when
 * already done). Not thread-safe: prepare every language you will check
 * before starting workers. User rules are compiled here, so their errors
 * (file:line:col of the rule file) come before any work; built-in rules
 * compile on first use.
 */
int bk_engine_prepare(struct bk_engine *e, int lang, size_t files,
		      struct bk_err *err);
/* Compile every rule, condition and language now (validation, tests). */
int bk_engine_prepare_all(struct bk_engine *e, struct bk_err *err);

/*
 * How rules run: auto picks per language by the number of files (one
 * combined query for many, one query per rule for a few); the others force
 * a mode (tests run the fixtures both ways). Set before preparing.
 */
enum bk_engine_mode { BK_MODE_AUTO, BK_MODE_COMBINED, BK_MODE_PER_RULE };
void bk_engine_set_mode(struct bk_engine *e, enum bk_engine_mode mode);
/* Does any enabled rule cover this language? */
int bk_engine_has_lang(const struct bk_engine *e, int lang);
/* Milliseconds spent compiling queries, for --stats. */
double bk_engine_compile_ms(const struct bk_engine *e);
void bk_engine_free(struct bk_engine *e);

struct bk_worker *bk_worker_new(const struct bk_engine *e);
const struct bk_worker_stats *bk_worker_stats(const struct bk_worker *w);
/* Time budget per file in milliseconds (default BK_FILE_BUDGET_MS). */
void bk_worker_set_budget(struct bk_worker *w, uint64_t ms);
/*
 * At most n findings per file (default BK_MAX_FINDINGS_PER_FILE, 0: no
 * cap); past it one bk_too_many_findings_rule finding says how many more
 * there were, and they count in findings_not_shown.
 */
void bk_worker_set_max_findings(struct bk_worker *w, size_t n);
void bk_worker_free(struct bk_worker *w);
/* After BK_ELIMIT: which regex gave up, and why, appended to out. */
void bk_worker_failure(const struct bk_worker *w, struct bk_buf *out);

/*
 * Check one file held in memory (text must be NUL-terminated at len).
 * Only rules that apply to the file's role run; test code inside it (the
 * language's test attributes) counts as role test. Findings and unused
 * suppressions are appended to out. The language must
 * have been prepared. Returns 0, BK_EIO if the parser gave up,
 * BK_ETIMEOUT (and no findings) when parsing and querying the file took
 * longer than the worker's budget: no file can stall a run; or BK_ELIMIT
 * (and no findings) when a rule's regex gave up at one of PCRE2's limits,
 * so that a match may have been missed (bk_worker_failure says which).
 */
int bk_engine_check(struct bk_worker *w, const char *path, int lang,
		    const char *text, size_t len, enum bk_role role, unsigned flags,
		    struct bk_report *out);
/*
 * The code roles some enabled rule applies to (BK_ROLE_BIT mask): a file
 * of another role need not even be read.
 */
unsigned bk_engine_roles(const struct bk_engine *e);

#endif
