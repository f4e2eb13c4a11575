/*
 * Values for a template: the project name, option values checked against
 * their type and validation, the conditions of `when:` and `bkgen:if`, and
 * the .bkgen/answers.yml a render records.
 */
#include "template/template.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/regex.h"

int bk_name_check(const char *name, struct bk_err *err)
{
	size_t n = strlen(name);

	if (!n)
		return bk_err_set(err, BK_EUSAGE, "the project name is empty");
	if (n > 63)
		return bk_err_set(err, BK_EUSAGE, "'%s' is %zu characters long (at most 63)", name, n);
	if (name[0] < 'a' || name[0] > 'z')
		return bk_err_set(err, BK_EUSAGE, "'%s' must start with a lowercase letter", name);
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			return bk_err_set(err, BK_EUSAGE,
					  "'%s' has '%c' at %zu: use lowercase letters, digits and '-' (e.g. order-hub)",
					  name, name[i], i + 1);
	return 0;
}

static int check_bool(char **out, const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	for (size_t i = 0; yes[i]; i++) {
		if (!strcmp(v, yes[i]))
			return *out = bk_xstrdup("true"), 0;
		if (!strcmp(v, no[i]))
			return *out = bk_xstrdup("false"), 0;
	}
	return -1;
}

static int check_int(char **out, const struct bk_topt *o, const char *v,
		     struct bk_err *err)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno)
		return bk_err_set(err, BK_EUSAGE, "'%s' is not an integer", v);
	if (n < o->min || n > o->max)
		return bk_err_set(err, BK_EUSAGE, "%lld is out of range %lld..%lld", n, o->min, o->max);
	struct bk_buf b = BK_BUF_INIT;
	bk_buf_printf(&b, "%lld", n);
	*out = bk_buf_detach(&b);
	return 0;
}

static int check_choice(char **out, const struct bk_topt *o, const char *v,
			struct bk_err *err)
{
	struct bk_buf list = BK_BUF_INIT;
	int rc;

	for (size_t i = 0; i < o->choices_nr; i++)
		if (!strcmp(o->choices[i], v))
			return *out = bk_xstrdup(v), 0;
	for (size_t i = 0; i < o->choices_nr; i++)
		bk_buf_printf(&list, "%s%s", i ? ", " : "", o->choices[i]);
	rc = bk_err_set(err, BK_EUSAGE, "'%s' is not one of: %s", v, list.ptr);
	bk_buf_release(&list);
	return rc;
}

static int check_string(char **out, const struct bk_topt *o, const char *v,
			struct bk_err *err)
{
	if (o->re) {
		struct bk_regex_scratch *s = bk_regex_scratch_new();
		int ok = bk_regex_search(o->re, v, strlen(v), 0, NULL, NULL, s);
		bk_regex_scratch_free(s);
		if (ok < 0)
			return bk_err_set(err, BK_EUSAGE, "'%s' is too much for the pattern '%s' "
					  "(the regex gave up at a limit); give a shorter value", v, o->pattern);
		if (!ok)
			return bk_err_set(err, BK_EUSAGE, "'%s' does not match the pattern '%s'", v, o->pattern);
	}
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return bk_err_set(err, BK_EUSAGE, "the value has a control character at %zu",
					  (size_t)(p - v) + 1);
	*out = bk_xstrdup(v);
	return 0;
}

int bk_topt_check(char **out, const struct bk_topt *o, const char *value,
		  struct bk_err *err)
{
	*out = NULL;
	switch (o->type) {
	case BK_TOPT_BOOL:
		if (check_bool(out, value))
			return bk_err_set(err, BK_EUSAGE, "'%s' is not a boolean (true or false)", value);
		return 0;
	case BK_TOPT_INT:
		return check_int(out, o, value, err);
	case BK_TOPT_CHOICE:
		return check_choice(out, o, value, err);
	default:
		return check_string(out, o, value, err);
	}
}

int bk_tcond_parse(struct bk_tcond *out, const struct bk_template *t,
		   const char *text, size_t len, struct bk_err *err)
{
	const char *eq = memchr(text, '=', len);
	size_t name_len = eq ? (size_t)(eq - text) : len;
	char *name;
	int i, rc = 0;

	memset(out, 0, sizeof(*out));
	if (len && text[0] == '!') {
		out->negate = 1;
		text++, len--, name_len--;
	}
	name = bk_xstrndup(text, name_len);
	if ((i = bk_template_option(t, name)) < 0) {
		struct bk_buf list = BK_BUF_INIT;
		for (size_t k = 0; k < t->opts_nr; k++)
			bk_buf_printf(&list, "%s%s", k ? ", " : "", t->opts[k].name);
		rc = bk_err_set(err, BK_ECONFIG, "unknown option '%s' (the template's options: %s)", name,
				t->opts_nr ? list.ptr : "none");
		bk_buf_release(&list);
	} else if (eq) {
		char *v = bk_xstrndup(eq + 1, len - name_len - 1);
		struct bk_err why = { 0 };
		out->opt = (size_t)i;
		if (bk_topt_check(&out->value, &t->opts[i], v, &why))
			rc = bk_err_set(err, BK_ECONFIG, "bad value for '%s': %s", name, why.msg);
		free(v);
	} else {
		out->opt = (size_t)i;
	}
	free(name);
	return rc;
}

void bk_tcond_release(struct bk_tcond *c)
{
	free(c->value);
	c->value = NULL;
}

int bk_tcond_eval(const struct bk_tcond *c, const struct bk_template *t,
		  const struct bk_answers *a)
{
	const char *v = a->values[c->opt] ? a->values[c->opt] : "";
	int hold;

	if (c->value)
		hold = !strcmp(v, c->value);
	else if (t->opts[c->opt].type == BK_TOPT_BOOL)
		hold = !strcmp(v, "true");
	else if (t->opts[c->opt].type == BK_TOPT_INT)
		hold = *v && strcmp(v, "0");
	else
		hold = *v != '\0';
	return hold != c->negate;
}

void bk_answers_init(struct bk_answers *a, const struct bk_template *t)
{
	a->name = NULL;
	a->nr = t->opts_nr;
	a->values = bk_xcalloc(t->opts_nr + 1, sizeof(char *));
}

void bk_answers_release(struct bk_answers *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->values[i]);
	free(a->values);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

int bk_answers_set(struct bk_answers *a, const struct bk_template *t,
		   size_t opt, const char *value, struct bk_err *err)
{
	struct bk_err why = { 0 };
	char *v;

	if (bk_topt_check(&v, &t->opts[opt], value, &why))
		return bk_err_set(err, BK_EUSAGE, "bad value for option '%s' (%s): %s",
				  t->opts[opt].name, bk_topt_type_name(t->opts[opt].type), why.msg);
	free(a->values[opt]);
	a->values[opt] = v;
	return 0;
}

void bk_answers_defaults(struct bk_answers *a, const struct bk_template *t)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!a->values[i] && t->opts[i].def)
			a->values[i] = bk_xstrdup(t->opts[i].def);
}

/* A double-quoted YAML scalar. */
static void yaml_quote(struct bk_buf *out, const char *s)
{
	bk_buf_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			bk_buf_printf(out, "\\%c", c);
		else if (c < 0x20)
			bk_buf_printf(out, "\\x%02x", c);
		else
			bk_buf_putc(out, (char)c);
	}
	bk_buf_putc(out, '"');
}

void bk_answers_yaml(struct bk_buf *out, const struct bk_template *t,
		     const struct bk_answers *a)
{
	bk_buf_puts(out, "# Written by `bkgen new`; `bkgen update` reads it to re-render the template.\n");
	bk_buf_puts(out, "template: ");
	yaml_quote(out, t->name);
	bk_buf_puts(out, "\nlanguage: ");
	yaml_quote(out, t->language);
	bk_buf_puts(out, "\ntemplate-version: ");
	yaml_quote(out, t->version);
	bk_buf_puts(out, "\nbkgen-version: ");
	yaml_quote(out, BK_VERSION);
	bk_buf_puts(out, "\nanswers:\n  name: ");
	yaml_quote(out, a->name ? a->name : "");
	bk_buf_puts(out, t->opts_nr ? "\n  options:\n" : "\n  options: {}\n");
	for (size_t i = 0; i < t->opts_nr; i++) {
		const char *v = a->values[i] ? a->values[i] : "";
		bk_buf_printf(out, "    %s: ", t->opts[i].name);
		if (t->opts[i].type == BK_TOPT_BOOL || t->opts[i].type == BK_TOPT_INT)
			bk_buf_puts(out, v);
		else
			yaml_quote(out, v);
		bk_buf_putc(out, '\n');
	}
}
