#include "problem.h"

#include <stdio.h>

struct problem_def {
	const char *slug;
	const char *title;
	int status;
};

static const struct problem_def problem_defs[PROBLEM_COUNT] = {
	[PROBLEM_MALFORMED] = { "malformed-request", "Malformed request", 400 },
	[PROBLEM_VALIDATION] = { "validation-error", "Validation failed", 422 },
	[PROBLEM_MISSING_IDEMPOTENCY_KEY] = { "missing-idempotency-key", "Idempotency-Key header required", 400 },
	[PROBLEM_IDEMPOTENCY_REUSED] = { "idempotency-key-reused", "Idempotency key reused with a different request", 409 },
	[PROBLEM_IDEMPOTENCY_IN_FLIGHT] = { "idempotency-key-in-flight", "A request with this idempotency key is in progress", 409 },
	[PROBLEM_UNAUTHORIZED] = { "unauthorized", "Authentication required", 401 },
	[PROBLEM_INVALID_SIGNATURE] = { "invalid-signature", "Webhook signature invalid", 401 },
	[PROBLEM_FORBIDDEN] = { "forbidden", "Insufficient scope", 403 },
	[PROBLEM_NOT_FOUND] = { "not-found", "Not found", 404 },
	[PROBLEM_METHOD_NOT_ALLOWED] = { "method-not-allowed", "Method not allowed", 405 },
	[PROBLEM_TOO_LARGE] = { "payload-too-large", "Payload too large", 413 },
	[PROBLEM_UNSUPPORTED_MEDIA_TYPE] = { "unsupported-media-type", "Unsupported media type", 415 },
	[PROBLEM_REFUND_EXCEEDS] = { "refund-exceeds-captured", "Refund exceeds the captured amount", 422 },
	[PROBLEM_PAYMENT_NOT_REFUNDABLE] = { "payment-not-refundable", "Payment cannot be refunded", 422 },
	[PROBLEM_RATE_LIMITED] = { "rate-limited", "Too many requests", 429 },
	[PROBLEM_INTERNAL] = { "internal-error", "Internal server error", 500 },
	[PROBLEM_UNAVAILABLE] = { "service-unavailable", "Service unavailable", 503 },
	[PROBLEM_NOT_READY] = { "not-ready", "Service not ready", 503 },
};

int problem_status(enum problem_kind kind)
{
	return problem_defs[kind].status;
}

const char *problem_slug(enum problem_kind kind)
{
	return problem_defs[kind].slug;
}

json_t *problem_new(enum problem_kind kind, const char *detail,
		    const char *instance, const char *request_id)
{
	const struct problem_def *def = &problem_defs[kind];
	char type[256];

	snprintf(type, sizeof(type), "%s%s", PROBLEM_TYPE_BASE, def->slug);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", type, "title",
			 def->title, "status", def->status, "detail",
			 detail ? detail : def->title, "instance",
			 instance ? instance : "", "request_id",
			 request_id ? request_id : "");
}

int problem_add_error(json_t *problem, const char *field, const char *message)
{
	json_t *errors = json_object_get(problem, "errors");

	if (errors == NULL) {
		errors = json_array();
		if (errors == NULL || json_object_set_new(problem, "errors", errors) != 0)
			return -1;
	}
	return json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field,
						       "message", message));
}
