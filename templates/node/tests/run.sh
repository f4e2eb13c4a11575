#!/usr/bin/env bash
# Type-check, unit tests, integration tests; the last line is
# "N passed, N failed" over all of them (the type-check counts as one).
set -u
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
count() { # count LOGFILE: adds node:test's "# pass"/"# fail" totals
	local p f
	p=$(grep -E '^# pass [0-9]+' "$1" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$1" | tail -1 | awk '{print $3}')
	pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0}))
	[ -z "$p" ] && fail=$((fail + 1)) # the runner itself failed
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if npx tsc -p . --noEmit; then pass=$((pass + 1)); echo "ok - type-check"; else fail=$((fail + 1)); echo "not ok - type-check"; fi
echo "== unit"
node --test --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$log" dist/tests/unit/
count "$log"
echo "== integration"
tests/integration/run.sh --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$log"
count "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
