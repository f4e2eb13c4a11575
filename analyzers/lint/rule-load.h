/*
 * Loading rules: one YAML file per rule, validated up front (every error
 * names file:line:col); the rules compiled into the binary; rule
 * directories given by --rules or the config.
 */
#ifndef BK_RULE_LOAD_H
#define BK_RULE_LOAD_H

#include <stddef.h>
#include "base/err.h"
#include "base/rule.h"

/* Parse one rule from YAML text; path is used in messages. */
int bk_rule_parse(struct bk_rule *out, const char *path,
		  const char *text, size_t len, struct bk_err *err);

/* Add the rules compiled into the binary. */
int bk_ruleset_add_builtin(struct bk_ruleset *set, struct bk_err *err);
/* Add every *.yml / *.yaml file in dir (not recursive, sorted by name). */
int bk_ruleset_add_dir(struct bk_ruleset *set, const char *dir,
		       struct bk_err *err);
int bk_ruleset_add_text(struct bk_ruleset *set, const char *path,
			const char *text, size_t len, struct bk_err *err);

#endif
