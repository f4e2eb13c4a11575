/*
 * The plan of a render: which template files become which project files
 * (conditional files, verbatim files, renamed paths), and the refusal of
 * anything that could write outside the project.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "template/template.h"
#include "../support/support.h"

static void load_mini(struct bk_template *t, struct bk_answers *a, const char *name)
{
	struct bk_buf dir = BK_BUF_INIT;
	struct bk_err err = { 0 };
	bk_buf_printf(&dir, "%s/tests/templates/mini", t_srcdir());
	cr_assert_eq(bk_template_load(t, dir.ptr, &err), 0, "%s", err.msg);
	bk_answers_init(a, t);
	a->name = bk_xstrdup(name);
	cr_assert_eq(bk_answers_set(a, t, (size_t)bk_template_option(t, "owner"), "team", &err), 0, "%s", err.msg);
	bk_buf_release(&dir);
}

static const struct bk_render_file *find(const struct bk_render_plan *p, const char *dst)
{
	for (size_t i = 0; i < p->nr; i++)
		if (!strcmp(p->files[i].dst, dst))
			return &p->files[i];
	return NULL;
}

Test(template, plan_renames_paths_and_marks_verbatim)
{
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_err err = { 0 };

	load_mini(&t, &a, "order-hub");
	bk_answers_defaults(&a, &t);
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	const struct bk_render_file *c = find(&p, "src/order_hub.c");
	cr_assert_not_null(c);
	cr_expect_str_eq(c->src, "src/acme_payments.c");
	cr_expect_not(c->verbatim);
	cr_expect_not_null(find(&p, "config/order-hub.yml"));
	cr_expect_not_null(find(&p, "Dockerfile"), "docker defaults to true");
	cr_expect_not_null(find(&p, "docker/compose.yaml"));
	cr_expect_null(find(&p, "config/sqlite.yml"), "db defaults to postgres");
	cr_expect_null(find(&p, "template.yml"), "the manifest is not rendered");
	cr_assert_not_null(find(&p, "vendor/order-hub.lock"));
	cr_expect(find(&p, "vendor/order-hub.lock")->verbatim);
	cr_expect(find(&p, "scripts/run.sh")->executable);
	for (size_t i = 1; i < p.nr; i++)
		cr_expect_lt(strcmp(p.files[i - 1].dst, p.files[i].dst), 0, "sorted");
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
}

Test(template, plan_follows_conditions)
{
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_err err = { 0 };

	load_mini(&t, &a, "order-hub");
	cr_assert_eq(bk_answers_set(&a, &t, (size_t)bk_template_option(&t, "docker"), "false", &err), 0);
	cr_assert_eq(bk_answers_set(&a, &t, (size_t)bk_template_option(&t, "db"), "sqlite", &err), 0);
	bk_answers_defaults(&a, &t);
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	cr_expect_null(find(&p, "Dockerfile"));
	cr_expect_null(find(&p, "docker/compose.yaml"), "a directory glob drops all below it");
	cr_expect_not_null(find(&p, "config/sqlite.yml"));
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
}

Test(template, contents_render_names_blocks_and_verbatim)
{
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_renamer r;
	struct bk_buf out = BK_BUF_INIT;
	struct bk_err err = { 0 };

	load_mini(&t, &a, "order-hub");
	bk_answers_defaults(&a, &t);
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	bk_renamer_init(&r, t.source_name, a.name);
	cr_assert_eq(bk_render_contents(&out, &t, &a, &r, find(&p, "src/order_hub.c"), &err), 0, "%s", err.msg);
	cr_expect(strstr(out.ptr, "struct OrderHub app = { ORDER_HUB_PORT };"), "%s", out.ptr);
	cr_expect(strstr(out.ptr, "postgres://localhost/order_hub"), "%s", out.ptr);
	cr_expect_not(strstr(out.ptr, "sqlite"), "%s", out.ptr);
	cr_expect_not(strstr(out.ptr, "bkgen:"), "%s", out.ptr);
	cr_expect_not(strstr(out.ptr, "acme"), "%s", out.ptr);
	bk_buf_reset(&out);
	cr_assert_eq(bk_render_contents(&out, &t, &a, &r, find(&p, "vendor/order-hub.lock"), &err), 0);
	cr_expect_str_eq(out.ptr, "acme-payments 1.0.0 sha256:0000\n# bkgen:if docker\n", "verbatim: untouched");
	bk_buf_release(&out);
	bk_renamer_release(&r);
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
}

/* A throwaway template with the given manifest tail and files. */
static char *tiny_template(const char *extra)
{
	char *dir = t_tmpdir();
	struct bk_buf m = BK_BUF_INIT;
	bk_buf_printf(&m, "name: t\nlanguage: t\nsummary: s\nsource-name: acme-payments\nversion: 1\n%s", extra);
	t_write(dir, "template.yml", m.ptr);
	t_write(dir, "README.md", "acme-payments\n");
	bk_buf_release(&m);
	return dir;
}

static int plan_of(const char *dir, const char *name, struct bk_err *err)
{
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	int rc;

	cr_assert_eq(bk_template_load(&t, dir, err), 0, "%s", err->msg);
	bk_answers_init(&a, &t);
	a.name = bk_xstrdup(name);
	bk_answers_defaults(&a, &t);
	if (!(rc = bk_render_plan(&p, &t, &a, err)))
		bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
	return rc;
}

Test(template, plan_refuses_symlinks)
{
	char *dir = tiny_template("");
	struct bk_buf link = BK_BUF_INIT;
	struct bk_err err = { 0 };

	cr_expect_eq(plan_of(dir, "x", &err), 0, "%s", err.msg);
	bk_buf_printf(&link, "%s/escape", dir);
	cr_assert_eq(symlink("/etc", link.ptr), 0);
	cr_expect_eq(plan_of(dir, "x", &err), BK_ECONFIG);
	cr_expect(strstr(err.msg, "escape") && strstr(err.msg, "symbolic link"), "%s", err.msg);
	bk_buf_release(&link);
	t_rmtree(dir);
	free(dir);
}

Test(template, plan_refuses_colliding_outputs)
{
	char *dir = tiny_template("");
	struct bk_err err = { 0 };

	t_write(dir, "acme-payments.txt", "a\n");
	t_write(dir, "acme_payments.txt", "b\n");
	cr_expect_eq(plan_of(dir, "two-words", &err), 0, "%s", err.msg);
	cr_expect_eq(plan_of(dir, "one", &err), BK_ECONFIG, "both become one.txt");
	cr_expect(strstr(err.msg, "'one.txt'"), "%s", err.msg);
	t_rmtree(dir);
	free(dir);
}

Test(template, plan_skips_excluded_and_git)
{
	char *dir = tiny_template("exclude: [build/, '*.o']\n");
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_err err = { 0 };

	t_write(dir, "build/out.bin", "x");
	t_write(dir, "src/a.o", "x");
	t_write(dir, ".git/config", "x");
	t_write(dir, "src/a.c", "x");
	cr_assert_eq(bk_template_load(&t, dir, &err), 0, "%s", err.msg);
	bk_answers_init(&a, &t);
	a.name = bk_xstrdup("x-y");
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(p.nr, 2, "README.md and src/a.c, got %zu", p.nr);
	cr_expect_str_eq(p.files[0].dst, "README.md");
	cr_expect_str_eq(p.files[1].dst, "src/a.c");
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
	t_rmtree(dir);
	free(dir);
}

Test(template, plan_skips_what_git_ignores_in_a_work_tree)
{
	char *repo = t_tmpdir();
	struct bk_buf cmd = BK_BUF_INIT, dir = BK_BUF_INIT;
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_err err = { 0 };

	bk_buf_printf(&cmd, "git init -q '%s'", repo);
	cr_assert_eq(system(cmd.ptr), 0);
	t_write(repo, ".gitignore", "*.bin\nbuilt/\n");
	t_write(repo, "templates/t/template.yml",
		"name: t\nlanguage: t\nsummary: s\nsource-name: acme-payments\nversion: 1\n");
	t_write(repo, "templates/t/src/main.c", "x");
	t_write(repo, "templates/t/src/main.bin", "x");
	t_write(repo, "templates/t/built/out.c", "x");
	bk_buf_printf(&dir, "%s/templates/t", repo);
	cr_assert_eq(bk_template_load(&t, dir.ptr, &err), 0, "%s", err.msg);
	bk_answers_init(&a, &t);
	a.name = bk_xstrdup("x-y");
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(p.nr, 1, "only src/main.c, got %zu", p.nr);
	cr_expect_str_eq(p.files[0].dst, "src/main.c");
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
	bk_buf_release(&cmd);
	bk_buf_release(&dir);
	t_rmtree(repo);
	free(repo);
}

Test(template, values_replace_their_defaults_and_includes_render)
{
	struct bk_template t;
	struct bk_answers a;
	struct bk_render_plan p;
	struct bk_renamer r;
	struct bk_buf out = BK_BUF_INIT;
	struct bk_err err = { 0 };

	load_mini(&t, &a, "order-hub");
	cr_assert_eq(bk_answers_set(&a, &t, (size_t)bk_template_option(&t, "port"), "9000", &err), 0);
	bk_answers_defaults(&a, &t);
	cr_assert_eq(bk_render_plan(&p, &t, &a, &err), 0, "%s", err.msg);
	bk_renamer_init(&r, t.source_name, a.name);
	cr_assert_eq(bk_render_contents(&out, &t, &a, &r, find(&p, "src/order_hub.h"), &err), 0, "%s", err.msg);
	cr_expect(strstr(out.ptr, "#define ORDER_HUB_PORT 9000\n"), "%s", out.ptr);
	cr_expect_not(strstr(out.ptr, "8080"), "%s", out.ptr);
	const struct bk_render_file *inc = find(&p, "contract.yaml");
	cr_assert_not_null(inc, "the included file is planned");
	cr_expect_str_eq(inc->src, "../contract.yaml");
	bk_buf_reset(&out);
	cr_assert_eq(bk_render_contents(&out, &t, &a, &r, inc, &err), 0, "%s", err.msg);
	cr_expect(strstr(out.ptr, "service: order-hub\n"), "%s", out.ptr);
	bk_buf_release(&out);
	bk_renamer_release(&r);
	bk_render_plan_release(&p);
	bk_answers_release(&a);
	bk_template_release(&t);
}

/* A manifest tail on root/templates/t with src/config.c; the error. */
static int load_with(const char *extra, struct bk_err *err)
{
	char *root = t_tmpdir();
	struct bk_buf dir = BK_BUF_INIT, m = BK_BUF_INIT;
	struct bk_template t;
	int rc;

	bk_buf_printf(&dir, "%s/templates/t", root);
	bk_buf_printf(&m, "name: t\nlanguage: t\nsummary: s\nsource-name: acme-payments\nversion: 1\n%s", extra);
	t_write(root, "templates/t/template.yml", m.ptr);
	t_write(root, "templates/t/src/config.c", "int port = 8080;\nint again = 8080;\n");
	t_write(root, "templates/shared.yaml", "x: 1\n");
	t_write(root, "outside.txt", "secret\n");
	if (!(rc = bk_template_load(&t, dir.ptr, err)))
		bk_template_release(&t);
	t_rmtree(root);
	free(root);
	bk_buf_release(&dir);
	bk_buf_release(&m);
	return rc;
}

Test(template, manifest_replace_and_include_are_checked)
{
	struct bk_err err = { 0 };

	cr_expect_eq(load_with("options:\n  port: {type: int, default: 8080, replace: [{file: src/config.c, text: 'port = 8080'}]}\n"
			       "include: [{from: ../shared.yaml, to: api/shared.yaml}]\n", &err), 0, "%s", err.msg);
	cr_expect_eq(load_with("options:\n  port: {type: int, default: 8080, replace: [{file: src/config.c, text: '8080;'}]}\n",
			       &err), BK_ECONFIG);
	cr_expect(strstr(err.msg, ":7:") && strstr(err.msg, "occurs 2 times"), "%s", err.msg);
	cr_expect_eq(load_with("options:\n  port: {type: int, default: 9, replace: [{file: src/config.c, text: 'port = 8080'}]}\n",
			       &err), BK_ECONFIG);
	cr_expect(strstr(err.msg, "does not contain the default '9'"), "%s", err.msg);
	cr_expect_eq(load_with("options:\n  port: {type: int, replace: [{file: src/config.c, text: 'port'}]}\n", &err),
		     BK_ECONFIG);
	cr_expect(strstr(err.msg, "no default"), "%s", err.msg);
	cr_expect_eq(load_with("options:\n  p: {type: int, default: 1, replace: [{file: ../x, text: '1'}]}\n", &err),
		     BK_ECONFIG);
	cr_expect(strstr(err.msg, "not a path inside the template"), "%s", err.msg);
	cr_expect_eq(load_with("include: [{from: ../../outside.txt, to: x.txt}]\n", &err), BK_ECONFIG);
	cr_expect(strstr(err.msg, ":6:") && strstr(err.msg, "inside the directory that holds the template"), "%s", err.msg);
	cr_expect_eq(load_with("include: [{from: /etc/passwd, to: x.txt}]\n", &err), BK_ECONFIG);
	cr_expect_eq(load_with("include: [{from: ../shared.yaml, to: ../x.txt}]\n", &err), BK_ECONFIG);
	cr_expect(strstr(err.msg, "not a path inside the project"), "%s", err.msg);
}
