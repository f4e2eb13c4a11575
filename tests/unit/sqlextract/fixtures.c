/*
 * Every tests/explain/extract/<name>.<ext> is extracted and compared with
 * <name>.<ext>.expected: one line per statement, in order,
 *   LINE:COL<TAB>API<TAB>SQL           (1-based, SQL newlines as \n)
 *   LINE:COL<TAB>API<TAB>dynamic: WHY
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/lang.h"
#include "explain/sqlextract.h"
#include "base/util.h"
#include "../support/support.h"

#define FIXTURE_DIR "tests/explain/extract"


static void format_stmt(struct bk_buf *out, const struct bk_sql_stmt *s)
{
	bk_buf_printf(out, "%u:%u\t%s\t", s->line + 1, s->col + 1, s->api);
	if (s->dynamic) {
		bk_buf_printf(out, "dynamic: %s\n", s->why);
		return;
	}
	for (const char *p = s->sql; *p; p++)
		if (*p == '\n')
			bk_buf_puts(out, "\\n");
		else
			bk_buf_putc(out, *p);
	bk_buf_putc(out, '\n');
}

/* The 1-based number of the first line where a and b differ, or 0. */
static int first_difference(const char *a, const char *b, const char **la,
			    const char **lb)
{
	int line = 1;
	*la = a, *lb = b;
	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++, *la = a + 1, *lb = b + 1;
	return *a || *b ? line : 0;
}

static int check_fixture(const char *dir, const char *name)
{
	struct bk_buf path = BK_BUF_INIT, src = BK_BUF_INIT, exp = BK_BUF_INIT;
	struct bk_buf got = BK_BUF_INIT;
	struct bk_sql_list l = { 0 };
	struct bk_err err = { 0 };
	const char *la, *lb;
	int line;

	bk_buf_printf(&path, "%s/%s", dir, name);
	cr_assert(!bk_read_file(&src, path.ptr), "cannot read %s", path.ptr);
	bk_buf_puts(&path, ".expected");
	cr_assert(!bk_read_file(&exp, path.ptr), "missing %s", path.ptr);
	cr_assert_eq(bk_sql_extract(&l, name, src.ptr, src.len, 0, &err), 0,
		     "%s: %s", name, err.msg);
	for (size_t i = 0; i < l.nr; i++)
		format_stmt(&got, &l.v[i]);
	line = first_difference(exp.ptr, got.ptr, &la, &lb);
	cr_expect(!line,
		  "%s.expected:%d differs\n  expected: %.*s\n  got:      %.*s\n"
		  "full output:\n%s", name, line, (int)strcspn(la, "\n"), la,
		  (int)strcspn(lb, "\n"), lb, got.ptr);
	bk_sql_list_release(&l);
	bk_buf_release(&got);
	bk_buf_release(&exp);
	bk_buf_release(&src);
	bk_buf_release(&path);
	return bk_lang_for_path(name);
}

Test(sqlextract_fixtures, every_fixture_matches_its_expected_output)
{
	struct bk_buf dir = BK_BUF_INIT;
	int *seen = bk_xcalloc(bk_langs_nr, sizeof(int));
	struct dirent *de;
	DIR *d;

	bk_buf_printf(&dir, "%s/%s", t_srcdir(), FIXTURE_DIR);
	d = opendir(dir.ptr);
	cr_assert(d, "cannot open %s", dir.ptr);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		int li;
		if (de->d_name[0] == '.' ||
		    (n > 9 && !strcmp(de->d_name + n - 9, ".expected")))
			continue;
		li = check_fixture(dir.ptr, de->d_name);
		cr_expect(li >= 0, "%s: not an extractable language", de->d_name);
		if (li >= 0)
			seen[li] = 1;
	}
	closedir(d);
	for (size_t i = 0; i < bk_langs_nr; i++)
		cr_expect(seen[i], "no fixture for language %s", bk_langs[i].name);
	free(seen);
	bk_buf_release(&dir);
}
