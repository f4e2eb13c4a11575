/*
 * Writing a render: a fresh target appears whole, a non-empty one is
 * refused without force, force keeps the user's files and never writes
 * through a link, and git gets one commit plus refs/bkgen/pristine.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "template/template.h"
#include "../support/support.h"

struct fixture {
	struct bk_template t;
	struct bk_answers a;
	char *tmp;
	struct bk_buf target;
};

static void fixture_init(struct fixture *f, const char *name)
{
	struct bk_buf dir = BK_BUF_INIT;
	struct bk_err err = { 0 };
	bk_buf_printf(&dir, "%s/tests/templates/mini", t_srcdir());
	cr_assert_eq(bk_template_load(&f->t, dir.ptr, &err), 0, "%s", err.msg);
	bk_answers_init(&f->a, &f->t);
	f->a.name = bk_xstrdup(name);
	cr_assert_eq(bk_answers_set(&f->a, &f->t, (size_t)bk_template_option(&f->t, "owner"), "team", &err), 0);
	bk_answers_defaults(&f->a, &f->t);
	f->tmp = t_tmpdir();
	bk_buf_init(&f->target);
	bk_buf_printf(&f->target, "%s/%s", f->tmp, name);
	bk_buf_release(&dir);
}

static void fixture_release(struct fixture *f)
{
	bk_answers_release(&f->a);
	bk_template_release(&f->t);
	t_rmtree(f->tmp);
	free(f->tmp);
	bk_buf_release(&f->target);
}

static int render(struct fixture *f, int force, int no_git, struct bk_new_result *res, struct bk_err *err)
{
	struct bk_new_opts o = { f->target.ptr, force, no_git, NULL };
	return bk_new_render(res, &f->t, &f->a, &o, err);
}

static char *slurp(const char *dir, const char *rel)
{
	struct bk_buf p = BK_BUF_INIT, text = BK_BUF_INIT;
	bk_buf_printf(&p, "%s/%s", dir, rel);
	int rc = bk_read_file(&text, p.ptr);
	bk_buf_release(&p);
	if (rc) {
		bk_buf_release(&text);
		return NULL;
	}
	return bk_buf_detach(&text);
}

/* Only the target itself in its parent: no temporary directory is left. */
static void expect_no_leftovers(const char *parent, size_t want)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	size_t n = 0;
	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	cr_expect_eq(n, want, "entries left in %s", parent);
}

Test(template, write_fresh_target_without_git)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };
	struct stat st;

	fixture_init(&f, "order-hub");
	cr_assert_eq(render(&f, 0, 1, &res, &err), 0, "%s", err.msg);
	cr_expect_eq(res.files, 10);
	cr_expect_str_eq(res.commit, "");
	char *c = slurp(f.target.ptr, "src/order_hub.h");
	cr_assert_not_null(c);
	cr_expect(strstr(c, "struct OrderHub { int port; const char *db; };"), "%s", c);
	free(c);
	char *answers = slurp(f.target.ptr, BK_ANSWERS_FILE);
	cr_assert_not_null(answers);
	cr_expect(strstr(answers, "template-version: \"1.2.0\"\n"), "%s", answers);
	cr_expect(strstr(answers, "  name: \"order-hub\"\n"), "%s", answers);
	cr_expect(strstr(answers, "    port: 8080\n"), "%s", answers);
	free(answers);
	bk_buf_printf(&f.target, "/.git");
	cr_expect_neq(stat(f.target.ptr, &st), 0, "no repository with no_git");
	expect_no_leftovers(f.tmp, 1);
	fixture_release(&f);
}

Test(template, write_refuses_a_non_empty_target)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };

	fixture_init(&f, "order-hub");
	cr_assert_eq(mkdir(f.target.ptr, 0755), 0);
	t_write(f.target.ptr, "mine.txt", "keep me\n");
	cr_expect_eq(render(&f, 0, 1, &res, &err), BK_EUSAGE);
	cr_expect(strstr(err.msg, "not empty") && strstr(err.msg, "--force"), "%s", err.msg);
	char *readme = slurp(f.target.ptr, "README.md");
	cr_expect_null(readme, "nothing written");
	free(readme);
	expect_no_leftovers(f.tmp, 1);
	fixture_release(&f);
}

Test(template, write_force_keeps_user_files)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };

	fixture_init(&f, "order-hub");
	cr_assert_eq(mkdir(f.target.ptr, 0755), 0);
	t_write(f.target.ptr, "mine.txt", "keep me\n");
	t_write(f.target.ptr, "README.md", "old readme\n");
	cr_assert_eq(render(&f, 1, 1, &res, &err), 0, "%s", err.msg);
	cr_expect_eq(res.overwritten, 1);
	char *mine = slurp(f.target.ptr, "mine.txt"), *readme = slurp(f.target.ptr, "README.md");
	cr_expect_str_eq(mine, "keep me\n");
	cr_expect(readme && strstr(readme, "# order-hub"), "%s", readme);
	free(mine);
	free(readme);
	expect_no_leftovers(f.tmp, 1);
	fixture_release(&f);
}

Test(template, write_force_never_follows_links)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };
	char *outside = t_tmpdir();
	struct bk_buf link = BK_BUF_INIT;

	fixture_init(&f, "order-hub");
	cr_assert_eq(mkdir(f.target.ptr, 0755), 0);
	t_write(f.target.ptr, "mine.txt", "x\n");
	bk_buf_printf(&link, "%s/src", f.target.ptr);
	cr_assert_eq(symlink(outside, link.ptr), 0);
	cr_expect_eq(render(&f, 1, 1, &res, &err), BK_EUSAGE);
	cr_expect(strstr(err.msg, "symbolic link"), "%s", err.msg);
	expect_no_leftovers(outside, 0);
	char *readme = slurp(f.target.ptr, "README.md");
	cr_expect_null(readme, "nothing written");
	free(readme);
	bk_buf_release(&link);
	t_rmtree(outside);
	free(outside);
	fixture_release(&f);
}

Test(template, write_commits_the_render_and_the_pristine_ref)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };

	fixture_init(&f, "order-hub");
	cr_assert_eq(render(&f, 0, 0, &res, &err), 0, "%s", err.msg);
	cr_expect_eq(strlen(res.commit), 40);
	char *head = slurp(f.target.ptr, ".git/HEAD");
	cr_assert_not_null(head);
	cr_expect(!strncmp(head, "ref: refs/heads/", 16), "%s", head);
	free(head);
	struct bk_buf ref = BK_BUF_INIT;
	bk_buf_printf(&ref, ".git/%s", BK_PRISTINE_REF);
	char *pristine = slurp(f.target.ptr, ref.ptr);
	cr_assert_not_null(pristine);
	cr_expect_eq(strncmp(pristine, res.commit, 40), 0, "%s vs %s", pristine, res.commit);
	free(pristine);
	bk_buf_release(&ref);
	expect_no_leftovers(f.tmp, 1);
	fixture_release(&f);
}

Test(template, write_into_an_empty_directory_keeps_it)
{
	struct fixture f;
	struct bk_new_result res;
	struct bk_err err = { 0 };
	struct stat before, after;

	fixture_init(&f, "order-hub");
	cr_assert_eq(mkdir(f.target.ptr, 0755), 0);
	cr_assert_eq(stat(f.target.ptr, &before), 0);
	cr_assert_eq(render(&f, 0, 1, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(f.target.ptr, &after), 0);
	cr_expect_eq(before.st_ino, after.st_ino, "same directory, so a shell inside it keeps working");
	char *readme = slurp(f.target.ptr, "README.md");
	cr_expect_not_null(readme);
	free(readme);
	expect_no_leftovers(f.tmp, 1);
	fixture_release(&f);
}
