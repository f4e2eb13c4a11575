/*
 * What a rule is, whoever reports under it: severities by name, the fix
 * text for a language, and releasing rules and rule sets. Loading rule files is lint/rule-load.c.
 */
#include "base/rule.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

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
		free(conds[i].query_tpl);
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
	for (size_t i = 0; i < r->fixes_nr; i++)
		free(r->fixes[i].text);
	free(r->fixes);
	free(r->docs);
	free(r->threshold);
	free(r->path);
	for (size_t i = 0; i < r->langs_nr; i++) {
		struct bk_rule_lang *l = &r->langs[i];
		free(l->query_src);
		free(l->query_tpl);
		free(l->regex_src);
		free(l->prefilter_src);
		free(l->report_at_src);
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
	for (size_t i = 0; i < r->params_nr; i++) {
		free(r->params[i].name);
		for (size_t j = 0; j < r->params[i].values_nr; j++)
			free(r->params[i].values[j]);
		free(r->params[i].values);
	}
	free(r->params);
	memset(r, 0, sizeof(*r));
}

const char *bk_rule_fix_for(const struct bk_rule *r, int lang)
{
	const char *fallback = r->fix;

	if (lang < 0)
		return r->fix;
	for (size_t i = 0; i < r->fixes_nr; i++) {
		if (r->fixes[i].lang == lang)
			return r->fixes[i].text;
		if (r->fixes[i].lang < 0)
			fallback = r->fixes[i].text;
	}
	return fallback;
}

#define PARAM_OPEN "{{params."

struct bk_param *bk_rule_param(const struct bk_rule *r, const char *name)
{
	for (size_t i = 0; i < r->params_nr; i++)
		if (!strcmp(r->params[i].name, name))
			return &r->params[i];
	return NULL;
}

/* One value as a regex; in_query doubles backslashes for a query string. */
static void put_value(struct bk_buf *b, const char *v, int in_query)
{
	for (; *v; v++) {
		if (*v == '-' || *v == '_')
			bk_buf_puts(b, "[-_]?");
		else if (isalnum((unsigned char)*v) || (unsigned char)*v >= 0x80)
			bk_buf_add(b, v, 1);
		else if (*v == '"')
			bk_buf_puts(b, in_query ? "\\\"" : "\\\"");
		else {
			bk_buf_puts(b, in_query ? "\\\\" : "\\");
			bk_buf_add(b, v, 1);
		}
	}
}

static int expand(char **dst, char **tpl, const struct bk_rule *r, int in_query,
		  const struct bk_loc *loc, struct bk_err *err)
{
	struct bk_buf b = BK_BUF_INIT;
	const char *p, *open;

	if (!*tpl) {
		if (!strstr(*dst, PARAM_OPEN))
			return 0;
		*tpl = *dst;
		*dst = NULL;
	}
	for (p = *tpl; (open = strstr(p, PARAM_OPEN)); ) {
		const char *name = open + strlen(PARAM_OPEN), *close = strstr(name, "}}");
		char *n = close ? bk_xstrndup(name, (size_t)(close - name)) : NULL;
		const struct bk_param *pm = n ? bk_rule_param(r, n) : NULL;
		if (!pm) {
			int rc = bk_err_set(err, BK_ECONFIG, "%s:%u:%u: %s '{{params.%s}}' "
					    "(declare it under 'params')", loc->file, loc->line,
					    loc->col, n ? "unknown parameter" : "unclosed", n ? n : "");
			free(n);
			bk_buf_release(&b);
			return rc;
		}
		free(n);
		bk_buf_add(&b, p, (size_t)(open - p));
		bk_buf_puts(&b, pm->values_nr ? "(?:" : "(?!)");
		for (size_t i = 0; i < pm->values_nr; i++) {
			if (i)
				bk_buf_puts(&b, "|");
			put_value(&b, pm->values[i], in_query);
		}
		if (pm->values_nr)
			bk_buf_puts(&b, ")");
		p = close + 2;
	}
	bk_buf_puts(&b, p);
	free(*dst);
	*dst = bk_buf_detach(&b);
	return 0;
}

static int expand_conds(struct bk_cond *conds, size_t nr, const struct bk_rule *r,
			struct bk_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < nr && !rc; i++)
		if (!(rc = expand(&conds[i].query_src, &conds[i].query_tpl, r,
				  conds[i].kind != BK_COND_FILE, &conds[i].loc, err)))
			rc = expand_conds(conds[i].except, conds[i].except_nr, r, err);
	return rc;
}

int bk_rule_expand_params(struct bk_rule *r, struct bk_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < r->langs_nr && !rc; i++) {
		struct bk_rule_lang *l = &r->langs[i];
		struct bk_loc at = { r->path, l->query_line, l->query_col };
		if (l->query_src)
			rc = expand(&l->query_src, &l->query_tpl, r, 1, &at, err);
		if (!rc)
			rc = expand_conds(l->where, l->where_nr, r, err);
		if (!rc)
			rc = expand_conds(l->unless, l->unless_nr, r, err);
	}
	return rc;
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
