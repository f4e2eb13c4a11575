/* RFC 9457 problem documents. Every error the service sends is one of the
 * kinds below; the table in problem.c gives each its type URI, title and
 * status. */
#ifndef PROBLEM_H
#define PROBLEM_H

#include <jansson.h>

#define PROBLEM_TYPE_BASE "https://problems.acme-payments.example/"
#define PROBLEM_CONTENT_TYPE "application/problem+json"

enum problem_kind {
	PROBLEM_MALFORMED,
	PROBLEM_VALIDATION,
	PROBLEM_MISSING_IDEMPOTENCY_KEY,
	PROBLEM_IDEMPOTENCY_REUSED,
	PROBLEM_IDEMPOTENCY_IN_FLIGHT,
	PROBLEM_UNAUTHORIZED,
	PROBLEM_INVALID_SIGNATURE,
	PROBLEM_FORBIDDEN,
	PROBLEM_NOT_FOUND,
	PROBLEM_METHOD_NOT_ALLOWED,
	PROBLEM_TOO_LARGE,
	PROBLEM_UNSUPPORTED_MEDIA_TYPE,
	PROBLEM_REFUND_EXCEEDS,
	PROBLEM_PAYMENT_NOT_REFUNDABLE,
	PROBLEM_RATE_LIMITED,
	PROBLEM_INTERNAL,
	PROBLEM_UNAVAILABLE,
	PROBLEM_NOT_READY,
	PROBLEM_COUNT
};

int problem_status(enum problem_kind kind);
const char *problem_slug(enum problem_kind kind);
/* A new problem object: type, title, status, detail, instance, request_id.
 * Returns NULL only when out of memory. */
json_t *problem_new(enum problem_kind kind, const char *detail,
		    const char *instance, const char *request_id);
/* Appends {field, message} to the problem's errors[] (created on demand). */
int problem_add_error(json_t *problem, const char *field, const char *message);

#endif
