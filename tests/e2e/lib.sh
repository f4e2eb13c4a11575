# shellcheck shell=bash
# The e2e harness: sourced by run.sh. Each test is a function test_NAME run
# in a subshell, in a fresh directory; assertions record the first failure
# and the test goes on, so one run shows what broke first.
#
#   bk ARGS...            run $BKGEN; sets RC, stdout in $OUT, stderr in $ERR
#   t_exit N              RC is N
#   t_contains out|err|FILE TEXT   (fixed string);  t_lacks: the opposite
#   t_match out|err|FILE REGEX     (grep -E, per line)
#   t_empty out|err|FILE
#   t_json [FILE] PYCODE  python3 with d = the parsed JSON; PYCODE asserts
#   t_eq A B WHAT
#   skip REASON           the rest of the test is skipped (counts as passed)

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bkgen-e2e.XXXXXX") || exit 2
trap 'chmod -R u+rwX "$E2E_TMP" 2>/dev/null; rm -rf "$E2E_TMP"' EXIT
TIMEOUT=$(command -v timeout || true)
PASSED=0
FAILED=0

fail() {
	[ -s "$T_REASON" ] || printf '%s\n' "$*" | head -c 2000 >"$T_REASON"
}

skip() {
	printf '%s\n' "$*" >"$T_SKIP"
	exit 0
}

bk() {
	if [ -n "$TIMEOUT" ]; then
		"$TIMEOUT" 120 "$BKGEN" "$@" >"$OUT" 2>"$ERR"
	else
		"$BKGEN" "$@" >"$OUT" 2>"$ERR"
	fi
	RC=$?
	LAST="bkgen $*"
	if [ "$RC" -ge 124 ]; then
		fail "'$LAST' crashed or hung (status $RC): $(head -c 300 "$ERR")"
	fi
}

_file() {
	case "$1" in
	out) echo "$OUT" ;;
	err) echo "$ERR" ;;
	*) echo "$1" ;;
	esac
}

_show() {
	head -c 400 "$(_file "$1")" 2>/dev/null | tr '\n' '|'
}

t_exit() {
	[ "$RC" = "$1" ] ||
		fail "'$LAST': exit $RC, expected $1; stderr: $(_show err) stdout: $(_show out)"
}

t_contains() {
	grep -qsF -- "$2" "$(_file "$1")" ||
		fail "'$LAST': $1 lacks '$2'; $1 was: $(_show "$1")"
}

t_lacks() {
	! grep -qsF -- "$2" "$(_file "$1")" ||
		fail "'$LAST': $1 should not contain '$2'; $1 was: $(_show "$1")"
}

t_match() {
	grep -qsE -- "$2" "$(_file "$1")" ||
		fail "'$LAST': no line of $1 matches /$2/; $1 was: $(_show "$1")"
}

t_empty() {
	[ ! -s "$(_file "$1")" ] || fail "'$LAST': $1 should be empty, was: $(_show "$1")"
}

t_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

t_json() {
	local file=$OUT
	if [ $# -gt 1 ]; then file=$(_file "$1"); shift; fi
	local msg
	msg=$(python3 - "$file" "$1" 2>&1 <<'EOF'
import json, re, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
except Exception as e:
    sys.exit("not JSON: %s" % e)
try:
    exec(sys.argv[2], {"d": d, "re": re, "json": json})
except AssertionError as e:
    sys.exit("assertion failed: %s" % (e or "(no message)"))
except Exception as e:
    sys.exit("%s: %s" % (type(e).__name__, e))
EOF
	) || fail "'$LAST' JSON: $msg"
}

# Files with findings, reused by several tests.
write_bad_js() {
	mkdir -p "$(dirname "$1")"
	printf 'async function load(url) {\n  await fetch(url);\n  const q = "SELECT * FROM users";\n  return q;\n}\n' >"$1"
}

write_warn_js() {
	mkdir -p "$(dirname "$1")"
	printf 'const q = "SELECT * FROM users";\n' >"$1"
}

write_clean_js() {
	mkdir -p "$(dirname "$1")"
	printf 'const q = "SELECT id, email FROM users";\nexport default q;\n' >"$1"
}

run_test() {
	local name=$1 dir="$E2E_TMP/$1"
	mkdir -p "$dir/w"
	T_REASON="$dir/reason" T_SKIP="$dir/skip"
	(
		OUT="$dir/stdout" ERR="$dir/stderr" RC=0 LAST=""
		cd "$dir/w" || exit 1
		"$name"
	)
	if [ -s "$T_REASON" ]; then
		echo "FAIL ${name#test_}: $(cat "$T_REASON")"
		FAILED=$((FAILED + 1))
	else
		if [ -s "$T_SKIP" ]; then
			echo "ok ${name#test_} # skip $(cat "$T_SKIP")"
		else
			echo "ok ${name#test_}"
		fi
		PASSED=$((PASSED + 1))
	fi
	chmod -R u+rwX "$dir" 2>/dev/null
	rm -rf "$dir"
}

run_all() {
	local pattern=${1:-}
	local t
	for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
		[ -z "$pattern" ] || [[ "${t#test_}" == *$pattern* ]] || continue
		run_test "$t"
	done
	[ $((PASSED + FAILED)) -gt 0 ] || echo "run.sh: no test matches '$pattern'" >&2
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ] && [ $((PASSED + FAILED)) -gt 0 ]
}
