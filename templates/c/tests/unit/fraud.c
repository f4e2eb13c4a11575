#include <criterion/criterion.h>
#include <string.h>

#include "fraud.h"

static const char currencies[][4] = { "USD", "EUR" };
static const struct fraud_policy policy = { 10000, 3, currencies, 2 };

static struct fraud_result evaluate(long long amount, const char *cur, long recent, bool blocked)
{
	struct fraud_input in = { amount, cur, true, recent, blocked };
	struct fraud_result r;

	fraud_evaluate(&policy, &in, &r);
	return r;
}

Test(fraud, small_amount_is_approved_without_reasons)
{
	struct fraud_result r = evaluate(500, "USD", 0, false);

	cr_assert_eq(r.outcome, FRAUD_APPROVE);
	cr_assert_eq(r.nreasons, 0);
	cr_assert_str_eq(fraud_decision_name(r.outcome), "approved");
	cr_assert_str_eq(fraud_status_name(r.outcome), "captured");
}

Test(fraud, amount_above_threshold_goes_to_review)
{
	struct fraud_result r = evaluate(10001, "USD", 0, false);

	cr_assert_eq(r.outcome, FRAUD_REVIEW);
	cr_assert_str_eq(r.reasons[0], "amount_above_review_threshold");
	cr_assert_str_eq(fraud_status_name(r.outcome), "requires_review");
}

Test(fraud, amount_at_threshold_is_approved)
{
	cr_assert_eq(evaluate(10000, "USD", 0, false).outcome, FRAUD_APPROVE);
}

Test(fraud, velocity_declines_from_the_nth_recent_payment)
{
	cr_assert_eq(evaluate(1, "USD", 2, false).outcome, FRAUD_APPROVE);
	struct fraud_result r = evaluate(1, "USD", 3, false);
	cr_assert_eq(r.outcome, FRAUD_DECLINE);
	cr_assert_str_eq(r.reasons[0], "velocity_exceeded");
}

Test(fraud, blocked_customer_is_declined)
{
	struct fraud_result r = evaluate(1, "EUR", 0, true);

	cr_assert_eq(r.outcome, FRAUD_DECLINE);
	cr_assert_str_eq(r.reasons[0], "customer_blocked");
}

Test(fraud, strongest_outcome_wins_and_every_reason_is_listed)
{
	struct fraud_result r = evaluate(50000, "EUR", 9, true);

	cr_assert_eq(r.outcome, FRAUD_DECLINE);
	cr_assert_eq(r.nreasons, 3);
	cr_assert_str_eq(r.reasons[0], "customer_blocked");
	cr_assert_str_eq(r.reasons[1], "velocity_exceeded");
	cr_assert_str_eq(r.reasons[2], "amount_above_review_threshold");
}

Test(fraud, currency_off_the_allow_list_is_rejected)
{
	struct fraud_result r = evaluate(1, "JPY", 0, false);

	cr_assert_eq(r.outcome, FRAUD_REJECT);
	cr_assert_str_eq(r.reasons[0], "currency_not_allowed");
	cr_assert(fraud_currency_allowed(&policy, "EUR"));
	cr_assert_not(fraud_currency_allowed(&policy, NULL));
}

Test(fraud, history_rules_are_skipped_without_history)
{
	struct fraud_input in = { 1, "USD", false, 99, true };
	struct fraud_result r;

	fraud_evaluate(&policy, &in, &r);
	cr_assert_eq(r.outcome, FRAUD_APPROVE);
	cr_assert_eq(r.nreasons, 0);
}
