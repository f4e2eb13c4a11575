/* Opaque keyset cursors for GET /v1/payments: base64url of
 * "v1|<created_at>|<id>". Decoding is strict, so a cursor that was altered
 * or made up is rejected instead of reaching SQL. */
#ifndef CURSOR_H
#define CURSOR_H

#include "buf.h"

#define CURSOR_TS_LEN 27   /* 2024-05-01T12:00:00.123456Z */
#define CURSOR_ID_LEN 36   /* uuid */
#define CURSOR_MAX_LEN 256

struct cursor {
	char created_at[CURSOR_TS_LEN + 1];
	char id[CURSOR_ID_LEN + 1];
};

/* Appends the cursor to out; 0 or -1 when either part is malformed. */
int cursor_encode(struct buf *out, const char *created_at, const char *id);
/* 0, or -1 for anything but a cursor cursor_encode() produced. */
int cursor_decode(const char *s, struct cursor *out);
int cursor_valid_uuid(const char *s);

#endif
