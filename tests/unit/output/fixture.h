/*
 * A hand-built rule set and report for the output tests. The rules point
 * at string literals; the report owns copies, as a real one does.
 */
#ifndef BK_TEST_OUTPUT_FIXTURE_H
#define BK_TEST_OUTPUT_FIXTURE_H

#include "cli/output.h"

/* The fetch line: multibyte text before the range, an astral code point. */
#define FETCH_LINE "const s = \"h\xc3\xa9llo\xf0\x9f\x98\x80\"; fetch(x)"
#define EVAL_LINE "\tif (a)\teval(b);"

enum { RULE_FETCH, RULE_EVAL, RULE_OFF, RULE__COUNT };

struct fixture {
	struct bk_rule rules[RULE__COUNT];
	struct bk_ruleset set;
	struct bk_report report;
	struct bk_output_opts opts;
};

/*
 * Every test in the suite starts from a fresh fixture (the suite's init and
 * fini), built here; Criterion runs each test in its own process.
 */
extern struct fixture fx;

/* Rules, and a report with a fetch warning (line 1) and an eval error (4). */
void fixture_init(struct fixture *fix);
void fixture_release(struct fixture *fix);

/* Add a finding on `needle` (first occurrence) in one line of text. */
struct bk_finding *fixture_add(struct bk_report *r, const struct bk_rule *rule,
			       const char *path, uint32_t line,
			       const char *text, const char *needle,
			       const char *message);

/* Run a writer into memory; the caller frees the result. */
char *fixture_render(enum bk_format fmt, const struct fixture *fix,
		     const struct bk_report *r);

#endif
