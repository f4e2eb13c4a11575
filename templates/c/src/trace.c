#include "trace.h"

#include <stdio.h>
#include <string.h>

#include "crypto.h"

int request_id_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; s[n]; n++) {
		char c = s[n];

		if (n >= REQUEST_ID_MAX)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n > 0;
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];

	crypto_random(raw, bytes);
	crypto_hex(raw, bytes, out);
}

void request_id_generate(char out[REQUEST_ID_MAX + 1])
{
	random_hex(out, 16);
}

static int lower_hex(const char *s, size_t n)
{
	int nonzero = 0;

	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
		nonzero |= s[i] != '0';
	}
	return nonzero;
}

int trace_parse(const char *h, struct trace *out)
{
	/* 00-<32 hex>-<16 hex>-<2 hex>; all-zero ids are invalid. */
	if (h == NULL || strlen(h) != 55 || strncmp(h, "00-", 3) != 0 || h[35] != '-' ||
	    h[52] != '-')
		return 0;
	if (lower_hex(h + 3, 32) != 1 || lower_hex(h + 36, 16) != 1 || lower_hex(h + 53, 2) < 0)
		return 0;
	memcpy(out->trace_id, h + 3, 32);
	out->trace_id[32] = '\0';
	memcpy(out->parent_id, h + 36, 16);
	out->parent_id[16] = '\0';
	memcpy(out->flags, h + 53, 2);
	out->flags[2] = '\0';
	return 1;
}

void trace_start(struct trace *t, const char *traceparent)
{
	if (!trace_parse(traceparent, t)) {
		random_hex(t->trace_id, 16);
		t->parent_id[0] = '\0';
		memcpy(t->flags, "01", 3);
	}
	random_hex(t->span_id, 8);
}

void trace_format(const struct trace *t, char out[56])
{
	snprintf(out, 56, "00-%s-%s-%s", t->trace_id, t->span_id, t->flags);
}
