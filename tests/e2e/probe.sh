#!/usr/bin/env bash
# End-to-end tests of `bkgen probe`: usage and exit codes, against a
# loopback stand-in (probe-server.py) that keeps the contract or breaks one
# part of it per switch, and against the C reference service rendered from
# templates/c by `bkgen new`, built, and started on a throwaway PostgreSQL
# (its tests/pgtmp.sh), as its integration tests do (skipped, with the
# reason, when PostgreSQL cannot be started).
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/probe.sh [PATTERN]
#
# Same harness and output as run.sh (lib.sh). Needs bash, python3 and curl;
# the reference test also needs the template's build dependencies and the
# PostgreSQL server binaries.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "probe.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR
# shellcheck source=lib.sh
. "$HERE/lib.sh"

CHECKS="health-live health-ready request-id unknown-route wrong-method invalid-body
idempotency-replay idempotency-conflict pagination slow-headers rate-limit"
AUTH="Authorization: Bearer probe-token"

# fake_start [SWITCH...]: the stand-in on a loopback port; sets URL, FAKE_PID.
fake_start() {
	python3 "$HERE/probe-server.py" "$PWD/fake.port" "$@" 2>"$PWD/fake.log" &
	FAKE_PID=$!
	for _ in $(seq 1 50); do
		[ -s "$PWD/fake.port" ] && break
		sleep 0.1
	done
	[ -s "$PWD/fake.port" ] || { fail "probe-server.py did not start: $(head -c 300 fake.log)"; return 1; }
	URL="http://127.0.0.1:$(cat "$PWD/fake.port")"
	trap 'kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null' EXIT
}

# t_failed ID...: the json report's findings are exactly these checks.
t_failed() {
	local want
	want=$(printf '"probe/%s",' "$@")
	t_json "ids = sorted({f['rule'] if isinstance(f['rule'], str) else f['rule']['id'] for f in d['findings']})
assert ids == sorted([${want%,}]), ids"
}

test_probe_list() {
	bk probe --list; t_exit 0; t_empty err
	for c in $CHECKS; do t_match out "^$c "; done
	t_eq "$(wc -l <"$OUT" | tr -d ' ')" 11 "number of checks listed"
}

test_probe_usage_errors() {
	bk probe; t_exit 2; t_contains err "missing the service URL"
	bk probe http://a http://b; t_exit 2; t_contains err "expected one URL"
	bk probe --only health-liv http://127.0.0.1:9; t_exit 2; t_contains err "did you mean 'health-live'"
	bk probe --skip nope http://127.0.0.1:9; t_exit 2; t_contains err "unknown check 'nope'"
	bk probe ftp://127.0.0.1/; t_exit 2; t_contains err "unsupported scheme"
	bk probe --timeout 0 http://127.0.0.1:9; t_exit 2; t_contains err "--timeout"
	bk probe --burst many http://127.0.0.1:9; t_exit 2; t_contains err "--burst"
	bk probe --header NoColon http://127.0.0.1:9; t_exit 2; t_contains err "--header"
	bk probe --format xml http://127.0.0.1:9; t_exit 2
}

test_probe_unreachable_is_3() {
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	bk probe --connect-timeout 2 "http://127.0.0.1:$port"; t_exit 3; t_empty out
	t_contains err "service unreachable"
}

test_probe_conforming_server_passes() {
	fake_start || return
	local t0=$SECONDS
	bk probe --slow-timeout 5 -H "$AUTH" -v "$URL"; t_exit 0
	for c in $CHECKS; do t_match err "^probe: $c +ok "; done
	[ $((SECONDS - t0)) -le 10 ] || fail "probe took $((SECONDS - t0))s against a healthy server"
	bk probe --slow-timeout 5 -H "$AUTH" --skip slow-headers --skip rate-limit -f json "$URL"
	t_exit 0; t_json "assert d['findings'] == [], d['findings']"
	bk probe --only health-live --only request-id -f sarif "$URL"; t_exit 0
	t_json "rules = [r['id'] for r in d['runs'][0]['tool']['driver']['rules']]
assert rules == ['probe/health-live', 'probe/request-id'], rules
assert d['runs'][0]['results'] == []"
}

test_probe_without_token_fails_and_says_how() {
	fake_start || return
	bk probe --only idempotency-replay "$URL"; t_exit 1
	t_contains out "answered 401"; t_contains out "--header 'Authorization: Bearer"
}

# Each switch of the stand-in breaks exactly the checks named after it.
test_probe_broken_server_fails_each_check() {
	local spec sw ids
	for spec in "--no-problem:unknown-route wrong-method invalid-body" \
		"--no-request-id:request-id" \
		"--no-idempotency:idempotency-replay idempotency-conflict" \
		"--no-rate-limit:rate-limit" \
		"--slow-forever:slow-headers" \
		"--page-dups:pagination"; do
		sw=${spec%%:*} ids=${spec#*:}
		rm -f fake.port
		fake_start "$sw" || return
		# shellcheck disable=SC2086
		bk probe --slow-timeout 2 --burst 100 -H "$AUTH" -f json "$URL"; t_exit 1
		# shellcheck disable=SC2086
		t_failed $ids
		kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null
	done
}

test_probe_findings_in_every_format() {
	fake_start --no-problem --no-request-id || return
	local sel=(--only request-id --only unknown-route -H "$AUTH")
	bk probe "${sel[@]}" "$URL"; t_exit 1
	t_match out "^http://127\.0\.0\.1:[0-9]+/health/live:1:1: error: sent X-Request-Id .*\[probe/request-id\]"
	t_contains out "[probe/unknown-route]"; t_contains out "2 problems"
	bk probe "${sel[@]}" -f sarif "$URL"; t_exit 1
	t_json "r = d['runs'][0]
assert sorted(x['ruleId'] for x in r['results']) == ['probe/request-id', 'probe/unknown-route']
rules = r['tool']['driver']['rules']
assert all(rules[x['ruleIndex']]['id'] == x['ruleId'] for x in r['results'])"
	bk probe "${sel[@]}" -f github "$URL"; t_exit 1
	t_match out '^::error .*probe/request-id'
	bk probe "${sel[@]}" --skip unknown-route -f json "$URL"; t_exit 1; t_failed request-id
	bk probe --only health-live --only health-ready "$URL"; t_exit 0
}

# ---- the C reference service ----

ref_cleanup() {
	[ -n "${SVC_PID:-}" ] && kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null
}

test_probe_reference_service_passes() {
	local root="$PWD/svc"
	command -v curl >/dev/null || skip "curl is not installed (the service's start-up check uses it)"
	bk new acme-payments --lang c --dir "$root" --no-git --template-dir "$SRCDIR/templates" </dev/null
	t_exit 0
	[ -f "$root/tests/pgtmp.sh" ] || { fail "the rendered project has no tests/pgtmp.sh"; return; }
	# A separate project: none of the outer make's variables (BUILD, SAN) apply.
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u BUILD -u SAN -u OPT make -C "$root" -j2 >build.log 2>&1 ||
		skip "templates/c does not build here: $(tail -3 build.log | tr '\n' ' ')"
	BIN=$root/build/acme-payments
	# shellcheck source=../../templates/c/tests/integration/lib.sh
	. "$root/tests/integration/lib.sh"
	trap ref_cleanup EXIT # before pgtmp_start: it runs once PostgreSQL is stopped
	pgtmp_start payments 2>pg.err || skip "PostgreSQL cannot be started: $(head -c 300 pg.err)"
	export JWT_SECRET=probe-secret-0123456789abcdef0123456789 WEBHOOK_SECRET=whsec-probe-0123456789
	local port token logs=$PWD
	cd "$root" || return # MIGRATIONS_DIR defaults to ./migrations
	"$BIN" migrate >"$logs/migrate.log" 2>&1 || { fail "migrate: $(tail -3 "$logs/migrate.log")"; return; }
	port=$(free_port)
	svc_start "$port" "$logs/svc.log" RATE_LIMIT_RPS=5 RATE_LIMIT_BURST=40 HTTP_CONNECTION_TIMEOUT_S=2 \
		2>"$logs/svc.err" || { fail "service did not start: $(head -c 300 "$logs/svc.err")"; return; }
	token=$("$BIN" token probe_merchant) || { fail "cannot mint a token"; return; }
	local t0=$SECONDS
	bk probe --slow-timeout 6 -H "Authorization: Bearer $token" -v "http://127.0.0.1:$port"; t_exit 0
	for c in $CHECKS; do t_match err "^probe: $c +ok "; done
	[ $((SECONDS - t0)) -le 10 ] || fail "probe took $((SECONDS - t0))s against the reference service"
	bk probe --only pagination -f json -H "Authorization: Bearer $token" "http://127.0.0.1:$port"
	t_exit 0; t_json "assert d['findings'] == []"
}

run_all "${1:-}"
