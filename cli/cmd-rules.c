/*
 * bkgen rules [list | show ID]: the rule catalogue. `list` prints one line
 * per rule (or JSON with --format json); `show` prints a rule's title,
 * severity, rationale, fix, languages and its bad and good examples.
 * The catalogue holds check's rules and, unless --no-builtin, the plan
 * rules of `bkgen explain` (languages: "explain").
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "setup.h"
#include "explain/explain.h"
#include "base/lang.h"
#include "base/suggest.h"
#include "base/util.h"

static const char *const list_formats[] = { "text", "json", NULL };

/* Not bk_opt_format: the catalogue is text or json, not a report. */
static const struct bk_opt opt_list_format =
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", list_formats, "output format" };

static const struct bk_opt *const rules_opts[] = {
	&opt_list_format, &bk_opt_rules, &bk_opt_no_builtin, &bk_opt_config,
	&bk_opt_no_config, &bk_opt_help, NULL,
};

static int rules_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_rules = {
	.name = "rules",
	.usage = "[list | show ID] [options]",
	.summary = "the rule catalogue, with rationale and examples",
	.description =
	  "Lists the rules (`bkgen rules list`), or shows one with its rationale, fix,\n"
	  "languages and examples (`bkgen rules show ID`).",
	.opts = rules_opts,
	.flags = BK_CMD_RULES,
	.run = rules_run,
};

static int is_explain_rule(const struct bk_rule *r)
{
	return r->path && !strcmp(r->path, "builtin:explain");
}

static void lang_list(struct bk_buf *b, const struct bk_rule *r)
{
	if (is_explain_rule(r))
		bk_buf_puts(b, "explain (PostgreSQL plans)");
	for (size_t i = 0; i < r->langs_nr; i++)
		bk_buf_printf(b, "%s%s", i ? ", " : "", bk_langs[r->langs[i].lang].name);
}

static json_t *rule_json(const struct bk_rule *r)
{
	json_t *langs = json_array();
	if (is_explain_rule(r))
		json_array_append_new(langs, json_string("explain"));
	for (size_t i = 0; i < r->langs_nr; i++)
		json_array_append_new(langs, json_string(bk_langs[r->langs[i].lang].name));
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:s*, s:o}",
			 "id", r->id, "title", r->title,
			 "severity", bk_severity_name(r->severity),
			 "category", r->category, "enabled", r->enabled,
			 "rationale", r->rationale, "fix", r->fix, "docs", r->docs,
			 "threshold", r->threshold, "languages", langs);
}

static int list_rules(const struct bk_ruleset *set, int json)
{
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < set->nr; i++)
			json_array_append_new(arr, rule_json(&set->rules[i]));
		json_t *doc = json_pack("{s:i, s:o}", "version", 1, "rules", arr);
		int rc = json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
		return rc ? 3 : 0;
	}
	for (size_t i = 0; i < set->nr; i++) {
		const struct bk_rule *r = &set->rules[i];
		struct bk_buf langs = BK_BUF_INIT;
		lang_list(&langs, r);
		printf("%-22s %-8s %-12s %s%s\n    %s\n", r->id, bk_severity_name(r->severity),
		       r->category, r->title, r->enabled ? "" : " (disabled)", langs.ptr);
		bk_buf_release(&langs);
	}
	return 0;
}

static void print_block(const char *label, const char *text)
{
	printf("%s:\n", label);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		printf("  %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

static void print_examples(const struct bk_rule *r, int bad)
{
	for (size_t i = 0; i < r->examples_nr; i++) {
		const struct bk_example *e = &r->examples[i];
		if (e->bad != bad)
			continue;
		printf("  [%s]\n", bk_langs[e->lang].name);
		for (const char *p = e->code; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			printf("    %.*s\n", (int)n, p);
			p += n + (nl ? 1 : 0);
		}
	}
}

static int show_rule(const struct bk_ruleset *set, const char *id, int json, struct bk_err *err)
{
	const struct bk_rule *r = bk_ruleset_find(set, id);
	struct bk_buf langs = BK_BUF_INIT;

	if (!r) {
		struct bk_suggest s;
		bk_suggest_init(&s, id);
		for (size_t i = 0; i < set->nr; i++)
			bk_suggest_add(&s, set->rules[i].id);
		return bk_err_suggest(err, BK_EUSAGE, &s, "see 'bkgen rules list'", "unknown rule '%s'", id);
	}
	if (json) {
		json_t *doc = rule_json(r);
		int rc = json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
		return rc ? 3 : 0;
	}
	lang_list(&langs, r);
	printf("%s: %s\n\nseverity: %s\ncategory: %s\nlanguages: %s\n", r->id, r->title,
	       bk_severity_name(r->severity), r->category, langs.ptr);
	if (r->docs)
		printf("docs: %s\n", r->docs);
	if (!r->enabled)
		printf("enabled: no (turn it on with 'rules: { %s: on }' in .bkgen.yml, "
		       "or run 'bkgen check --only %s')\n", r->id, r->id);
	putchar('\n');
	print_block("why", r->rationale);
	print_block("fix", r->fix);
	if (r->examples_nr) {
		printf("bad:\n");
		print_examples(r, 1);
		printf("good:\n");
		print_examples(r, 0);
	}
	bk_buf_release(&langs);
	return 0;
}

static int any_id(const char *id)
{
	return 1;
}

/* explain's rules, with the config's overrides (check's were applied already). */
static int add_explain_rules(struct bk_cli *cli, struct bk_err *err)
{
	if (bk_args_flag(&cli->args, &bk_opt_no_builtin))
		return 0;
	bk_explain_ruleset(&cli->rules);
	return bk_config_apply(&cli->cfg, &cli->rules, any_id, err);
}

static int rules_run(struct bk_cli *cli, struct bk_err *err)
{
	const struct bk_args *args = &cli->args;
	const char *fmt = bk_args_value(args, &opt_list_format);
	const char *sub = args->pos_nr ? args->pos[0] : "list";
	int json = fmt && !strcmp(fmt, "json");
	int rc;

	if (strcmp(sub, "list") && strcmp(sub, "show"))
		return bk_err_set(err, BK_EUSAGE, "unknown subcommand 'rules %s' (expected list or show)", sub);
	if (!strcmp(sub, "show") && args->pos_nr != 2)
		return bk_err_set(err, BK_EUSAGE, "'rules show' takes one rule id");
	if ((rc = add_explain_rules(cli, err)))
		return rc;
	return !strcmp(sub, "list") ? list_rules(&cli->rules, json)
				    : show_rule(&cli->rules, args->pos[1], json, err);
}
