#ifndef BK_SETUP_H
#define BK_SETUP_H

#include "opt.h"
#include "../analyzers/config.h"
#include "../analyzers/rule.h"

/* --config FILE, --no-config, or the nearest .bkgen.yml. */
int bk_cli_load_config(struct bk_config *cfg, const struct bk_args *args,
		       struct bk_err *err);
/* Built-in rules (unless --no-builtin), rule-dirs, --rules, overrides, --only. */
int bk_cli_load_rules(struct bk_ruleset *set, const struct bk_config *cfg,
		      const struct bk_args *args, struct bk_err *err);

#endif
