#include "lint/suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"

#define MARKER "bkgen-ignore"

static int id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Parse "rule-a, rule-b -- reason" up to the end of the line. */
static void parse_ids(struct bk_suppression *s, const char *p, const char *end)
{
	size_t alloc = 0;
	while (p < end && *p != '\n') {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p + 1 < end && p[0] == '-' && p[1] == '-')
			break; /* the reason follows */
		const char *start = p;
		while (p < end && id_char(*p))
			p++;
		if (p == start)
			break; /* the end of the comment, or junk */
		BK_ALLOC_GROW(s->ids, s->ids_nr + 1, alloc);
		s->ids[s->ids_nr++] = bk_xstrndup(start, (size_t)(p - start));
	}
	s->used = bk_xcalloc(s->ids_nr + 1, sizeof(int));
}

/* Is everything before offset on its line blank (a comment of its own)? */
static int starts_line(const char *text, size_t offset, size_t *line_start)
{
	size_t i = offset;
	while (i > 0 && text[i - 1] != '\n')
		i--;
	*line_start = i;
	/* Skip indentation, then the comment opener. */
	while (i < offset && (text[i] == ' ' || text[i] == '\t'))
		i++;
	while (i < offset && text[i] && strchr("/#*-;", text[i]))
		i++;
	while (i < offset && (text[i] == ' ' || text[i] == '\t'))
		i++;
	return i == offset;
}

void bk_suppress_scan(struct bk_suppressions *out, const char *text, size_t len,
		      int (*is_comment)(void *, uint32_t), void *data)
{
	const char *p = text, *end = text + len;
	uint32_t line = 0;
	const char *counted = text;

	while ((p = memmem(p, (size_t)(end - p), MARKER, sizeof(MARKER) - 1))) {
		size_t off = (size_t)(p - text), ls;
		const char *q = p + sizeof(MARKER) - 1;

		for (; counted < p; counted++)
			if (*counted == '\n')
				line++;
		p = q;
		if (is_comment && !is_comment(data, (uint32_t)off))
			continue;
		if (q < end && *q == ':')
			q++;
		BK_ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		struct bk_suppression *s = &out->items[out->nr++];
		memset(s, 0, sizeof(*s));
		s->line = line;
		s->last_line = starts_line(text, off, &ls) ? line + 1 : line;
		s->col = (uint32_t)(off - ls);
		parse_ids(s, q, end);
	}
}

int bk_suppress_covers(struct bk_suppressions *s, uint32_t line, const char *rule_id)
{
	int hit = 0;
	for (size_t i = 0; i < s->nr; i++) {
		struct bk_suppression *it = &s->items[i];
		if (line < it->line || line > it->last_line)
			continue;
		for (size_t j = 0; j < it->ids_nr; j++)
			if (!strcmp(it->ids[j], rule_id)) {
				it->used[j] = 1;
				hit = 1;
			}
	}
	return hit;
}

void bk_suppress_release(struct bk_suppressions *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		for (size_t j = 0; j < s->items[i].ids_nr; j++)
			free(s->items[i].ids[j]);
		free(s->items[i].ids);
		free(s->items[i].used);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
