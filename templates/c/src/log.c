#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = { "debug", "info", "warn", "error" };

/* Set once by log_setup() before threads exist, then only read. */
static struct {
	const char *service;
	enum log_level min_level;
} log_conf = { "acme-payments", LOG_INFO };

void log_setup(const char *service, enum log_level min_level)
{
	log_conf.service = service;
	log_conf.min_level = min_level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

int log_enabled(enum log_level level)
{
	return level >= log_conf.min_level;
}

static void log_timestamp(char out[32])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static void log_write_line(const char *line, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDOUT_FILENO, line, len);
		if (n <= 0)
			return; /* nowhere left to report a failing stdout */
		line += n;
		len -= (size_t)n;
	}
}

void log_json(enum log_level level, const char *msg, json_t *fields)
{
	char ts[32];
	json_t *line;
	char *text;

	if (!log_enabled(level)) {
		json_decref(fields);
		return;
	}
	log_timestamp(ts);
	line = json_pack("{s:s, s:s, s:s, s:s}", "ts", ts, "level",
			 level_names[level], "service", log_conf.service, "msg", msg);
	if (line && fields)
		json_object_update_missing(line, fields);
	json_decref(fields);
	text = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(line);
	if (text) {
		size_t len = strlen(text);

		text[len] = '\n'; /* the NUL's place: the line goes out in one write */
		log_write_line(text, len + 1);
		free(text);
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_json(level, msg, NULL);
}
