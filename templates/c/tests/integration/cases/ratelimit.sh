test_rate_limit() {
	local tok i
	tok=$(token merchant-rl payments:read)
	: >"$TMP/rl.status"
	for i in $(seq 1 45); do echo "url = \"$BASE/v1/payments?limit=1\""; done >"$TMP/rl.curl"
	curl -s -m 20 -K "$TMP/rl.curl" -H "$(auth "$tok")" -o /dev/null -w '%{http_code}\n' >"$TMP/rl.status"
	check "rate limit: a burst past the bucket gets 429s" test "$(grep -c 429 "$TMP/rl.status")" -gt 0
	check "rate limit: the bucket's worth got through" test "$(grep -c 200 "$TMP/rl.status")" -ge 30
	# The bucket refills while a loaded machine is slow: ask until it says no.
	for i in $(seq 1 30); do
		req GET '/v1/payments?limit=1' -H "$(auth "$tok")"
		[ "$STATUS" = 429 ] && break
	done
	check "rate limit: 429 is a problem document" problem 429 rate-limited
	check "rate limit: Retry-After" grep -Eq '^[1-9][0-9]*$' <<<"$(hdr Retry-After)"
	check "rate limit: RateLimit-Limit/Remaining/Reset" \
		test "$(hdr RateLimit-Limit)" = 30 -a "$(hdr RateLimit-Remaining)" = 0 -a -n "$(hdr RateLimit-Reset)"
	req GET '/v1/payments?limit=1' -H "$(auth "$W")"
	check "rate limit: other clients are not affected" is "$STATUS" 200
	req GET /health/ready
	check "rate limit: health is never limited" is "$STATUS" 200
}
