/* Structured logs: one JSON object per line on stdout, written with a single
 * write(2) so lines from different threads never interleave. */
#ifndef LOG_H
#define LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Called once at start-up, before any thread starts; read-only afterwards. */
void log_setup(const char *service, enum log_level min_level);
int log_level_parse(const char *s, enum log_level *out);
int log_enabled(enum log_level level);
/* Writes ts, level, service, msg and the members of fields (stolen, may be NULL). */
void log_json(enum log_level level, const char *msg, json_t *fields);
__attribute__((format(printf, 2, 3)))
void log_msg(enum log_level level, const char *fmt, ...);

#endif
