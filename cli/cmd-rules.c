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
#include "base/util.h"

static const char *const list_formats[] = { "text", "json", NULL };

const struct bk_opt bk_rules_opts[] = {
	{ "format", 'f', BK_OPT_VALUE, "FORMAT", list_formats, "output format" },
	{ "rules", 0, BK_OPT_LIST, "DIR", NULL, "also load the rule files in DIR (repeatable)" },
	{ "no-builtin", 0, BK_OPT_FLAG, NULL, NULL, "do not load the built-in rules" },
	{ "config", 'c', BK_OPT_VALUE, "FILE", NULL, "use this configuration instead of the nearest .bkgen.yml" },
	{ "no-config", 0, BK_OPT_FLAG, NULL, NULL, "ignore any .bkgen.yml" },
	{ "help", 'h', BK_OPT_FLAG, NULL, NULL, "show this help" },
	{ NULL, 0, 0, NULL, NULL, NULL },
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
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:o}",
			 "id", r->id, "title", r->title,
			 "severity", bk_severity_name(r->severity),
			 "category", r->category, "enabled", r->enabled,
			 "rationale", r->rationale, "fix", r->fix, "docs", r->docs,
			 "languages", langs);
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

static int show_rule(const struct bk_ruleset *set, const char *id, int json)
{
	const struct bk_rule *r = bk_ruleset_find(set, id);
	struct bk_buf langs = BK_BUF_INIT;

	if (!r) {
		const char **ids = bk_xcalloc(set->nr + 1, sizeof(char *));
		for (size_t i = 0; i < set->nr; i++)
			ids[i] = set->rules[i].id;
		const char *near = bk_closest(id, ids);
		fprintf(stderr, "bkgen: error: unknown rule '%s'%s%s%s\n", id,
			near ? "; did you mean '" : " (see 'bkgen rules list')",
			near ? near : "", near ? "'?" : "");
		free(ids);
		return 2;
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
static int add_explain_rules(struct bk_ruleset *set, const struct bk_config *cfg,
			     const struct bk_args *args, struct bk_err *err)
{
	if (bk_args_flag(args, "no-builtin"))
		return 0;
	bk_explain_ruleset(set);
	return bk_config_apply(cfg, set, any_id, err);
}

int bk_cmd_rules(const struct bk_cmd *cmd, int argc, char **argv)
{
	struct bk_args args;
	struct bk_config cfg = { 0 };
	struct bk_ruleset set = { 0 };
	struct bk_err err = { 0 };
	int rc = bk_cli_parse(cmd, &args, argc, argv);
	const char *fmt, *sub;
	int json;

	if (rc >= 0)
		goto out;
	fmt = bk_args_value(&args, "format");
	json = fmt && !strcmp(fmt, "json");
	sub = args.pos_nr ? args.pos[0] : "list";
	if (strcmp(sub, "list") && strcmp(sub, "show")) {
		fprintf(stderr, "bkgen: error: unknown subcommand 'rules %s' (expected list or show)\n", sub);
		rc = 2;
		goto out;
	}
	if (!strcmp(sub, "show") && args.pos_nr != 2) {
		fprintf(stderr, "bkgen: error: 'rules show' takes one rule id\n");
		rc = 2;
		goto out;
	}
	if (bk_cli_load_config(&cfg, &args, &err) || bk_cli_load_rules(&set, &cfg, &args, &err) ||
	    add_explain_rules(&set, &cfg, &args, &err)) {
		rc = bk_cli_fail(&err);
		goto out;
	}
	rc = !strcmp(sub, "list") ? list_rules(&set, json) : show_rule(&set, args.pos[1], json);
out:
	bk_ruleset_release(&set);
	bk_config_release(&cfg);
	bk_args_release(&args);
	return rc;
}
