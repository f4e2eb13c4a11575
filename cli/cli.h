/*
 * Commands as descriptors. Each cli/cmd-*.c defines one const struct
 * bk_cmd: its name, help texts, option table, what it needs set up, and
 * its run function. main.c lists them, parses the options, does the setup
 * the flags ask for into a struct bk_cli, runs the command, prints its
 * error if it returned one, releases what it set up, and checks that
 * stdout flushed.
 */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdio.h>
#include "opt.h"
#include "output.h"
#include "base/config.h"
#include "base/report.h"
#include "base/rule.h"

enum bk_cmd_flag {
	/* Works, but stays out of listings, suggestions and completion. */
	BK_CMD_HIDDEN = 1 << 0,
	/* cli->cfg: --config FILE, --no-config, or the nearest .bkgen.yml. */
	BK_CMD_CONFIG = 1 << 1,
	/* cli->rules: the lint rules (built-in, rule-dirs, --rules, overrides, --only); implies CONFIG. */
	BK_CMD_RULES = 1 << 2,
	/* Writes findings: cli->format (--format), cli->fail_on (--fail-on, the config's, warning). */
	BK_CMD_REPORT = 1 << 3,
};

struct bk_cli;

struct bk_cmd {
	const char *name;
	const char *usage;        /* after "bkgen NAME " */
	const char *summary;      /* one line, for `bkgen help` */
	const char *description;  /* a paragraph, for `bkgen NAME --help` */
	const struct bk_opt *const *opts;  /* NULL-ended; has bk_opt_help */
	unsigned flags;           /* enum bk_cmd_flag */
	/*
	 * Runs once the flags' setup is done. Returns the exit status, or a
	 * negative bk_code with err set, which main prints.
	 */
	int (*run)(struct bk_cli *cli, struct bk_err *err);
};

/* What main set up for a run; main releases all of it afterwards. */
struct bk_cli {
	const struct bk_cmd *cmd;
	struct bk_args args;
	struct bk_config cfg;      /* BK_CMD_CONFIG; else empty, fail_on -1 */
	struct bk_ruleset rules;   /* BK_CMD_RULES; a command may fill it itself */
	struct bk_report report;   /* for the command to fill */
	enum bk_format format;     /* BK_CMD_REPORT */
	int fail_on;               /* BK_CMD_REPORT: a bk_severity or BK_FAIL_NONE */
};

extern const struct bk_cmd bk_cmd_check;
extern const struct bk_cmd bk_cmd_rules;
extern const struct bk_cmd bk_cmd_new;
extern const struct bk_cmd bk_cmd_explain;
extern const struct bk_cmd bk_cmd_probe;
extern const struct bk_cmd bk_cmd_hook;
extern const struct bk_cmd bk_cmd_help;
extern const struct bk_cmd bk_cmd_version;
extern const struct bk_cmd bk_cmd_complete;

/* Every command, in the order `bkgen help` lists them; NULL-ended. */
extern const struct bk_cmd *const bk_commands[];
/* Options given before the command: --version, --help; NULL-ended. */
extern const struct bk_opt *const bk_global_opts[];

const struct bk_cmd *bk_command_find(const char *name);
/* "unknown command", with the closest visible name; returns BK_EUSAGE. */
int bk_cli_unknown_command(const char *name, struct bk_err *err);
/* "usage: bkgen [--version] ..." and the visible commands with summaries. */
void bk_cli_list_commands(FILE *out);
void bk_cli_usage(FILE *out, const struct bk_cmd *cmd);
/* Usage, description and options: `bkgen NAME --help`. */
void bk_cli_help(FILE *out, const struct bk_cmd *cmd);

/*
 * Every "bkgen: LEVEL: ..." line on stderr is printed by bk_cli_msg, so
 * they all have one shape: lowercase, no trailing period.
 */
enum bk_msg_level { BK_MSG_ERROR, BK_MSG_WARNING, BK_MSG_NOTE, BK_MSG_HINT };
void bk_cli_msg(enum bk_msg_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print err as an error; returns the exit status for its code (2 or 3). */
int bk_cli_fail(const struct bk_err *err);
/* The usage line on stderr, then err set like bk_err_set; returns BK_EUSAGE. */
int bk_cli_usage_error(const struct bk_cli *cli, struct bk_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
