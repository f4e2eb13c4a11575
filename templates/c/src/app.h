/* The service's context, built once by main and passed to every handler. */
#ifndef APP_H
#define APP_H

#include <stdatomic.h>

#include "config.h"
#include "fraud.h"
#include "jwt.h"

struct pool;
struct ratelimit;

struct app {
	const struct config *cfg;
	struct pool *pool;
	struct ratelimit *limiter;
	struct fraud_policy fraud;
	struct jwt_config jwt;
	atomic_int draining;   /* SIGTERM received: readiness fails */
	atomic_long in_flight; /* requests between first call and completion */
};

#endif
