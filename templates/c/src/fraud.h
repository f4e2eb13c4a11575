/* Fraud rules as data: each rule is one row (code, outcome, predicate) in
 * fraud.c; the strongest outcome of the rules that fire is the decision,
 * and every rule that fired is a reason. Pure: the caller supplies the
 * customer's recent count and block-list status. */
#ifndef FRAUD_H
#define FRAUD_H

#include <stdbool.h>
#include <stddef.h>

enum fraud_outcome {
	FRAUD_APPROVE, /* ordered by strength */
	FRAUD_REVIEW,
	FRAUD_DECLINE,
	FRAUD_REJECT,  /* not a payment at all: 422 before anything is stored */
};

#define FRAUD_MAX_REASONS 8

struct fraud_policy {
	long long review_amount;     /* amount > this: review */
	long max_per_minute;         /* recent_count >= this: decline */
	const char (*currencies)[4]; /* allow-list */
	size_t ncurrencies;
};

struct fraud_input {
	long long amount;
	const char *currency;
	bool have_history;  /* false: rules needing recent_count/blocked are skipped */
	long recent_count;  /* the customer's payments in the last 60 s */
	bool blocked;       /* customer on the block list */
};

struct fraud_result {
	enum fraud_outcome outcome;
	const char *reasons[FRAUD_MAX_REASONS];
	size_t nreasons;
};

void fraud_evaluate(const struct fraud_policy *policy, const struct fraud_input *in,
		    struct fraud_result *out);
int fraud_currency_allowed(const struct fraud_policy *policy, const char *currency);
/* "approved", "review", "declined" (REJECT has no stored decision). */
const char *fraud_decision_name(enum fraud_outcome outcome);
/* The payment status a decision leads to. */
const char *fraud_status_name(enum fraud_outcome outcome);

#endif
