/* Request ids and W3C trace context. */
#ifndef TRACE_H
#define TRACE_H

#include <stddef.h>

#define REQUEST_ID_MAX 128

struct trace {
	char trace_id[33];
	char span_id[17];   /* this service's span */
	char parent_id[17]; /* the caller's span, "" when we started the trace */
	char flags[3];
};

/* 1 when s is 1..128 characters of [A-Za-z0-9._-]. */
int request_id_valid(const char *s);
/* 32 random hex characters. */
void request_id_generate(char out[REQUEST_ID_MAX + 1]);
/* Continues a valid traceparent header, otherwise starts a new trace. */
void trace_start(struct trace *t, const char *traceparent);
/* 1 when header is a valid version-00 traceparent. */
int trace_parse(const char *header, struct trace *out);
/* "00-<trace>-<span>-<flags>" */
void trace_format(const struct trace *t, char out[56]);

#endif
