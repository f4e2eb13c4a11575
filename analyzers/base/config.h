/*
 * .bkgen.yml: found by walking up from the working directory (or named by
 * --config). Unknown keys and bad values are errors with file:line:col.
 *
 *   include: [glob, ...]          only these files
 *   exclude: [glob, ...]          never these
 *   rules:                        per rule: off | on | error | warning | info
 *     sql-select-star: off        or { enabled: bool, severity: level,
 *                                      roles: [source, test, ...] | all,
 *                                      params: { name: [value, ...] } }
 *   fail-on: warning              error | warning | info | none
 *   rule-dirs: [dir, ...]         extra rule directories (relative to the file)
 *   max-file-size: 2MiB           bytes, or with KiB / MiB
 *   roles:                        code roles by glob, over bkgen's guess
 *     tools/loadgen/: source      source | test | seed | migration | vendored
 *                                 | generated | example | browser
 *   max-findings: 100000          findings reported per run (0: no limit)
 *   max-findings-per-file: 1000   findings reported per file (0: no limit)
 *   explain:                      for `bkgen explain`
 *     migrations: [path, ...]     files, directories or globs (relative to the file),
 *                                 applied in order to the throwaway database
 *     settings: [name=value, ...] planner settings for every EXPLAIN
 */
#ifndef BK_CONFIG_H
#define BK_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/role.h"
#include "base/rule.h"

#define BK_FAIL_NONE 3  /* fail-on: none */
/* Files larger than this are skipped unless max-file-size says otherwise. */
#define BK_DEFAULT_MAX_FILE_SIZE (2u * 1024 * 1024)

struct bk_rule_override {
	char *id;
	int enabled;              /* -1: unchanged */
	int severity;             /* -1: unchanged */
	unsigned roles;           /* BK_ROLE_BIT mask; 0: unchanged */
	struct bk_param *params;  /* values added to the rule's parameters */
	size_t params_nr;
	uint32_t *params_pos;     /* line, col of each parameter's name */
	uint32_t line, col;
};

struct bk_config {
	char *path;               /* NULL: no config file */
	char *dir;
	char *abs_dir;            /* realpath of dir: globs are relative to it */
	char **include, **exclude, **rule_dirs;
	size_t include_nr, exclude_nr, rule_dirs_nr;
	struct bk_rule_override *rules;
	size_t rules_nr;
	struct bk_role_glob {
		char *glob;
		enum bk_role role;
	} *roles;                 /* first match wins */
	size_t roles_nr;
	int fail_on;              /* -1 unset, else enum bk_severity or BK_FAIL_NONE */
	uint64_t max_file_size;   /* 0: unset */
	size_t max_findings;      /* 0: unset, SIZE_MAX: no limit */
	size_t max_findings_per_file; /* likewise */
	char **migrations;        /* explain.migrations, resolved against dir */
	size_t migrations_nr;
	char **settings;          /* explain.settings, "name=value" */
	size_t settings_nr;
};

/* Path of the nearest .bkgen.yml from dir upwards, or NULL. */
char *bk_config_find(const char *dir);
int bk_config_load(struct bk_config *out, const char *path, struct bk_err *err);
/*
 * Apply rule overrides; an unknown rule id is an error at its position,
 * unless known_elsewhere (may be NULL) says another command's rule set has
 * it (check's rules and explain's plan rules share the `rules:` map).
 */
int bk_config_apply(const struct bk_config *c, struct bk_ruleset *set,
		    int (*known_elsewhere)(const char *id), struct bk_err *err);
void bk_config_release(struct bk_config *c);

/*
 * Do the config's include/exclude globs drop this file? abs_path is the
 * file's absolute path; files outside the config's directory are kept.
 */
int bk_config_filters_out(const struct bk_config *c, const char *abs_path);

/*
 * The role the config's `roles:` globs give the file at abs_path, or -1
 * when none matches (bkgen's own classification then stands).
 */
int bk_config_role(const struct bk_config *c, const char *abs_path);

/* "2MiB", "512KiB", "1000" -> bytes; -1 if invalid. */
int bk_parse_size(uint64_t *out, const char *s);

#endif
