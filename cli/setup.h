#ifndef BK_SETUP_H
#define BK_SETUP_H

#include <stdio.h>
#include "opt.h"
#include "output.h"
#include "../analyzers/config.h"
#include "../analyzers/rule.h"
#include "../analyzers/walk.h"

/* --config FILE, --no-config, or the nearest .bkgen.yml. */
int bk_cli_load_config(struct bk_config *cfg, const struct bk_args *args,
		       struct bk_err *err);
/* Built-in rules (unless --no-builtin), rule-dirs, --rules, overrides, --only. */
int bk_cli_load_rules(struct bk_ruleset *set, const struct bk_config *cfg,
		      const struct bk_args *args, struct bk_err *err);

/*
 * The files named on the command line (PATH arguments, none: "."),
 * walked with --include/--exclude/--no-ignore and the config's globs;
 * wanted (may be NULL) picks the files a command reads.
 */
int bk_cli_walk(struct bk_file_list *files, const struct bk_args *args,
		const struct bk_config *cfg, int (*wanted)(const char *path, void *data),
		void *wanted_data, struct bk_report *report, struct bk_err *err);
/* Are the config's globs relative to the cwd (no config, or it is here)? */
int bk_cli_config_here(const struct bk_config *cfg);
/* The config's globs (cfg, may be NULL) then the option's: a new NULL-ended array. */
void bk_cli_glob_lists(const struct bk_args *args, const char *name, char **cfg,
		       size_t cfg_nr, const char ***out, size_t *nr);
/* Drop the files the config's globs (relative to the config) exclude. */
void bk_cli_filter_by_config(struct bk_file_list *files, const struct bk_config *cfg);

/*
 * --NAME SECONDS (> 0, at most max_s, fractions allowed) into *ms; *ms is
 * left alone when the option is absent.
 */
int bk_cli_seconds(long *ms, const struct bk_args *args, const char *name, double max_s,
		   struct bk_err *err);

/* The values of --fail-on and --color, shared by the commands that report. */
extern const char *const bk_cli_fail_levels[];
extern const char *const bk_cli_color_modes[];

/* --color auto|always|never (auto: out is a terminal and NO_COLOR unset). */
int bk_cli_use_color(const struct bk_args *args, FILE *out);
/*
 * Write the report to stdout, or to --output FILE (outfile.h: a regular
 * file is replaced atomically, a FIFO or device written through).
 */
int bk_cli_write_report(const struct bk_args *args, enum bk_format fmt,
			const struct bk_report *r, const struct bk_ruleset *rules,
			const char *command, struct bk_err *err);
/* --fail-on, else the config's fail-on, else warning. */
int bk_cli_fail_on(const struct bk_args *args, const struct bk_config *cfg);
/* 1 when a finding is at or above fail_on, else 0. */
int bk_cli_findings_status(const struct bk_report *r, int fail_on);

#endif
