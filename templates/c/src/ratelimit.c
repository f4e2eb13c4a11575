#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL_STRIPES 64
#define RL_SLOTS 64
#define RL_KEY_MAX 80

struct rl_slot {
	uint64_t hash; /* 0: empty */
	char key[RL_KEY_MAX];
	double tokens;
	double last;
};

struct rl_stripe {
	pthread_mutex_t mu;
	struct rl_slot slots[RL_SLOTS];
};

struct ratelimit {
	double rate;
	double burst;
	struct rl_stripe stripes[RL_STRIPES];
};

static uint64_t rl_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

struct ratelimit *ratelimit_new(double rate_per_s, long burst)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl == NULL)
		return NULL;
	rl->rate = rate_per_s;
	rl->burst = (double)burst;
	for (int i = 0; i < RL_STRIPES; i++)
		pthread_mutex_init(&rl->stripes[i].mu, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	for (int i = 0; i < RL_STRIPES; i++)
		pthread_mutex_destroy(&rl->stripes[i].mu);
	free(rl);
}

static struct rl_slot *rl_find(struct ratelimit *rl, struct rl_stripe *st, uint64_t h,
			       const char *key, double now)
{
	struct rl_slot *victim = &st->slots[0];

	for (int i = 0; i < RL_SLOTS; i++) {
		struct rl_slot *s = &st->slots[i];

		if (s->hash == h && strcmp(s->key, key) == 0)
			return s;
		if (s->hash == 0 || (victim->hash != 0 && s->last < victim->last))
			victim = s;
	}
	victim->hash = h;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->tokens = rl->burst;
	victim->last = now;
	return victim;
}

void ratelimit_take(struct ratelimit *rl, const char *key, double now,
		    struct ratelimit_result *out)
{
	char short_key[RL_KEY_MAX];
	uint64_t h;
	struct rl_stripe *st;
	struct rl_slot *s;

	snprintf(short_key, sizeof(short_key), "%s", key);
	h = rl_hash(short_key);
	st = &rl->stripes[h % RL_STRIPES];
	pthread_mutex_lock(&st->mu);
	s = rl_find(rl, st, h, short_key, now);
	if (now > s->last)
		s->tokens = fmin(rl->burst, s->tokens + (now - s->last) * rl->rate);
	s->last = now;
	out->allowed = s->tokens >= 1.0;
	if (out->allowed)
		s->tokens -= 1.0;
	out->limit = (long)rl->burst;
	out->remaining = (long)floor(s->tokens);
	out->reset_s = (long)ceil((rl->burst - s->tokens) / rl->rate);
	out->retry_after_s = out->allowed ? 0 : (long)fmax(1.0, ceil((1.0 - s->tokens) / rl->rate));
	pthread_mutex_unlock(&st->mu);
}
