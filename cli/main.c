/*
 * bkgen: the command table and global flags. Each command lives in its own
 * cmd-<name>.c; main finds it, runs it, and checks that stdout flushed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "base/suggest.h"
#include "base/util.h"

static const struct bk_opt no_opts[] = {
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const struct bk_cmd bk_commands[] = {
	{ "check", bk_cmd_check, bk_check_opts, "[options] [PATH...]",
	  "lint code against the rules (text, json, sarif, github)",
	  "Checks the files under each PATH (default: the current directory) against the\n"
	  "built-in rules and any rule directories, in C, JavaScript, TypeScript, TSX,\n"
	  "Python, Go, Rust, C# and SQL. Inside a git repository, files that git ignores\n"
	  "are skipped. Exit status: 0 nothing at or above --fail-on, 1 findings,\n"
	  "2 usage or configuration error, 3 runtime failure." },
	{ "rules", bk_cmd_rules, bk_rules_opts, "[list | show ID] [options]",
	  "the rule catalogue, with rationale and examples",
	  "Lists the rules (`bkgen rules list`), or shows one with its rationale, fix,\n"
	  "languages and examples (`bkgen rules show ID`)." },
	{ "new", bk_cmd_new, bk_new_opts, "NAME --lang LANG [options] | --list",
	  "start a project from a template",
	  "Creates the directory NAME (or --dir) from the template for LANG: a runnable\n"
	  "project whose source name is replaced by NAME in every case form, with the\n"
	  "option blocks the answers select. Options are given with --set KEY=VALUE;\n"
	  "bkgen asks for missing required values only when stdin is a terminal. The\n"
	  "answers go to .bkgen/answers.yml, and unless --no-git the project is a git\n"
	  "repository whose first commit (also refs/bkgen/pristine) holds the render.\n"
	  "Exit status: 0 created, 2 usage, validation or template error (nothing\n"
	  "written), 3 runtime failure (nothing left behind)." },
	{ "explain", bk_cmd_explain, bk_explain_opts, "[options] [PATH...]",
	  "plan the SQL found in the code on PostgreSQL and judge the plans",
	  "Finds the SQL at query call sites (node-postgres, postgres.js, Drizzle, Knex,\n"
	  "Prisma, psycopg, SQLAlchemy, database/sql, pgx, sqlx, tokio-postgres, Dapper,\n"
	  "EF Core, Npgsql, libpq) and in .sql files under each PATH, and plans each\n"
	  "statement with EXPLAIN: on --db URL with its real statistics, or else on a\n"
	  "throwaway PostgreSQL with the project's migrations applied, where a filter\n"
	  "no index can serve is found whatever the table size. Plans are judged by\n"
	  "the plan rules (sequential scans of large tables, spills to disk, lossy\n"
	  "bitmaps, misestimates, unindexed foreign keys, ...). Everything runs in a\n"
	  "transaction that is rolled back; --analyze runs reads only, unless\n"
	  "--analyze-writes. Exit status: 0 nothing at or above --fail-on, 1 findings,\n"
	  "2 usage or configuration error, 3 plugin, database or connection failure." },
	{ "probe", bk_cmd_probe, bk_probe_opts, "URL [options] | --list",
	  "black-box conformance checks of a running service",
	  "Sends requests to the service at URL and checks that it keeps the API\n"
	  "contract: health endpoints, problem+json errors, request ids, Idempotency-Key\n"
	  "replay and conflict, cursor pagination, a slow-client timeout and the rate\n"
	  "limit. Failed checks are reported like `check` findings (--format). Pass a\n"
	  "token with --header 'Authorization: Bearer TOKEN'. Exit status: 0 every check\n"
	  "passed, 1 a check failed, 2 usage error, 3 the service could not be reached." },
	{ "hook", bk_cmd_hook, bk_hook_opts, "install [--force] | uninstall",
	  "install or remove the git pre-commit hook",
	  "Writes a pre-commit hook that runs `bkgen check --staged --new-only` into\n"
	  "the repository's hooks directory (core.hooksPath is honoured), or removes it.\n"
	  "A hook bkgen did not write is replaced only with --force, and never removed.\n"
	  "Exit status: 0 done, 2 usage error, not a repository or a foreign hook,\n"
	  "3 runtime failure." },
	{ "help", bk_cmd_help, bk_help_opts, "[COMMAND]",
	  "show help for bkgen or a command", "Shows help for bkgen or for one command." },
	{ "version", bk_cmd_version, no_opts, "", "print the version",
	  "Prints the bkgen version." },
	{ "__complete", bk_cmd_complete, bk_complete_opts, "[KIND...]", "dump the tables for shell completion",
	  "Prints the commands, options, rule ids and template languages, one per line,\n"
	  "for tools/gen-completions.py and the completion scripts." },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct bk_opt bk_global_opts[] = {
	{ "version", 'V', BK_OPT_FLAG, NULL, NULL, "print the version and exit" },
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "list the commands and exit" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

int bk_cmd_is_hidden(const struct bk_cmd *cmd)
{
	return !strncmp(cmd->name, "__", 2);
}

const struct bk_cmd *bk_command_find(const char *name)
{
	for (const struct bk_cmd *c = bk_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void bk_cli_usage(FILE *out, const struct bk_cmd *cmd)
{
	fprintf(out, "usage: bkgen %s %s\n", cmd->name, cmd->usage);
}

int bk_cli_parse(const struct bk_cmd *cmd, struct bk_args *args, int argc, char **argv)
{
	struct bk_err err = { 0 };
	if (bk_args_parse(args, cmd->opts, argc, argv, &err)) {
		bk_cli_usage(stderr, cmd);
		return bk_cli_fail(&err);
	}
	if (bk_args_flag(args, "help")) {
		bk_cli_usage(stdout, cmd);
		printf("\n%s\n\noptions:\n", cmd->description);
		bk_opts_help(stdout, cmd->opts);
		return 0;
	}
	return -1;
}

int bk_cmd_version(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct bk_args args;
	int rc = bk_cli_parse(cmd, &args, argc, argv);
	if (rc < 0) {
		printf("bkgen %s\n", BK_VERSION);
		rc = 0;
	}
	bk_args_release(&args);
	return rc;
}

static void main_usage(FILE *out)
{
	fprintf(out, "usage: bkgen [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct bk_cmd *c = bk_commands; c->name; c++)
		if (!bk_cmd_is_hidden(c))
			fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\noptions:\n");
	bk_opts_help(out, bk_global_opts);
	fprintf(out, "\nSee 'bkgen help COMMAND' for the options of a command.\n");
}

int bk_cli_unknown_command(const char *name)
{
	struct bk_err err = { 0 };
	struct bk_suggest s;

	bk_suggest_init(&s, name);
	for (const struct bk_cmd *c = bk_commands; c->name; c++)
		if (!bk_cmd_is_hidden(c))
			bk_suggest_add(&s, c->name);
	bk_err_suggest(&err, BK_EUSAGE, &s, "see 'bkgen help'", "unknown command '%s'", name);
	return bk_cli_fail(&err);
}

/* Which global option arg is ("version", "help"), or NULL. */
static const char *global_option(const char *arg)
{
	for (const struct bk_opt *o = bk_global_opts; o->name; o++)
		if ((arg[1] == '-' && !strcmp(arg + 2, o->name)) ||
		    (o->short_name && arg[1] == o->short_name && !arg[2]))
			return o->name;
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
	const char *global;

	if (argc < 2) {
		main_usage(stderr);
		return 2;
	}
	global = argv[1][0] == '-' ? global_option(argv[1]) : NULL;
	if (global && !strcmp(global, "version"))
		return finish(bk_cmd_version(bk_command_find("version"), 1, argv + 1));
	if (global && !strcmp(global, "help")) {
		main_usage(stdout);
		return finish(0);
	}
	if (argv[1][0] == '-') {
		bk_cli_msg(BK_MSG_ERROR, "unknown option '%s' (expected a command first; see 'bkgen help')",
			   argv[1]);
		return 2;
	}
	if (!(cmd = bk_command_find(argv[1])))
		return bk_cli_unknown_command(argv[1]);
	return finish(cmd->run(cmd, argc - 1, argv + 1));
}
