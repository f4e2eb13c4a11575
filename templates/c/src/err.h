/* Errors: a kind that maps onto an HTTP status, and a message for the log.
 * Functions return 0 on success or the kind they set. */
#ifndef ERR_H
#define ERR_H

enum err_kind {
	ERR_OK = 0,
	ERR_INVALID,     /* bad input or configuration */
	ERR_NOT_FOUND,
	ERR_CONFLICT,    /* unique violation and the like */
	ERR_UNAVAILABLE, /* database unreachable, pool exhausted, timeouts */
	ERR_INTERNAL,    /* everything else, including out of memory */
};

struct err {
	enum err_kind kind;
	char msg[512];
};

__attribute__((format(printf, 3, 4)))
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...);
void err_clear(struct err *e);

#endif
