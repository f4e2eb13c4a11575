#ifndef BK_SETUP_H
#define BK_SETUP_H

#include <stdio.h>
#include "cli.h"
#include "opt.h"
#include "output.h"
#include "base/config.h"
#include "base/rule.h"
#include "base/walk.h"

/*
 * The option rows that several commands have, defined once. The code
 * below reads them by these rows, so a command that has the option has
 * this row in its table, not a copy.
 */
extern const struct bk_opt bk_opt_help;
extern const struct bk_opt bk_opt_format;       /* text, json, sarif, github */
extern const struct bk_opt bk_opt_output;
extern const struct bk_opt bk_opt_fail_on;
extern const struct bk_opt bk_opt_config;
extern const struct bk_opt bk_opt_no_config;
extern const struct bk_opt bk_opt_rules;        /* rule directories */
extern const struct bk_opt bk_opt_no_builtin;
extern const struct bk_opt bk_opt_only_rule;    /* --only RULE */
extern const struct bk_opt bk_opt_include;
extern const struct bk_opt bk_opt_exclude;
extern const struct bk_opt bk_opt_no_ignore;
extern const struct bk_opt bk_opt_color;
extern const struct bk_opt bk_opt_no_source;
extern const struct bk_opt bk_opt_show_fixes;
extern const struct bk_opt bk_opt_stats;
extern const struct bk_opt bk_opt_verbose;      /* skipped files on stderr */

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
void bk_cli_glob_lists(const struct bk_args *args, const struct bk_opt *opt, char **cfg,
		       size_t cfg_nr, const char ***out, size_t *nr);
/* Drop the files the config's globs (relative to the config) exclude. */
void bk_cli_filter_by_config(struct bk_file_list *files, const struct bk_config *cfg);

/*
 * --NAME SECONDS (> 0, at most max_s, fractions allowed) into *ms; *ms is
 * left alone when the option is absent.
 */
int bk_cli_seconds(long *ms, const struct bk_args *args, const struct bk_opt *opt,
		   double max_s, struct bk_err *err);
/* --NAME N, a whole number from min to max, into *n; left alone when absent. */
int bk_cli_number(long *n, const struct bk_args *args, const struct bk_opt *opt,
		  long min, long max, struct bk_err *err);

/* --color auto|always|never (auto: out is a terminal and NO_COLOR unset). */
int bk_cli_use_color(const struct bk_args *args, FILE *out);
/*
 * Write cli->report (its rules: cli->rules) in cli->format to stdout, or
 * to --output FILE (base/outfile.h: a regular file is replaced atomically,
 * a FIFO or device written through).
 */
int bk_cli_write_report(const struct bk_cli *cli, struct bk_err *err);
/* --fail-on, else the config's fail-on, else warning. */
int bk_cli_fail_on(const struct bk_args *args, const struct bk_config *cfg);
/* 1 when a finding is at or above fail_on, else 0. */
int bk_cli_findings_status(const struct bk_report *r, int fail_on);

#endif
