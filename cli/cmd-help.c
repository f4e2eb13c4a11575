/*
 * bkgen help [COMMAND]: the command list, or one command's usage and
 * options (the same text as `bkgen COMMAND --help`).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

const struct bk_opt bk_help_opts[] = {
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

int bk_cmd_help(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct bk_args args;
	int rc = bk_cli_parse(cmd, &args, argc, argv);
	if (rc >= 0)
		goto out;
	if (!args.pos_nr) {
		printf("usage: bkgen [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
		for (const struct bk_cmd *c = bk_commands; c->name; c++)
			if (!bk_cmd_is_hidden(c))
				printf("  %-10s %s\n", c->name, c->summary);
		rc = 0;
		goto out;
	}
	const struct bk_cmd *target = bk_command_find(args.pos[0]);
	if (!target) {
		rc = bk_cli_unknown_command(args.pos[0]);
		goto out;
	}
	char *help_argv[] = { (char *)target->name, (char *)"--help", NULL };
	rc = target->run(target, 2, help_argv);
out:
	bk_args_release(&args);
	return rc;
}
