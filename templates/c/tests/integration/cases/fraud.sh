test_fraud() {
	local tok i
	tok=$(token merchant-fraud "payments:read payments:write")
	post_payment "$tok" fr-1 '{"amount":60000,"currency":"EUR","customer_id":"big"}'
	check "fraud: amount above the threshold goes to review" json "d['decision'] == 'review' and d['status'] == 'requires_review' and d['decision_reasons'] == ['amount_above_review_threshold'] and d['captured_amount'] == 0"
	REVIEW_PAY=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/body")
	post_payment "$tok" fr-1b '{"amount":70000,"currency":"EUR","customer_id":"big2"}'
	REVIEW_PAY2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/body")
	for i in 1 2 3; do
		post_payment "$tok" "fast-$i" '{"amount":100,"currency":"EUR","customer_id":"fast"}'
	done
	check "fraud: 3 payments in a minute are approved" json "d['decision'] == 'approved'"
	post_payment "$tok" fast-4 '{"amount":100,"currency":"EUR","customer_id":"fast"}'
	check "fraud: the 4th in the same minute is declined" json "d['decision'] == 'declined' and d['status'] == 'declined' and d['decision_reasons'] == ['velocity_exceeded']"
	check "fraud: a declined payment is still recorded and audited" \
		is "$(psql_q "SELECT count(*) FROM audit_log a JOIN payments p ON a.entity_id = p.id::text WHERE p.customer_id = 'fast' AND p.decision = 'declined'")" 1
	psql_q "INSERT INTO blocked_customers (customer_id, reason) VALUES ('mallory', 'chargebacks')"
	post_payment "$tok" fr-block '{"amount":60000,"currency":"EUR","customer_id":"mallory"}'
	check "fraud: a blocked customer is declined, every reason listed" json "d['decision'] == 'declined' and sorted(d['decision_reasons']) == ['amount_above_review_threshold', 'customer_blocked']"
}
