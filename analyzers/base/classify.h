/*
 * Classifying a file by its path and content, before any rule runs.
 */
#ifndef BK_CLASSIFY_H
#define BK_CLASSIFY_H

#include <stddef.h>
#include "base/report.h"

/*
 * Is this content to be skipped, and why? Returns 1 and sets *reason and
 * *detail (malloc'd, may be NULL) for a skip.
 */
int bk_classify_skip(const char *path, const char *text, size_t len,
		     enum bk_skip_reason *reason, char **detail);

#endif
