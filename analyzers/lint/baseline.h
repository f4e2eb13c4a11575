/*
 * Baselines: findings already known, to be ignored. A finding's key is its
 * rule id, path and source line with whitespace collapsed, so a line that
 * moved still matches; each key carries a count, so a new copy of a known
 * line is still reported. The file is JSON ({"version": 1, "findings":
 * [{"rule", "path", "line", "count"}...]}), sorted, written atomically. A
 * path or line that is not UTF-8 also gets "path-hex" / "line-hex", its
 * bytes in hex, which loading prefers.
 */
#ifndef BK_BASELINE_H
#define BK_BASELINE_H

#include <stddef.h>
#include "base/err.h"
#include "base/report.h"

struct bk_baseline_entry {
	char *rule, *path, *line;   /* line normalised */
	size_t count;
};

struct bk_baseline {
	struct bk_baseline_entry *entries; /* sorted by (rule, path, line), unique */
	size_t nr, alloc;
};

/* Whitespace runs become one space, none at either end. malloc'd. */
char *bk_baseline_normalize(const char *line);

/* Load FILE into *out (initialised here). Bad file: BK_ECONFIG. */
int bk_baseline_load(struct bk_baseline *out, const char *path, struct bk_err *err);
/* The baseline of a report's findings. */
void bk_baseline_from_report(struct bk_baseline *out, const struct bk_report *r);
/* Write to path via a temporary file renamed into place. BK_EIO on failure. */
int bk_baseline_write(const struct bk_baseline *b, const char *path, struct bk_err *err);
/* Drop the findings b accounts for (each key at most count times). Consumes counts. */
void bk_baseline_filter(struct bk_baseline *b, struct bk_report *r);
void bk_baseline_release(struct bk_baseline *b);

#endif
