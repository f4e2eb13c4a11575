#!/usr/bin/env bash
# Hostile inputs, answered calmly: one row per input, each saying what
# bkgen must exit with, what it must say (on stdout or stderr), and what
# may be left on disk afterwards. A row runs in a fresh directory:
#
#   name ¦ setup (shell) ¦ command (shell; $BK is bkgen) ¦ exit ¦ says ¦ left on disk (shell test)
#
# "says" is a fixed string, or "-" for nothing to check; "left" is a shell
# condition that must hold after the command ("-": nothing to check). A
# row whose setup prints "skip: why" is skipped (e.g. a permission test as
# root). Helpers for setups: warn FILE (a file with one finding), slow_go
# FILE (a Go file tree-sitter takes seconds over), rule DIR QUERY (a user
# rule), full_device (sets DEV), no_temp (no temporary file of an atomic
# write is left).
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/bad-input.sh [PATTERN]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "bad-input.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR
# shellcheck source=lib.sh
. "$HERE/lib.sh"

warn() {
	mkdir -p "$(dirname "$1")"
	printf 'const q = "SELECT * FROM users";\n' >"$1"
}

slow_go() {
	python3 - "$1" <<'PY'
import random, sys
random.seed(2)
out, stack = ['package p\nvar q = db.Query("SELECT * FROM t")\n'], []
for i in range(200000):
    stack.append(random.choice('([{')); out.append(stack[-1])
    if i % 40 == 0: out.append('\n')
while stack:
    out.append({'(': ')', '[': ']', '{': '}'}[stack.pop()])
    if len(stack) % 40 == 0: out.append('\n')
open(sys.argv[1], 'w').write(''.join(out))
PY
}

rule() {
	mkdir -p "$1"
	cat >"$1/r.yml" <<EOF
id: r
title: A user rule
severity: error
category: correctness
rationale: r
fix: f
languages:
  javascript:
    query: '$2'
EOF
}

# DEV: a device that is always full. As root, one of our own: a bkgen that
# wrongly replaced it must not break the system's /dev/full.
full_device() {
	DEV=/dev/full
	if [ "$(id -u)" = 0 ]; then
		DEV=$PWD/full
		mknod "$DEV" c 1 7 2>/dev/null && : 2>/dev/null >"$DEV" ||
			echo "skip: cannot make or open a device node here"
	elif [ ! -c "$DEV" ]; then
		echo "skip: no /dev/full"
	fi
}

no_temp() {
	! find . -name '*.tmp.*' | grep -q .
}

# Runs one row; $1..$6 are its fields.
run_row() {
	local setup=$2 cmd=$3 want=$4 says=$5 left=$6 why
	# in this shell: a setup may start a job the check waits for
	eval "$setup" >../setup.out 2>&1
	why=$(cat ../setup.out)
	case "$why" in skip:*) skip "${why#skip: }" ;; esac
	BK=$BKGEN
	if [ -n "$TIMEOUT" ]; then
		BK="$TIMEOUT 120 $BKGEN"
	fi
	eval "$cmd" >"$OUT" 2>"$ERR"
	RC=$?
	LAST=$cmd
	t_exit "$want"
	if [ "$says" != - ] && ! grep -qsF -- "$says" "$OUT" "$ERR"; then
		fail "'$cmd' should say '$says'; stdout: $(_show out) stderr: $(_show err)"
	fi
	if [ "$left" != - ] && ! eval "$left"; then
		fail "'$cmd': afterwards, '$left' does not hold; in the directory: $(ls -A | tr '\n' ' ')"
	fi
}

# The table. Exit 2: usage or configuration; 3: runtime failure.
TABLE=$(cat <<'ROWS'
fifo-as-config    ¦ warn a.js; mkfifo c.yml ¦ $BK check --config c.yml a.js ¦ 2 ¦ cannot read configuration 'c.yml': not a regular file (a FIFO) ¦ [ -p c.yml ]
fifo-as-baseline  ¦ warn a.js; mkfifo b.json ¦ $BK check --baseline b.json a.js ¦ 2 ¦ cannot read the baseline 'b.json': not a regular file (a FIFO) ¦ [ -p b.json ]
fifo-as-rule-file ¦ warn a.js; mkdir r; mkfifo r/x.yml ¦ $BK check --rules r a.js ¦ 2 ¦ cannot read rule file 'r/x.yml': not a regular file (a FIFO) ¦ [ -p r/x.yml ]
fifo-as-manifest  ¦ mkdir -p t/x; mkfifo t/x/template.yml ¦ $BK new svc --lang x --template-dir t ¦ 2 ¦ not a regular file (a FIFO) ¦ [ -p t/x/template.yml ] && [ ! -e svc ]
fifo-in-the-tree  ¦ warn a.js; mkfifo b.js ¦ $BK check --no-source . ¦ 1 ¦ a.js:1: ¦ [ -p b.js ]
fifo-as-output    ¦ warn a.js; mkfifo out; { timeout 60 cat out >got & } ¦ $BK check --format json -o out a.js ¦ 1 ¦ - ¦ wait; [ -p out ] && grep -q sql-select-star got
device-as-output  ¦ warn a.js; full_device ¦ $BK check -o "$DEV" a.js ¦ 3 ¦ No space left on device ¦ [ -c "$DEV" ]
dangling-output   ¦ warn a.js; ln -s nowhere.txt out ¦ $BK check -o out a.js ¦ 3 ¦ cannot write 'out': a symbolic link to a file that does not exist ¦ [ -L out ] && [ ! -e nowhere.txt ] && no_temp
directory-output  ¦ warn a.js; mkdir out ¦ $BK check -o out a.js ¦ 3 ¦ cannot write 'out': it is a directory ¦ [ -d out ] && no_temp
read-only-output  ¦ warn a.js; mkdir ro; echo old >ro/r.txt; chmod 555 ro; [ "$(id -u)" != 0 ] || echo 'skip: root writes anywhere' ¦ $BK check -o ro/r.txt a.js ¦ 3 ¦ cannot write 'ro/r.txt' ¦ [ "$(cat ro/r.txt)" = old ] && no_temp
symlink-loop      ¦ warn a.js; mkdir d; ln -s .. d/up ¦ $BK check --verbose --no-source . ¦ 1 ¦ symlink-loop ¦ [ -L d/up ]
dangling-link     ¦ warn a.js; ln -s nowhere.js b.js ¦ $BK check --verbose --no-source . ¦ 1 ¦ dangling symbolic link ¦ -
oversized         ¦ warn a.js; head -c 3000000 /dev/zero | tr '\0' '\n' >>a.js ¦ $BK check --verbose a.js ¦ 0 ¦ oversized ¦ -
minified          ¦ python3 -c "open('m.js','w').write('var q=\"SELECT * FROM t\";' * 400)" ¦ $BK check --verbose m.js ¦ 0 ¦ minified ¦ -
invalid-utf8      ¦ printf 'const q = "SELECT * FROM t \377";\n' >a.js ¦ $BK check --verbose a.js ¦ 0 ¦ invalid UTF-8 at 1: ¦ -
nul-bytes         ¦ printf 'const q = "SELECT * FROM t";\0\n' >a.js ¦ $BK check --verbose a.js ¦ 0 ¦ contains NUL bytes ¦ -
crlf              ¦ printf '\r\nconst q = "SELECT * FROM t";\r\n' >a.js ¦ $BK check --no-source a.js ¦ 1 ¦ a.js:2: ¦ -
cr-only           ¦ printf '\rconst q = "SELECT * FROM t";\r' >a.js ¦ $BK check --no-source a.js ¦ 1 ¦ a.js:2: ¦ -
same-path-twice   ¦ warn a/w.js ¦ $BK check --no-source a/../a ./a "$PWD/a/w.js" ¦ 1 ¦ 1 problem ¦ -
non-utf8-name     ¦ warn "$(printf 'caf\351.js')"; $BKGEN check --write-baseline b.json >/dev/null ¦ $BK check --baseline b.json ¦ 0 ¦ - ¦ grep -q path-hex b.json
regex-limit       ¦ printf 'const aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab = 1;\n' >a.js; rule r '((identifier) @x (#match? @x "^(a|a)+$")) @report' ¦ $BK check --no-builtin --strict --rules r a.js ¦ 3 ¦ regex-limit (the regex at r/r.yml:9:13 gave up: match limit exceeded ¦ -
query-crash       ¦ warn a.js; rule r '(pair value:(.r)) @report' ¦ $BK check --rules r a.js ¦ 2 ¦ r/r.yml:9:19: a field whose pattern is only a predicate ¦ -
query-loop        ¦ warn a.js; rule r '(identifier)?+ @x' ¦ $BK check --rules r a.js ¦ 2 ¦ a repetition of a pattern that may match nothing ¦ -
deep-yaml         ¦ warn a.js; python3 -c "open('.bkgen.yml','w').write('include: ' + '[' * 400000)" ¦ $BK check a.js ¦ 2 ¦ .bkgen.yml:1:73: YAML nested deeper than 64 levels ¦ -
huge-yaml         ¦ warn a.js; head -c 2000000 /dev/zero | tr '\0' '#' >.bkgen.yml ¦ $BK check a.js ¦ 2 ¦ more than the 1048576 allowed ¦ -
glob-explosion    ¦ d=deep; for i in $(seq 40); do d=$d/a; done; warn $d/w.js ¦ $BK check --exclude '*/**/*/**/**/*/**/*/**/*/**/**/*/**/*/**/x/' --no-source . ¦ 1 ¦ 1 problem ¦ -
too-many-findings ¦ python3 -c "open('m.js','w').write(''.join('const q%d = \"SELECT * FROM t\";\n' % i for i in range(3000)))" ¦ $BK check --format json -o r.json m.js ¦ 1 ¦ 2000 more findings not reported ¦ [ "$(wc -c <r.json)" -lt 2000000 ]
sigpipe           ¦ python3 -c "open('m.js','w').write(''.join('const q%d = \"SELECT * FROM t\";\n' % i for i in range(900)))" ¦ $BKGEN check m.js | head -1; (exit ${PIPESTATUS[0]}) ¦ 141 ¦ - ¦ [ ! -s "$ERR" ]
slow-file         ¦ slow_go s.go ¦ $BK check --file-timeout 0.3 s.go ¦ 0 ¦ skipped s.go: timeout ¦ -
slow-file-explain ¦ slow_go s.go ¦ $BK explain --list --file-timeout 0.3 s.go ¦ 0 ¦ skipped s.go: timeout ¦ -
sigterm-in-check  ¦ slow_go s.go; echo old >r.json ¦ $BKGEN check --file-timeout 60 -o r.json s.go & sleep 1; kill -TERM $!; wait $! ¦ 143 ¦ - ¦ [ "$(cat r.json)" = old ] && no_temp
sigint-in-check   ¦ slow_go s.go; echo old >r.json; env --default-signal=INT true 2>/dev/null || echo 'skip: env cannot undo the SIGINT a background job ignores' ¦ env --default-signal=INT $BKGEN check --file-timeout 60 -o r.json s.go & sleep 1; kill -INT $!; wait $! ¦ 130 ¦ - ¦ [ "$(cat r.json)" = old ] && no_temp
ROWS
)

n=0
# Split a row at " ¦ " into FIELDS.
split_row() {
	local rest=$1
	FIELDS=()
	while [[ "$rest" == *" ¦ "* ]]; do
		FIELDS+=("${rest%% ¦ *}")
		rest=${rest#* ¦ }
	done
	FIELDS+=("$rest")
}

while IFS= read -r line; do
	[ -n "$line" ] || continue
	split_row "$line"
	[ "${#FIELDS[@]}" = 6 ] || { echo "bad-input.sh: row with ${#FIELDS[@]} fields: $line" >&2; exit 2; }
	name=$(echo "${FIELDS[0]}" | tr -d ' ' | tr '-' '_')
	eval "test_$name() { run_row $(printf '%q ' "$name" "${FIELDS[@]:1}"); }"
done <<<"$TABLE"

run_all "${1:-}"
