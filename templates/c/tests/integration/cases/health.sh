test_health() {
	req GET /health/live
	check "live: 200 ok" is "$STATUS" 200
	check "live: body" json "d == {'status': 'ok'}"
	check "live: generated X-Request-Id" grep -Eq '^[0-9a-f]{32}$' <<<"$(hdr X-Request-Id)"
	check "live: HEAD is served like GET" is "$(curl -s -m 5 -I -o /dev/null -w '%{http_code}' "$BASE/health/live")" 200
	check "healthcheck command: exit 0 while live" env PORT="$PORT_A" "$BIN" healthcheck
	req GET /health/ready
	check "ready: 200 with database up" json "d['status'] == 'ready' and d['checks']['database']['status'] == 'up'"

	req GET /health/live -H 'X-Request-Id: client-id.42_x'
	check "request id: a valid X-Request-Id is echoed" is "$(hdr X-Request-Id)" client-id.42_x
	req GET /health/live -H 'X-Request-Id: has spaces!'
	check "request id: an invalid one is replaced" grep -Eq '^[0-9a-f]{32}$' <<<"$(hdr X-Request-Id)"
	req GET /health/live -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
	check "traceparent: the trace is continued with a new span" \
		grep -Eq '^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$' <<<"$(hdr traceparent)"
	check "traceparent: span id is the service's own" \
		test "$(hdr traceparent | cut -d- -f3)" != 00f067aa0ba902b7
	check "log: one JSON line per request with id, method, route, status, duration" \
		python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("msg") == "request" and d.get("request_id") == "client-id.42_x":
        assert d["method"] == "GET" and d["route"] == "/health/live" and d["status"] == 200
        assert isinstance(d["duration_ms"], (int, float)) and d["ts"] and d["level"] == "info"
        sys.exit(0)
sys.exit(1)' "$TMP/service-a.log"
}

test_routing() {
	req GET /nope
	check "404: unknown route is a problem document" problem 404 not-found
	req DELETE /v1/payments
	check "405: wrong method is a problem document" problem 405 method-not-allowed
	check "405: Allow lists the methods" is "$(hdr Allow)" "POST, GET"
	req GET /v1/payments/
	check "404: trailing slash is not a route" problem 404 not-found
}
