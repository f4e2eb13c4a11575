/* `acme-payments serve`: the HTTP service and the outbox worker.
 *
 * SIGTERM/SIGINT are blocked in every thread and taken by sigwait() here,
 * so shutdown runs as ordinary code: readiness turns 503, the listening
 * socket closes, in-flight requests get SHUTDOWN_DRAIN_TIMEOUT_S to
 * finish, then the server, the worker and the pool stop in that order. */
#include "serve.h"

#include <curl/curl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "ratelimit.h"

static int serve_init(struct app *app, const struct config *cfg, struct err *err)
{
	memset(app, 0, sizeof(*app));
	app->cfg = cfg;
	app->fraud = (struct fraud_policy){ cfg->fraud_review_amount, cfg->fraud_max_per_minute,
					    cfg->currency_list, cfg->ncurrencies };
	app->jwt = (struct jwt_config){ cfg->jwt_secret, strlen(cfg->jwt_secret), cfg->jwt_audience,
					cfg->jwt_issuer, 60 };
	app->pool = pool_new(cfg, "acme-payments");
	app->limiter = ratelimit_new((double)cfg->rate_limit_rps, cfg->rate_limit_burst);
	if (app->pool == NULL || app->limiter == NULL)
		return err_set(err, ERR_INTERNAL, "out of memory");
	return 0;
}

static void serve_drain(struct app *app, struct http_server *srv)
{
	const struct config *cfg = app->cfg;
	long waited_ms = 0;

	atomic_store(&app->draining, 1);
	http_server_quiesce(srv);
	while (atomic_load(&app->in_flight) > 0 && waited_ms < cfg->shutdown_drain_timeout_s * 1000) {
		struct timespec step = { 0, 50 * 1000000L };

		nanosleep(&step, NULL);
		waited_ms += 50;
	}
	if (atomic_load(&app->in_flight) > 0)
		log_json(LOG_WARN, "drain timeout; closing remaining requests",
			 json_pack("{s:I}", "in_flight", (json_int_t)atomic_load(&app->in_flight)));
}

static int serve_wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigwait(&set, &sig);
	return sig;
}

static void serve_block_signals(void)
{
	sigset_t set;

	/* Before any thread starts, so every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int serve_run(const struct config *cfg, struct err *err)
{
	struct app app;
	struct http_server srv = { 0 };
	struct outbox *ob = NULL;
	int sig;

	serve_block_signals();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (serve_init(&app, cfg, err) == 0 && http_server_start(&srv, &app, err) == 0 &&
	    (ob = outbox_start(&app)) == NULL)
		err_set(err, ERR_INTERNAL, "cannot start the outbox worker");
	if (err->kind == ERR_OK) {
		log_json(LOG_INFO, "listening",
			 json_pack("{s:s, s:I, s:I, s:I}", "address", cfg->bind_address, "port",
				   (json_int_t)cfg->port, "threads", (json_int_t)cfg->http_threads,
				   "pool_size", (json_int_t)cfg->db_pool_size));
		sig = serve_wait_for_signal();
		log_json(LOG_INFO, "shutting down", json_pack("{s:s}", "signal", strsignal(sig)));
		serve_drain(&app, &srv);
	}
	http_server_stop(&srv);
	outbox_stop(ob);
	pool_free(app.pool);
	ratelimit_free(app.limiter);
	curl_global_cleanup();
	if (err->kind == ERR_OK)
		log_msg(LOG_INFO, "shutdown complete");
	return err->kind;
}
