#!/usr/bin/env bash
# wrk scenarios against the service on a throwaway PostgreSQL (the same
# set-up as the integration tests): GET by id, and POST with a unique
# Idempotency-Key per request. 64 connections, 30 s each by default.
# Prints one line per scenario: req/s, p50/p99 latency, errors, and the
# service's peak RSS (VmHWM) afterwards.
#   BENCH_DURATION=30s BENCH_CONNECTIONS=64 BENCH_THREADS=2 bench/run.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${BIN:-$ROOT/build/acme-payments}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
. "$ROOT/tests/integration/lib.sh"
cd "$ROOT"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

TMP=$(mktemp -d /tmp/acme-payments-bench.XXXXXX)
SVC_PID=
cleanup() {
	[ -n "$SVC_PID" ] && kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pgtmp_start payments
"$BIN" migrate >/dev/null
export JWT_SECRET=bench-secret-0123456789abcdef0123456789
PORT=$(free_port)
svc_start "$PORT" "$TMP/service.log" JWT_SECRET="$JWT_SECRET" WEBHOOK_SECRET=bench-webhook-secret \
	RATE_LIMIT_RPS=1000000 RATE_LIMIT_BURST=1000000 LOG_LEVEL=warn \
	HTTP_CONNECTION_LIMIT=$((CONNECTIONS * 2))

export BENCH_DIR=$HERE BENCH_RUN=$(date +%s%N)
BENCH_TOKEN=$("$BIN" token bench-merchant "payments:read payments:write" 7200)
export BENCH_TOKEN
ID=$(curl -fsS "http://127.0.0.1:$PORT/v1/payments" -H "Authorization: Bearer $BENCH_TOKEN" \
	-H 'Content-Type: application/json' -H "Idempotency-Key: seed-$BENCH_RUN" \
	-d '{"amount":100,"currency":"EUR","customer_id":"seed"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
export BENCH_PATH=/v1/payments/$ID

scenario() { # scenario NAME SCRIPT
	local line
	line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$HERE/$2" \
		"http://127.0.0.1:$PORT" | tail -1)
	printf '%-24s %s\n' "$1" "$line"
}

echo "acme-payments bench: $CONNECTIONS connections, $THREADS wrk threads, $DURATION per scenario, $(nproc) CPUs"
scenario "GET /v1/payments/{id}" get.lua
scenario "POST /v1/payments" post.lua
echo "peak RSS (VmHWM): $(grep VmHWM "/proc/$SVC_PID/status" | awk '{print $2, $3}')"
echo "payments inserted: $(psql_q 'SELECT count(*) FROM payments')"
