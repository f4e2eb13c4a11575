#include "config.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum config_kind { CV_INT, CV_STR, CV_SECRET, CV_URL };

struct config_var {
	const char *name;
	enum config_kind kind;
	unsigned need;        /* groups that require it when it has no default */
	const char *def;      /* NULL: no default */
	long min, max;        /* integer bounds; for secrets min is the length */
	size_t offset;
	const char *help;
};

#define INT_VAR(n, f, d, lo, hi, h) { n, CV_INT, 0, d, lo, hi, offsetof(struct config, f), h }
#define STR_VAR(n, f, need, d, h) { n, CV_STR, need, d, 0, 0, offsetof(struct config, f), h }

static const struct config_var config_vars[] = {
	INT_VAR("PORT", port, "8080", 1, 65535, "TCP port to listen on"),
	STR_VAR("BIND_ADDRESS", bind_address, 0, "0.0.0.0", "IPv4 address to bind"),
	STR_VAR("DATABASE_URL", database_url, NEED_DB | NEED_SERVE, NULL,
		"libpq connection URI, e.g. postgresql://app:secret@db:5432/acme_payments"),
	INT_VAR("DB_POOL_SIZE", db_pool_size, "8", 2, 200, "pooled connections (HTTP threads + worker + headroom)"),
	INT_VAR("DB_ACQUIRE_TIMEOUT_MS", db_acquire_timeout_ms, "2000", 10, 60000, "wait for a free connection before 503"),
	INT_VAR("DB_STATEMENT_TIMEOUT_MS", db_statement_timeout_ms, "3000", 100, 600000, "statement_timeout set on every connection"),
	INT_VAR("DB_CONNECT_TIMEOUT_S", db_connect_timeout_s, "3", 2, 60, "libpq connect_timeout (libpq's minimum is 2)"),
	INT_VAR("HTTP_THREADS", http_threads, "4", 1, 256, "libmicrohttpd worker threads"),
	INT_VAR("HTTP_CONNECTION_LIMIT", http_connection_limit, "1024", 1, 65536, "concurrent connections"),
	INT_VAR("HTTP_CONNECTION_TIMEOUT_S", http_connection_timeout_s, "15", 1, 3600, "idle or slow connections are closed after this"),
	INT_VAR("HTTP_MAX_BODY_BYTES", http_max_body_bytes, "65536", 256, 16777216, "request bodies above this get 413"),
	INT_VAR("SHUTDOWN_DRAIN_TIMEOUT_S", shutdown_drain_timeout_s, "20", 0, 600, "wait for in-flight requests on SIGTERM"),
	{ "JWT_SECRET", CV_SECRET, NEED_SERVE | NEED_TOKEN, NULL, 32, 0, offsetof(struct config, jwt_secret),
	  "HS256 key, at least 32 bytes (openssl rand -hex 32)" },
	STR_VAR("JWT_AUDIENCE", jwt_audience, 0, "acme-payments", "required aud claim"),
	STR_VAR("JWT_ISSUER", jwt_issuer, 0, "", "required iss claim when set"),
	INT_VAR("RATE_LIMIT_RPS", rate_limit_rps, "20", 1, 1000000, "token refill per second per client"),
	INT_VAR("RATE_LIMIT_BURST", rate_limit_burst, "40", 1, 1000000, "bucket size per client"),
	INT_VAR("PAYMENT_MAX_AMOUNT", payment_max_amount, "1000000", 1, 1000000000000L, "largest amount in minor units"),
	STR_VAR("CURRENCIES", currencies, 0, "USD,EUR,GBP", "allowed ISO 4217 codes, comma-separated"),
	INT_VAR("FRAUD_REVIEW_AMOUNT", fraud_review_amount, "100000", 1, 1000000000000L, "amounts above this go to review"),
	INT_VAR("FRAUD_MAX_PER_MINUTE", fraud_max_per_minute, "5", 1, 100000, "payments per customer per sliding minute before decline"),
	{ "WEBHOOK_SECRET", CV_SECRET, NEED_SERVE, NULL, 16, 0, offsetof(struct config, webhook_secret),
	  "HMAC key of the provider's incoming webhooks, at least 16 bytes" },
	INT_VAR("WEBHOOK_TOLERANCE_S", webhook_tolerance_s, "300", 1, 3600, "oldest accepted webhook timestamp"),
	{ "OUTBOX_URL", CV_URL, 0, "", 0, 0, offsetof(struct config, outbox_url),
	  "where the outbox worker POSTs events; empty: events stay queued" },
	STR_VAR("OUTBOX_SECRET", outbox_secret, 0, "", "HMAC key for outgoing webhook signatures (required with OUTBOX_URL)"),
	INT_VAR("OUTBOX_MAX_ATTEMPTS", outbox_max_attempts, "8", 1, 100, "attempts before an event is dead-lettered"),
	INT_VAR("OUTBOX_BACKOFF_BASE_MS", outbox_backoff_base_ms, "1000", 1, 3600000, "first retry delay, doubled per attempt"),
	INT_VAR("OUTBOX_BACKOFF_MAX_MS", outbox_backoff_max_ms, "300000", 1, 86400000, "retry delay cap"),
	INT_VAR("OUTBOX_POLL_INTERVAL_MS", outbox_poll_interval_ms, "1000", 10, 60000, "idle poll interval"),
	INT_VAR("OUTBOX_BATCH_SIZE", outbox_batch_size, "10", 1, 1000, "events claimed per round"),
	INT_VAR("OUTBOX_TIMEOUT_MS", outbox_timeout_ms, "5000", 100, 60000, "timeout of one delivery"),
	INT_VAR("IDEMPOTENCY_TTL_HOURS", idempotency_ttl_hours, "24", 1, 8760, "how long stored responses are kept"),
	STR_VAR("LOG_LEVEL", log_level, 0, "info", "debug, info, warn or error"),
	STR_VAR("MIGRATIONS_DIR", migrations_dir, 0, "migrations", "directory of NNNN_name.sql files"),
};

#define NVARS (sizeof(config_vars) / sizeof(config_vars[0]))

/* Appends one problem line; returns 1 so callers can count. */
__attribute__((format(printf, 2, 3)))
static int config_problem(struct buf *errors, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(errors, fmt, ap);
	va_end(ap);
	buf_puts(errors, "\n");
	return 1;
}

static const char *config_getenv(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

static int config_parse_long(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || isspace((unsigned char)*s))
		return -1;
	*out = v;
	return 0;
}

static int config_set_int(struct config *cfg, const struct config_var *v,
			  const char *raw, struct buf *errors)
{
	long val;

	if (config_parse_long(raw, &val) != 0 || val < v->min || val > v->max) {
		return config_problem(errors, "%s: must be an integer from %ld to %ld, got '%s'",
				      v->name, v->min, v->max, raw);
	}
	*(long *)((char *)cfg + v->offset) = val;
	return 0;
}

static int config_set_str(struct config *cfg, const struct config_var *v,
			  const char *raw, struct buf *errors)
{
	char **slot = (char **)((char *)cfg + v->offset);

	if (v->kind == CV_SECRET && raw[0] != '\0' && strlen(raw) < (size_t)v->min) {
		return config_problem(errors, "%s: too short (%zu bytes), need at least %ld",
				      v->name, strlen(raw), v->min);
	}
	if (v->kind == CV_URL && raw[0] != '\0' && strncmp(raw, "http://", 7) != 0 &&
	    strncmp(raw, "https://", 8) != 0) {
		return config_problem(errors, "%s: must be an http:// or https:// URL, got '%s'",
				      v->name, raw);
	}
	*slot = strdup(raw);
	if (*slot == NULL)
		return config_problem(errors, "%s: out of memory", v->name);
	return 0;
}

static int config_load_var(struct config *cfg, const struct config_var *v,
			   unsigned need, const char *raw, struct buf *errors)
{
	if (raw == NULL || raw[0] == '\0')
		raw = v->def;
	if (raw == NULL) {
		if (v->need & need)
			return config_problem(errors, "%s: required (%s)", v->name, v->help);
		raw = "";
	}
	if (v->kind == CV_INT)
		return config_set_int(cfg, v, raw, errors);
	return config_set_str(cfg, v, raw, errors);
}

static int config_parse_currencies(struct config *cfg, struct buf *errors)
{
	const char *p = cfg->currencies;

	cfg->ncurrencies = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int ok = n == 3 && cfg->ncurrencies < CONFIG_MAX_CURRENCIES;

		for (size_t i = 0; ok && i < 3; i++)
			ok = p[i] >= 'A' && p[i] <= 'Z';
		if (!ok)
			return config_problem(errors, "CURRENCIES: '%.*s' is not an ISO 4217 code (three capital letters, at most %d codes)",
					      (int)n, p, CONFIG_MAX_CURRENCIES);
		memcpy(cfg->currency_list[cfg->ncurrencies++], p, 4);
		cfg->currency_list[cfg->ncurrencies - 1][3] = '\0';
		p += n + (p[n] == ',');
	}
	if (cfg->ncurrencies == 0)
		return config_problem(errors, "CURRENCIES: at least one currency is needed");
	return 0;
}

static int config_cross_check(struct config *cfg, struct buf *errors)
{
	int problems = 0;

	enum log_level level;

	if (log_level_parse(cfg->log_level, &level) != 0)
		problems += config_problem(errors, "LOG_LEVEL: must be debug, info, warn or error, got '%s'",
					   cfg->log_level);
	if (cfg->outbox_url[0] != '\0' && cfg->outbox_secret[0] == '\0')
		problems += config_problem(errors, "OUTBOX_SECRET: required when OUTBOX_URL is set");
	if (cfg->outbox_backoff_base_ms > cfg->outbox_backoff_max_ms)
		problems += config_problem(errors, "OUTBOX_BACKOFF_BASE_MS: must not exceed OUTBOX_BACKOFF_MAX_MS");
	return problems + config_parse_currencies(cfg, errors);
}

int config_load(struct config *cfg, unsigned need, config_lookup_fn lookup,
		void *ctx, struct buf *errors)
{
	int problems = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (lookup == NULL)
		lookup = config_getenv;
	for (size_t i = 0; i < NVARS; i++)
		problems += config_load_var(cfg, &config_vars[i], need,
					    lookup(config_vars[i].name, ctx), errors);
	if (problems == 0)
		problems += config_cross_check(cfg, errors);
	return problems;
}

void config_release(struct config *cfg)
{
	for (size_t i = 0; i < NVARS; i++) {
		if (config_vars[i].kind != CV_INT) {
			char **slot = (char **)((char *)cfg + config_vars[i].offset);

			free(*slot);
			*slot = NULL;
		}
	}
}

void config_describe(struct buf *out)
{
	for (size_t i = 0; i < NVARS; i++) {
		const struct config_var *v = &config_vars[i];

		buf_printf(out, "  %-26s %-14s %s\n", v->name,
			   v->def ? (v->def[0] ? v->def : "(empty)") : "(required)", v->help);
	}
}
