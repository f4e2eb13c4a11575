/*
 * Small helpers shared by every module: allocation that never returns NULL
 * (running out of memory is fatal, as in git's xmalloc), and the one growable
 * string buffer used for all string building.
 */
#ifndef BK_UTIL_H
#define BK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *bk_xmalloc(size_t n);
void *bk_xcalloc(size_t n, size_t size);
void *bk_xrealloc(void *p, size_t n);
char *bk_xstrdup(const char *s);
char *bk_xstrndup(const char *s, size_t n);

/* Grow a typed array: BK_ALLOC_GROW(items, n + 1, alloc). */
#define BK_ALLOC_GROW(arr, need, alloc)                                      \
	do {                                                                 \
		if ((need) > (alloc)) {                                      \
			size_t bk_new_ = (alloc) < 8 ? 8 : (alloc) * 2;      \
			while (bk_new_ < (need))                             \
				bk_new_ *= 2;                                \
			(arr) = bk_xrealloc((arr), bk_new_ * sizeof(*(arr)));\
			(alloc) = bk_new_;                                   \
		}                                                            \
	} while (0)

/*
 * Growable, always NUL-terminated string. ptr is never NULL once
 * initialised; release() frees the contents, detach() hands them over.
 */
struct bk_buf {
	char *ptr;
	size_t len;
	size_t cap;
};

extern char bk_buf_empty[];
#define BK_BUF_INIT { bk_buf_empty, 0, 0 }

void bk_buf_init(struct bk_buf *b);
void bk_buf_release(struct bk_buf *b);
void bk_buf_reset(struct bk_buf *b);
void bk_buf_grow(struct bk_buf *b, size_t extra);
void bk_buf_add(struct bk_buf *b, const void *data, size_t n);
void bk_buf_puts(struct bk_buf *b, const char *s);
void bk_buf_putc(struct bk_buf *b, char c);
void bk_buf_printf(struct bk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bk_buf_vprintf(struct bk_buf *b, const char *fmt, va_list ap);
char *bk_buf_detach(struct bk_buf *b);

/* The line of text holding byte offset, without its line ending (new string). */
char *bk_line_at(const char *text, size_t len, size_t offset);

/* Remove a file or a directory tree, best effort (errors are ignored). */
void bk_rm_tree(const char *path);

/* Monotonic clock in nanoseconds, for timings. */
uint64_t bk_now_ns(void);

/* Read a whole file; returns 0 or -1 with errno set. */
int bk_read_file(struct bk_buf *out, const char *path);
/*
 * Read a whole regular file of at most max bytes (0: any size). It is
 * opened without blocking, so a FIFO cannot stall the read, and refused
 * unless regular. Returns 0, or -1 with why (may be NULL) set to what went
 * wrong: "not a regular file (a FIFO)", "N bytes, more than the M
 * allowed", or strerror's text.
 */
int bk_read_regular(struct bk_buf *out, const char *path, size_t max, struct bk_buf *why);

#endif
