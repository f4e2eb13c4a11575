/*
 * Query predicates, evaluated by bkgen because the tree-sitter C runtime
 * only hands them over: #eq? #not-eq? #any-of? #not-any-of? #match?
 * #not-match? (regexes of base/regex.h, compiled once at load) and #empty?.
 */
#ifndef BK_PRED_H
#define BK_PRED_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "base/err.h"

struct bk_predset;   /* predicates of every pattern of one TSQuery */
struct bk_regex_scratch; /* base/regex.h */

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

/* #empty?: no named children but comments and no-op statements. */
int bk_node_is_empty(TSNode node, const char *text, int lang);

#endif
