#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/lang.h"
#include "lint/rule-load.h"
#include "base/util.h"

const char *t_srcdir(void)
{
	const char *s = getenv("BKGEN_SRCDIR");
	return s && *s ? s : ".";
}

static struct bk_ruleset builtin;
static struct bk_engine *engines[3];

const struct bk_ruleset *t_builtin_rules(void)
{
	struct bk_err err = { 0 };
	if (builtin.nr)
		return &builtin;
	if (bk_ruleset_add_builtin(&builtin, &err))
		cr_assert_fail("built-in rules do not load: %s", err.msg);
	/* Rules that are off by default are tested all the same. */
	for (size_t i = 0; i < builtin.nr; i++)
		builtin.rules[i].enabled = 1;
	return &builtin;
}

struct bk_engine *t_builtin_engine_mode(enum bk_engine_mode mode)
{
	struct bk_err err = { 0 };
	if (engines[mode])
		return engines[mode];
	if (bk_engine_new(&engines[mode], t_builtin_rules(), &err))
		cr_assert_fail("%s", err.msg);
	bk_engine_set_mode(engines[mode], mode);
	return engines[mode];
}

struct bk_engine *t_builtin_engine(void)
{
	return t_builtin_engine_mode(BK_MODE_COMBINED);
}

void t_check_text(struct bk_engine *e, const char *path, const char *text,
		  struct bk_report *out)
{
	struct bk_err err = { 0 };
	int lang = bk_lang_for_path(path);
	cr_assert(lang >= 0, "no language for %s", path);
	if (bk_engine_prepare(e, lang, 1, &err))
		cr_assert_fail("%s", err.msg);
	struct bk_worker *w = bk_worker_new(e);
	cr_assert_eq(bk_engine_check(w, path, lang, text, strlen(text), BK_ROLE_SOURCE, 0, out), 0);
	bk_worker_free(w);
	bk_report_sort(out);
}

char *t_tmpdir(void)
{
	char *d = bk_xstrdup("/tmp/bkgen-test-XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

void t_write(const char *dir, const char *rel, const char *text)
{
	struct bk_buf p = BK_BUF_INIT;
	bk_buf_printf(&p, "%s/%s", dir, rel);
	for (char *s = p.ptr + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p.ptr, 0755);
		*s = '/';
	}
	FILE *f = fopen(p.ptr, "w");
	cr_assert_not_null(f, "cannot write %s", p.ptr);
	fputs(text, f);
	fclose(f);
	bk_buf_release(&p);
}

void t_rmtree(const char *dir)
{
	struct bk_buf cmd = BK_BUF_INIT;
	if (strncmp(dir, "/tmp/bkgen-test-", 16))
		return;
	bk_buf_printf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd.ptr))
		cr_log_warn("could not remove %s", dir);
	bk_buf_release(&cmd);
}
