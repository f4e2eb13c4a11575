/*
 * Rule files: YAML in, struct bk_rule out, every mistake reported as
 * file:line:col with what was expected. Queries are only stored here; the
 * engine compiles them (and reports their errors at the query's position).
 */
#include "lint/rule-load.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "base/lang.h"
#include "base/util.h"
#include "base/yaml.h"

struct ctx {
	const struct bk_ydoc *doc;
	struct bk_rule *rule;
	struct bk_err *err;
};

static void set_loc(struct ctx *c, int node, struct bk_loc *loc)
{
	loc->file = c->rule->path;
	bk_ynode_pos(c->doc, node, &loc->line, &loc->col);
}

static int is_identifier(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return 1;
}

static int parse_conds(struct ctx *c, int node, const char *key,
		       struct bk_cond **out, size_t *nr);

static int parse_cond(struct ctx *c, int node, struct bk_cond *cond)
{
	static const char *const keys[] = { "has", "inside", "file", "in", "same",
					    "across-functions", "except", NULL };
	static const char *const kinds[] = { "has", "inside", "file" };
	int has, inside, file, body, in, same, across;
	int rc;

	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP)
		return bk_yerr(c->err, c->doc, node,
			       "a condition must be a mapping with 'has', 'inside' or 'file'");
	if ((rc = bk_ymap_check_keys(c->doc, node, keys, "a condition", c->err)))
		return rc;
	set_loc(c, node, &cond->loc);
	has = bk_ynode_get(c->doc, node, "has");
	inside = bk_ynode_get(c->doc, node, "inside");
	file = bk_ynode_get(c->doc, node, "file");
	if (!!has + !!inside + !!file != 1)
		return bk_yerr(c->err, c->doc, node,
			       "a condition needs exactly one of 'has', 'inside' or 'file'");
	cond->kind = has ? BK_COND_HAS : inside ? BK_COND_INSIDE : BK_COND_FILE;
	body = has ? has : inside ? inside : file;
	if (!bk_ynode_scalar(c->doc, body))
		return bk_yerr(c->err, c->doc, body, "'%s' must be a %s string",
			       kinds[cond->kind], file ? "regular expression" : "tree-sitter query");
	cond->query_src = bk_xstrdup(bk_ynode_scalar(c->doc, body));
	cond->loc.line = 0;
	bk_ynode_text_pos(c->doc, body, 0, &cond->loc.line, &cond->loc.col);
	if (file && (bk_ynode_get(c->doc, node, "in") || bk_ynode_get(c->doc, node, "same") ||
		     bk_ynode_get(c->doc, node, "across-functions")))
		return bk_yerr(c->err, c->doc, node,
			       "a 'file' condition takes no 'in', 'same' or 'across-functions'");
	cond->scope = BK_SCOPE_REPORT;
	if ((in = bk_ynode_get(c->doc, node, "in"))) {
		const char *s = bk_ynode_scalar(c->doc, in);
		const char *def = s && !strncmp(s, "definition-of ", 14) ? s + 14 : NULL;
		while (def && *def == ' ')
			def++;
		if (!s || !is_identifier(def ? def : s) || !strcmp(s, "definition-of"))
			return bk_yerr(c->err, c->doc, in,
				       "'in' must be report, function, file, a capture name "
				       "or definition-of and a capture name");
		if (cond->kind != BK_COND_HAS)
			return bk_yerr(c->err, c->doc, in,
				       "'in' applies to 'has' conditions only");
		if (def) {
			cond->scope = BK_SCOPE_DEFINITION;
			cond->scope_capture = bk_xstrdup(def);
		} else if (!strcmp(s, "report"))
			cond->scope = BK_SCOPE_REPORT;
		else if (!strcmp(s, "function"))
			cond->scope = BK_SCOPE_FUNCTION;
		else if (!strcmp(s, "file"))
			cond->scope = BK_SCOPE_FILE;
		else {
			cond->scope = BK_SCOPE_CAPTURE;
			cond->scope_capture = bk_xstrdup(s);
		}
	}
	if ((same = bk_ynode_get(c->doc, node, "same")) &&
	    (rc = bk_yget_strings(&cond->same, &cond->same_nr, c->doc, same, "same", c->err)))
		return rc;
	if ((across = bk_ynode_get(c->doc, node, "across-functions"))) {
		const char *s = bk_ynode_scalar(c->doc, across);
		if (!s || (strcmp(s, "true") && strcmp(s, "false")))
			return bk_yerr(c->err, c->doc, across,
				       "'across-functions' must be true or false");
		cond->across_functions = !strcmp(s, "true");
	}
	return parse_conds(c, bk_ynode_get(c->doc, node, "except"), "except",
			   &cond->except, &cond->except_nr);
}

static int parse_conds(struct ctx *c, int node, const char *key,
		       struct bk_cond **out, size_t *nr)
{
	size_t n;

	if (!node)
		return 0;
	if (bk_ynode_kind(c->doc, node) != BK_Y_SEQ)
		return bk_yerr(c->err, c->doc, node,
			       "'%s' must be a list of conditions", key);
	n = bk_ynode_len(c->doc, node);
	*out = bk_xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		int rc = parse_cond(c, bk_ynode_item(c->doc, node, i), &(*out)[i]);
		*nr = i + 1;
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_lang(struct ctx *c, int key, int node, struct bk_rule_lang *rl)
{
	static const char *const keys[] = { "query", "regex", "unless", "where",
					    "needles", "prefilter", "report-at", "message", NULL };
	const char *name = bk_ynode_scalar(c->doc, key);
	int q, rc;

	rl->lang = name ? bk_lang_by_name(name) : -1;
	if (rl->lang < 0) {
		struct bk_buf names = BK_BUF_INIT;
		for (size_t i = 0; i < bk_langs_nr; i++)
			bk_buf_printf(&names, "%s%s", i ? ", " : "", bk_langs[i].name);
		rc = bk_yerr(c->err, c->doc, key, "unknown language '%s' (expected one of: %s)",
			     name ? name : "?", names.ptr);
		bk_buf_release(&names);
		return rc;
	}
	set_loc(c, key, &rl->loc);
	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP)
		return bk_yerr(c->err, c->doc, node,
			       "the entry for '%s' must be a mapping with a 'query'", name);
	if ((rc = bk_ymap_check_keys(c->doc, node, keys, "a language entry", c->err)))
		return rc;
	if (bk_langs[rl->lang].grammar) {
		if (bk_ynode_get(c->doc, node, "regex"))
			return bk_yerr(c->err, c->doc, bk_ynode_get(c->doc, node, "regex"),
				       "'%s' takes a tree-sitter 'query', not a 'regex'", name);
		if ((rc = bk_yget_string(&rl->query_src, c->doc, node, "query", 1, c->err)))
			return rc;
		q = bk_ynode_get(c->doc, node, "query");
	} else {
		if (bk_ynode_get(c->doc, node, "query"))
			return bk_yerr(c->err, c->doc, bk_ynode_get(c->doc, node, "query"),
				       "'%s' has no grammar: give a 'regex', not a 'query'", name);
		if ((rc = bk_yget_string(&rl->regex_src, c->doc, node, "regex", 1, c->err)))
			return rc;
		q = bk_ynode_get(c->doc, node, "regex");
	}
	bk_ynode_text_pos(c->doc, q, 0, &rl->query_line, &rl->query_col);
	if ((rc = bk_yget_string(&rl->message, c->doc, node, "message", 0, c->err)))
		return rc;
	if ((rc = bk_yget_string(&rl->prefilter_src, c->doc, node, "prefilter", 0, c->err)))
		return rc;
	if (rl->prefilter_src) {
		rl->prefilter_loc.file = c->rule->path;
		bk_ynode_text_pos(c->doc, bk_ynode_get(c->doc, node, "prefilter"), 0,
				  &rl->prefilter_loc.line, &rl->prefilter_loc.col);
	}
	if ((rc = bk_yget_string(&rl->report_at_src, c->doc, node, "report-at", 0, c->err)))
		return rc;
	if (rl->report_at_src) {
		rl->report_at_loc.file = c->rule->path;
		bk_ynode_text_pos(c->doc, bk_ynode_get(c->doc, node, "report-at"), 0,
				  &rl->report_at_loc.line, &rl->report_at_loc.col);
	}
	if (bk_ynode_get(c->doc, node, "needles") &&
	    (rc = bk_yget_strings(&rl->needles, &rl->needles_nr, c->doc,
				  bk_ynode_get(c->doc, node, "needles"), "needles", c->err)))
		return rc;
	if ((rc = parse_conds(c, bk_ynode_get(c->doc, node, "unless"), "unless",
			      &rl->unless, &rl->unless_nr)))
		return rc;
	return parse_conds(c, bk_ynode_get(c->doc, node, "where"), "where",
			   &rl->where, &rl->where_nr);
}

static int parse_langs(struct ctx *c, int node)
{
	size_t n;

	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP || !bk_ynode_len(c->doc, node))
		return bk_yerr(c->err, c->doc, node,
			       "'languages' must map language names to queries");
	n = bk_ynode_len(c->doc, node);
	c->rule->langs = bk_xcalloc(n, sizeof(*c->rule->langs));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(c->doc, node, i, &key);
		int rc = parse_lang(c, key, val, &c->rule->langs[i]);
		c->rule->langs_nr = i + 1;
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (c->rule->langs[j].lang == c->rule->langs[i].lang)
				return bk_yerr(c->err, c->doc, key, "language listed twice");
	}
	return 0;
}

static int add_example(struct ctx *c, int lang, int bad, int node, size_t *alloc)
{
	struct bk_rule *r = c->rule;
	const char *s = bk_ynode_scalar(c->doc, node);

	if (!s)
		return bk_yerr(c->err, c->doc, node, "an example must be a string of code");
	BK_ALLOC_GROW(r->examples, r->examples_nr + 1, *alloc);
	struct bk_example *e = &r->examples[r->examples_nr++];
	memset(e, 0, sizeof(*e));
	e->lang = lang;
	e->bad = bad;
	e->code = bk_xstrdup(s);
	set_loc(c, node, &e->loc);
	return 0;
}

static int parse_examples(struct ctx *c, int node)
{
	size_t alloc = 0;

	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP)
		return bk_yerr(c->err, c->doc, node,
			       "'examples' must map language names to bad/good lists");
	for (size_t i = 0; i < bk_ynode_len(c->doc, node); i++) {
		static const char *const keys[] = { "bad", "good", NULL };
		int key, val = bk_ynode_pair(c->doc, node, i, &key);
		const char *name = bk_ynode_scalar(c->doc, key);
		int lang = name ? bk_lang_by_name(name) : -1;
		int rc;

		if (lang < 0)
			return bk_yerr(c->err, c->doc, key, "unknown language '%s' in examples",
				       name ? name : "?");
		if (bk_ynode_kind(c->doc, val) != BK_Y_MAP)
			return bk_yerr(c->err, c->doc, val, "examples for '%s' need 'bad' and 'good' lists", name);
		if ((rc = bk_ymap_check_keys(c->doc, val, keys, "examples", c->err)))
			return rc;
		for (int bad = 0; bad <= 1; bad++) {
			int list = bk_ynode_get(c->doc, val, bad ? "bad" : "good");
			if (!list)
				continue;
			if (bk_ynode_kind(c->doc, list) == BK_Y_SCALAR) {
				if ((rc = add_example(c, lang, bad, list, &alloc)))
					return rc;
				continue;
			}
			for (size_t j = 0; j < bk_ynode_len(c->doc, list); j++)
				if ((rc = add_example(c, lang, bad, bk_ynode_item(c->doc, list, j), &alloc)))
					return rc;
		}
	}
	return 0;
}

static int rule_has_lang(const struct bk_rule *r, int lang)
{
	for (size_t i = 0; i < r->langs_nr; i++)
		if (r->langs[i].lang == lang)
			return 1;
	return 0;
}

static const char *fix_label(int lang)
{
	return lang < 0 ? "other languages" : bk_langs[lang].name;
}

/*
 * The whole text of a keyed fix, for readers who see no finding (`rules
 * show`, SARIF rule help): each distinct text once, after the languages
 * it is for ("javascript, typescript: ..."), a paragraph each.
 */
static char *fix_compose(const struct bk_rule *r)
{
	struct bk_buf b = BK_BUF_INIT;

	for (size_t i = 0; i < r->fixes_nr; i++) {
		const char *text = r->fixes[i].text;
		size_t j, n = strlen(text);
		for (j = 0; j < i && strcmp(r->fixes[j].text, text); j++)
			;
		if (j < i)
			continue; /* told with an earlier language */
		if (b.len)
			bk_buf_puts(&b, "\n\n");
		bk_buf_puts(&b, fix_label(r->fixes[i].lang));
		for (j = i + 1; j < r->fixes_nr; j++)
			if (!strcmp(r->fixes[j].text, text))
				bk_buf_printf(&b, ", %s", fix_label(r->fixes[j].lang));
		while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
			n--;
		bk_buf_puts(&b, ": ");
		bk_buf_add(&b, text, n);
	}
	return bk_buf_detach(&b);
}

/* One entry of a keyed fix: a language of the rule (or `default`) -> text. */
static int parse_fix_entry(struct ctx *c, int key, int val, struct bk_rule_fix *out)
{
	const char *name = bk_ynode_scalar(c->doc, key);
	const char *text = bk_ynode_scalar(c->doc, val);

	out->lang = -1;
	if (!name)
		return bk_yerr(c->err, c->doc, key, "'fix' keys must be language names or 'default'");
	if (strcmp(name, "default")) {
		out->lang = bk_lang_by_name(name);
		if (out->lang < 0)
			return bk_yerr(c->err, c->doc, key,
				       "unknown language '%s' in 'fix' (expected a language "
				       "of the rule or 'default')", name);
		if (!rule_has_lang(c->rule, out->lang))
			return bk_yerr(c->err, c->doc, key,
				       "'fix' has a text for '%s', which is not under 'languages'",
				       name);
	}
	if (!text || !*text)
		return bk_yerr(c->err, c->doc, val, "the fix for '%s' must be a non-empty string",
			       name);
	out->text = bk_xstrdup(text);
	return 0;
}

/*
 * `fix:` is a string, or a mapping from the rule's languages (and an
 * optional `default`) to texts; a keyed fix covers every language of the
 * rule, so no finding is left without advice or given another language's.
 */
static int parse_fix(struct ctx *c, int node)
{
	struct bk_rule *r = c->rule;
	size_t n;

	if (bk_ynode_kind(c->doc, node) == BK_Y_SCALAR) {
		const char *s = bk_ynode_scalar(c->doc, node);
		if (!s || !*s)
			return bk_yerr(c->err, c->doc, node, "'fix' must be a non-empty string");
		r->fix = bk_xstrdup(s);
		return 0;
	}
	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP || !(n = bk_ynode_len(c->doc, node)))
		return bk_yerr(c->err, c->doc, node,
			       "'fix' must be a string, or map language names to strings");
	r->fixes = bk_xcalloc(n, sizeof(*r->fixes));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(c->doc, node, i, &key);
		int rc = parse_fix_entry(c, key, val, &r->fixes[i]);
		r->fixes_nr = i + 1;
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (r->fixes[j].lang == r->fixes[i].lang)
				return bk_yerr(c->err, c->doc, key, "'%s' listed twice in 'fix'",
					       bk_ynode_scalar(c->doc, key));
	}
	for (size_t i = 0; i < r->langs_nr; i++)
		if (!bk_rule_fix_for(r, r->langs[i].lang)) /* r->fix is still NULL */
			return bk_yerr(c->err, c->doc, node,
				       "'fix' has no text for '%s' (add one, or a 'default')",
				       bk_langs[r->langs[i].lang].name);
	r->fix = fix_compose(r);
	return 0;
}

static int required(struct ctx *c, int map, const char *key)
{
	if (bk_ynode_get(c->doc, map, key))
		return 0;
	return bk_yerr(c->err, c->doc, map, "missing required key '%s'", key);
}


/* params: { name: [value, ...] }: lists the queries use as {{params.name}}. */
static int parse_params(struct ctx *c, int node)
{
	struct bk_rule *r = c->rule;
	size_t n;

	if (bk_ynode_kind(c->doc, node) != BK_Y_MAP)
		return bk_yerr(c->err, c->doc, node,
			       "'params' must map parameter names to lists of strings");
	n = bk_ynode_len(c->doc, node);
	r->params = bk_xcalloc(n + 1, sizeof(*r->params));
	for (size_t i = 0; i < n; i++) {
		int key, val = bk_ynode_pair(c->doc, node, i, &key);
		const char *name = bk_ynode_scalar(c->doc, key);
		struct bk_param *p = &r->params[r->params_nr];
		int rc;
		if (!name || !is_identifier(name))
			return bk_yerr(c->err, c->doc, key, "invalid parameter name '%s'",
				       name ? name : "");
		p->name = bk_xstrdup(name);
		r->params_nr++;
		if ((rc = bk_yget_strings(&p->values, &p->values_nr, c->doc, val, name, c->err)))
			return rc;
	}
	return 0;
}

static int valid_id(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

/* "dir/x.yml", "builtin:x.yml" and "x.yaml" hold rule x. */
static int id_matches_path(const char *id, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!strncmp(base, "builtin:", 8))
		base += 8;
	size_t n = strlen(id);
	return !strncmp(base, id, n) &&
	       (!strcmp(base + n, ".yml") || !strcmp(base + n, ".yaml"));
}

/* `enabled: false`: a rule that runs only when the configuration or --only asks. */
static int parse_enabled(struct ctx *c, int node)
{
	const char *s = node ? bk_ynode_scalar(c->doc, node) : "true";
	if (!s || (strcmp(s, "true") && strcmp(s, "false")))
		return bk_yerr(c->err, c->doc, node, "'enabled' must be true or false");
	c->rule->enabled = !strcmp(s, "true");
	return 0;
}

static int parse_rule(struct ctx *c, int root)
{
	static const char *const keys[] = { "id", "title", "severity", "category",
		"message", "rationale", "fix", "docs", "languages", "examples", "roles",
		"enabled", "params", NULL };
	struct bk_rule *r = c->rule;
	char *sev = NULL;
	int rc;

	if (bk_ynode_kind(c->doc, root) != BK_Y_MAP)
		return bk_yerr(c->err, c->doc, root, "a rule file must hold a mapping (id, title, ...)");
	if ((rc = bk_ymap_check_keys(c->doc, root, keys, "a rule", c->err)) ||
	    (rc = bk_yget_string(&r->id, c->doc, root, "id", 1, c->err)) ||
	    (rc = bk_yget_string(&r->title, c->doc, root, "title", 1, c->err)) ||
	    (rc = bk_yget_string(&r->category, c->doc, root, "category", 1, c->err)) ||
	    (rc = bk_yget_string(&r->rationale, c->doc, root, "rationale", 1, c->err)) ||
	    (rc = required(c, root, "fix")) ||
	    (rc = bk_yget_string(&r->message, c->doc, root, "message", 0, c->err)) ||
	    (rc = bk_yget_string(&r->docs, c->doc, root, "docs", 0, c->err)) ||
	    (rc = bk_yget_string(&sev, c->doc, root, "severity", 1, c->err)))
		goto out;
	if (!valid_id(r->id)) {
		rc = bk_yerr(c->err, c->doc, bk_ynode_get(c->doc, root, "id"),
			     "invalid rule id '%s' (lowercase letters, digits and '-')", r->id);
		goto out;
	}
	if (!id_matches_path(r->id, r->path)) {
		rc = bk_yerr(c->err, c->doc, bk_ynode_get(c->doc, root, "id"),
			     "rule id '%s' must match the file name (rename the file to %s.yml)",
			     r->id, r->id);
		goto out;
	}
	if (bk_severity_parse(&r->severity, sev)) {
		rc = bk_yerr(c->err, c->doc, bk_ynode_get(c->doc, root, "severity"),
			     "unknown severity '%s' (expected error, warning or info)", sev);
		goto out;
	}
	if ((rc = parse_enabled(c, bk_ynode_get(c->doc, root, "enabled"))))
		goto out;
	if (bk_ynode_get(c->doc, root, "roles") &&
	    (rc = bk_yget_roles(&r->roles, c->doc, bk_ynode_get(c->doc, root, "roles"), "roles", c->err)))
		goto out;
	if (bk_ynode_get(c->doc, root, "params") &&
	    (rc = parse_params(c, bk_ynode_get(c->doc, root, "params"))))
		goto out;
	if (!bk_ynode_get(c->doc, root, "languages")) {
		rc = bk_yerr(c->err, c->doc, root, "missing required key 'languages'");
		goto out;
	}
	if ((rc = parse_langs(c, bk_ynode_get(c->doc, root, "languages"))) ||
	    (rc = bk_rule_expand_params(r, c->err)))
		goto out;
	if ((rc = parse_fix(c, bk_ynode_get(c->doc, root, "fix"))))
		goto out;
	if (bk_ynode_get(c->doc, root, "examples"))
		rc = parse_examples(c, bk_ynode_get(c->doc, root, "examples"));
	if (!r->message)
		r->message = bk_xstrdup(r->title);
out:
	free(sev);
	return rc;
}

int bk_rule_parse(struct bk_rule *out, const char *path, const char *text,
		  size_t len, struct bk_err *err)
{
	struct bk_ydoc *doc = NULL;
	struct ctx c = { NULL, out, err };
	int rc;

	memset(out, 0, sizeof(*out));
	out->path = bk_xstrdup(path);
	out->enabled = 1;
	if ((rc = bk_ydoc_load(&doc, path, text, len, err)))
		goto fail;
	c.doc = doc;
	if (!bk_ydoc_root(doc)) {
		rc = bk_err_set(err, BK_ECONFIG, "%s:1:1: empty rule file", path);
		goto fail;
	}
	if ((rc = parse_rule(&c, bk_ydoc_root(doc))))
		goto fail;
	bk_ydoc_free(doc);
	return 0;
fail:
	bk_ydoc_free(doc);
	bk_rule_release(out);
	return rc;
}
