#include "fraud.h"

#include <string.h>

struct fraud_rule {
	const char *code;
	enum fraud_outcome outcome;
	bool needs_history;
	bool (*fires)(const struct fraud_policy *p, const struct fraud_input *in);
};

static bool rule_currency(const struct fraud_policy *p, const struct fraud_input *in)
{
	return !fraud_currency_allowed(p, in->currency);
}

static bool rule_blocked(const struct fraud_policy *p, const struct fraud_input *in)
{
	(void)p;
	return in->blocked;
}

static bool rule_velocity(const struct fraud_policy *p, const struct fraud_input *in)
{
	return in->recent_count >= p->max_per_minute;
}

static bool rule_amount(const struct fraud_policy *p, const struct fraud_input *in)
{
	return in->amount > p->review_amount;
}

static const struct fraud_rule fraud_rules[] = {
	{ "currency_not_allowed", FRAUD_REJECT, false, rule_currency },
	{ "customer_blocked", FRAUD_DECLINE, true, rule_blocked },
	{ "velocity_exceeded", FRAUD_DECLINE, true, rule_velocity },
	{ "amount_above_review_threshold", FRAUD_REVIEW, false, rule_amount },
};

int fraud_currency_allowed(const struct fraud_policy *p, const char *currency)
{
	for (size_t i = 0; currency && i < p->ncurrencies; i++)
		if (strcmp(p->currencies[i], currency) == 0)
			return 1;
	return 0;
}

void fraud_evaluate(const struct fraud_policy *policy, const struct fraud_input *in,
		    struct fraud_result *out)
{
	out->outcome = FRAUD_APPROVE;
	out->nreasons = 0;
	for (size_t i = 0; i < sizeof(fraud_rules) / sizeof(fraud_rules[0]); i++) {
		const struct fraud_rule *r = &fraud_rules[i];

		if (r->needs_history && !in->have_history)
			continue;
		if (!r->fires(policy, in))
			continue;
		if (r->outcome > out->outcome)
			out->outcome = r->outcome;
		if (out->nreasons < FRAUD_MAX_REASONS)
			out->reasons[out->nreasons++] = r->code;
	}
}

const char *fraud_decision_name(enum fraud_outcome outcome)
{
	static const char *const names[] = { "approved", "review", "declined", "rejected" };

	return names[outcome];
}

const char *fraud_status_name(enum fraud_outcome outcome)
{
	static const char *const names[] = { "captured", "requires_review", "declined", "rejected" };

	return names[outcome];
}
