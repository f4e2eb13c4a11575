/*
 * bk_read_regular: what bkgen reads as configuration, rules, manifests and
 * baselines must be a regular file of bounded size; a FIFO must not block.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/util.h"
#include "../support/support.h"

static int read_it(const char *dir, const char *name, size_t max, struct bk_buf *text,
		   struct bk_buf *why)
{
	struct bk_buf path = BK_BUF_INIT;
	int rc;
	bk_buf_printf(&path, "%s/%s", dir, name);
	rc = bk_read_regular(text, path.ptr, max, why);
	bk_buf_release(&path);
	return rc;
}

Test(util, regular_file_is_read_whole)
{
	char *dir = t_tmpdir();
	struct bk_buf text = BK_BUF_INIT, why = BK_BUF_INIT;

	t_write(dir, "a.yml", "id: x\n");
	cr_assert_eq(read_it(dir, "a.yml", 100, &text, &why), 0, "%s", why.ptr);
	cr_assert_str_eq(text.ptr, "id: x\n");
	bk_buf_release(&text);
	bk_buf_release(&why);
	t_rmtree(dir);
	free(dir);
}

Test(util, fifo_is_refused_without_waiting_for_a_writer)
{
	char *dir = t_tmpdir();
	struct bk_buf text = BK_BUF_INIT, why = BK_BUF_INIT, path = BK_BUF_INIT;

	bk_buf_printf(&path, "%s/f.yml", dir);
	cr_assert_eq(mkfifo(path.ptr, 0600), 0);
	cr_assert_eq(read_it(dir, "f.yml", 0, &text, &why), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(why.ptr, "not a regular file (a FIFO)");
	bk_buf_reset(&why);
	cr_assert_eq(read_it(dir, ".", 0, &text, &why), -1);
	cr_assert_str_eq(why.ptr, "not a regular file (a directory)");
	bk_buf_release(&path);
	bk_buf_release(&text);
	bk_buf_release(&why);
	t_rmtree(dir);
	free(dir);
}

Test(util, file_over_the_size_bound_is_refused)
{
	char *dir = t_tmpdir();
	struct bk_buf text = BK_BUF_INIT, why = BK_BUF_INIT;

	t_write(dir, "big.yml", "0123456789");
	cr_assert_eq(read_it(dir, "big.yml", 9, &text, &why), -1);
	cr_assert_eq(errno, EFBIG);
	cr_assert_str_eq(why.ptr, "10 bytes, more than the 9 allowed");
	bk_buf_reset(&why);
	cr_assert_eq(read_it(dir, "missing.yml", 9, &text, &why), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_str_eq(why.ptr, strerror(ENOENT));
	bk_buf_release(&text);
	bk_buf_release(&why);
	t_rmtree(dir);
	free(dir);
}
