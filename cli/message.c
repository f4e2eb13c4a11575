/*
 * The one printer of diagnostics: every "bkgen: error: ...", warning, note
 * and hint line goes through bk_cli_msg, so they share one shape and one
 * stream. Reports, listings and --stats lines are output, not diagnostics,
 * and are written by the commands.
 */
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"
#include "base/util.h"

static const char *const level_names[] = {
	[BK_MSG_ERROR] = "error",
	[BK_MSG_WARNING] = "warning",
	[BK_MSG_NOTE] = "note",
	[BK_MSG_HINT] = "hint",
};

void bk_cli_msg(enum bk_msg_level level, const char *fmt, ...)
{
	struct bk_buf line = BK_BUF_INIT;
	va_list ap;

	bk_buf_printf(&line, "bkgen: %s: ", level_names[level]);
	va_start(ap, fmt);
	bk_buf_vprintf(&line, fmt, ap);
	va_end(ap);
	bk_buf_putc(&line, '\n');
	fwrite(line.ptr, 1, line.len, stderr);
	bk_buf_release(&line);
}

int bk_cli_fail(const struct bk_err *err)
{
	bk_cli_msg(BK_MSG_ERROR, "%s", err->msg);
	return bk_err_exit_status(err->code);
}

int bk_cli_usage_error(const struct bk_cli *cli, struct bk_err *err, const char *fmt, ...)
{
	va_list ap;

	bk_cli_usage(stderr, cli->cmd);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = BK_EUSAGE;
	return BK_EUSAGE;
}
