/*
 * "Did you mean": the candidate closest to a word that matched nothing,
 * when it is close enough to be a likely typo. Every "unknown X" message
 * gets its suggestion here, so they all read the same:
 *
 *   struct bk_suggest s;
 *   bk_suggest_init(&s, name);
 *   for (size_t i = 0; i < n; i++)
 *           bk_suggest_add(&s, checks[i].name);
 *   return bk_err_suggest(err, BK_EUSAGE, &s, "see 'bkgen probe --list'",
 *                         "unknown check '%s'", name);
 *
 * sets "unknown check 'helth-live'; did you mean 'health-live'?", or with
 * no close candidate "unknown check 'x' (see 'bkgen probe --list')".
 * Pure string work: nothing here prints.
 */
#ifndef BK_SUGGEST_H
#define BK_SUGGEST_H

#include <stddef.h>
#include "base/err.h"

struct bk_suggest {
	const char *given;
	const char *prefix;    /* shown before the suggestion, e.g. "--"; NULL: none */
	const char *best;      /* borrowed from the candidates; NULL: none yet */
	size_t distance;
};

void bk_suggest_init(struct bk_suggest *s, const char *given);
/* Consider one candidate; the first of equally close ones wins. */
void bk_suggest_add(struct bk_suggest *s, const char *candidate);
/* Consider each of a NULL-ended array (NULL: none). */
void bk_suggest_add_all(struct bk_suggest *s, const char *const *candidates);
/*
 * The closest candidate if it is a likely typo: at most a third of the
 * given word's length plus one edits away. NULL otherwise.
 */
const char *bk_suggest_best(const struct bk_suggest *s);

/*
 * Set err to the formatted message followed by "; did you mean 'BEST'?",
 * or, without a suggestion, by " (WAY_OUT)" (nothing when way_out is
 * NULL). Returns code.
 */
int bk_err_suggest(struct bk_err *err, int code, const struct bk_suggest *s,
		   const char *way_out, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Levenshtein distance between two strings (bytes). */
size_t bk_edit_distance(const char *a, const char *b);

#endif
