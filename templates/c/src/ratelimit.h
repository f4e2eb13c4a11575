/* Token buckets per client, in a fixed-size table of lock stripes: memory is
 * bounded whatever the number of clients; a new client takes an empty slot
 * or the stripe's least recently seen one (which then starts full again). */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stdbool.h>

struct ratelimit;

struct ratelimit_result {
	bool allowed;
	long limit;        /* RateLimit-Limit */
	long remaining;    /* RateLimit-Remaining */
	long reset_s;      /* RateLimit-Reset: seconds until full */
	long retry_after_s;/* Retry-After when refused */
};

struct ratelimit *ratelimit_new(double rate_per_s, long burst);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token from key's bucket at time now (seconds, monotonic). */
void ratelimit_take(struct ratelimit *rl, const char *key, double now,
		    struct ratelimit_result *out);

#endif
