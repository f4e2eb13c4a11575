# Deterministic timing: psql holds the advisory lock a payment's transaction
# takes for (merchant, customer), so a request can be kept in flight.
hold_customer_lock() { # hold_customer_lock MERCHANT CUSTOMER SECONDS (in the background)
	pgtmp_psql -c \
		"SELECT pg_advisory_lock(hashtextextended('$1/$2', 0)); SELECT pg_sleep($3)" >/dev/null &
	LOCK_PID=$!
	wait_for 5 advisory_lock_held || echo "    the advisory lock was not taken" >&2
}
advisory_lock_held() {
	is "$(psql_q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" 1
}

test_in_flight() {
	local tok body='{"amount":300,"currency":"EUR","customer_id":"slow"}'
	tok=$(token merchant-slow "payments:read payments:write")
	hold_customer_lock merchant-slow slow 2
	curl -s -m 10 -o "$TMP/slow.body" -w '%{http_code}' -X POST "$BASE/v1/payments" \
		-H "$(auth "$tok")" -H 'Idempotency-Key: slow-1' -H 'Content-Type: application/json' \
		-d "$body" >"$TMP/slow.status" &
	local first=$!
	sleep 0.5
	post_payment "$tok" slow-1 "$body"
	check "in flight: same key while the first runs is 409" problem 409 idempotency-key-in-flight
	check "in flight: Retry-After" grep -Eq '^[1-9][0-9]*$' <<<"$(hdr Retry-After)"
	post_payment "$tok" slow-1 '{"amount":301,"currency":"EUR","customer_id":"slow"}'
	check "in flight: a different body is still 409 reused" problem 409 idempotency-key-reused
	wait "$first"
	wait "$LOCK_PID"
	check "in flight: the first request completes" is "$(cat "$TMP/slow.status")" 201
	post_payment "$tok" slow-1 "$body"
	check "in flight: afterwards the key replays the first response" cmp -s "$TMP/body" "$TMP/slow.body"
}

test_lock_timeout() {
	local tok
	tok=$(token merchant-slow "payments:read payments:write")
	hold_customer_lock merchant-slow stuck 5
	post_payment "$tok" stuck-1 '{"amount":300,"currency":"EUR","customer_id":"stuck"}'
	check "lock timeout: a transaction waiting past lock_timeout is 503" problem 503 service-unavailable
	wait "$LOCK_PID"
	post_payment "$tok" stuck-1 '{"amount":300,"currency":"EUR","customer_id":"stuck"}'
	check "lock timeout: the key was freed, a retry succeeds" is "$STATUS" 201
}

test_atomicity() {
	local tok body='{"amount":400,"currency":"EUR","customer_id":"atomic"}'
	tok=$(token merchant-atomic "payments:read payments:write")
	psql_q "ALTER TABLE audit_log ADD CONSTRAINT it_no_audit CHECK (actor <> 'merchant-atomic')"
	post_payment "$tok" atomic-1 "$body"
	check "atomicity: a failing audit insert is a 500 problem" problem 500 internal-error
	check "atomicity: no payment without its audit row" \
		is "$(psql_q "SELECT count(*) FROM payments WHERE merchant_id = 'merchant-atomic'")" 0
	check "atomicity: no outbox event either" \
		is "$(psql_q "SELECT count(*) FROM outbox WHERE payload->>'customer_id' = 'atomic'")" 0
	check "atomicity: the error is logged with the request id" \
		grep -q "\"request failed\",\"request_id\":\"$(hdr X-Request-Id)\"" "$TMP/service-a.log"
	psql_q "ALTER TABLE audit_log DROP CONSTRAINT it_no_audit"
	post_payment "$tok" atomic-1 "$body"
	check "atomicity: the same key works once the fault is gone" is "$STATUS" 201
}

test_drain() {
	local tok slow
	tok=$(token merchant-slow "payments:read payments:write")
	hold_customer_lock merchant-slow draining 1
	curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$BASE/v1/payments" \
		-H "$(auth "$tok")" -H 'Idempotency-Key: drain-1' -H 'Content-Type: application/json' \
		-d '{"amount":300,"currency":"EUR","customer_id":"draining"}' >"$TMP/drain.status" &
	slow=$!
	sleep 0.3
	kill -TERM "$SVC_A"
	wait "$SVC_A"
	check "SIGTERM: exits 0 after draining" is "$?" 0
	wait "$slow"
	wait "$LOCK_PID"
	check "SIGTERM: the request in flight still completed" is "$(cat "$TMP/drain.status")" 201
}
