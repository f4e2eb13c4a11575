/*
 * Allocation wrappers and the string buffer. Out of memory is fatal: every
 * caller would otherwise need a path that can never be tested.
 */
#include "base/util.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char bk_buf_empty[1];

static void oom(size_t n)
{
	fprintf(stderr, "bkgen: fatal: out of memory allocating %zu bytes\n", n);
	exit(3);
}

void *bk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *bk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *bk_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *bk_xstrdup(const char *s)
{
	return bk_xstrndup(s, strlen(s));
}

char *bk_xstrndup(const char *s, size_t n)
{
	char *p = bk_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void bk_buf_init(struct bk_buf *b)
{
	b->ptr = bk_buf_empty;
	b->len = 0;
	b->cap = 0;
}

void bk_buf_release(struct bk_buf *b)
{
	if (b->cap)
		free(b->ptr);
	bk_buf_init(b);
}

void bk_buf_reset(struct bk_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void bk_buf_grow(struct bk_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need)
		cap *= 2;
	if (b->cap) {
		b->ptr = bk_xrealloc(b->ptr, cap);
	} else {
		b->ptr = bk_xmalloc(cap);
		b->ptr[0] = '\0';
	}
	b->cap = cap;
}

void bk_buf_add(struct bk_buf *b, const void *data, size_t n)
{
	bk_buf_grow(b, n);
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void bk_buf_puts(struct bk_buf *b, const char *s)
{
	bk_buf_add(b, s, strlen(s));
}

void bk_buf_putc(struct bk_buf *b, char c)
{
	bk_buf_add(b, &c, 1);
}

void bk_buf_vprintf(struct bk_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	bk_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void bk_buf_printf(struct bk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bk_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *bk_buf_detach(struct bk_buf *b)
{
	char *p = b->cap ? b->ptr : bk_xstrdup("");
	bk_buf_init(b);
	return p;
}

int bk_read_file(struct bk_buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		bk_buf_add(out, chunk, n);
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		errno = saved ? saved : EIO;
		return -1;
	}
	return 0;
}

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	     : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a file";
}

int bk_read_regular(struct bk_buf *out, const char *path, size_t max, struct bk_buf *why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), saved = 0;
	struct stat st;
	char chunk[65536];
	ssize_t n;

	if (fd < 0 || fstat(fd, &st)) {
		saved = errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		if (why)
			bk_buf_printf(why, "not a regular file (%s)", file_kind(st.st_mode));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			goto fail;
		}
		if (max && out->len + (size_t)n > max) {
			if (why)
				bk_buf_printf(why, "%llu bytes, more than the %zu allowed",
					      (unsigned long long)st.st_size > max
						      ? (unsigned long long)st.st_size
						      : (unsigned long long)(out->len + (size_t)n), max);
			close(fd);
			errno = EFBIG;
			return -1;
		}
		bk_buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (why)
		bk_buf_puts(why, strerror(saved));
	errno = saved;
	return -1;
}

uint64_t bk_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

char *bk_line_at(const char *text, size_t len, size_t offset)
{
	size_t a = offset, b = offset;

	while (a > 0 && text[a - 1] != '\n')
		a--;
	while (b < len && text[b] != '\n')
		b++;
	if (b > a && text[b - 1] == '\r')
		b--;
	return bk_xstrndup(text + a, b - a);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

void bk_rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
