/*
 * What a rule is, whoever reports under it: severities by name, and
 * releasing rules and rule sets. Loading rule files is lint/rule-load.c.
 */
#include "base/rule.h"

#include <stdlib.h>
#include <string.h>

static const char *const severity_names[] = { "info", "warning", "error" };

const char *bk_severity_name(enum bk_severity s)
{
	return (unsigned)s < 3 ? severity_names[s] : "unknown";
}

int bk_severity_parse(enum bk_severity *out, const char *name)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, severity_names[i])) {
			*out = (enum bk_severity)i;
			return 0;
		}
	return -1;
}

static void cond_release(struct bk_cond *conds, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(conds[i].scope_capture);
		free(conds[i].query_src);
		for (size_t j = 0; j < conds[i].same_nr; j++)
			free(conds[i].same[j]);
		free(conds[i].same);
		cond_release(conds[i].except, conds[i].except_nr);
	}
	free(conds);
}

void bk_rule_release(struct bk_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->message);
	free(r->category);
	free(r->rationale);
	free(r->fix);
	free(r->docs);
	free(r->path);
	for (size_t i = 0; i < r->langs_nr; i++) {
		struct bk_rule_lang *l = &r->langs[i];
		free(l->query_src);
		free(l->regex_src);
		free(l->prefilter_src);
		free(l->message);
		for (size_t j = 0; j < l->needles_nr; j++)
			free(l->needles[j]);
		free(l->needles);
		cond_release(l->where, l->where_nr);
		cond_release(l->unless, l->unless_nr);
	}
	free(r->langs);
	for (size_t i = 0; i < r->examples_nr; i++)
		free(r->examples[i].code);
	free(r->examples);
	memset(r, 0, sizeof(*r));
}

const struct bk_rule *bk_ruleset_find(const struct bk_ruleset *set, const char *id)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->rules[i].id, id))
			return &set->rules[i];
	return NULL;
}

void bk_ruleset_release(struct bk_ruleset *set)
{
	for (size_t i = 0; i < set->nr; i++)
		bk_rule_release(&set->rules[i]);
	free(set->rules);
	memset(set, 0, sizeof(*set));
}
