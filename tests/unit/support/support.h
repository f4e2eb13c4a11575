/* Helpers shared by the unit tests. */
#ifndef BK_TEST_SUPPORT_H
#define BK_TEST_SUPPORT_H

#include <stddef.h>
#include "lint/engine.h"
#include "base/report.h"
#include "base/rule.h"

/* The source tree (BKGEN_SRCDIR, set by make test), or ".". */
const char *t_srcdir(void);

/* The built-in rules and an engine for all languages; process-wide. */
const struct bk_ruleset *t_builtin_rules(void);
struct bk_engine *t_builtin_engine(void);
/* Engines that run the rules one way only (not prepared: lazy). */
struct bk_engine *t_builtin_engine_mode(enum bk_engine_mode mode);

/* Check text as if it were a file at path; findings into out. */
void t_check_text(struct bk_engine *e, const char *path, const char *text,
		  struct bk_report *out);

/* A temporary directory (removed by t_rmtree). */
char *t_tmpdir(void);
void t_write(const char *dir, const char *rel, const char *text);
void t_rmtree(const char *dir);

#endif
