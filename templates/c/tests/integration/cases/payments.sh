test_payments() {
	local body='{"amount":1500,"currency":"EUR","customer_id":"cus_1","metadata":{"order":"A-1"}}'
	post_payment "$W" pay-1 "$body" -H 'traceparent: 00-11111111111111111111111111111111-2222222222222222-01'
	check "create: 201" is "$STATUS" 201
	check "create: approved and captured" json "d['decision'] == 'approved' and d['status'] == 'captured' and d['captured_amount'] == 1500 and d['decision_reasons'] == []"
	check "create: fields echoed" json "d['amount'] == 1500 and d['currency'] == 'EUR' and d['customer_id'] == 'cus_1' and d['metadata'] == {'order': 'A-1'} and d['refunded_amount'] == 0"
	PAY1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/body")
	cp "$TMP/body" "$TMP/pay1.json"
	check "create: Location header" is "$(hdr Location)" "/v1/payments/$PAY1"
	check "create: RateLimit headers" test -n "$(hdr RateLimit-Remaining)"
	check "create: audit row in the same transaction" \
		is "$(psql_q "SELECT count(*) FROM audit_log WHERE entity_id = '$PAY1' AND action = 'payment.created' AND actor = 'merchant-a'")" 1
	check "create: outbox event in the same transaction" \
		is "$(psql_q "SELECT count(*) FROM outbox WHERE aggregate_id = '$PAY1' AND event_type = 'payment.created'")" 1

	req GET "/v1/payments/$PAY1" -H "$(auth "$W")"
	check "get: 200" is "$STATUS" 200
	check "get: same representation as create" cmp -s "$TMP/body" "$TMP/pay1.json"
	req GET "/v1/payments/$PAY1" -H "$(auth "$(token merchant-b payments:read)")"
	check "get: another merchant's payment is 404" problem 404 not-found
	req GET /v1/payments/not-a-uuid -H "$(auth "$W")"
	check "get: malformed id is 404" problem 404 not-found
	req GET /v1/payments/00000000-0000-4000-8000-000000000000 -H "$(auth "$W")"
	check "get: unknown id is 404" problem 404 not-found

	post_payment "$W" pay-1 "$body"
	check "replay: same status" is "$STATUS" 201
	check "replay: same body" cmp -s "$TMP/body" "$TMP/pay1.json"
	check "replay: marked Idempotent-Replayed" is "$(hdr Idempotent-Replayed)" true
	post_payment "$W" pay-1 '{ "metadata": {"order":"A-1"}, "customer_id":"cus_1", "currency":"EUR", "amount":1500 }'
	check "replay: key order and whitespace do not matter" cmp -s "$TMP/body" "$TMP/pay1.json"
	post_payment "$W" pay-1 '{"amount":1501,"currency":"EUR","customer_id":"cus_1"}'
	check "same key, different body: 409" problem 409 idempotency-key-reused
	post_payment "$(token merchant-b "payments:read payments:write")" pay-1 "$body"
	check "keys are per merchant: another merchant's same key creates" is "$STATUS" 201
	check "one payment per (merchant, key)" \
		is "$(psql_q "SELECT count(*) FROM payments WHERE customer_id = 'cus_1'")" 2
}

test_idempotency_concurrency() {
	local tok i body='{"amount":700,"currency":"USD","customer_id":"cus_conc"}'
	tok=$(token merchant-conc "payments:read payments:write")
	for i in $(seq 1 20); do
		curl -s -m 10 -o "$TMP/conc.$i.body" -D "$TMP/conc.$i.hdr" -w '%{http_code}\n' \
			-X POST "$BASE/v1/payments" -H "$(auth "$tok")" -H 'Idempotency-Key: same-key' \
			-H 'Content-Type: application/json' -d "$body" >"$TMP/conc.$i.status" &
	done
	wait_jobs
	check "20 concurrent POSTs, one key: exactly one payment" \
		is "$(psql_q "SELECT count(*) FROM payments WHERE customer_id = 'cus_conc'")" 1
	check "20 concurrent POSTs: every answer is 201 or 409" \
		is "$(cat "$TMP"/conc.*.status | grep -cvE '^(201|409)$')" 0
	check "20 concurrent POSTs: every 201 has the same body" is "$(
		for i in $(seq 1 20); do
			[ "$(cat "$TMP/conc.$i.status")" = 201 ] && md5sum <"$TMP/conc.$i.body"
		done | sort -u | wc -l)" 1
	check "20 concurrent POSTs: every 409 says in flight, with Retry-After" is "$(
		for i in $(seq 1 20); do
			if [ "$(cat "$TMP/conc.$i.status")" = 409 ]; then
				grep -q idempotency-key-in-flight "$TMP/conc.$i.body" &&
					grep -qi '^Retry-After: [1-9]' "$TMP/conc.$i.hdr" || echo bad
			fi
		done | wc -l)" 0
	check "20 concurrent POSTs: one audit row" \
		is "$(psql_q "SELECT count(*) FROM audit_log WHERE actor = 'merchant-conc'")" 1
}

# Waits for the background curl jobs (not the service or the receiver).
wait_jobs() {
	local j
	for j in $(jobs -p); do
		case " ${PIDS[*]} " in *" $j "*) ;; *) wait "$j" ;; esac
	done
}

test_pagination() {
	local tok i ids=() cursor
	tok=$(token merchant-pager "payments:read payments:write")
	for i in 1 2 3 4 5; do
		post_payment "$tok" "page-$i" "{\"amount\":$((100 + i)),\"currency\":\"GBP\",\"customer_id\":\"pager-$i\"}"
	done
	req GET '/v1/payments?limit=2' -H "$(auth "$tok")"
	check "list: first page has 2, newest first" json "len(d['data']) == 2 and d['data'][0]['amount'] == 105 and d['next_cursor']"
	cursor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next_cursor"])' "$TMP/body")
	req GET "/v1/payments?limit=2&cursor=$cursor" -H "$(auth "$tok")"
	check "list: second page continues" json "[p['amount'] for p in d['data']] == [103, 102] and d['next_cursor']"
	cursor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["next_cursor"])' "$TMP/body")
	req GET "/v1/payments?limit=2&cursor=$cursor" -H "$(auth "$tok")"
	check "list: last page ends with next_cursor null" json "[p['amount'] for p in d['data']] == [101] and d['next_cursor'] is None"
	req GET '/v1/payments' -H "$(auth "$tok")"
	check "list: default limit shows all five, only this merchant's" json "len(d['data']) == 5 and d['next_cursor'] is None"
	for q in 'limit=0' 'limit=101' 'limit=abc' 'cursor=bm90LWEtY3Vyc29y' 'cursor=%21%21'; do
		req GET "/v1/payments?$q" -H "$(auth "$tok")"
		check "list: $q is 400" problem 400 malformed-request
	done
	check "list: 400 names the parameter" json "d['errors'][0]['field'] == 'cursor'"
}
