/*
 * Query predicates, evaluated by bkgen because the tree-sitter C runtime
 * only hands them over: #eq? #not-eq? #any-of? #not-any-of? #match?
 * #not-match? (PCRE2 with JIT, compiled once at load) and #empty?. Also the
 * plain regex search used by text languages. PCRE2 stays in pred.c.
 */
#ifndef BK_PRED_H
#define BK_PRED_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "err.h"
#include "util.h"

struct bk_predset;   /* predicates of every pattern of one TSQuery */
struct bk_regex;
struct bk_regex_scratch; /* per-thread match data */

/*
 * Compile the predicates of q. lang is the language index (for #empty?).
 * where() maps a byte offset of the query source to "file:line:col" for
 * messages.
 */
int bk_predset_new(struct bk_predset **out, const TSQuery *q, int lang,
		   void (*where)(void *data, uint32_t offset, char *buf, size_t n),
		   void *where_data, struct bk_err *err);
void bk_predset_free(struct bk_predset *ps);

/* Do the predicates of m's pattern hold on text? */
int bk_predset_eval(const struct bk_predset *ps, const TSQueryMatch *m,
		    const char *text, struct bk_regex_scratch *scratch);

/*
 * Literal strings one of which must occur in a file for pattern to match
 * (from its first #eq? / #any-of? against a string). Returns the count
 * (0: no literal is required) and sets *out to borrowed strings.
 */
size_t bk_predset_needles(const struct bk_predset *ps, uint32_t pattern,
			  const char *const **out);

/* where ("file:line:col") names the regex in messages. */
int bk_regex_new(struct bk_regex **out, const char *src, const char *where,
		 struct bk_err *err);
void bk_regex_free(struct bk_regex *re);
/*
 * Search text[start..len): on a match, set the match bounds and return 1;
 * 0 for no match; -1 when PCRE2 gave up at one of its limits (match,
 * depth, heap), which is neither, and is recorded in scratch.
 */
int bk_regex_search(const struct bk_regex *re, const char *text, size_t len,
		    size_t start, size_t *mstart, size_t *mend,
		    struct bk_regex_scratch *scratch);
/* For prefilters: 0 only when text surely holds no match. */
int bk_regex_may_match(const struct bk_regex *re, const char *text, size_t len,
		       struct bk_regex_scratch *scratch);

struct bk_regex_scratch *bk_regex_scratch_new(void);
void bk_regex_scratch_free(struct bk_regex_scratch *s);
/* Forget a recorded limit hit (before each file). */
void bk_regex_scratch_clear(struct bk_regex_scratch *s);
/* Did a search give up at a limit since the last clear? */
int bk_regex_scratch_failed(const struct bk_regex_scratch *s);
/* If so, append which regex and why to out and return 1. */
int bk_regex_scratch_failure(const struct bk_regex_scratch *s, struct bk_buf *out);

/* #empty?: no named children but comments and no-op statements. */
int bk_node_is_empty(TSNode node, const char *text, int lang);

#endif
