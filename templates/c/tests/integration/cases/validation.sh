test_validation() {
	req POST /v1/payments -H "$(auth "$W")" -H 'Content-Type: application/json' \
		-d '{"amount":100,"currency":"EUR","customer_id":"c"}'
	check "POST without Idempotency-Key is 400" problem 400 missing-idempotency-key
	req POST /v1/payments -H "$(auth "$W")" -H 'Idempotency-Key: v1' -H 'Content-Type: text/plain' -d 'x'
	check "POST text/plain is 415" problem 415 unsupported-media-type
	post_payment "$W" v2 '{"amount": 100,'
	check "malformed JSON is 400" problem 400 malformed-request
	post_payment "$W" v3 '{"amount":0,"currency":"eur","customer_id":"","extra":1}'
	check "invalid fields are 422" problem 422 validation-error
	check "422 lists every field" json "sorted(e['field'] for e in d['errors']) == ['amount', 'currency', 'customer_id', 'extra']"
	post_payment "$W" v4 '{"amount":1000001,"currency":"EUR","customer_id":"c"}'
	check "amount above the maximum is 422" json "d['status'] == 422 and d['errors'][0]['field'] == 'amount'"
	post_payment "$W" v5 '{"amount":100,"currency":"JPY","customer_id":"c"}'
	check "currency not on the allow-list is 422" json "d['status'] == 422 and d['errors'][0]['field'] == 'currency' and 'JPY' in d['errors'][0]['message']"
	post_payment "$W" v6 '{"amount":1.5,"currency":"EUR","customer_id":"c"}'
	check "fractional amount is 422" json "d['status'] == 422 and d['errors'][0]['field'] == 'amount'"
	post_payment "$W" v7 '{"amount":100,"currency":"EUR","customer_id":"c","metadata":{"k":1}}'
	check "non-string metadata is 422" json "d['errors'][0]['field'] == 'metadata.k'"
	post_payment "$W" v8 '[1,2]'
	check "a non-object body is 422" problem 422 validation-error
	python3 -c 'print("{\"amount\":100,\"currency\":\"EUR\",\"customer_id\":\"c\",\"metadata\":{\"k\":\"" + "x"*5000 + "\"}}")' >"$TMP/big.json"
	req POST /v1/payments -H "$(auth "$W")" -H 'Idempotency-Key: v9' -H 'Content-Type: application/json' \
		--data-binary "@$TMP/big.json"
	check "body over the limit is 413" problem 413 payload-too-large
	req POST /v1/payments -H "$(auth "$W")" -H 'Idempotency-Key: v10' -H 'Content-Type: application/json' \
		-H 'Transfer-Encoding: chunked' --data-binary "@$TMP/big.json"
	check "chunked body over the limit is 413" problem 413 payload-too-large
	req GET /health/live
	check "server still healthy after 413s" is "$STATUS" 200
}
