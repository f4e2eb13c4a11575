/* The command table and what commands share. */
#ifndef BK_CLI_H
#define BK_CLI_H

#include <stdio.h>
#include "opt.h"

struct bk_cmd {
	const char *name;
	int (*run)(const struct bk_cmd *cmd, int argc, char **argv);
	const struct bk_opt *opts;
	const char *usage;        /* after "bkgen NAME " */
	const char *summary;      /* one line, for `bkgen help` */
	const char *description;  /* a paragraph, for `bkgen NAME --help` */
};

extern const struct bk_cmd bk_commands[];
const struct bk_cmd *bk_command_find(const char *name);

/*
 * Every "bkgen: LEVEL: ..." line on stderr is printed by bk_cli_msg, so
 * they all have one shape: lowercase, no trailing period.
 */
enum bk_msg_level { BK_MSG_ERROR, BK_MSG_WARNING, BK_MSG_NOTE, BK_MSG_HINT };
void bk_cli_msg(enum bk_msg_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print err as an error; returns the exit status for its code (2 or 3). */
int bk_cli_fail(const struct bk_err *err);
/* Parse args for cmd; handles --help. Returns -1 to continue, else exit status. */
int bk_cli_parse(const struct bk_cmd *cmd, struct bk_args *args, int argc, char **argv);
void bk_cli_usage(FILE *out, const struct bk_cmd *cmd);
/* "unknown command" with the closest name; returns 2. */
int bk_cli_unknown_command(const char *name);

int bk_cmd_check(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_rules(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_new(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_help(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_version(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_complete(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_hook(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_probe(const struct bk_cmd *cmd, int argc, char **argv);
int bk_cmd_explain(const struct bk_cmd *cmd, int argc, char **argv);

/* Commands named "__..." work but stay out of listings and suggestions. */
int bk_cmd_is_hidden(const struct bk_cmd *cmd);

extern const struct bk_opt bk_check_opts[];
extern const struct bk_opt bk_rules_opts[];
extern const struct bk_opt bk_new_opts[];
extern const struct bk_opt bk_help_opts[];
extern const struct bk_opt bk_complete_opts[];
extern const struct bk_opt bk_hook_opts[];
extern const struct bk_opt bk_probe_opts[];
extern const struct bk_opt bk_explain_opts[];
/* Options given before the command: --version, --help. */
extern const struct bk_opt bk_global_opts[];

#endif
