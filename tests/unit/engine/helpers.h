/*
 * Rule texts built in the tests, and engines over them. A rule made by
 * eng_add has this layout, so positions in messages are predictable:
 *
 *   1 id: <id>              7 message: '<message>'
 *   2 title: <id> title     8 languages:
 *   3 severity: warning     9   <lang>:
 *   4 category: correctness 10    query: |        (regex: |- for sql)
 *   5 rationale: r          11      <first query line>   (column 7)
 *   6 fix: f                ..      <extra, indented by the caller>
 */
#ifndef ENG_HELPERS_H
#define ENG_HELPERS_H

#include <stddef.h>
#include "lint/engine.h"
#include "base/report.h"
#include "base/rule.h"

/* Add rule <id> from rules/<id>.yml; msg NULL: "<id> found". */
void eng_add(struct bk_ruleset *set, const char *id, const char *lang,
	     const char *msg, const char *query, const char *extra);
/* The rule text eng_add would add. Caller frees. */
char *eng_rule_text(const char *id, const char *lang, const char *msg,
		    const char *query, const char *extra);

/*
 * The engine runs a language's rules either as one combined query or one
 * query per rule (engine.h). These helpers run both and insist that they
 * agree, so every behaviour test covers both.
 */

/* Engine over set in mode with every language prepared; asserts success. */
struct bk_engine *eng_build_mode(const struct bk_ruleset *set,
				 enum bk_engine_mode mode);
struct bk_engine *eng_build(const struct bk_ruleset *set); /* combined */
/*
 * The error of building the engine (0 if none), the same in both modes;
 * the engines are freed.
 */
int eng_build_err(const struct bk_ruleset *set, struct bk_err *err);

/* Check text as path with flags; findings sorted. */
void eng_check(struct bk_engine *e, const char *path, const char *text,
	       unsigned flags, struct bk_report *out);
/* Check once in each mode (findings must agree); out gets the findings. */
void eng_run(const struct bk_ruleset *set, const char *path, const char *text,
	     struct bk_report *out);

size_t eng_count(const struct bk_report *r, const char *id);

/* Assert the message starts with prefix and contains what. */
#define ENG_ASSERT_MSG(err, prefix, what) \
	do { \
		cr_assert(!strncmp((err).msg, (prefix), strlen(prefix)), \
			  "want a message starting '%s', got: %s", (prefix), (err).msg); \
		cr_assert(strstr((err).msg, (what)), "want '%s' in: %s", (what), (err).msg); \
	} while (0)

#endif
