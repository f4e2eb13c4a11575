#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return (int)kind;
	/* Propagate, never overwrite: the first (lowest) error is the precise one. */
	if (e->kind != ERR_OK)
		return (int)e->kind;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return (int)kind;
}

void err_clear(struct err *e)
{
	e->kind = ERR_OK;
	e->msg[0] = '\0';
}
