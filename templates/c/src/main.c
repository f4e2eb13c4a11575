/* acme-payments: command table and start-up. Each command says which
 * configuration it needs; main loads and validates that configuration
 * (every problem listed, exit 2) before the command runs. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "jwt.h"
#include "log.h"
#include "migrate.h"
#include "serve.h"

#define SERVICE_NAME "acme-payments"
#define SERVICE_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(const struct config *cfg, int argc, char **argv);
	unsigned need; /* enum config_need */
	const char *usage;
};

static int cmd_serve(const struct config *cfg, int argc, char **argv)
{
	struct err err = { 0 };

	(void)argc;
	(void)argv;
	if (serve_run(cfg, &err) == 0)
		return 0;
	log_msg(LOG_ERROR, "cannot serve: %s", err.msg);
	return 1;
}

static int cmd_migrate(const struct config *cfg, int argc, char **argv)
{
	struct err err = { 0 };

	(void)argc;
	(void)argv;
	if (migrate_run(cfg, &err) == 0)
		return 0;
	log_msg(LOG_ERROR, "migration failed: %s", err.msg);
	return 1;
}

/* token SUB [SCOPE] [TTL_SECONDS]: a development token signed with JWT_SECRET. */
static int cmd_token(const struct config *cfg, int argc, char **argv)
{
	struct jwt_config jc = { cfg->jwt_secret, strlen(cfg->jwt_secret), cfg->jwt_audience,
				 cfg->jwt_issuer, 0 };
	long long now = (long long)time(NULL);
	long ttl = argc > 3 ? strtol(argv[3], NULL, 10) : 3600;
	struct buf out = BUF_INIT;
	json_t *claims;
	int rc;

	if (argc < 2 || ttl <= 0) {
		fprintf(stderr, "usage: " SERVICE_NAME " token SUB [SCOPE] [TTL_SECONDS]\n");
		return 2;
	}
	claims = json_pack("{s:s, s:s, s:s, s:I, s:I}", "sub", argv[1], "aud", cfg->jwt_audience,
			   "scope", argc > 2 ? argv[2] : "payments:read payments:write", "iat",
			   (json_int_t)now, "exp", (json_int_t)(now + ttl));
	if (claims && cfg->jwt_issuer[0])
		json_object_set_new(claims, "iss", json_string(cfg->jwt_issuer));
	rc = claims && jwt_sign(&jc, claims, &out) == 0 ? 0 : 1;
	if (rc == 0)
		printf("%s\n", out.data);
	json_decref(claims);
	buf_release(&out);
	return rc;
}

/* For Docker's HEALTHCHECK: no curl binary needed in the image. */
static int cmd_healthcheck(const struct config *cfg, int argc, char **argv)
{
	char url[64];
	long status = 0;
	CURL *h = curl_easy_init();
	CURLcode rc = CURLE_FAILED_INIT;

	(void)argc;
	(void)argv;
	snprintf(url, sizeof(url), "http://127.0.0.1:%ld/health/live", cfg->port);
	if (h) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(h);
	}
	return rc == CURLE_OK && status == 200 ? 0 : 1;
}

static int cmd_version(const struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argc;
	(void)argv;
	printf(SERVICE_NAME " " SERVICE_VERSION "\n");
	return 0;
}

static int cmd_help(const struct config *cfg, int argc, char **argv);

static const struct command commands[] = {
	{ "serve", cmd_serve, NEED_SERVE, "run the HTTP service and the outbox worker (default)" },
	{ "migrate", cmd_migrate, NEED_DB, "apply pending migrations from MIGRATIONS_DIR, then exit" },
	{ "token", cmd_token, NEED_TOKEN, "SUB [SCOPE] [TTL]  print a development JWT" },
	{ "healthcheck", cmd_healthcheck, 0, "exit 0 when /health/live answers on PORT" },
	{ "version", cmd_version, 0, "print the version" },
	{ "help", cmd_help, 0, "this text" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(const struct config *cfg, int argc, char **argv)
{
	struct buf vars = BUF_INIT;

	(void)cfg;
	(void)argc;
	(void)argv;
	printf("usage: " SERVICE_NAME " [COMMAND]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].usage);
	config_describe(&vars);
	printf("\nenvironment (name, default, meaning):\n%s", vars.data);
	buf_release(&vars);
	return 0;
}

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *cmd = command_find(argc > 1 ? argv[1] : "serve");
	struct config cfg;
	struct buf errors = BUF_INIT;
	enum log_level level = LOG_INFO;
	int rc;

	if (cmd == NULL) {
		fprintf(stderr, SERVICE_NAME ": unknown command '%s'; try '" SERVICE_NAME " help'\n", argv[1]);
		return 2;
	}
	if (config_load(&cfg, cmd->need, NULL, NULL, &errors) > 0) {
		fprintf(stderr, SERVICE_NAME ": invalid configuration (see '" SERVICE_NAME " help'):\n%s",
			errors.data);
		buf_release(&errors);
		config_release(&cfg);
		return 2;
	}
	log_level_parse(cfg.log_level, &level);
	log_setup(SERVICE_NAME, level);
	rc = cmd->run(&cfg, argc > 1 ? argc - 1 : 0, argv + 1);
	config_release(&cfg);
	buf_release(&errors);
	if (fflush(stdout) != 0)
		rc = rc ? rc : 1;
	return rc;
}
