/*
 * What check and rules both need before they run: the configuration and
 * the rule set (built-in rules, config rule-dirs, --rules, overrides).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "setup.h"
#include "../analyzers/util.h"

int bk_cli_load_config(struct bk_config *cfg, const struct bk_args *args,
		       struct bk_err *err)
{
	const char *path = bk_args_value(args, "config");
	char cwd[PATH_MAX];
	char *found = NULL;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->fail_on = -1;
	if (bk_args_flag(args, "no-config"))
		return 0;
	if (!path) {
		if (!getcwd(cwd, sizeof(cwd)))
			return 0;
		if (!(found = bk_config_find(cwd)))
			return 0;
		path = found;
	} else if (access(path, R_OK)) {
		return bk_err_set(err, BK_EUSAGE, "configuration file '%s' not found", path);
	}
	rc = bk_config_load(cfg, path, err);
	free(found);
	return rc;
}

static int only_rules(struct bk_ruleset *set, const struct bk_optval *only,
		      struct bk_err *err)
{
	for (size_t i = 0; i < only->list_nr; i++)
		if (!bk_ruleset_find(set, only->list[i]))
			return bk_err_set(err, BK_EUSAGE, "unknown rule '%s' in --only (see 'bkgen rules list')",
					  only->list[i]);
	for (size_t r = 0; r < set->nr; r++) {
		int keep = 0;
		for (size_t i = 0; i < only->list_nr; i++)
			keep |= !strcmp(set->rules[r].id, only->list[i]);
		set->rules[r].enabled = keep;
	}
	return 0;
}

int bk_cli_load_rules(struct bk_ruleset *set, const struct bk_config *cfg,
		      const struct bk_args *args, struct bk_err *err)
{
	const struct bk_optval *dirs = bk_args_get(args, "rules");
	const struct bk_optval *only = bk_args_get(args, "only");
	int rc;

	if (!bk_args_flag(args, "no-builtin") &&
	    (rc = bk_ruleset_add_builtin(set, err)))
		return rc;
	for (size_t i = 0; i < cfg->rule_dirs_nr; i++)
		if ((rc = bk_ruleset_add_dir(set, cfg->rule_dirs[i], err)))
			return rc;
	for (size_t i = 0; dirs && i < dirs->list_nr; i++)
		if ((rc = bk_ruleset_add_dir(set, dirs->list[i], err)))
			return rc;
	if ((rc = bk_config_apply(cfg, set, err)))
		return rc;
	if (only && only->set)
		return only_rules(set, only, err);
	return 0;
}
