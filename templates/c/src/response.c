/* Building responses: JSON bodies, problem documents and headers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"

void response_header(struct response *res, const char *name, const char *fmt, ...)
{
	struct header *h;
	va_list ap;

	if (res->nheaders == RESPONSE_MAX_HEADERS) {
		log_msg(LOG_ERROR, "response header '%s' dropped: more than %d headers", name,
			RESPONSE_MAX_HEADERS);
		return;
	}
	h = &res->headers[res->nheaders++];
	h->name = name;
	va_start(ap, fmt);
	vsnprintf(h->value, sizeof(h->value), fmt, ap);
	va_end(ap);
}

static void response_body(struct response *res, int status, const char *content_type,
			  char *body, size_t len)
{
	free(res->body);
	res->status = status;
	res->content_type = content_type;
	res->body = body;
	res->body_len = len;
}

void response_text(struct response *res, int status, const char *content_type,
		   const char *body, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL) {
		response_body(res, 500, "text/plain", NULL, 0);
		return;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	response_body(res, status, content_type, copy, len);
}

static void response_dump(struct response *res, int status, const char *content_type,
			  json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;

	json_decref(body);
	if (text == NULL) {
		log_msg(LOG_ERROR, "out of memory building a %d response", status);
		response_body(res, 500, "text/plain", NULL, 0);
		return;
	}
	response_body(res, status, content_type, text, strlen(text));
}

void response_json(struct response *res, int status, json_t *body)
{
	response_dump(res, status, "application/json", body);
}

void response_problem_json(struct response *res, json_t *problem)
{
	int status = (int)json_integer_value(json_object_get(problem, "status"));

	response_dump(res, status ? status : 500, PROBLEM_CONTENT_TYPE, problem);
}

void response_problem(struct response *res, const struct request *req,
		      enum problem_kind kind, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	response_problem_json(res, problem_new(kind, detail, req->path, req->request_id));
}

void response_error(struct response *res, const struct request *req, const struct err *e)
{
	json_t *fields = json_pack("{s:s, s:s}", "request_id", req->request_id, "error", e->msg);

	if (e->kind == ERR_UNAVAILABLE) {
		log_json(LOG_WARN, "dependency unavailable", fields);
		response_header(res, "Retry-After", "1");
		response_problem(res, req, PROBLEM_UNAVAILABLE,
				 "the database is unavailable or busy; retry shortly");
		return;
	}
	log_json(LOG_ERROR, "request failed", fields);
	response_problem(res, req, PROBLEM_INTERNAL,
			 "unexpected error; quote request id %s when reporting it", req->request_id);
}

void response_release(struct response *res)
{
	free(res->body);
	memset(res, 0, sizeof(*res));
}

json_t *request_json_body(struct request *req)
{
	json_error_t jerr;
	json_t *body = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &jerr);

	if (body == NULL)
		response_problem(&req->response, req, PROBLEM_MALFORMED,
				 "the body is not valid JSON: %s (line %d, column %d)", jerr.text,
				 jerr.line, jerr.column);
	return body;
}
