/*
 * Classifying a file by its path and content, before any rule runs.
 */
#ifndef BK_CLASSIFY_H
#define BK_CLASSIFY_H

#include <stddef.h>
#include "base/report.h"
#include "base/role.h"

/*
 * Old Mac OS line endings: every CR not followed by LF becomes LF, in
 * place, so that lines (tree-sitter's rows, suppressions, the source line
 * shown) are counted as the author sees them; no byte moves. Call it
 * before bk_classify_skip.
 */
void bk_classify_lone_cr(char *text, size_t len);

/*
 * Is this content to be skipped, and why (binary, invalid UTF-8,
 * minified)? Returns 1 and sets *reason and *detail (malloc'd, may be
 * NULL) for a skip.
 */
int bk_classify_skip(const char *path, const char *text, size_t len,
		     enum bk_skip_reason *reason, char **detail);

/*
 * The role of a file from its path (directory and file names: tests,
 * seeds and fixtures, migrations, vendored and generated code, examples)
 * and, when text is not NULL, from its first lines (generator banners,
 * library license banners). path is relative to where the run started.
 */
enum bk_role bk_classify_role(const char *path, const char *text, size_t len);

#endif
