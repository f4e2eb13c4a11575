/*
 * Regular expressions (PCRE2, UTF mode, JIT when available). A compiled
 * regex is immutable and may be shared by threads; each thread matches
 * with its own scratch. PCRE2 never leaves regex.c.
 */
#ifndef BK_REGEX_H
#define BK_REGEX_H

#include <stddef.h>
#include "base/err.h"

struct bk_regex;
struct bk_regex_scratch; /* per-thread match data */
struct bk_buf;

/*
 * Compile src; where ("file:line:col") prefixes the error message and
 * names the regex when it gives up at a limit.
 */
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

/* Aborts with exit 3 when out of memory. */
struct bk_regex_scratch *bk_regex_scratch_new(void);
void bk_regex_scratch_free(struct bk_regex_scratch *s);
/* Forget a recorded limit hit (before each file). */
void bk_regex_scratch_clear(struct bk_regex_scratch *s);
/* Did a search give up at a limit since the last clear? */
int bk_regex_scratch_failed(const struct bk_regex_scratch *s);
/* If so, append which regex and why to out and return 1. */
int bk_regex_scratch_failure(const struct bk_regex_scratch *s, struct bk_buf *out);

#endif
