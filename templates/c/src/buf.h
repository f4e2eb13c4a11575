/* A growable byte buffer for all string building. data is never NULL and
 * always NUL-terminated; max (0 = unlimited) caps anything read from the
 * network. */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_INIT { buf_empty, 0, 0, 0 }
extern char buf_empty[1];

void buf_init(struct buf *b, size_t max);
/* 0, or -1 when the buffer would pass max or memory ran out (b unchanged). */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
__attribute__((format(printf, 2, 3)))
int buf_printf(struct buf *b, const char *fmt, ...);
__attribute__((format(printf, 2, 0)))
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Hands the heap string to the caller (free() it); b is empty afterwards. */
char *buf_detach(struct buf *b);
void buf_release(struct buf *b);

#endif
