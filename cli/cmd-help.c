/*
 * bkgen help [COMMAND]: the command list, or one command's usage and
 * options (the same text as `bkgen COMMAND --help`).
 */
#include <stdio.h>
#include "cli.h"
#include "setup.h"

static const struct bk_opt *const help_opts[] = { &bk_opt_help, NULL };

static int help_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_help = {
	.name = "help",
	.usage = "[COMMAND]",
	.summary = "show help for bkgen or a command",
	.description = "Shows help for bkgen or for one command.",
	.opts = help_opts,
	.run = help_run,
};

static int help_run(struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_cmd *target;

	if (!cli->args.pos_nr) {
		bk_cli_list_commands(stdout);
		return 0;
	}
	if (!(target = bk_command_find(cli->args.pos[0])))
		return bk_cli_unknown_command(cli->args.pos[0], err);
	bk_cli_help(stdout, target);
	return 0;
}
