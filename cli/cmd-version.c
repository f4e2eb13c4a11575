/* bkgen version (also `bkgen --version`): print the version. */
#include <stdio.h>
#include "cli.h"
#include "setup.h"

static const struct bk_opt *const version_opts[] = { &bk_opt_help, NULL };

static int version_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_version = {
	.name = "version",
	.usage = "",
	.summary = "print the version",
	.description = "Prints the bkgen version.",
	.opts = version_opts,
	.run = version_run,
};

static int version_run(struct bk_cli *cli, struct bk_err *err)
{
	printf("bkgen %s\n", BK_VERSION);
	return 0;
}
