#include "router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "handlers.h"
#include "jwt.h"
#include "ratelimit.h"

#define SCOPE_READ "payments:read"
#define SCOPE_WRITE "payments:write"

enum route_flags {
	ROUTE_UNLIMITED = 1, /* health probes: no rate limit */
	ROUTE_JSON_BODY = 2, /* needs Content-Type: application/json */
};

struct route {
	const char *method;
	const char *pattern; /* "{id}" matches one path segment */
	void (*handler)(struct app *app, struct request *req);
	const char *scope;   /* NULL: no bearer token (health, signed webhook) */
	unsigned flags;
};

static const struct route routes[] = {
	{ "GET", "/health/live", health_live, NULL, ROUTE_UNLIMITED },
	{ "GET", "/health/ready", health_ready, NULL, ROUTE_UNLIMITED },
	{ "POST", "/v1/payments", payments_create, SCOPE_WRITE, ROUTE_JSON_BODY },
	{ "GET", "/v1/payments", payments_list, SCOPE_READ, 0 },
	{ "GET", "/v1/payments/{id}", payments_get, SCOPE_READ, 0 },
	{ "POST", "/v1/payments/{id}/refunds", refunds_create, SCOPE_WRITE, ROUTE_JSON_BODY },
	{ "POST", "/v1/webhooks/provider", webhooks_provider, NULL, ROUTE_JSON_BODY },
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* 1 when path matches pattern; the {id} segment is copied to param. */
static int router_match(const char *pattern, const char *path, char *param, size_t size)
{
	while (*pattern && *path) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			size_t n = strcspn(path, "/");

			if (n == 0 || n >= size)
				return 0;
			memcpy(param, path, n);
			param[n] = '\0';
			pattern += 4;
			path += n;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

/* HEAD is served by every GET route; libmicrohttpd drops the body. */
static int router_method_matches(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* The route for req, or NULL; allow collects the methods the path has. */
static const struct route *router_find(struct request *req, char *allow, size_t size)
{
	char param[sizeof(req->path_param)];
	const struct route *found = NULL;

	allow[0] = '\0';
	for (size_t i = 0; i < NROUTES; i++) {
		if (!router_match(routes[i].pattern, req->path, param, sizeof(param)))
			continue;
		if (router_method_matches(routes[i].method, req->method) && found == NULL) {
			found = &routes[i];
			memcpy(req->path_param, param, sizeof(param));
		}
		snprintf(allow + strlen(allow), size - strlen(allow), "%s%s",
			 allow[0] ? ", " : "", routes[i].method);
	}
	return found;
}

static enum jwt_status router_verify_token(struct app *app, struct request *req,
					   struct jwt_claims *claims)
{
	const char *h = request_header(req, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return JWT_MALFORMED;
	return jwt_verify(&app->jwt, h + 7, (long long)time(NULL), claims);
}

/* 1 when the client may go on; otherwise the 429 is in req->response. */
static int router_rate_limit(struct app *app, struct request *req, const char *client)
{
	struct response *res = &req->response;
	struct ratelimit_result rl;

	ratelimit_take(app->limiter, client, clock_now_s(), &rl);
	response_header(res, "RateLimit-Limit", "%ld", rl.limit);
	response_header(res, "RateLimit-Remaining", "%ld", rl.remaining);
	response_header(res, "RateLimit-Reset", "%ld", rl.reset_s);
	if (rl.allowed)
		return 1;
	response_header(res, "Retry-After", "%ld", rl.retry_after_s);
	response_problem(res, req, PROBLEM_RATE_LIMITED,
			 "rate limit of %ld requests exceeded; retry in %ld s", rl.limit,
			 rl.retry_after_s);
	return 0;
}

static int router_authorize(struct request *req, const char *scope, enum jwt_status st,
			    const struct jwt_claims *claims)
{
	struct response *res = &req->response;

	if (st != JWT_OK) {
		if (request_header(req, "Authorization") == NULL)
			response_header(res, "WWW-Authenticate", "Bearer realm=\"acme-payments\"");
		else
			response_header(res, "WWW-Authenticate",
					"Bearer realm=\"acme-payments\", error=\"invalid_token\", error_description=\"%s\"",
					jwt_status_message(st));
		response_problem(res, req, PROBLEM_UNAUTHORIZED, "%s",
				 request_header(req, "Authorization") ? jwt_status_message(st)
								      : "a bearer token is required");
		return 0;
	}
	if (!jwt_has_scope(claims, scope)) {
		response_header(res, "WWW-Authenticate",
				"Bearer realm=\"acme-payments\", error=\"insufficient_scope\", scope=\"%s\"",
				scope);
		response_problem(res, req, PROBLEM_FORBIDDEN, "this operation needs scope '%s'", scope);
		return 0;
	}
	return 1;
}

static int router_json_body(struct request *req)
{
	const char *ct = request_header(req, "Content-Type");
	size_t n = strlen("application/json");

	if (ct && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
		return 1;
	response_problem(&req->response, req, PROBLEM_UNSUPPORTED_MEDIA_TYPE,
			 "send the body as application/json (got '%s')", ct ? ct : "no Content-Type");
	return 0;
}

void router_dispatch(struct app *app, struct request *req)
{
	char allow[64], client[PRINCIPAL_MAX + 8];
	const struct route *r = router_find(req, allow, sizeof(allow));
	struct jwt_claims claims;
	enum jwt_status st = JWT_MALFORMED;

	if (r == NULL) {
		if (allow[0]) {
			response_header(&req->response, "Allow", "%s", allow);
			response_problem(&req->response, req, PROBLEM_METHOD_NOT_ALLOWED,
					 "%s is not allowed on %s; use %s", req->method, req->path, allow);
		} else {
			response_problem(&req->response, req, PROBLEM_NOT_FOUND, "no route for %s", req->path);
		}
		return;
	}
	req->route = r->pattern;
	if (r->scope)
		st = router_verify_token(app, req, &claims);
	if (st == JWT_OK)
		snprintf(req->principal, sizeof(req->principal), "%s", claims.sub);
	snprintf(client, sizeof(client), st == JWT_OK ? "sub:%s" : "ip:%s",
		 st == JWT_OK ? claims.sub : req->client_ip);
	if (!(r->flags & ROUTE_UNLIMITED) && !router_rate_limit(app, req, client))
		return;
	if (r->scope && !router_authorize(req, r->scope, st, &claims))
		return;
	if ((r->flags & ROUTE_JSON_BODY) && !router_json_body(req))
		return;
	r->handler(app, req);
}
