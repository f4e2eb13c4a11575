#include <criterion/criterion.h>
#include <string.h>

#include "problem.h"
#include "validate.h"

static const char currencies[][4] = { "USD", "EUR" };
static const struct fraud_policy policy = { 1000, 5, currencies, 2 };

static int validate(const char *body_json, struct payment_input *in, json_t **problem)
{
	json_t *body = json_loads(body_json, 0, NULL);
	int n;

	*problem = problem_new(PROBLEM_VALIDATION, NULL, "/v1/payments", "r");
	n = validate_payment(body, 5000, &policy, in, *problem);
	json_decref(body);
	return n;
}

static const char *field(json_t *problem, size_t i)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(problem, "errors"), i), "field"));
}

Test(validate, accepts_a_good_payment)
{
	struct payment_input in;
	json_t *p;

	cr_assert_eq(validate("{\"amount\":100,\"currency\":\"EUR\",\"customer_id\":\"c-1\",\"metadata\":{\"a\":\"b\"}}", &in, &p), 0);
	cr_assert_eq(in.amount, 100);
	cr_assert_str_eq(in.currency, "EUR");
	cr_assert_str_eq(in.customer_id, "c-1");
	json_decref(p);
}

Test(validate, amount_bounds)
{
	struct payment_input in;
	json_t *p;

	cr_assert_eq(validate("{\"amount\":5000,\"currency\":\"EUR\",\"customer_id\":\"c\"}", &in, &p), 0);
	json_decref(p);
	cr_assert_eq(validate("{\"amount\":5001,\"currency\":\"EUR\",\"customer_id\":\"c\"}", &in, &p), 1);
	cr_assert_str_eq(field(p, 0), "amount");
	json_decref(p);
	cr_assert_eq(validate("{\"amount\":\"5\",\"currency\":\"EUR\",\"customer_id\":\"c\"}", &in, &p), 1);
	json_decref(p);
	cr_assert_eq(validate("{\"amount\":-1,\"currency\":\"EUR\",\"customer_id\":\"c\"}", &in, &p), 1);
	json_decref(p);
}

Test(validate, reports_every_field)
{
	struct payment_input in;
	json_t *p;

	cr_assert_eq(validate("{\"currency\":\"JPY\",\"customer_id\":\"has space\",\"x\":1}", &in, &p), 4);
	cr_assert_str_eq(field(p, 0), "x");
	cr_assert_str_eq(field(p, 1), "amount");
	cr_assert_str_eq(field(p, 2), "currency");
	cr_assert_str_eq(field(p, 3), "customer_id");
	json_decref(p);
}

Test(validate, refunds)
{
	json_t *p = problem_new(PROBLEM_VALIDATION, NULL, "/", "r");
	json_t *ok = json_loads("{\"amount\":5,\"reason\":\"dup\"}", 0, NULL);
	json_t *bad = json_loads("{\"amount\":0,\"reason\":7}", 0, NULL);
	struct refund_input in;

	cr_assert_eq(validate_refund(ok, &in, p), 0);
	cr_assert_eq(in.amount, 5);
	cr_assert_str_eq(in.reason, "dup");
	cr_assert_eq(validate_refund(bad, &in, p), 2);
	json_decref(ok);
	json_decref(bad);
	json_decref(p);
}
