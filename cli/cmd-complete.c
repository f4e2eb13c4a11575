/*
 * bkgen __complete [KIND...]: the command and option tables, the rule ids
 * and the template languages, one per line, for the completion generator
 * (tools/gen-completions.py), the man page test (tests/e2e/docs.sh) and the
 * completion scripts, which ask for rule ids and languages as they
 * complete. Hidden: `bkgen help` does not list it.
 *
 *   command NAME<TAB>SUMMARY
 *   usage NAME<TAB>USAGE
 *   global --LONG<TAB>-S<TAB>KIND<TAB>ARG<TAB>CHOICES<TAB>HELP
 *   option CMD<TAB>--LONG<TAB>-S<TAB>KIND<TAB>ARG<TAB>CHOICES<TAB>HELP
 *   rule ID<TAB>TITLE
 *   lang NAME
 *
 * KIND is flag, value or list; -S, ARG and CHOICES (comma-separated) may be
 * empty. Given KINDs, only those lines are printed. Rules are the built-in
 * ones plus the rule-dirs of the nearest .bkgen.yml; a configuration that
 * does not load falls back to the built-in rules, because completing must
 * not fail. Languages are the templates on the search path of `bkgen new`.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "setup.h"
#include "lint/rule-load.h"
#include "base/suggest.h"
#include "template/template.h"

static const struct bk_opt *const complete_opts[] = { &bk_opt_help, NULL };

static int complete_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_complete = {
	.name = "__complete",
	.usage = "[KIND...]",
	.summary = "dump the tables for shell completion",
	.description =
	  "Prints the commands, options, rule ids and template languages, one per line,\n"
	  "for tools/gen-completions.py and the completion scripts.",
	.opts = complete_opts,
	.flags = BK_CMD_HIDDEN,
	.run = complete_run,
};

/* What a line describes; the names are also the arguments that select them. */
enum line_kind { K_COMMAND, K_USAGE, K_GLOBAL, K_OPTION, K_RULE, K_LANG, K__COUNT };

static const char *const line_kinds[] = { "command", "usage", "global", "option",
					  "rule", "lang", NULL };

/* One field: tabs and newlines would break the line format. */
static void field(const char *s)
{
	for (; s && *s; s++)
		putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

static void option_line(const struct bk_opt *o)
{
	static const char *const opt_kinds[] = { "flag", "value", "list" };

	printf("--%s\t", o->name);
	if (o->short_name)
		printf("-%c", o->short_name);
	printf("\t%s\t", opt_kinds[o->kind]);
	field(o->arg);
	putchar('\t');
	for (const char *const *c = o->choices; c && *c; c++) {
		if (c != o->choices)
			putchar(',');
		field(*c);
	}
	putchar('\t');
	field(o->help);
	putchar('\n');
}

static int has_option(const struct bk_opt *const *opts, const char *name)
{
	for (; *opts; opts++)
		if (!strcmp((*opts)->name, name))
			return 1;
	return 0;
}

static int listed(const struct bk_cmd *c)
{
	return !(c->flags & BK_CMD_HIDDEN);
}

static void print_tables(const int *want)
{
	for (size_t i = 0; want[K_COMMAND] && bk_commands[i]; i++)
		if (listed(bk_commands[i])) {
			printf("command %s\t", bk_commands[i]->name);
			field(bk_commands[i]->summary);
			putchar('\n');
		}
	for (size_t i = 0; want[K_USAGE] && bk_commands[i]; i++)
		if (listed(bk_commands[i])) {
			printf("usage %s\t", bk_commands[i]->name);
			field(bk_commands[i]->usage);
			putchar('\n');
		}
	for (size_t k = 0; want[K_GLOBAL] && bk_global_opts[k]; k++) {
		fputs("global ", stdout);
		option_line(bk_global_opts[k]);
	}
	for (size_t i = 0; want[K_OPTION] && bk_commands[i]; i++)
		for (size_t k = 0; listed(bk_commands[i]) && bk_commands[i]->opts[k]; k++) {
			printf("option %s\t", bk_commands[i]->name);
			option_line(bk_commands[i]->opts[k]);
		}
}

static void print_rules(const struct bk_args *args)
{
	struct bk_config cfg = { 0 };
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };

	if (bk_cli_load_config(&cfg, args, &err) ||
	    bk_cli_load_rules(&set, &cfg, args, &err)) {
		bk_ruleset_release(&set);
		memset(&set, 0, sizeof(set));
		bk_ruleset_add_builtin(&set, &err);
	}
	for (size_t i = 0; i < set.nr; i++) {
		printf("rule %s\t", set.rules[i].id);
		field(set.rules[i].title);
		putchar('\n');
	}
	bk_ruleset_release(&set);
	bk_config_release(&cfg);
}

/* Template names, if some command takes --lang (only `new` does). */
static void print_langs(void)
{
	struct bk_tpath path;
	struct bk_tlist list;
	int wanted = 0;

	for (size_t i = 0; bk_commands[i]; i++)
		wanted |= listed(bk_commands[i]) && has_option(bk_commands[i]->opts, "lang");
	if (!wanted)
		return;
	bk_tpath_init(&path, NULL);
	bk_tpath_list(&list, &path);
	for (size_t i = 0; i < list.nr; i++)
		printf("lang %s\n", list.langs[i]);
	bk_tlist_release(&list);
	bk_tpath_release(&path);
}

static int complete_run(struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_args *args = &cli->args;
	int want[K__COUNT] = { 0 };

	for (size_t i = 0; i < args->pos_nr; i++) {
		size_t k = 0;
		while (line_kinds[k] && strcmp(line_kinds[k], args->pos[i]))
			k++;
		if (!line_kinds[k]) {
			struct bk_suggest s;
			bk_suggest_init(&s, args->pos[i]);
			bk_suggest_add_all(&s, line_kinds);
			return bk_err_suggest(err, BK_EUSAGE, &s,
					      "expected command, usage, global, option, rule or lang",
					      "unknown kind '%s' for '__complete'", args->pos[i]);
		}
		want[k] = 1;
	}
	for (size_t k = 0; !args->pos_nr && k < K__COUNT; k++)
		want[k] = 1;
	print_tables(want);
	if (want[K_RULE])
		print_rules(args);
	if (want[K_LANG])
		print_langs();
	return 0;
}
