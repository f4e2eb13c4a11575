outbox_settled() { # no pending event for customers matching a LIKE pattern
	is "$(psql_q "SELECT count(*) FROM outbox WHERE status = 'pending' AND payload->>'customer_id' LIKE '$1'")" 0
}
received() { # received PYTHON-CONDITION-ON-e: count of receiver log lines matching
	python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(sum(1 for e in rows if eval(sys.argv[2])))' "$TMP/received.jsonl" "$1"
}

test_outbox() {
	local tok i port_b
	tok=$(token merchant-outbox "payments:read payments:write")
	post_payment "$tok" ob-flaky '{"amount":100,"currency":"EUR","customer_id":"flaky-1"}'
	post_payment "$tok" ob-dead '{"amount":100,"currency":"EUR","customer_id":"dead-1"}'
	wait_for 20 outbox_settled '%'
	check "outbox: every event settled" outbox_settled '%'
	check "outbox: payment.created for cus_1 delivered once" \
		is "$(received "e['customer'] == 'cus_1' and e['type'] == 'payment.created' and e['status'] == 200")" 2
	check "outbox: signatures verify at the receiver" is "$(received "not e['sig_ok']")" 0
	check "outbox: Webhook-Id is the event id" is "$(received "e['header_id'] != e['id']")" 0
	check "outbox: traceparent carries the creating request's trace" \
		test "$(received "e['traceparent'].startswith('00-11111111111111111111111111111111-')")" -ge 1
	check "outbox: a failing endpoint is retried until it answers" \
		is "$(psql_q "SELECT status || ' ' || attempts FROM outbox WHERE payload->>'customer_id' = 'flaky-1'")" "delivered 3"
	check "outbox: after OUTBOX_MAX_ATTEMPTS the event is dead-lettered" \
		is "$(psql_q "SELECT status || ' ' || attempts || ' ' || last_error FROM outbox WHERE payload->>'customer_id' = 'dead-1'")" "dead 3 HTTP 500"
	check "outbox: dead letter logged" grep -q '"outbox event dead-lettered"' "$TMP/service-a.log"
	check "outbox: retries were spaced by the backoff" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if "dead-1" in l]
sys.exit(0 if [r["attempt"] for r in rows] == [1, 2, 3] else 1)' "$TMP/received.jsonl"

	# Two processes, one database: SKIP LOCKED means no event goes out twice.
	port_b=$(free_port)
	svc_start "$port_b" "$TMP/service-b.log" "${SVC_ENV[@]}" || return
	PIDS+=("$SVC_PID")
	for i in $(seq 1 30); do
		curl -s -m 10 -o /dev/null -X POST "http://127.0.0.1:$(((i % 2) ? PORT_A : port_b))/v1/payments" \
			-H "$(auth "$tok")" -H "Idempotency-Key: multi-$i" -H 'Content-Type: application/json' \
			-d "{\"amount\":100,\"currency\":\"EUR\",\"customer_id\":\"multi-$i\"}" &
	done
	wait_jobs
	wait_for 20 outbox_settled 'multi-%'
	check "outbox: two workers delivered all 30 events" \
		is "$(received "e['customer'].startswith('multi-')")" 30
	check "outbox: no event delivered twice" \
		is "$(received "e['customer'].startswith('multi-') and e['attempt'] > 1")" 0
	check "outbox: both processes delivered" test "$(grep -c '"outbox event delivered"' "$TMP/service-b.log")" -gt 0
	kill -TERM "$SVC_PID"
	wait "$SVC_PID"
	check "outbox: second process stopped cleanly" is "$?" 0
}
