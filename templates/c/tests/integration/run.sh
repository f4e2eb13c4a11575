#!/usr/bin/env bash
# Integration tests: a throwaway PostgreSQL (unix socket, temp dir), the
# service on a loopback port, a loopback webhook receiver, and curl +
# python3 against every endpoint and error of ../../../openapi.yaml.
# Prints one line per check and "N passed, N failed" at the end.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${BIN:-$ROOT/build/acme-payments}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
. "$HERE/lib.sh"
cd "$ROOT" || exit 1 # MIGRATIONS_DIR defaults to ./migrations

PASS=0
FAIL=0
TMP=$(mktemp -d /tmp/acme-payments-it.XXXXXX)
JWT_SECRET_VALUE=it-secret-0123456789abcdef0123456789
WEBHOOK_SECRET_VALUE=whsec-it-0123456789
OUTBOX_SECRET_VALUE=outbox-it-secret
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT # set before pgtmp_start: runs once PostgreSQL is stopped
export PGTMP_KEEP=${KEEP_TMP:-}

ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1"; }
# check DESCRIPTION COMMAND...: the check passes when COMMAND succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
is() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'" >&2; return 1; }; }
json() { python3 "$HERE/jcheck.py" "$TMP/body" "$1"; }
hdr() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
token() { python3 "$HERE/jwt.py" "$JWT_SECRET_VALUE" "$@"; }
now() { date +%s; }

# req METHOD PATH [curl args...]: sets STATUS; body in $TMP/body, headers in $TMP/headers.
req() {
	local method=$1 path=$2
	shift 2
	STATUS=$(curl -s -m 10 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method" \
		"$BASE$path" "$@")
}
problem() { # problem STATUS SLUG: the last response is that problem document
	is "$STATUS" "$1" && is "$(hdr Content-Type)" "application/problem+json" &&
		json "d['type'].endswith('/$2') and d['status'] == $1 and d['title'] and d['detail'] and d['instance'] and d['request_id']"
}
auth() { echo "Authorization: Bearer $1"; }
post_payment() { # post_payment TOKEN KEY BODY [curl args...]
	req POST /v1/payments -H "$(auth "$1")" -H "Idempotency-Key: $2" \
		-H 'Content-Type: application/json' -d "$3" "${@:4}"
}
wait_for() { # wait_for SECONDS COMMAND...: polls until COMMAND succeeds
	local limit=$(($1 * 10))
	shift
	for _ in $(seq 1 "$limit"); do "$@" 2>/dev/null && return 0; sleep 0.1; done
	"$@"
}

setup() {
	pgtmp_start payments || exit 1
	check "migrate applies 0001_init" "$BIN" migrate
	check "migrate again is a no-op" "$BIN" migrate
	check "schema_migrations has one row" is "$(psql_q 'SELECT count(*) FROM schema_migrations')" 1
	python3 "$HERE/receiver.py" "$TMP/receiver.port" "$TMP/received.jsonl" "$OUTBOX_SECRET_VALUE" &
	PIDS+=($!)
	wait_for 5 test -s "$TMP/receiver.port"
	RECEIVER="http://127.0.0.1:$(cat "$TMP/receiver.port")/events"
	SVC_ENV=(JWT_SECRET=$JWT_SECRET_VALUE WEBHOOK_SECRET=$WEBHOOK_SECRET_VALUE
		OUTBOX_URL=$RECEIVER OUTBOX_SECRET=$OUTBOX_SECRET_VALUE OUTBOX_MAX_ATTEMPTS=3
		OUTBOX_BACKOFF_BASE_MS=100 OUTBOX_BACKOFF_MAX_MS=400 OUTBOX_POLL_INTERVAL_MS=100
		RATE_LIMIT_RPS=5 RATE_LIMIT_BURST=30 FRAUD_MAX_PER_MINUTE=3 FRAUD_REVIEW_AMOUNT=50000
		PAYMENT_MAX_AMOUNT=1000000 HTTP_MAX_BODY_BYTES=4096 SHUTDOWN_DRAIN_TIMEOUT_S=5
		DB_CONNECT_TIMEOUT_S=2)
	PORT_A=$(free_port)
	svc_start "$PORT_A" "$TMP/service-a.log" "${SVC_ENV[@]}" || exit 1
	SVC_A=$SVC_PID
	PIDS+=("$SVC_A")
	BASE="http://127.0.0.1:$PORT_A"
	W=$(token merchant-a "payments:read payments:write")
}

for f in "$HERE"/cases/*.sh; do . "$f"; done

setup
test_config
test_health
test_routing
test_auth
test_validation
test_payments
test_idempotency_concurrency
test_in_flight
test_lock_timeout
test_atomicity
test_fraud
test_pagination
test_refunds
test_webhooks
test_rate_limit
test_outbox
test_readiness_restart
test_shutdown
check "no sanitizer report in the service logs" \
	test -z "$(grep -l 'runtime error:\|Sanitizer' "$TMP"/service-*.log)"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
