/*
 * Inline suppressions: a comment `bkgen-ignore: rule-id[, rule-id] -- reason`
 * on the line of a finding, or alone on the line before it.
 */
#ifndef BK_SUPPRESS_H
#define BK_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

struct bk_suppression {
	uint32_t line, col;       /* 0-based position of the marker */
	uint32_t last_line;       /* findings on line..last_line are covered */
	char **ids;
	int *used;
	size_t ids_nr;
};

struct bk_suppressions {
	struct bk_suppression *items;
	size_t nr, alloc;
};

/*
 * Find the markers in text. is_comment(offset) says whether a byte offset
 * lies in a comment (NULL: trust the text).
 */
void bk_suppress_scan(struct bk_suppressions *out, const char *text, size_t len,
		      int (*is_comment)(void *data, uint32_t offset), void *data);
/* Is a finding of rule_id at line suppressed? Marks the marker used. */
int bk_suppress_covers(struct bk_suppressions *s, uint32_t line, const char *rule_id);
void bk_suppress_release(struct bk_suppressions *s);

#endif
