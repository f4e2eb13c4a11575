/* libmicrohttpd glue. One struct request per HTTP request, created on the
 * access handler's first call and freed when libmicrohttpd reports the
 * request complete (where its log line is written).
 *
 * The response is queued on a later call of the access handler, never the
 * first: libmicrohttpd 0.9.75 answers "Connection: close" to a response
 * queued on the first call, which would cost a TCP handshake per request.
 * The one exception is a body announced larger than the limit, where
 * closing the connection is what we want. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "log.h"
#include "router.h"

#define HTTP_DISCARD_FACTOR 16

const char *request_header(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *request_query(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static void http_client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(out, size, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

static struct request *http_request_new(struct app *app, struct MHD_Connection *conn,
					const char *method, const char *url)
{
	struct request *req = calloc(1, sizeof(*req));
	const char *rid;

	if (req == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	req->conn = conn;
	req->method = method;
	req->path = url;
	req->route = "unmatched";
	buf_init(&req->body, (size_t)app->cfg->http_max_body_bytes);
	rid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	if (request_id_valid(rid))
		snprintf(req->request_id, sizeof(req->request_id), "%s", rid);
	else
		request_id_generate(req->request_id);
	trace_start(&req->trace, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "traceparent"));
	http_client_ip(conn, req->client_ip, sizeof(req->client_ip));
	atomic_fetch_add(&app->in_flight, 1);
	return req;
}

static enum MHD_Result http_queue(struct request *req)
{
	struct response *res = &req->response;
	struct MHD_Response *r;
	char traceparent[56];
	enum MHD_Result rc;

	r = MHD_create_response_from_buffer(res->body_len, res->body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		return MHD_NO;
	res->body = NULL; /* libmicrohttpd owns it now */
	if (res->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	MHD_add_response_header(r, "X-Request-Id", req->request_id);
	trace_format(&req->trace, traceparent);
	MHD_add_response_header(r, "traceparent", traceparent);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	for (size_t i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	rc = MHD_queue_response(req->conn, (unsigned int)res->status, r);
	MHD_destroy_response(r);
	req->responded = 1;
	return rc;
}

static enum MHD_Result http_too_large(struct request *req, long max)
{
	response_problem(&req->response, req, PROBLEM_TOO_LARGE,
			 "request body exceeds %ld bytes", max);
	return http_queue(req);
}

/* libmicrohttpd cannot queue a response in the middle of an upload, so a
 * chunked body over the limit is read and dropped until it ends (413), or
 * the connection is cut once it passes HTTP_DISCARD_FACTOR times the limit. */
static enum MHD_Result http_receive(struct request *req, const char *data, size_t *size,
				    long max)
{
	if (!req->body_too_large && buf_append(&req->body, data, *size) != 0) {
		req->body_too_large = 1;
		buf_release(&req->body);
	}
	if (req->body_too_large) {
		req->discarded += *size;
		if (req->discarded > (size_t)max * HTTP_DISCARD_FACTOR)
			return MHD_NO;
	}
	*size = 0;
	return MHD_YES;
}

/* A Content-Length above the limit is refused before the body is read. */
static int http_announced_too_large(struct MHD_Connection *conn, long max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	return cl && strtoll(cl, NULL, 10) > max;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn, const char *url,
				   const char *method, const char *version,
				   const char *upload_data, size_t *upload_data_size,
				   void **con_cls)
{
	struct app *app = cls;
	struct request *req = *con_cls;
	long max = app->cfg->http_max_body_bytes;

	(void)version;
	if (req == NULL) {
		req = http_request_new(app, conn, method, url);
		if (req == NULL)
			return MHD_NO;
		*con_cls = req;
		if (http_announced_too_large(conn, max))
			return http_too_large(req, max);
		return MHD_YES;
	}
	if (req->responded) {
		*upload_data_size = 0; /* discard the rest of a refused body */
		return MHD_YES;
	}
	if (*upload_data_size > 0)
		return http_receive(req, upload_data, upload_data_size, max);
	if (req->body_too_large)
		return http_too_large(req, max);
	router_dispatch(app, req);
	return http_queue(req);
}

static void http_log_request(const struct request *req, enum MHD_RequestTerminationCode toe)
{
	int status = req->response.status;
	enum log_level level = status >= 500 || toe != MHD_REQUEST_TERMINATED_COMPLETED_OK
				       ? LOG_WARN : LOG_INFO;
	json_t *fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:f, s:s, s:s}",
				   "request_id", req->request_id, "trace_id", req->trace.trace_id,
				   "method", req->method, "route", req->route, "path", req->path,
				   "status", status, "duration_ms", clock_ms_since(&req->started),
				   "client", req->client_ip, "principal", req->principal);

	if (fields && toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		json_object_set_new(fields, "termination", json_integer(toe));
	log_json(level, "request", fields);
}

static void http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			   enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct request *req = *con_cls;

	(void)conn;
	if (req == NULL)
		return;
	http_log_request(req, toe);
	buf_release(&req->body);
	response_release(&req->response);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&app->in_flight, 1);
}

static void http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_msg(LOG_WARN, "libmicrohttpd: %s", msg);
}

int http_server_start(struct http_server *srv, struct app *app, struct err *err)
{
	const struct config *cfg = app->cfg;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port) };

	if (inet_pton(AF_INET, cfg->bind_address, &addr.sin_addr) != 1)
		return err_set(err, ERR_INVALID, "BIND_ADDRESS '%s' is not an IPv4 address",
			       cfg->bind_address);
	srv->app = app;
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
		(uint16_t)cfg->port, NULL, NULL, http_access, app,
		MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->http_threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->http_connection_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->http_connection_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, http_completed, app,
		MHD_OPTION_END);
	if (srv->daemon == NULL)
		return err_set(err, ERR_UNAVAILABLE, "cannot listen on %s:%ld (port in use?)",
			       cfg->bind_address, cfg->port);
	return 0;
}

void http_server_quiesce(struct http_server *srv)
{
	MHD_socket fd;

	if (srv->daemon == NULL)
		return;
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd); /* ours to close: new connections are refused from here on */
}

void http_server_stop(struct http_server *srv)
{
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
}
