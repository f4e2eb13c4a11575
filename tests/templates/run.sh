#!/usr/bin/env bash
# Every template, as a user gets it: rendered by `bkgen new` into a
# temporary directory under a new name, then built and tested there with
# its own `make test`, and checked by `bkgen check`, which must report
# nothing. Each must carry the shared PostgreSQL launcher as tests/pgtmp.sh.
# Usage: BKGEN=/path/to/bkgen tests/templates/run.sh [LANG...]
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/bkgen}
work=$(mktemp -d "${TMPDIR:-/tmp}/bkgen-templates-XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
# The rendered projects are separate builds: the outer make's variables
# (BUILD, SAN, OPT) must not leak into them.
unset MAKEFLAGS MAKELEVEL MFLAGS BUILD SAN OPT

ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
# What a failed suite said: its failing lines and diagnostics first (TAP
# "not ok" and what follows), then its last lines.
why() {
	{ grep -n -A4 -E '^not ok|^FAIL|[Ee]rror|panic|Assertion' "$1" | head -60
	  echo "--- last lines:"; tail -15 "$1"; } 2>/dev/null
}

langs=("$@")
if [ ${#langs[@]} -eq 0 ]; then
	for m in "$SRCDIR"/templates/*/template.yml; do
		[ -f "$m" ] && langs+=("$(basename "$(dirname "$m")")")
	done
fi

for lang in "${langs[@]}"; do
	dir=$work/$lang/order-hub
	log=$work/$lang.log
	mkdir -p "$work/$lang"
	if ! "$BKGEN" new order-hub --lang "$lang" --dir "$dir" \
		--template-dir "$SRCDIR/templates" </dev/null >"$log" 2>&1; then
		fail "$lang render" "$(tail -5 "$log")"
		continue
	fi
	ok "$lang render"
	if grep -rIl -i 'acme[-_]\?payments' "$dir" --exclude-dir=.git >"$work/left" 2>/dev/null; then
		fail "$lang rename" "the source name is left in: $(head -3 "$work/left" | tr '\n' ' ')"
	else
		ok "$lang rename"
	fi
	# Every template's tests start PostgreSQL with the shared launcher.
	if [ -x "$dir/tests/pgtmp.sh" ] && cmp -s "$dir/tests/pgtmp.sh" "$SRCDIR/templates/shared/pgtmp.sh"; then
		ok "$lang carries tests/pgtmp.sh"
	else
		fail "$lang carries tests/pgtmp.sh" "missing, not executable or not templates/shared/pgtmp.sh; list it under include: in templates/$lang/template.yml"
	fi
	if "$BKGEN" check --no-config "$dir" >"$log" 2>&1; then
		ok "$lang bkgen check is clean"
	else
		fail "$lang bkgen check is clean" "$(head -20 "$log")"
	fi
	if make -C "$dir" -j"$(nproc)" test >"$log" 2>&1; then
		ok "$lang make test ($(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tr '\n' ';'))"
	else
		fail "$lang make test" "$(why "$log")"
	fi
	# Non-default option values must render into a project that still passes.
	sets=$SRCDIR/tests/templates/$lang.sets
	[ -f "$sets" ] || continue
	dir=$work/$lang/with-options
	# shellcheck disable=SC2046
	if "$BKGEN" new order-hub --lang "$lang" --dir "$dir" --no-git $(cat "$sets") \
		--template-dir "$SRCDIR/templates" </dev/null >"$log" 2>&1 &&
		make -C "$dir" -j"$(nproc)" test >"$log" 2>&1; then
		ok "$lang with $(tr -d '\n' <"$sets")"
	else
		fail "$lang with $(tr -d '\n' <"$sets")" "$(why "$log")"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
