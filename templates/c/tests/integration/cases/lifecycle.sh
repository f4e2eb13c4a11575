test_readiness_restart() {
	pgtmp_stop
	local t0=$(date +%s%N)
	req GET /health/ready
	check "ready: 503 when PostgreSQL is down" problem 503 not-ready
	check "ready: says the database is down" json "d['checks']['database']['status'] == 'down' and d['checks']['database']['error']"
	# The database connect timeout is 2 s; 15 s proves the check does not
	# hang on a dead database without failing on a loaded machine.
	check "ready: answers within 15 s" test $((($(date +%s%N) - t0) / 1000000)) -lt 15000
	req GET "/v1/payments/$PAY1" -H "$(auth "$W")"
	check "database down: requests get 503 with Retry-After" problem 503 service-unavailable
	check "database down: Retry-After" test -n "$(hdr Retry-After)"
	req GET /health/live
	check "live: still 200 without the database" is "$STATUS" 200
	pgtmp_restart
	ready_again() { req GET /health/ready && [ "$STATUS" = 200 ]; }
	wait_for 15 ready_again
	check "ready: 200 again after PostgreSQL restarts" is "$STATUS" 200
	req GET "/v1/payments/$PAY1" -H "$(auth "$W")"
	check "reconnect: reads work again" is "$STATUS" 200
	post_payment "$W" after-restart '{"amount":100,"currency":"EUR","customer_id":"after"}'
	check "reconnect: writes work again" is "$STATUS" 201
}

test_shutdown() {
	test_drain
	check "SIGTERM: logs shutdown complete" grep -q '"shutdown complete"' "$TMP/service-a.log"
	check "SIGTERM: the port is closed" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/live")" = 000
}
