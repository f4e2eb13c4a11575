#include <criterion/criterion.h>
#include <stdio.h>

#include "ratelimit.h"

Test(ratelimit, burst_then_refusal_then_refill)
{
	struct ratelimit *rl = ratelimit_new(2.0, 3);
	struct ratelimit_result r;

	for (int i = 0; i < 3; i++) {
		ratelimit_take(rl, "a", 100.0, &r);
		cr_assert(r.allowed, "request %d", i);
		cr_assert_eq(r.remaining, 2 - i);
		cr_assert_eq(r.limit, 3);
	}
	ratelimit_take(rl, "a", 100.0, &r);
	cr_assert_not(r.allowed);
	cr_assert_eq(r.retry_after_s, 1);
	cr_assert_eq(r.reset_s, 2, "3 tokens at 2/s");
	ratelimit_take(rl, "a", 100.5, &r);
	cr_assert(r.allowed, "half a second at 2/s refills one token");
	ratelimit_free(rl);
}

Test(ratelimit, clients_are_independent)
{
	struct ratelimit *rl = ratelimit_new(1.0, 1);
	struct ratelimit_result r;

	ratelimit_take(rl, "a", 0.0, &r);
	ratelimit_take(rl, "a", 0.0, &r);
	cr_assert_not(r.allowed);
	ratelimit_take(rl, "b", 0.0, &r);
	cr_assert(r.allowed);
	ratelimit_free(rl);
}

Test(ratelimit, never_exceeds_the_burst)
{
	struct ratelimit *rl = ratelimit_new(100.0, 5);
	struct ratelimit_result r;

	ratelimit_take(rl, "a", 0.0, &r);
	ratelimit_take(rl, "a", 1000.0, &r);
	cr_assert_eq(r.remaining, 4);
	ratelimit_free(rl);
}

Test(ratelimit, memory_is_bounded_with_many_clients)
{
	struct ratelimit *rl = ratelimit_new(1.0, 1);
	struct ratelimit_result r;
	char key[32];

	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "client-%d", i);
		ratelimit_take(rl, key, (double)i, &r);
		cr_assert(r.allowed);
	}
	ratelimit_take(rl, "client-99999", 99999.0, &r);
	cr_assert_not(r.allowed, "the most recent client is still tracked");
	ratelimit_free(rl);
}
