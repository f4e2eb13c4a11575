/* GET /health/live: the process answers. GET /health/ready: a pooled
 * connection runs SELECT 1 within a second (reconnecting after a database
 * restart); 503 problem with the failing check otherwise, and while the
 * service shuts down. */
#include <time.h>

#include "app.h"
#include "clock.h"
#include "db.h"
#include "handlers.h"
#include "http.h"

#define READY_ACQUIRE_MS 1000

static const struct db_statement stmt_ping = { "health_ping", "SELECT 1" };

void health_live(struct app *app, struct request *req)
{
	(void)app;
	response_json(&req->response, 200, json_pack("{s:s}", "status", "ok"));
}

static void health_not_ready(struct request *req, const char *detail, json_t *checks)
{
	json_t *problem = problem_new(PROBLEM_NOT_READY, detail, req->path, req->request_id);

	json_object_set_new(problem, "checks", checks);
	response_header(&req->response, "Retry-After", "1");
	response_problem_json(&req->response, problem);
}

void health_ready(struct app *app, struct request *req)
{
	struct pool_conn *conn = NULL;
	struct err err = { 0 };
	struct timespec t0;
	long timeout = app->cfg->db_acquire_timeout_ms < READY_ACQUIRE_MS
			       ? app->cfg->db_acquire_timeout_ms : READY_ACQUIRE_MS;

	if (atomic_load(&app->draining)) {
		health_not_ready(req, "the service is shutting down",
				 json_pack("{s:{s:s}}", "database", "status", "unknown"));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pool_acquire(app->pool, timeout, &conn, &err) == 0) {
		db_query(conn, &stmt_ping, 0, NULL, NULL, &err);
		pool_release(app->pool, conn);
	}
	if (err.kind != ERR_OK) {
		health_not_ready(req, "the database is not reachable",
				 json_pack("{s:{s:s, s:s}}", "database", "status", "down", "error", err.msg));
		return;
	}
	response_json(&req->response, 200,
		      json_pack("{s:s, s:{s:{s:s, s:f}}}", "status", "ready", "checks", "database",
				"status", "up", "latency_ms", clock_ms_since(&t0)));
}
