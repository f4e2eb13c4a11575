#include "base/suggest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

size_t bk_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = bk_xcalloc(lb + 1, sizeof(size_t));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void bk_suggest_init(struct bk_suggest *s, const char *given)
{
	memset(s, 0, sizeof(*s));
	s->given = given;
}

void bk_suggest_add(struct bk_suggest *s, const char *candidate)
{
	size_t d;

	if (!candidate)
		return;
	d = bk_edit_distance(s->given, candidate);
	if (!s->best || d < s->distance) {
		s->best = candidate;
		s->distance = d;
	}
}

void bk_suggest_add_all(struct bk_suggest *s, const char *const *candidates)
{
	for (; candidates && *candidates; candidates++)
		bk_suggest_add(s, *candidates);
}

const char *bk_suggest_best(const struct bk_suggest *s)
{
	size_t limit = strlen(s->given) / 3 + 1;
	return s->best && s->distance <= limit ? s->best : NULL;
}

int bk_err_suggest(struct bk_err *err, int code, const struct bk_suggest *s,
		   const char *way_out, const char *fmt, ...)
{
	struct bk_buf msg = BK_BUF_INIT;
	const char *best = bk_suggest_best(s);
	va_list ap;

	va_start(ap, fmt);
	bk_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (best)
		bk_buf_printf(&msg, "; did you mean '%s%s'?", s->prefix ? s->prefix : "", best);
	else if (way_out)
		bk_buf_printf(&msg, " (%s)", way_out);
	bk_err_set(err, code, "%s", msg.ptr);
	bk_buf_release(&msg);
	return code;
}
