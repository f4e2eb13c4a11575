/*
 * bkgen new NAME --lang LANG: start a project from a template. The
 * template is a runnable project; rendering replaces its source name in
 * every case form and keeps or drops the option blocks (analyzers/
 * template/template.h). Values come from the command line; only when stdin is a
 * terminal and a required one is missing does it ask. The render lands in
 * a temporary sibling of the target first, so an error or Ctrl-C leaves
 * nothing behind.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "setup.h"
#include "template/template.h"
#include "base/suggest.h"
#include "base/util.h"

static const struct bk_opt opt_lang =
	{ "lang", 'l', BK_OPT_VALUE, "LANG", NULL, "the template to render (see --list)" };
static const struct bk_opt opt_dir =
	{ "dir", 'd', BK_OPT_VALUE, "DIR", NULL, "the directory to create (default: ./NAME)" };
static const struct bk_opt opt_set =
	{ "set", 's', BK_OPT_LIST, "KEY=VALUE", NULL, "answer a template option (repeatable)" };
static const struct bk_opt opt_no_git =
	{ "no-git", 0, BK_OPT_FLAG, NULL, NULL, "do not make the project a git repository" };
static const struct bk_opt opt_dry_run =
	{ "dry-run", 'n', BK_OPT_FLAG, NULL, NULL, "print the files and answers, write nothing" };
static const struct bk_opt opt_force =
	{ "force", 'f', BK_OPT_FLAG, NULL, NULL,
	  "render into a non-empty DIR: overwrite the template's files, keep all others" };
static const struct bk_opt opt_list =
	{ "list", 0, BK_OPT_FLAG, NULL, NULL, "list the templates with their summaries" };
static const struct bk_opt opt_template_dir =
	{ "template-dir", 0, BK_OPT_VALUE, "DIR", NULL, "look for templates in DIR first" };

static const struct bk_opt *const new_opts[] = {
	&opt_lang, &opt_dir, &opt_set, &opt_no_git, &opt_dry_run, &opt_force, &opt_list,
	&opt_template_dir, &bk_opt_help, NULL,
};

static int new_run(struct bk_cli *cli, struct bk_err *err);

const struct bk_cmd bk_cmd_new = {
	.name = "new",
	.usage = "NAME --lang LANG [options] | --list",
	.summary = "start a project from a template",
	.description =
	  "Creates the directory NAME (or --dir) from the template for LANG: a runnable\n"
	  "project whose source name is replaced by NAME in every case form, with the\n"
	  "option blocks the answers select. Options are given with --set KEY=VALUE;\n"
	  "bkgen asks for missing required values only when stdin is a terminal. The\n"
	  "answers go to .bkgen/answers.yml, and unless --no-git the project is a git\n"
	  "repository whose first commit (also refs/bkgen/pristine) holds the render.\n"
	  "Exit status: 0 created, 2 usage, validation or template error (nothing\n"
	  "written), 3 runtime failure (nothing left behind).",
	.opts = new_opts,
	.run = new_run,
};

/*
 * What the command works with, gathered step by step. Its steps return 0
 * to go on, a negative bk_code with err set, or an exit status they have
 * already reported.
 */
struct new_ctx {
	const struct bk_args *args;
	struct bk_tpath path;
	struct bk_template t;
	struct bk_answers a;
	char *name, *lang, *target;
	int interactive;
};

/* Set by SIGINT/SIGTERM while rendering; a handler can only reach a global. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static int list_templates(const struct bk_tpath *p, struct bk_err *err)
{
	struct bk_tlist l;
	int status = 0;

	bk_tpath_list(&l, p);
	if (!l.nr) {
		struct bk_buf dirs = BK_BUF_INIT;
		for (size_t i = 0; i < p->nr; i++)
			bk_buf_printf(&dirs, "%s%s", i ? ", " : "", p->dirs[i]);
		bk_err_set(err, BK_EUSAGE, "no templates found in %s (set BKGEN_TEMPLATE_PATH or use --template-dir)",
			   dirs.ptr);
		bk_buf_release(&dirs);
		bk_tlist_release(&l);
		return BK_EUSAGE;
	}
	/* A template that does not load is reported; the others are still listed. */
	for (size_t i = 0; i < l.nr; i++) {
		struct bk_template t;
		struct bk_err terr = { 0 };
		if (bk_template_load(&t, l.dirs[i], &terr)) {
			status = bk_cli_fail(&terr);
			continue;
		}
		printf("%-10s %-10s %s\n", l.langs[i], t.version, t.summary);
		bk_template_release(&t);
	}
	bk_tlist_release(&l);
	return status;
}

/* One line from stdin, prompt on stderr; NULL at end of input. */
static char *ask(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *ask(const char *fmt, ...)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	if ((n = getline(&line, &cap, stdin)) < 0) {
		free(line);
		fputc('\n', stderr);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
		line[--n] = '\0';
	return line;
}

static void language_list(struct bk_buf *out, const struct bk_tpath *p)
{
	struct bk_tlist l;
	bk_tpath_list(&l, p);
	for (size_t i = 0; i < l.nr; i++)
		bk_buf_printf(out, "%s%s", i ? ", " : "", l.langs[i]);
	if (!l.nr)
		bk_buf_puts(out, "none found");
	bk_tlist_release(&l);
}

/* Ask for the name and language when they are missing and we may ask. */
static int ask_name_lang(struct new_ctx *c, struct bk_err *err)
{
	struct bk_err bad = { 0 };

	while (!c->name) {
		if (!(c->name = ask("project name (e.g. order-hub): ")))
			return bk_err_set(err, BK_EUSAGE, "no project name given");
		if (bk_name_check(c->name, &bad)) {
			bk_cli_msg(BK_MSG_ERROR, "%s", bad.msg);
			free(c->name);
			c->name = NULL;
		}
	}
	while (!c->lang) {
		struct bk_buf langs = BK_BUF_INIT;
		language_list(&langs, &c->path);
		c->lang = ask("language (%s): ", langs.ptr);
		bk_buf_release(&langs);
		if (!c->lang)
			return bk_err_set(err, BK_EUSAGE, "no language given");
		if (!*c->lang) {
			free(c->lang);
			c->lang = NULL;
		}
	}
	return 0;
}

/* The error, then a hint naming the languages: reported here, in that order. */
static int missing_name_lang(struct new_ctx *c, struct bk_err *err)
{
	struct bk_buf langs = BK_BUF_INIT;
	int status;

	bk_err_set(err, BK_EUSAGE, "missing %s%s%s (stdin is not a terminal, so bkgen does not ask); "
		   "e.g. 'bkgen new order-hub --lang c'", c->name ? "" : "the project NAME",
		   !c->name && !c->lang ? " and " : "", c->lang ? "" : "--lang LANG");
	status = bk_cli_fail(err);
	if (!c->lang) {
		language_list(&langs, &c->path);
		bk_cli_msg(BK_MSG_HINT, "languages with a template: %s", langs.ptr);
	}
	bk_buf_release(&langs);
	return status;
}

static int find_template(struct new_ctx *c, struct bk_err *err)
{
	char *dir = NULL;
	int rc;

	if ((rc = bk_tpath_find(&dir, &c->path, c->lang, err)))
		return rc;
	if (!dir) {
		struct bk_tlist l;
		struct bk_buf way_out = BK_BUF_INIT;
		struct bk_suggest s;
		bk_tpath_list(&l, &c->path);
		bk_suggest_init(&s, c->lang);
		for (size_t i = 0; i < l.nr; i++)
			bk_suggest_add(&s, l.langs[i]);
		bk_buf_puts(&way_out, "templates: ");
		language_list(&way_out, &c->path);
		bk_buf_puts(&way_out, "; see 'bkgen new --list'");
		rc = bk_err_suggest(err, BK_EUSAGE, &s, way_out.ptr, "unknown language '%s'", c->lang);
		bk_buf_release(&way_out);
		bk_tlist_release(&l);
		return rc;
	}
	rc = bk_template_load(&c->t, dir, err);
	free(dir);
	return rc;
}

static int apply_sets(struct new_ctx *c, struct bk_err *err)
{
	const struct bk_optval *sets = bk_args_get(c->args, &opt_set);
	int rc = 0;

	for (size_t i = 0; !rc && sets && i < sets->list_nr; i++) {
		const char *kv = sets->list[i], *eq = strchr(kv, '=');
		char *key = bk_xstrndup(kv, eq ? (size_t)(eq - kv) : strlen(kv));
		int opt = bk_template_option(&c->t, key);
		if (!eq) {
			rc = bk_err_set(err, BK_EUSAGE, "--set '%s' needs a value: --set KEY=VALUE", kv);
		} else if (opt < 0) {
			struct bk_suggest s;
			bk_suggest_init(&s, key);
			for (size_t k = 0; k < c->t.opts_nr; k++)
				bk_suggest_add(&s, c->t.opts[k].name);
			rc = bk_err_suggest(err, BK_EUSAGE, &s,
					    "see 'bkgen new --list' and the template's template.yml",
					    "template '%s' has no option '%s'", c->lang, key);
		} else {
			rc = bk_answers_set(&c->a, &c->t, (size_t)opt, eq + 1, err);
		}
		free(key);
	}
	return rc;
}

static const char *describe(const struct bk_topt *o, struct bk_buf *b)
{
	bk_buf_reset(b);
	bk_buf_puts(b, o->help ? o->help : o->name);
	if (o->type == BK_TOPT_CHOICE) {
		bk_buf_puts(b, "; one of: ");
		for (size_t i = 0; i < o->choices_nr; i++)
			bk_buf_printf(b, "%s%s", i ? ", " : "", o->choices[i]);
	} else if (o->type == BK_TOPT_INT) {
		bk_buf_printf(b, "; an integer %lld..%lld", o->min, o->max);
	} else if (o->type == BK_TOPT_BOOL) {
		bk_buf_puts(b, "; true or false");
	} else if (o->pattern) {
		bk_buf_printf(b, "; matching %s", o->pattern);
	}
	return b->ptr;
}

/* Required options without a value: ask, or name them all. */
static int fill_required(struct new_ctx *c, struct bk_err *err)
{
	struct bk_buf missing = BK_BUF_INIT, what = BK_BUF_INIT;
	struct bk_err bad = { 0 };
	int rc = 0;

	for (size_t i = 0; i < c->t.opts_nr && !rc; i++) {
		const struct bk_topt *o = &c->t.opts[i];
		if (c->a.values[i])
			continue;
		if (!c->interactive) {
			bk_buf_printf(&missing, "%s--set %s=VALUE (%s)", missing.len ? ", " : "", o->name, describe(o, &what));
			continue;
		}
		while (!c->a.values[i]) {
			char *v = ask("%s (%s): ", o->name, describe(o, &what));
			if (!v) {
				rc = bk_err_set(err, BK_EUSAGE, "no value given for option '%s'", o->name);
				break;
			}
			if (bk_answers_set(&c->a, &c->t, i, v, &bad))
				bk_cli_msg(BK_MSG_ERROR, "%s", bad.msg);
			free(v);
		}
	}
	if (!rc && missing.len)
		rc = bk_err_set(err, BK_EUSAGE, "template '%s' needs a value for each required option; missing: %s "
				"(stdin is not a terminal, so bkgen does not ask)", c->lang, missing.ptr);
	bk_buf_release(&missing);
	bk_buf_release(&what);
	return rc;
}

static void print_answers(const struct new_ctx *c)
{
	printf("answers:\n  name: %s\n", c->a.name);
	for (size_t i = 0; i < c->t.opts_nr; i++)
		printf("  %s: %s\n", c->t.opts[i].name, c->a.values[i] ? c->a.values[i] : "");
}

static int dry_run(struct new_ctx *c, struct bk_err *err)
{
	struct bk_render_plan plan;
	struct bk_renamer names;
	struct bk_buf data = BK_BUF_INIT, dst = BK_BUF_INIT;
	int rc = 0, state = bk_dir_is_empty(c->target);

	if (state < 0)
		return bk_err_set(err, BK_EUSAGE, "'%s' exists and is not a directory; choose another --dir",
				  c->target);
	if (!state && !bk_args_flag(c->args, &opt_force))
		return bk_err_set(err, BK_EUSAGE, "'%s' is not empty; choose another --dir, or use --force to write "
				  "the template's files into it (other files are kept)", c->target);
	if ((rc = bk_render_plan(&plan, &c->t, &c->a, err)))
		return rc;
	bk_renamer_init(&names, c->t.source_name, c->a.name);
	for (size_t i = 0; i < plan.nr && !rc; i++) {
		bk_buf_reset(&data);
		rc = bk_render_contents(&data, &c->t, &c->a, &names, &plan.files[i], err);
	}
	if (!rc) {
		printf("would create '%s' from template %s %s (%zu files, nothing written):\n", c->target, c->lang,
		       c->t.version, plan.nr + 1);
		for (size_t i = 0; i <= plan.nr; i++) {
			const char *rel = i < plan.nr ? plan.files[i].dst : BK_ANSWERS_FILE;
			bk_buf_reset(&dst);
			bk_buf_printf(&dst, "%s/%s", c->target, rel);
			printf("  %s%s\n", rel, !state && !access(dst.ptr, F_OK) ? " (overwrite)" : "");
		}
		print_answers(c);
		if (bk_args_flag(c->args, &opt_no_git))
			printf("git: none (--no-git)\n");
		else
			printf("git: would commit \"Initial render from bkgen template %s %s\" and set %s\n",
			       c->t.language, c->t.version, BK_PRISTINE_REF);
	}
	bk_renamer_release(&names);
	bk_render_plan_release(&plan);
	bk_buf_release(&data);
	bk_buf_release(&dst);
	return rc;
}

static void print_next_steps(const struct new_ctx *c)
{
	struct bk_renamer names;
	struct bk_buf text = BK_BUF_INIT;

	if (!c->t.next_steps || !*c->t.next_steps)
		return;
	bk_renamer_init(&names, c->t.source_name, c->a.name);
	bk_renamer_apply(&names, &text, c->t.next_steps, strlen(c->t.next_steps));
	printf("\nnext steps:\n");
	for (const char *p = text.ptr; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		printf("%s%.*s\n", n ? "  " : "", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	bk_buf_release(&text);
	bk_renamer_release(&names);
}

static int render(struct new_ctx *c, struct bk_err *err)
{
	struct bk_new_opts o = { c->target, bk_args_flag(c->args, &opt_force),
				 bk_args_flag(c->args, &opt_no_git), &interrupted };
	struct bk_new_result res;
	struct sigaction sa, old_int, old_term;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	/* A signal ignored on entry (background job) stays ignored. */
	if (old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
	rc = bk_new_render(&res, &c->t, &c->a, &o, err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc && interrupted) {
		/* Say why, then die by the signal (its default action now). */
		rc = bk_cli_fail(err);
		raise(interrupted);
		return rc;
	}
	if (rc)
		return rc;
	printf("created '%s' from template %s %s (%zu files", c->target, c->lang, c->t.version, res.files);
	if (res.overwritten)
		printf(", %zu overwritten", res.overwritten);
	printf(")\n");
	if (res.existing_repo)
		printf("git: '%s' was already a repository: its history is untouched; %s points to the render (%.7s)\n",
		       c->target, BK_PRISTINE_REF, res.commit);
	else if (*res.commit)
		printf("git: initial commit %.7s (also %s)\n", res.commit, BK_PRISTINE_REF);
	if (res.fallback_identity)
		bk_cli_msg(BK_MSG_NOTE, "no git identity is configured, so the commit is by "
			   "'bkgen <bkgen@localhost>'; set yours with 'git config --global user.name NAME' "
			   "and 'git config --global user.email EMAIL'");
	print_next_steps(c);
	return 0;
}

static int prepare(struct new_ctx *c, struct bk_err *err)
{
	const struct bk_args *a = c->args;
	const char *dir = bk_args_value(a, &opt_dir), *lang = bk_args_value(a, &opt_lang);
	struct bk_err bad = { 0 };
	int rc;

	if (a->pos_nr > 1)
		return bk_err_set(err, BK_EUSAGE, "'new' takes one NAME, got %zu ('%s', '%s', ...)",
				  a->pos_nr, a->pos[0], a->pos[1]);
	c->name = a->pos_nr ? bk_xstrdup(a->pos[0]) : NULL;
	c->lang = lang ? bk_xstrdup(lang) : NULL;
	if (c->name && bk_name_check(c->name, &bad))
		return bk_err_set(err, BK_EUSAGE, "bad project name: %s", bad.msg);
	if ((!c->name || !c->lang) &&
	    (rc = c->interactive ? ask_name_lang(c, err) : missing_name_lang(c, err)))
		return rc;
	if ((rc = find_template(c, err)))
		return rc;
	bk_answers_init(&c->a, &c->t);
	c->a.name = bk_xstrdup(c->name);
	if ((rc = apply_sets(c, err)))
		return rc;
	bk_answers_defaults(&c->a, &c->t);
	if ((rc = fill_required(c, err)))
		return rc;
	c->target = bk_xstrdup(dir && *dir ? dir : c->name);
	for (size_t n = strlen(c->target); n > 1 && c->target[n - 1] == '/'; n--)
		c->target[n - 1] = '\0';
	return 0;
}

static int new_run(struct bk_cli *cli, struct bk_err *err)
{
	struct new_ctx c = { .args = &cli->args, .interactive = isatty(STDIN_FILENO) };
	int rc;

	bk_tpath_init(&c.path, bk_args_value(c.args, &opt_template_dir));
	if (bk_args_flag(c.args, &opt_list))
		rc = list_templates(&c.path, err);
	else if (!(rc = prepare(&c, err)))
		rc = bk_args_flag(c.args, &opt_dry_run) ? dry_run(&c, err) : render(&c, err);
	bk_answers_release(&c.a);
	bk_template_release(&c.t);
	bk_tpath_release(&c.path);
	free(c.name);
	free(c.lang);
	free(c.target);
	return rc;
}
