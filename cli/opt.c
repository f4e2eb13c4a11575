#include "opt.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "base/suggest.h"
#include "base/util.h"

static int opt_index(const struct bk_opt *const *opts, const char *name, size_t len)
{
	for (int i = 0; opts[i]; i++)
		if (strlen(opts[i]->name) == len && !strncmp(opts[i]->name, name, len))
			return i;
	return -1;
}

static int short_index(const struct bk_opt *const *opts, char c)
{
	for (int i = 0; opts[i]; i++)
		if (opts[i]->short_name && opts[i]->short_name == c)
			return i;
	return -1;
}

static int unknown_option(const struct bk_opt *const *opts, const char *cmd,
			  const char *name, size_t len, struct bk_err *err)
{
	char *given = bk_xstrndup(name, len);
	struct bk_buf way_out = BK_BUF_INIT;
	struct bk_suggest s;
	int rc;

	bk_suggest_init(&s, given);
	s.prefix = "--";
	for (size_t i = 0; opts[i]; i++)
		bk_suggest_add(&s, opts[i]->name);
	bk_buf_printf(&way_out, "see 'bkgen %s --help'", cmd);
	rc = bk_err_suggest(err, BK_EUSAGE, &s, way_out.ptr, "unknown option '--%s' for '%s'",
			    given, cmd);
	bk_buf_release(&way_out);
	free(given);
	return rc;
}

static int set_value(struct bk_args *a, int i, const char *v, struct bk_err *err)
{
	const struct bk_opt *o = a->opts[i];
	struct bk_optval *val = &a->vals[i];

	if (o->choices) {
		const char *const *c;
		for (c = o->choices; *c && strcmp(*c, v); c++)
			;
		if (!*c) {
			struct bk_buf list = BK_BUF_INIT;
			for (c = o->choices; *c; c++)
				bk_buf_printf(&list, "%s%s", c == o->choices ? "" : ", ", *c);
			struct bk_suggest s;
			bk_suggest_init(&s, v);
			bk_suggest_add_all(&s, o->choices);
			int rc = bk_err_suggest(err, BK_EUSAGE, &s, NULL,
						"invalid value '%s' for --%s (expected one of: %s)",
						v, o->name, list.ptr);
			bk_buf_release(&list);
			return rc;
		}
	}
	val->set = 1;
	val->value = v;
	if (o->kind == BK_OPT_LIST) {
		val->list = bk_xrealloc(val->list, (val->list_nr + 1) * sizeof(char *));
		val->list[val->list_nr++] = v;
	}
	return 0;
}

static int parse_long(struct bk_args *a, const char *cmd, char *arg, int argc,
		      char **argv, int *k, struct bk_err *err)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int i = opt_index(a->opts, name, len);

	if (i < 0)
		return unknown_option(a->opts, cmd, name, len, err);
	if (a->opts[i]->kind == BK_OPT_FLAG) {
		if (eq)
			return bk_err_set(err, BK_EUSAGE, "option '--%s' takes no value", a->opts[i]->name);
		a->vals[i].set = 1;
		return 0;
	}
	if (eq)
		return set_value(a, i, eq + 1, err);
	if (*k + 1 >= argc)
		return bk_err_set(err, BK_EUSAGE, "option '--%s' needs a value (%s)",
				  a->opts[i]->name, a->opts[i]->arg);
	return set_value(a, i, argv[++*k], err);
}

static int parse_short(struct bk_args *a, const char *cmd, char *arg, int argc,
		       char **argv, int *k, struct bk_err *err)
{
	for (char *p = arg + 1; *p; p++) {
		int i = short_index(a->opts, *p);
		if (i < 0)
			return bk_err_set(err, BK_EUSAGE, "unknown option '-%c' for '%s' (see 'bkgen %s --help')",
					  *p, cmd, cmd);
		if (a->opts[i]->kind == BK_OPT_FLAG) {
			a->vals[i].set = 1;
			continue;
		}
		if (p[1])
			return set_value(a, i, p + 1, err);
		if (*k + 1 >= argc)
			return bk_err_set(err, BK_EUSAGE, "option '-%c' needs a value (%s)",
					  *p, a->opts[i]->arg);
		return set_value(a, i, argv[++*k], err);
	}
	return 0;
}

int bk_args_parse(struct bk_args *a, const struct bk_opt *const *opts, int argc,
		  char **argv, struct bk_err *err)
{
	int only_pos = 0, rc = 0;

	memset(a, 0, sizeof(*a));
	a->opts = opts;
	while (opts[a->opts_nr])
		a->opts_nr++;
	a->vals = bk_xcalloc(a->opts_nr + 1, sizeof(*a->vals));
	a->pos = bk_xcalloc((size_t)argc + 1, sizeof(char *));
	for (int k = 1; k < argc && !rc; k++) {
		char *arg = argv[k];
		if (only_pos || arg[0] != '-' || !arg[1])
			a->pos[a->pos_nr++] = arg;
		else if (!strcmp(arg, "--"))
			only_pos = 1;
		else if (arg[1] == '-')
			rc = parse_long(a, argv[0], arg, argc, argv, &k, err);
		else
			rc = parse_short(a, argv[0], arg, argc, argv, &k, err);
	}
	return rc;
}

void bk_args_release(struct bk_args *a)
{
	for (size_t i = 0; i < a->opts_nr; i++)
		free(a->vals[i].list);
	free(a->vals);
	free(a->pos);
	memset(a, 0, sizeof(*a));
}

const struct bk_optval *bk_args_get(const struct bk_args *a, const struct bk_opt *opt)
{
	for (size_t i = 0; i < a->opts_nr; i++)
		if (a->opts[i] == opt)
			return &a->vals[i];
	/* A look-alike row would leave the value the caller wants unset. */
	for (size_t i = 0; i < a->opts_nr; i++)
		assert(strcmp(a->opts[i]->name, opt->name));
	return NULL;
}

int bk_args_flag(const struct bk_args *a, const struct bk_opt *opt)
{
	const struct bk_optval *v = bk_args_get(a, opt);
	return v && v->set;
}

const char *bk_args_value(const struct bk_args *a, const struct bk_opt *opt)
{
	const struct bk_optval *v = bk_args_get(a, opt);
	return v && v->set ? v->value : NULL;
}

void bk_opts_help(FILE *out, const struct bk_opt *const *opts)
{
	for (int i = 0; opts[i]; i++) {
		const struct bk_opt *o = opts[i];
		struct bk_buf left = BK_BUF_INIT;
		if (o->short_name)
			bk_buf_printf(&left, "-%c, ", o->short_name);
		else
			bk_buf_puts(&left, "    ");
		bk_buf_printf(&left, "--%s", o->name);
		if (o->kind != BK_OPT_FLAG)
			bk_buf_printf(&left, " %s", o->arg ? o->arg : "VALUE");
		fprintf(out, "  %-28s %s", left.ptr, o->help);
		if (o->choices) {
			fputs(" (", out);
			for (const char *const *c = o->choices; *c; c++)
				fprintf(out, "%s%s", c == o->choices ? "" : ", ", *c);
			fputc(')', out);
		}
		fputc('\n', out);
		bk_buf_release(&left);
	}
}
