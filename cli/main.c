/*
 * bkgen: the command list and the global flags. Each command is a
 * descriptor in its own cmd-<name>.c; main finds it, parses its options,
 * sets up what its flags ask for (configuration, rules, report format),
 * runs it, prints the error it returns, and checks that stdout flushed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "setup.h"
#include "base/suggest.h"
#include "base/util.h"

const struct bk_cmd *const bk_commands[] = {
	&bk_cmd_check, &bk_cmd_rules, &bk_cmd_new, &bk_cmd_explain, &bk_cmd_probe,
	&bk_cmd_hook, &bk_cmd_help, &bk_cmd_version, &bk_cmd_complete, NULL,
};

static const struct bk_opt global_version =
	{ "version", 'V', BK_OPT_FLAG, NULL, NULL, "print the version and exit" };
static const struct bk_opt global_help =
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "list the commands and exit" };

const struct bk_opt *const bk_global_opts[] = { &global_version, &global_help, NULL };

const struct bk_cmd *bk_command_find(const char *name)
{
	for (size_t i = 0; bk_commands[i]; i++)
		if (!strcmp(bk_commands[i]->name, name))
			return bk_commands[i];
	return NULL;
}

int bk_cli_unknown_command(const char *name, struct bk_err *err)
{
	struct bk_suggest s;

	bk_suggest_init(&s, name);
	for (size_t i = 0; bk_commands[i]; i++)
		if (!(bk_commands[i]->flags & BK_CMD_HIDDEN))
			bk_suggest_add(&s, bk_commands[i]->name);
	return bk_err_suggest(err, BK_EUSAGE, &s, "see 'bkgen help'", "unknown command '%s'", name);
}

void bk_cli_list_commands(FILE *out)
{
	fprintf(out, "usage: bkgen [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; bk_commands[i]; i++)
		if (!(bk_commands[i]->flags & BK_CMD_HIDDEN))
			fprintf(out, "  %-10s %s\n", bk_commands[i]->name, bk_commands[i]->summary);
}

void bk_cli_usage(FILE *out, const struct bk_cmd *cmd)
{
	fprintf(out, "usage: bkgen %s %s\n", cmd->name, cmd->usage);
}

void bk_cli_help(FILE *out, const struct bk_cmd *cmd)
{
	bk_cli_usage(out, cmd);
	fprintf(out, "\n%s\n\noptions:\n", cmd->description);
	bk_opts_help(out, cmd->opts);
}

static void main_usage(FILE *out)
{
	bk_cli_list_commands(out);
	fprintf(out, "\noptions:\n");
	bk_opts_help(out, bk_global_opts);
	fprintf(out, "\nSee 'bkgen help COMMAND' for the options of a command.\n");
}

/* The setup the command's flags ask for, into cli. */
static int setup(struct bk_cli *cli, struct bk_err *err)
{
	unsigned flags = cli->cmd->flags;
	const char *v;
	int rc;

	if ((flags & (BK_CMD_CONFIG | BK_CMD_RULES)) &&
	    (rc = bk_cli_load_config(&cli->cfg, &cli->args, err)))
		return rc;
	if ((flags & BK_CMD_RULES) &&
	    (rc = bk_cli_load_rules(&cli->rules, &cli->cfg, &cli->args, err)))
		return rc;
	if (flags & BK_CMD_REPORT) {
		/* The table's choices have validated the value already. */
		if ((v = bk_args_value(&cli->args, &bk_opt_format)))
			bk_format_parse(&cli->format, v);
		cli->fail_on = bk_cli_fail_on(&cli->args, &cli->cfg);
	}
	return 0;
}

static int run_command(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct bk_cli cli = { .cmd = cmd, .format = BK_FMT_TEXT };
	struct bk_err err = { 0 };
	int rc;

	cli.cfg.fail_on = -1;
	if (bk_args_parse(&cli.args, cmd->opts, argc, argv, &err)) {
		bk_cli_usage(stderr, cmd);
		rc = err.code;
	} else if (bk_args_flag(&cli.args, &bk_opt_help)) {
		bk_cli_help(stdout, cmd);
		rc = 0;
	} else if (!(rc = setup(&cli, &err))) {
		rc = cmd->run(&cli, &err);
	}
	if (rc < 0)
		rc = bk_cli_fail(&err);
	bk_report_release(&cli.report);
	bk_ruleset_release(&cli.rules);
	bk_config_release(&cli.cfg);
	bk_args_release(&cli.args);
	return rc;
}

/* Which global option arg is, or NULL. */
static const struct bk_opt *global_option(const char *arg)
{
	for (size_t i = 0; bk_global_opts[i]; i++) {
		const struct bk_opt *o = bk_global_opts[i];
		if ((arg[1] == '-' && !strcmp(arg + 2, o->name)) ||
		    (o->short_name && arg[1] == o->short_name && !arg[2]))
			return o;
	}
	return NULL;
}

static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		if (errno != EPIPE)
			bk_cli_msg(BK_MSG_ERROR, "cannot write output: %s", strerror(errno));
		return 3;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct bk_cmd *cmd;
	const struct bk_opt *global;
	struct bk_err err = { 0 };

	if (argc < 2) {
		main_usage(stderr);
		return 2;
	}
	global = argv[1][0] == '-' ? global_option(argv[1]) : NULL;
	if (global == &global_version) {
		char *version_argv[] = { (char *)bk_cmd_version.name, NULL };
		return finish(run_command(&bk_cmd_version, 1, version_argv));
	}
	if (global == &global_help) {
		main_usage(stdout);
		return finish(0);
	}
	if (argv[1][0] == '-') {
		bk_err_set(&err, BK_EUSAGE, "unknown option '%s' (expected a command first; see 'bkgen help')",
			   argv[1]);
		return bk_cli_fail(&err);
	}
	if (!(cmd = bk_command_find(argv[1]))) {
		bk_cli_unknown_command(argv[1], &err);
		return bk_cli_fail(&err);
	}
	return finish(run_command(cmd, argc - 1, argv + 1));
}
