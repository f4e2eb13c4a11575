/* Configuration from the environment, validated once at start-up against
 * one table (name, type, default, bounds, help). Every problem is reported,
 * not only the first. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "buf.h"

#define CONFIG_MAX_CURRENCIES 32

/* What a command needs; a variable without a default is required only by
 * the commands that need its group. */
enum config_need {
	NEED_DB = 1,      /* migrate */
	NEED_SERVE = 2,   /* the HTTP service */
	NEED_TOKEN = 4,   /* minting development tokens */
};

struct config {
	long port;
	char *bind_address;
	char *database_url;
	long db_pool_size;
	long db_acquire_timeout_ms;
	long db_statement_timeout_ms;
	long db_connect_timeout_s;
	long http_threads;
	long http_connection_limit;
	long http_connection_timeout_s;
	long http_max_body_bytes;
	long shutdown_drain_timeout_s;
	char *jwt_secret;
	char *jwt_audience;
	char *jwt_issuer;
	long rate_limit_rps;
	long rate_limit_burst;
	long payment_max_amount;
	char *currencies;
	long fraud_review_amount;
	long fraud_max_per_minute;
	char *webhook_secret;
	long webhook_tolerance_s;
	char *outbox_url;
	char *outbox_secret;
	long outbox_max_attempts;
	long outbox_backoff_base_ms;
	long outbox_backoff_max_ms;
	long outbox_poll_interval_ms;
	long outbox_batch_size;
	long outbox_timeout_ms;
	long idempotency_ttl_hours;
	char *log_level;
	char *migrations_dir;

	/* Derived from the above by config_load(). */
	char currency_list[CONFIG_MAX_CURRENCIES][4];
	size_t ncurrencies;
};

typedef const char *(*config_lookup_fn)(const char *name, void *ctx);

/* Fills cfg from lookup (getenv when NULL). Returns the number of problems,
 * each appended to errors as one line "NAME: what is wrong". cfg must be
 * released with config_release() either way. */
int config_load(struct config *cfg, unsigned need, config_lookup_fn lookup,
		void *ctx, struct buf *errors);
void config_release(struct config *cfg);
/* Writes "NAME  default  help" lines for --help. */
void config_describe(struct buf *out);

#endif
