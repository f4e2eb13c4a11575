/* Monotonic time helpers. */
#ifndef CLOCK_H
#define CLOCK_H

#include <time.h>

/* An absolute CLOCK_MONOTONIC deadline ms from now (for condvars set to
 * that clock). */
void clock_deadline(struct timespec *ts, long ms);
double clock_ms_since(const struct timespec *start);
double clock_now_s(void);

#endif
