#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

int bk_err_set(struct bk_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int bk_err_exit_status(int code)
{
	switch (code) {
	case BK_OK:
		return 0;
	case BK_EUSAGE:
	case BK_ECONFIG:
		return 2;
	default:
		return 3;
	}
}
