/* The HTTP layer: requests and responses as handlers see them, and the
 * libmicrohttpd server that carries them. The only file that talks to
 * libmicrohttpd is http.c. */
#ifndef HTTP_H
#define HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "problem.h"
#include "trace.h"

struct app;
struct MHD_Connection;
struct MHD_Daemon;

#define RESPONSE_MAX_HEADERS 12
#define PRINCIPAL_MAX 64

struct header {
	const char *name; /* a string literal */
	char value[192];
};

struct response {
	int status;
	const char *content_type;
	char *body; /* malloc'd; handed to libmicrohttpd */
	size_t body_len;
	struct header headers[RESPONSE_MAX_HEADERS];
	size_t nheaders;
};

struct request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	char request_id[REQUEST_ID_MAX + 1];
	struct trace trace;
	char client_ip[64];
	struct buf body;
	int body_too_large;
	size_t discarded;
	int responded;
	struct timespec started;
	/* Filled by the router. */
	const char *route;
	char path_param[64];
	char principal[PRINCIPAL_MAX + 1];
	struct response response;
};

/* Header or query value, or NULL; borrowed for the request's lifetime. */
const char *request_header(const struct request *req, const char *name);
const char *request_query(const struct request *req, const char *name);

/* The body parsed as JSON (new reference), or NULL with the 400 problem
 * already in req->response. */
json_t *request_json_body(struct request *req);

__attribute__((format(printf, 3, 4)))
void response_header(struct response *res, const char *name, const char *fmt, ...);
/* Takes the reference to body. */
void response_json(struct response *res, int status, json_t *body);
void response_text(struct response *res, int status, const char *content_type,
		   const char *body, size_t len);
/* A problem document for req; detail is printf-style. */
__attribute__((format(printf, 4, 5)))
void response_problem(struct response *res, const struct request *req,
		      enum problem_kind kind, const char *fmt, ...);
/* Sends an assembled problem document (takes the reference). */
void response_problem_json(struct response *res, json_t *problem);
/* Maps an error to 500/503 and logs it with the request id. */
void response_error(struct response *res, const struct request *req, const struct err *e);
void response_release(struct response *res);

struct http_server {
	struct MHD_Daemon *daemon;
	struct app *app;
};

int http_server_start(struct http_server *srv, struct app *app, struct err *err);
/* Stops accepting connections; requests in progress continue. */
void http_server_quiesce(struct http_server *srv);
void http_server_stop(struct http_server *srv);

#endif
