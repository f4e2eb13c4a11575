/* Request body validation for payments and refunds. Pure: each problem
 * becomes one errors[] entry of the given problem document, so a client
 * sees every mistake at once. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <jansson.h>

#include "fraud.h"

#define CUSTOMER_ID_MAX 64
#define METADATA_MAX_KEYS 20
#define METADATA_KEY_MAX 40
#define METADATA_VALUE_MAX 500
#define REFUND_REASON_MAX 200

struct payment_input {
	long long amount;
	char currency[4];
	char customer_id[CUSTOMER_ID_MAX + 1];
	const json_t *metadata; /* borrowed from the body; an object */
};

struct refund_input {
	long long amount;
	const char *reason; /* borrowed; NULL when absent */
};

/* Returns the number of errors added to problem. */
int validate_payment(const json_t *body, long long max_amount,
		     const struct fraud_policy *policy, struct payment_input *out,
		     json_t *problem);
int validate_refund(const json_t *body, struct refund_input *out, json_t *problem);

#endif
