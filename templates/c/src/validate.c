#include "validate.h"

#include <stdio.h>
#include <string.h>

#include "problem.h"

static int validate_error(json_t *problem, const char *field, const char *message)
{
	problem_add_error(problem, field, message);
	return 1;
}

static int validate_unknown_fields(const json_t *body, const char *const *known,
				   json_t *problem)
{
	const char *key;
	json_t *v;
	int errors = 0;

	json_object_foreach((json_t *)body, key, v) {
		int found = 0;

		for (size_t i = 0; known[i] && !found; i++)
			found = strcmp(key, known[i]) == 0;
		if (!found)
			errors += validate_error(problem, key, "unknown field");
	}
	return errors;
}

static int validate_amount(const json_t *v, long long max, long long *out, json_t *problem)
{
	char msg[96];

	if (!json_is_integer(v))
		return validate_error(problem, "amount", "required; an integer in minor units");
	*out = json_integer_value(v);
	if (*out < 1 || *out > max) {
		snprintf(msg, sizeof(msg), "must be between 1 and %lld", max);
		return validate_error(problem, "amount", msg);
	}
	return 0;
}

static int validate_customer(const json_t *v, char *out, json_t *problem)
{
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > CUSTOMER_ID_MAX || strspn(s, "abcdefghijklmnopqrstuvwxyz"
						 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") != n)
		return validate_error(problem, "customer_id",
				      "required; 1 to 64 characters of A-Z a-z 0-9 _ . : -");
	memcpy(out, s, n + 1);
	return 0;
}

static int validate_currency(const json_t *v, const struct fraud_policy *policy, char *out,
			     json_t *problem)
{
	const char *s = json_string_value(v);
	struct fraud_input in = { .currency = s };
	struct fraud_result res;
	char msg[160];
	int n;

	if (s == NULL || strlen(s) != 3 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return validate_error(problem, "currency", "required; an ISO 4217 code such as EUR");
	fraud_evaluate(policy, &in, &res);
	if (res.outcome == FRAUD_REJECT) {
		n = snprintf(msg, sizeof(msg), "currency '%s' is not accepted; accepted:", s);
		for (size_t i = 0; i < policy->ncurrencies && n > 0 && (size_t)n < sizeof(msg); i++)
			n += snprintf(msg + n, sizeof(msg) - (size_t)n, " %s", policy->currencies[i]);
		return validate_error(problem, "currency", msg);
	}
	memcpy(out, s, 4);
	return 0;
}

static int validate_metadata(const json_t *v, json_t *problem)
{
	const char *key;
	json_t *val;
	char field[64];
	int errors = 0;

	if (v == NULL)
		return 0;
	if (!json_is_object(v) || json_object_size(v) > METADATA_MAX_KEYS)
		return validate_error(problem, "metadata", "an object of at most 20 string values");
	json_object_foreach((json_t *)v, key, val) {
		snprintf(field, sizeof(field), "metadata.%.40s", key);
		if (strlen(key) == 0 || strlen(key) > METADATA_KEY_MAX)
			errors += validate_error(problem, field, "keys are 1 to 40 characters");
		else if (!json_is_string(val) || strlen(json_string_value(val)) > METADATA_VALUE_MAX)
			errors += validate_error(problem, field, "a string of at most 500 characters");
	}
	return errors;
}

int validate_payment(const json_t *body, long long max_amount,
		     const struct fraud_policy *policy, struct payment_input *out,
		     json_t *problem)
{
	static const char *const known[] = { "amount", "currency", "customer_id", "metadata", NULL };
	int errors;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(body))
		return validate_error(problem, "", "the body must be a JSON object");
	errors = validate_unknown_fields(body, known, problem);
	errors += validate_amount(json_object_get(body, "amount"), max_amount, &out->amount, problem);
	errors += validate_currency(json_object_get(body, "currency"), policy, out->currency, problem);
	errors += validate_customer(json_object_get(body, "customer_id"), out->customer_id, problem);
	errors += validate_metadata(json_object_get(body, "metadata"), problem);
	out->metadata = json_object_get(body, "metadata");
	return errors;
}

int validate_refund(const json_t *body, struct refund_input *out, json_t *problem)
{
	static const char *const known[] = { "amount", "reason", NULL };
	const json_t *reason;
	int errors;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(body))
		return validate_error(problem, "", "the body must be a JSON object");
	errors = validate_unknown_fields(body, known, problem);
	errors += validate_amount(json_object_get(body, "amount"), (long long)1 << 53, &out->amount,
				  problem);
	reason = json_object_get(body, "reason");
	if (reason && !(json_is_string(reason) && strlen(json_string_value(reason)) <= REFUND_REASON_MAX))
		errors += validate_error(problem, "reason", "a string of at most 200 characters");
	else if (reason)
		out->reason = json_string_value(reason);
	return errors;
}
