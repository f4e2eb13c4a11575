/*
 * Error propagation: functions return an int status and take a
 * struct bk_err * last. Setting an error returns its code, so
 *   return bk_err_set(err, BK_ECONFIG, "unknown severity '%s'", s);
 * reads as one line. Library code never prints; commands do.
 */
#ifndef BK_ERR_H
#define BK_ERR_H

enum bk_code {
	BK_OK = 0,
	BK_EUSAGE = -1,   /* bad command line: exit 2 */
	BK_ECONFIG = -2,  /* bad rule, config or template file: exit 2 */
	BK_EIO = -3,      /* runtime failure (I/O, library, database): exit 3 */
	BK_ETIMEOUT = -4, /* a time budget ran out: exit 3 */
	BK_ELIMIT = -5,   /* a library gave up at one of its limits: exit 3 */
};

struct bk_err {
	int code;
	char msg[2048];
};

int bk_err_set(struct bk_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The process exit status for an error code (2 or 3). */
int bk_err_exit_status(int code);

#endif
