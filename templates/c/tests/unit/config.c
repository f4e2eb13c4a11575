#include <criterion/criterion.h>
#include <string.h>

#include "config.h"

/* A fake environment: NULL-terminated name/value pairs. */
static const char *lookup(const char *name, void *ctx)
{
	const char *const *env = ctx;

	for (; env[0]; env += 2)
		if (strcmp(env[0], name) == 0)
			return env[1];
	return NULL;
}

static int load(const char *const *env, unsigned need, struct config *cfg, struct buf *errors)
{
	return config_load(cfg, need, lookup, (void *)env, errors);
}

#define REQUIRED "DATABASE_URL", "postgresql:///x", "JWT_SECRET", "0123456789abcdef0123456789abcdef", \
		 "WEBHOOK_SECRET", "whsec_0123456789ab"

Test(config, defaults_apply)
{
	const char *env[] = { REQUIRED, NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_SERVE, &cfg, &errors), 0, "%s", errors.data);
	cr_assert_eq(cfg.port, 8080);
	cr_assert_eq(cfg.payment_max_amount, 1000000);
	cr_assert_str_eq(cfg.jwt_audience, "acme-payments");
	cr_assert_eq(cfg.ncurrencies, 3);
	cr_assert_str_eq(cfg.currency_list[1], "EUR");
	cr_assert_str_eq(cfg.outbox_url, "");
	config_release(&cfg);
	buf_release(&errors);
}

Test(config, every_problem_is_reported_by_name)
{
	const char *env[] = { "PORT", "80a", "HTTP_THREADS", "0", "JWT_SECRET", "short",
			      "CURRENCIES", "USD,euro", NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_SERVE, &cfg, &errors), 5, "%s", errors.data);
	cr_assert_not_null(strstr(errors.data, "PORT: must be an integer from 1 to 65535, got '80a'"));
	cr_assert_not_null(strstr(errors.data, "HTTP_THREADS:"));
	cr_assert_not_null(strstr(errors.data, "JWT_SECRET: too short"));
	cr_assert_not_null(strstr(errors.data, "DATABASE_URL: required"));
	cr_assert_not_null(strstr(errors.data, "WEBHOOK_SECRET: required"));
	config_release(&cfg);
	buf_release(&errors);
}

Test(config, requirements_follow_the_command)
{
	const char *env[] = { "DATABASE_URL", "postgresql:///x", NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_DB, &cfg, &errors), 0, "migrate needs no secrets: %s", errors.data);
	config_release(&cfg);
	cr_assert_eq(load(env, NEED_TOKEN, &cfg, &errors), 1);
	cr_assert_not_null(strstr(errors.data, "JWT_SECRET: required"));
	config_release(&cfg);
	buf_release(&errors);
}

Test(config, cross_field_checks)
{
	const char *env[] = { REQUIRED, "OUTBOX_URL", "https://hooks.example/x", "LOG_LEVEL", "loud",
			      "OUTBOX_BACKOFF_BASE_MS", "5000", "OUTBOX_BACKOFF_MAX_MS", "100", NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_SERVE, &cfg, &errors), 3, "%s", errors.data);
	cr_assert_not_null(strstr(errors.data, "OUTBOX_SECRET: required when OUTBOX_URL is set"));
	cr_assert_not_null(strstr(errors.data, "LOG_LEVEL"));
	cr_assert_not_null(strstr(errors.data, "OUTBOX_BACKOFF_BASE_MS"));
	config_release(&cfg);
	buf_release(&errors);
}

Test(config, urls_must_be_http)
{
	const char *env[] = { REQUIRED, "OUTBOX_URL", "file:///etc/passwd", NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_SERVE, &cfg, &errors), 1);
	cr_assert_not_null(strstr(errors.data, "OUTBOX_URL: must be an http:// or https:// URL"));
	config_release(&cfg);
	buf_release(&errors);
}

Test(config, bounds_are_inclusive)
{
	const char *env[] = { REQUIRED, "PORT", "65535", "DB_POOL_SIZE", "2", NULL };
	const char *bad[] = { REQUIRED, "PORT", "65536", "DB_POOL_SIZE", "1", NULL };
	struct config cfg;
	struct buf errors = BUF_INIT;

	cr_assert_eq(load(env, NEED_SERVE, &cfg, &errors), 0, "%s", errors.data);
	cr_assert_eq(cfg.port, 65535);
	config_release(&cfg);
	cr_assert_eq(load(bad, NEED_SERVE, &cfg, &errors), 2);
	config_release(&cfg);
	buf_release(&errors);
}
