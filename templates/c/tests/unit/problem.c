#include <criterion/criterion.h>
#include <string.h>

#include "problem.h"

Test(problem, has_every_rfc9457_member)
{
	json_t *p = problem_new(PROBLEM_VALIDATION, "amount is wrong", "/v1/payments", "rid-1");

	cr_assert_str_eq(json_string_value(json_object_get(p, "type")),
			 PROBLEM_TYPE_BASE "validation-error");
	cr_assert_str_eq(json_string_value(json_object_get(p, "title")), "Validation failed");
	cr_assert_eq(json_integer_value(json_object_get(p, "status")), 422);
	cr_assert_str_eq(json_string_value(json_object_get(p, "detail")), "amount is wrong");
	cr_assert_str_eq(json_string_value(json_object_get(p, "instance")), "/v1/payments");
	cr_assert_str_eq(json_string_value(json_object_get(p, "request_id")), "rid-1");
	cr_assert_null(json_object_get(p, "errors"));
	json_decref(p);
}

Test(problem, errors_are_collected_in_order)
{
	json_t *p = problem_new(PROBLEM_VALIDATION, NULL, "/x", "r");
	json_t *errors;

	cr_assert_eq(problem_add_error(p, "amount", "too small"), 0);
	cr_assert_eq(problem_add_error(p, "currency", "unknown"), 0);
	errors = json_object_get(p, "errors");
	cr_assert_eq(json_array_size(errors), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "field")), "currency");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "message")), "too small");
	cr_assert_str_eq(json_string_value(json_object_get(p, "detail")), "Validation failed",
			 "a NULL detail falls back to the title");
	json_decref(p);
}

Test(problem, every_kind_has_a_distinct_slug_and_an_error_status)
{
	for (int i = 0; i < PROBLEM_COUNT; i++) {
		cr_assert(problem_status(i) >= 400 && problem_status(i) <= 599, "kind %d", i);
		cr_assert_not_null(problem_slug(i));
		for (int j = 0; j < i; j++)
			cr_assert(strcmp(problem_slug(i), problem_slug(j)) != 0, "%s twice", problem_slug(i));
	}
}

Test(problem, statuses_the_contract_promises)
{
	cr_assert_eq(problem_status(PROBLEM_NOT_FOUND), 404);
	cr_assert_eq(problem_status(PROBLEM_METHOD_NOT_ALLOWED), 405);
	cr_assert_eq(problem_status(PROBLEM_TOO_LARGE), 413);
	cr_assert_eq(problem_status(PROBLEM_UNSUPPORTED_MEDIA_TYPE), 415);
	cr_assert_eq(problem_status(PROBLEM_RATE_LIMITED), 429);
	cr_assert_eq(problem_status(PROBLEM_INTERNAL), 500);
	cr_assert_eq(problem_status(PROBLEM_UNAVAILABLE), 503);
	cr_assert_eq(problem_status(PROBLEM_IDEMPOTENCY_IN_FLIGHT), 409);
}
