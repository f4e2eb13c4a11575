refund() { # refund TOKEN PAYMENT KEY BODY
	req POST "/v1/payments/$2/refunds" -H "$(auth "$1")" -H "Idempotency-Key: $3" \
		-H 'Content-Type: application/json' -d "$4"
}

test_refunds() {
	local tok pay i
	refund "$W" "$PAY1" rf-1 '{"amount":500,"reason":"damaged"}'
	check "refund: 201" is "$STATUS" 201
	check "refund: body" json "d['payment_id'] == '$PAY1' and d['amount'] == 500 and d['currency'] == 'EUR' and d['reason'] == 'damaged' and d['status'] == 'succeeded'"
	cp "$TMP/body" "$TMP/refund1.json"
	refund "$W" "$PAY1" rf-1 '{"amount":500,"reason":"damaged"}'
	check "refund: replay returns the same refund" cmp -s "$TMP/body" "$TMP/refund1.json"
	check "refund: replay marked" is "$(hdr Idempotent-Replayed)" true
	req GET "/v1/payments/$PAY1" -H "$(auth "$W")"
	check "refund: payment shows refunded_amount" json "d['refunded_amount'] == 500"
	refund "$W" "$PAY1" rf-2 '{"amount":1001}'
	check "refund: more than what remains is 422" problem 422 refund-exceeds-captured
	refund "$W" "$PAY1" rf-3 '{"amount":0}'
	check "refund: amount 0 is 422" problem 422 validation-error
	refund "$W" 00000000-0000-4000-8000-000000000000 rf-4 '{"amount":1}'
	check "refund: unknown payment is 404" problem 404 not-found
	refund "$(token merchant-b "payments:read payments:write")" "$PAY1" rf-5 '{"amount":1}'
	check "refund: another merchant's payment is 404" problem 404 not-found
	refund "$(token merchant-fraud "payments:read payments:write")" "$REVIEW_PAY2" rf-6 '{"amount":1}'
	check "refund: a payment under review is 422" problem 422 payment-not-refundable
	check "refund: audited" \
		is "$(psql_q "SELECT count(*) FROM audit_log WHERE action = 'refund.created' AND details->>'payment_id' = '$PAY1'")" 1

	# Five concurrent refunds of 400 on a 1000 payment: the row lock lets two through.
	tok=$(token merchant-refunds "payments:read payments:write")
	post_payment "$tok" rp-1 '{"amount":1000,"currency":"USD","customer_id":"refundee"}'
	pay=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/body")
	for i in 1 2 3 4 5; do
		curl -s -m 10 -o /dev/null -w '%{http_code}\n' -X POST "$BASE/v1/payments/$pay/refunds" \
			-H "$(auth "$tok")" -H "Idempotency-Key: crf-$i" -H 'Content-Type: application/json' \
			-d '{"amount":400}' >"$TMP/crf.$i" &
	done
	wait_jobs
	check "refund: concurrent refunds, two of 400 fit in 1000" is "$(cat "$TMP"/crf.* | grep -c 201)" 2
	check "refund: the other three are 422" is "$(cat "$TMP"/crf.* | grep -c 422)" 3
	check "refund: refunded_amount never exceeds captured" \
		is "$(psql_q "SELECT refunded_amount FROM payments WHERE id = '$pay'")" 800
}
