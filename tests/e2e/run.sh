#!/usr/bin/env bash
# End-to-end tests of the bkgen binary: exit codes, the four output formats,
# the walker (git ignores, odd files), configuration, user rules and inline
# suppressions, all on real files in throwaway directories.
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/run.sh [PATTERN]
#
# PATTERN (a substring or glob) selects tests by name. Prints "ok NAME" or
# "FAIL NAME: why" per test, then "N passed, N failed"; exits 1 on failure.
# Needs bash, python3 and git.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "run.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# ---- global commands ----

test_version() {
	bk --version; t_exit 0; t_match out '^bkgen [0-9]+\.[0-9]+\.[0-9]+'; t_empty err
	cp "$OUT" v1; bk version; t_exit 0; cmp -s "$OUT" v1 || fail "'version' differs from '--version'"
}

test_help() {
	bk help; t_exit 0; t_contains out check; t_contains out rules; t_empty err
	bk --help; t_exit 0; t_contains out "usage: bkgen"
	bk; t_exit 2; t_empty out; t_contains err "usage: bkgen"
	bk help nope; t_exit 2; t_contains err "unknown command 'nope'"
}

test_help_check_lists_options() {
	bk help check; t_exit 0; cp "$OUT" h1
	bk check --help; t_exit 0; cmp -s "$OUT" h1 || fail "'help check' and 'check --help' differ"
	t_contains out "usage: bkgen check"
	local names
	names=$("$BKGEN" __complete option | awk -F'\t' '$1 == "option check" { print $2 }')
	[ -n "$names" ] || fail "'bkgen __complete option' lists no option of check"
	for o in $names; do t_contains h1 "$o"; done
}

test_unknown_command_suggests() {
	bk chek; t_exit 2; t_empty out; t_contains err "did you mean 'check'"
	bk xyzzyplugh; t_exit 2; t_contains err "unknown command 'xyzzyplugh'"
	bk --bogus; t_exit 2; t_contains err "--bogus"
}

test_unknown_option_suggests() {
	bk check --formt json; t_exit 2; t_empty out; t_contains err "did you mean '--format'"
	bk rules list --formt json; t_exit 2; t_contains err "did you mean '--format'"
}

test_bad_option_values() {
	bk check --format xml; t_exit 2; t_empty out; t_contains err "xml"; t_contains err sarif
	bk check --fail-on fatal; t_exit 2
	bk check --color sometimes; t_exit 2
	bk check -j 0; t_exit 2; t_contains err "--jobs"
	bk check --max-file-size 2XB; t_exit 2; t_contains err "--max-file-size"
	bk check --only no-such-rule; t_exit 2; t_contains err "no-such-rule"
	bk check --only sql-select-str; t_exit 2; t_contains err "did you mean 'sql-select-star'"
	bk check --format; t_exit 2
}

# ---- rules ----

rule_ids() { sed -n 's/^id:[[:space:]]*//p' "$SRCDIR"/rules/*.yml 2>/dev/null | tr -d "\"'"; }

test_rules_list() {
	bk rules list; t_exit 0; t_empty err
	local ids; ids=$(rule_ids)
	[ -n "$ids" ] || ids="sql-select-star"
	for id in $ids; do t_match out "^$id "; done
	bk rules list --format json; t_exit 0
	t_json "
want = set('''$ids'''.split())
assert d['version'] == 1, d.get('version')
got = [r['id'] for r in d['rules']]
assert want <= set(got), 'missing rule ids: %s' % sorted(want - set(got))
assert len(got) == len(set(got)), 'duplicate ids'
for r in d['rules']:
    assert r['severity'] in ('error', 'warning', 'info'), r
    assert r['title'] and r['rationale'] and r['fix'] and r['languages'], r['id']
    assert r['enabled'] is not r['rationale'].startswith('Off by default'), r['id']"
}

test_rules_show() {
	bk rules show sql-select-star; t_exit 0
	for s in "sql-select-star:" "severity: warning" "why:" "fix:" "bad:" "good:" "SELECT * FROM users"; do
		t_contains out "$s"
	done
	bk rules show sql-select-star --format json; t_exit 0
	t_json "assert d['id'] == 'sql-select-star' and d['fix'], d"
	bk rules show nope; t_exit 2; t_empty out; t_contains err "unknown rule 'nope'"; t_contains err "rules list"
	bk rules show sql-select-str; t_exit 2; t_contains err "did you mean 'sql-select-star'"
	bk rules show; t_exit 2
	bk rules bogus; t_exit 2; t_contains err "bogus"
}

# ---- check: results and formats ----

test_clean_tree_is_silent() {
	write_clean_js src/ok.js; printf 'def f():\n    return 1\n' >src/ok.py
	bk check; t_exit 0; t_empty out; t_empty err
	bk check src/ok.js; t_exit 0; t_empty out
	bk check --format sarif; t_exit 0
	t_json "
run = d['runs'][0]
assert run['results'] == [], run['results']
assert run['tool']['driver']['rules'], 'no rules in a clean run'"
	bk check --format json; t_exit 0
	t_json "assert d['findings'] == [] and d['summary']['findings'] == 0 and d['summary']['files'] >= 1, d"
	bk check --format github; t_exit 0; t_empty out
}

test_text_findings() {
	write_bad_js src/bad.js; write_clean_js src/ok.js
	bk check; t_exit 1; t_empty err
	t_match out '^src/bad\.js:2:9: error: .+ \[http-client-timeout\]$'
	t_match out '^src/bad\.js:3:21: warning: SELECT \* .+ \[sql-select-star\]$'
	t_contains out '  await fetch(url);'
	t_match out '^ +\^~+$'
	t_match out '^2 problems \(1 error, 1 warning, 0 infos\) in 1 file$'
	t_lacks out src/ok.js
	bk check --no-source src; t_exit 1
	local n; n=$(wc -l <"$OUT")
	t_eq "$n" 3 "--no-source line count"
}

test_fail_on() {
	write_warn_js w/warn.js; write_bad_js e/bad.js
	bk check w; t_exit 1
	bk check --fail-on error w; t_exit 0
	bk check --fail-on info w; t_exit 1
	bk check --fail-on error e; t_exit 1
	bk check --fail-on none e; t_exit 0; t_contains out "[http-client-timeout]"
}

test_json_schema() {
	write_bad_js src/bad.js; write_warn_js src/w.js; write_clean_js src/ok.js
	bk check --format json src; t_exit 1; t_empty err
	local lines; lines=$(wc -l <"$OUT"); t_eq "$lines" 1 "json is one line"
	t_json "
assert d['version'] == 1 and d['command'] == 'check', d
assert d['tool']['name'] == 'bkgen' and re.match(r'\d+\.\d+', d['tool']['version'])
f = d['findings']
assert len(f) == 3, f
for x in f:
    assert set(x) >= {'rule','severity','message','path','range','fix','docs','category'}, x
    assert x['severity'] in ('error','warning','info')
    s, e = x['range']['start'], x['range']['end']
    for p in (s, e):
        assert isinstance(p['line'], int) and isinstance(p['character'], int) and p['line'] >= 0 and p['character'] >= 0
    assert (e['line'], e['character']) > (s['line'], s['character']), x['range']
    for k in ('fix','docs','category'):
        assert x[k] is None or isinstance(x[k], str)
fetch = [x for x in f if x['rule'] == 'http-client-timeout'][0]
assert fetch['path'] == 'src/bad.js' and fetch['range']['start'] == {'line': 1, 'character': 8}, fetch
star = [x for x in f if x['path'] == 'src/w.js'][0]
assert star['range']['start'] == {'line': 0, 'character': 18}, star['range']
assert star['range']['end'] == {'line': 0, 'character': 19}, star['range']
sm = d['summary']
assert sm['findings'] == 3 and sm['errors'] == 1 and sm['warnings'] == 2 and sm['infos'] == 0, sm
assert sm['files'] == 3 and sm['skipped'] == len(d['skipped']) == 0, sm
assert f == sorted(f, key=lambda x: (x['path'], x['range']['start']['line'], x['range']['start']['character'], x['rule']))"
}

test_sarif() {
	write_bad_js src/bad.js; write_warn_js 'src/sp ace.js'
	bk check --format sarif; t_exit 1
	t_json "
assert d['version'] == '2.1.0' and 'sarif' in d['\$schema'], d.get('version')
run = d['runs'][0]
drv = run['tool']['driver']
assert drv['name'] == 'bkgen' and drv['rules'], drv
ids = [r['id'] for r in drv['rules']]
assert len(ids) == len(set(ids)) and all(ids), ids
for r in drv['rules']:
    assert r['shortDescription']['text'] and r['help']['text'], r['id']
    assert r['defaultConfiguration']['level'] in ('error','warning','note')
res = run['results']
assert len(res) == 3, res
fps = set()
for x in res:
    assert x['ruleId'] in ids and ids[x['ruleIndex']] == x['ruleId'], x
    assert x['level'] in ('error','warning','note') and x['message']['text']
    loc = x['locations'][0]['physicalLocation']
    uri = loc['artifactLocation']['uri']
    assert not uri.startswith('./') and ' ' not in uri, uri
    reg = loc['region']
    assert reg['startLine'] >= 1 and reg['startColumn'] >= 1 and reg['endLine'] >= reg['startLine'], reg
    fp = (uri, x['partialFingerprints']['primaryLocationLineHash'])
    assert fp[1] and fp not in fps, fp
    fps.add(fp)
f = [x for x in res if x['ruleId'] == 'http-client-timeout'][0]
assert f['level'] == 'error' and f['locations'][0]['physicalLocation']['region']['startLine'] == 2
assert any(x['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'src/sp%20ace.js' for x in res)"
}

test_github_format() {
	write_bad_js src/bad.js
	bk check --format github; t_exit 1; t_empty err
	t_match out '^::error file=src/bad\.js,line=2,col=9,.*title=http-client-timeout::'
	t_match out '^::warning file=src/bad\.js,line=3,col=21,.*title=sql-select-star::'
	grep -qvE '^::(error|warning|notice) file=' "$OUT" && fail "a github line is not a workflow command: $(_show out)"
	write_warn_js 'src/a,b:c.js'
	bk check --format github src; t_contains out 'file=src/a%2Cb%3Ac.js,'
}

test_sorted_and_deterministic() {
	local i
	for i in $(seq 1 40); do
		mkdir -p "t/d$((i % 5))"
		printf 'const a = 1;\nconst q%d = "SELECT * FROM t%d";\nasync function f() { await fetch("u"); const r = "SELECT * FROM x"; }\n' "$i" "$i" >"t/d$((i % 5))/f$i.js"
	done
	for fmt in text json sarif github; do
		bk check -j1 --format "$fmt" t; t_exit 1; cp "$OUT" "j1.$fmt"
		bk check -j4 --format "$fmt" t; t_exit 1
		cmp -s "$OUT" "j1.$fmt" || fail "$fmt output differs between -j1 and -j4"
	done
	python3 - j1.text <<'EOF' 2>py.err || fail "text output is not sorted by path, line, column: $(tail -1 py.err)"
import re, sys
keys = [(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)) for m in
        (re.match(r'^(\S+):(\d+):(\d+): \w+: .* \[([\w-]+)\]$', l) for l in open(sys.argv[1])) if m]
assert len(keys) == 120, len(keys)
assert keys == sorted(keys), keys[:5]
EOF
}

test_output_file() {
	write_bad_js src/bad.js; mkdir out
	bk check --format json --output out/report.json src; t_exit 1; t_empty out
	t_json out/report.json "assert len(d['findings']) == 2"
	ls out | grep -q tmp && fail "temporary file left behind: $(ls out)"
	bk check -o out/report.txt src; t_exit 1; t_empty out; t_contains out/report.txt "[sql-select-star]"
	bk check -o no/such/dir/r.txt src; t_exit 3; t_contains err "cannot write"
}

test_output_not_a_regular_file() {
	# Only a regular file is replaced; a FIFO or a device is written to.
	write_bad_js src/bad.js
	mkfifo fifo
	${TIMEOUT:+$TIMEOUT 60} cat fifo >from-fifo & local reader=$!
	bk check -o fifo --format json src; t_exit 1
	wait "$reader"
	[ -p fifo ] || fail "the FIFO was replaced"
	t_json from-fifo "assert len(d['findings']) == 2"
	# as /dev/stdout in a pipeline (a link of our own: a failure must not
	# turn the system's /dev/stdout into a file)
	ln -s /proc/self/fd/1 stdout-link
	"$BKGEN" check -o stdout-link --format json src | cat >piped.json
	[ -L stdout-link ] || fail "the link to standard output was replaced"
	t_json piped.json "assert len(d['findings']) == 2"
	printf 'old\n' >real.txt; ln -s real.txt link.txt
	bk check -o link.txt src; t_exit 1
	[ -L link.txt ] || fail "the symbolic link was replaced"; t_contains real.txt "[sql-select-star]"
	ln -s nowhere.txt dangling.txt
	bk check -o dangling.txt src; t_exit 3; t_contains err "cannot write 'dangling.txt': a symbolic link to a file that does not exist"
	bk check -o src src; t_exit 3; t_contains err "it is a directory"
	ls | grep -q '\.tmp\.' && fail "temporary file left behind: $(ls)"
}

test_max_findings() {
	# One file with a finding on each of 3000 lines: capped, and said so.
	python3 -c "open('many.js', 'w').write(''.join('const q%d = \"SELECT * FROM t\";\n' % i for i in range(3000)))"
	write_warn_js other.js
	bk check --format json many.js other.js; t_exit 1
	t_json "f = d['findings']
assert len(f) == 1002, len(f)
note = [x for x in f if x['rule'] == 'too-many-findings']
assert len(note) == 1 and note[0]['path'] == 'many.js' and note[0]['severity'] == 'info', note
assert note[0]['message'].startswith('2000 more findings in this file not reported'), note
assert d['summary']['not_reported'] == 2000, d['summary']"
	t_contains err "warning: 2000 more findings not reported"
	bk check --max-findings 10 --max-findings-per-file 0 --no-source many.js other.js; t_exit 1
	t_contains out "10 problems"; t_contains out "2991 more not reported"; t_lacks out "other.js"
	bk check --max-findings 0 --format sarif many.js; t_exit 1
	t_json "r = d['runs'][0]
assert len(r['results']) == 1001, len(r['results'])
n = r['invocations'][0]['toolExecutionNotifications']
assert n[0]['level'] == 'warning' and n[0]['message']['text'].startswith('2000 more'), n"
	printf 'max-findings-per-file: 5\n' >.bkgen.yml
	bk check --format json many.js; t_exit 1; t_json "assert len(d['findings']) == 6, len(d['findings'])"
	bk check --max-findings -3 many.js; t_exit 2; t_contains err "invalid --max-findings '-3'"
	bk check other.js; t_exit 1; t_lacks err "not reported"
}

test_old_mac_line_endings() {
	# CR alone ends a line: findings and suppressions on the right lines.
	printf 'const a = "SELECT * FROM a";\r\rconst b = "SELECT * FROM b";\r// bkgen-ignore: sql-select-star -- reviewed\rconst c = "SELECT * FROM c";\rconst d = "SELECT * FROM d";\r' >cr.js
	bk check --no-source cr.js; t_exit 1
	t_contains out "cr.js:1:19:"; t_contains out "cr.js:3:19:"; t_contains out "cr.js:6:19:"
	t_lacks out "cr.js:5:"; t_contains out "3 problems"
}

test_same_file_two_spellings_checked_once() {
	write_warn_js a/w.js
	bk check --no-source a/../a a "$PWD/a/w.js"; t_exit 1
	t_contains out "1 problem"; t_contains out "a/w.js:1:"
	ln -s a b
	bk check --no-source --format json .; t_exit 1
	t_json "assert [f['path'] for f in d['findings']] == ['a/w.js'], d['findings']"
}

test_missing_path() {
	write_clean_js ok.js
	bk check does-not-exist; t_exit 2; t_empty out; t_contains err "does-not-exist"; t_contains err "does not exist"
	bk check ok.js does-not-exist; t_exit 2
}

test_languages() {
	printf 'q = "SELECT * FROM t"\n' >a.py
	printf 'package p\n\nconst q = "SELECT * FROM t"\n' >a.go
	printf 'const q: string = "SELECT * FROM t";\n' >a.ts
	printf 'fn q() -> &'"'"'static str { "SELECT * FROM t" }\n' >a.rs
	printf 'class R { const string Q = "SELECT * FROM t"; }\n' >a.cs
	printf 'static const char *q = "SELECT * FROM t";\n' >a.c
	printf 'SELECT * FROM t;\n' >a.sql
	printf 'SELECT * FROM t\n' >notes.txt
	bk check --format json --only sql-select-star; t_exit 1
	t_json "
got = sorted(x['path'] for x in d['findings'])
assert got == ['a.c','a.cs','a.go','a.py','a.rs','a.sql','a.ts'], got"
}

test_color() {
	write_warn_js a.js
	bk check; t_exit 1; grep -q $'\033\\[' "$OUT" && fail "ANSI escapes on a pipe without --color"
	bk check --color always; t_exit 1; grep -q $'\033\\[' "$OUT" || fail "--color always gave no ANSI escapes"
	NO_COLOR=1 bk check --color always; grep -q $'\033\\[' "$OUT" || fail "--color always must win over NO_COLOR"
	local pty='import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)'
	python3 -c "$pty" "$BKGEN" check a.js >tty.out 2>&1 || fail "could not run on a pty"
	grep -q $'\033\\[' tty.out || fail "no colour on a terminal: $(_show tty.out)"
	NO_COLOR=1 python3 -c "$pty" "$BKGEN" check a.js >tty.out 2>&1
	grep -q $'\033\\[' tty.out && fail "colour on a terminal despite NO_COLOR"
	python3 -c "$pty" "$BKGEN" check --color never a.js >tty.out 2>&1
	grep -q $'\033\\[' tty.out && fail "colour on a terminal with --color never"
}

test_unicode_columns() {
	# text counts code points, json UTF-16 units (0-based), sarif/github UTF-16 (1-based)
	printf '/* \xf0\x9f\x98\x80 */ const q = "SELECT * FROM t";\n' >u.js
	bk check --no-source u.js; t_match out '^u\.js:1:27: warning: '
	bk check --format json u.js; t_json "assert d['findings'][0]['range']['start'] == {'line': 0, 'character': 27}, d['findings'][0]['range']"
	bk check --format sarif u.js
	t_json "assert d['runs'][0]['results'][0]['locations'][0]['physicalLocation']['region']['startColumn'] == 28"
	bk check --format github u.js; t_contains out 'file=u.js,line=1,col=28,'
}

# ---- the walker ----

test_git_ignores() {
	git init -q . || skip "git init failed"
	write_warn_js src/kept.js; write_warn_js src/ignored.js
	write_warn_js build/out.js; write_warn_js src/local.js
	printf 'src/ignored.js\nbuild/\n' >.gitignore
	echo 'src/local.js' >>.git/info/exclude
	git add . && git -c user.email=t@t -c user.name=t commit -qm init || fail "git commit failed"
	bk check --no-source; t_exit 1
	t_contains out src/kept.js; t_lacks out ignored.js; t_lacks out build/out.js; t_lacks out local.js
	(cd src && "$BKGEN" check --no-source) >sub.out
	t_contains sub.out kept.js; t_lacks sub.out ignored.js; t_lacks sub.out local.js
	bk check --no-source --no-ignore; t_exit 1
	t_contains out src/ignored.js; t_contains out build/out.js; t_contains out src/local.js
	# nested .gitignore with a negation, and the repository checked from outside
	write_warn_js src/sub/x.js; write_warn_js src/sub/keep.js
	printf 'sub/*.js\n!sub/keep.js\n' >src/.gitignore
	cd .. || return
	bk check --no-source w; t_exit 1
	t_contains out w/src/sub/keep.js; t_lacks out x.js; t_lacks out ignored.js; t_lacks out w/build
}

odd_files() {
	local star='const q = "SELECT * FROM t";'
	printf 'const a = 1;\0\0\0%s\n' "$star" >bin.js
	printf 'const q = "SELECT * FROM t \xff\xfe";\n' >latin1.js
	python3 -c "print('var a=1;' * 20000 + '$star')" >app.min.js
	printf '// Code generated by x. DO NOT EDIT.\n\npackage p\n\nconst q = "SELECT * FROM t"\n' >gen.go
	python3 -c "
s = '$star\n' + '// filler line of an oversized file\n' * 90000
open('huge.js', 'w').write(s[:3 * 1024 * 1024])"
	mkdir -p loopdir && ln -s . loopdir/loop && ln -s nowhere.js dangling.js
	write_clean_js ok.js
}

test_odd_files_skipped() {
	odd_files
	bk check; t_exit 0; t_empty out
	bk check --stats; t_exit 0
	for r in binary minified generated oversized invalid-utf8 symlink-loop; do t_match err "skipped $r +1\$"; done
	bk check --format json; t_exit 0
	t_json "
reasons = {s['path']: s['reason'] for s in d['skipped']}
want = {'bin.js': 'binary', 'latin1.js': 'invalid-utf8', 'app.min.js': 'minified', 'gen.go': 'generated', 'huge.js': 'oversized'}
for p, r in want.items():
    assert reasons.get(p) == r, (p, reasons)
assert 'symlink-loop' in reasons.values(), reasons
assert d['summary']['skipped'] == len(d['skipped']) and d['findings'] == []"
	bk check --strict; t_exit 0
	bk check -v; t_exit 0; t_contains err "bin.js"; t_contains err "gen.go"
	bk check --max-file-size 5MiB huge.js; t_exit 1; t_contains out "huge.js:1:19:"
	printf 'max-file-size: 4MiB\n' >.bkgen.yml
	bk check huge.js; t_exit 1
	bk check --max-file-size 10 ok.js; t_exit 0
	bk check --format json --max-file-size 10 ok.js; t_json "assert d['skipped'][0]['reason'] == 'oversized', d"
}

test_file_timeout() {
	# A file that takes longer than the budget is skipped, never waited on.
	python3 -c "import sys; sys.stdout.write(''.join('app.post(\"/o%d\", async (req, res) => { await db.query(\"SELECT * FROM t\"); });\\n' % i for i in range(20000)))" >big.js
	bk check --file-timeout 0.001 --format json big.js; t_exit 0
	t_json "assert [(s['path'], s['reason']) for s in d['skipped']] == [('big.js', 'timeout')], d['skipped']
assert d['findings'] == [], d['findings']"
	bk check --strict --file-timeout 0.001 big.js; t_exit 3; t_contains err "timeout"
	bk check --file-timeout 0 big.js; t_exit 2
	bk check --file-timeout 60 --only sql-select-star big.js; t_exit 1
}

test_strict_unreadable() {
	write_warn_js a.js
	mkfifo pipe.js || skip "no mkfifo"
	bk check pipe.js a.js; t_exit 1; t_contains err "pipe.js"
	bk check --strict pipe.js a.js; t_exit 3
	bk check --strict --fail-on none pipe.js a.js; t_exit 3
	bk check --strict a.js; t_exit 1
	[ "$(id -u)" = 0 ] && skip "running as root: cannot make an unreadable file"
	write_warn_js locked.js; chmod 000 locked.js
	bk check; t_exit 1; t_contains err "locked.js"; t_contains out a.js
	bk check --strict; t_exit 3
	bk check --format json; t_json "assert any(s['path'] == 'locked.js' and s['reason'] == 'unreadable' for s in d['skipped'])"
}

# ---- configuration ----

test_config_found_from_subdir() {
	write_bad_js sub/deep/a.js
	printf 'rules:\n  sql-select-star: off\n' >.bkgen.yml
	cd sub/deep || return
	bk check --no-source; t_exit 1; t_contains out "[http-client-timeout]"; t_lacks out sql-select-star
	bk check --no-source --no-config; t_contains out "[sql-select-star]"
	printf 'rules:\n  http-client-timeout: off\n' >../other.yml
	bk check --no-source --config ../other.yml; t_exit 1
	t_lacks out http-client-timeout; t_contains out "[sql-select-star]"
	bk check --config ../nothere.yml; t_exit 2; t_contains err "nothere.yml"
	bk rules list --format json; t_json "assert [r for r in d['rules'] if r['id'] == 'sql-select-star'][0]['enabled'] is False"
}

test_config_severity_and_fail_on() {
	write_bad_js a.js
	printf 'rules:\n  sql-select-star: error\n  http-client-timeout: { severity: info }\n' >.bkgen.yml
	bk check --no-source; t_exit 1
	t_match out '^a\.js:3:21: error: .*\[sql-select-star\]$'; t_match out '^a\.js:2:9: info: .*\[http-client-timeout\]$'
	printf 'fail-on: error\nrules:\n  http-client-timeout: off\n' >.bkgen.yml
	bk check; t_exit 0; t_contains out "[sql-select-star]"
	bk check --fail-on warning; t_exit 1
}

# A rule that is off by default runs when the configuration or --only asks.
test_config_turns_on_an_opt_in_rule() {
	printf 'try { load(); } catch { /* the cache is optional */ }\ntry { save(); } catch {}\n' >a.js
	bk check --no-source; t_exit 0
	t_match out '^a\.js:2:17: info: .*\[silent-catch\]$'; t_lacks out silent-catch-strict
	bk rules show silent-catch-strict; t_exit 0
	t_contains out "enabled: no (turn it on with 'rules: { silent-catch-strict: on }'"
	bk check --no-source --only silent-catch-strict; t_exit 0
	t_match out '^a\.js:1:17: info: .*\[silent-catch-strict\]$'; t_lacks out '[silent-catch]'
	printf 'rules:\n  silent-catch-strict: on\n  silent-catch: warning\n' >.bkgen.yml
	bk check --no-source; t_exit 1
	t_match out '^a\.js:1:17: info: .*\[silent-catch-strict\]$'
	t_match out '^a\.js:2:17: warning: .*\[silent-catch\]$'
	bk rules show silent-catch-strict; t_lacks out 'enabled: no'
}

test_config_exclude() {
	write_warn_js src/a.js; write_warn_js legacy/v.js; write_warn_js src/gen/g.js
	printf 'exclude: ["legacy/**", "src/gen/**"]\n' >.bkgen.yml
	bk check --no-source; t_exit 1; t_contains out src/a.js; t_lacks out legacy; t_lacks out g.js
	bk check --no-source --exclude 'src/a.js'; t_exit 0
	bk check --no-source --include 'legacy/**' --no-config; t_contains out legacy/v.js; t_lacks out src/a.js
	# The config's globs are relative to the config file, wherever bkgen runs.
	cd src || return
	bk check --no-source; t_exit 1; t_contains out a.js; t_lacks out g.js
}

# A repository whose findings are all in tests and seeds is clean by
# default; --roles all shows them; the config can say otherwise per glob
# and per rule.
test_roles_tests_and_seeds_are_not_checked_by_default() {
	write_warn_js src/app.test.js; write_warn_js tests/api.js; write_warn_js prisma/seed.ts
	printf 'package p\n\nconst q = "SELECT * FROM t"\n' >store_test.go
	mkdir -p src && printf 'mod tests {\n}\n#[cfg(test)]\nmod t {\n    const Q: &str = "SELECT * FROM t";\n}\n' >src/lib.rs
	bk check --no-source; t_exit 0; t_empty out
	bk check --no-source --roles all; t_exit 1
	for f in src/app.test.js tests/api.js prisma/seed.ts store_test.go src/lib.rs; do t_contains out "$f"; done
	bk check --no-source --roles test; t_exit 1; t_contains out tests/api.js; t_lacks out seed.ts
	# production code beside a test module is still checked
	printf 'const A: &str = "SELECT * FROM a";\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { let _ = "SELECT * FROM b"; }\n}\n' >src/both.rs
	bk check --no-source src/both.rs; t_exit 1; t_match out '^src/both\.rs:1:'; t_lacks out 'src/both.rs:5:'
	rm src/both.rs
	bk check --roles nonsense; t_exit 2; t_contains err "unknown role 'nonsense'"
	bk check --format json; t_exit 0
	t_json "r = d['summary']['roles']; assert r['test'] == {'files': 3, 'checked': 0}, r; assert r['seed']['files'] == 1 and r['source'] == {'files': 1, 'checked': 1}, r"
	bk check --stats; t_exit 0; t_match err '^  role test +3 \(0 checked\)$'
}

# A directory named on the command line is the project: its own place
# under examples/ or tests/ does not make its code an example or a test.
test_roles_below_a_directory_argument() {
	write_warn_js examples/shop/app.js; write_warn_js examples/shop/tests/t.js
	bk check --no-source; t_exit 0; t_empty out
	bk check --no-source examples/shop; t_exit 1
	t_contains out examples/shop/app.js; t_lacks out tests/t.js
	bk check --no-source "./examples/shop/"; t_exit 1; t_contains out app.js
	bk check --no-source "$PWD/examples/shop"; t_exit 1; t_contains out app.js
	bk check --no-source examples/shop/tests/t.js; t_exit 0; t_empty out
}

test_roles_from_the_config() {
	write_warn_js tests/load/driver.js; write_warn_js src/app.js; write_warn_js scripts/seed-db.js
	printf 'roles:\n  tests/load/: source\nrules:\n  sql-select-star: { roles: [source, seed] }\n' >.bkgen.yml
	bk check --no-source; t_exit 1
	t_contains out tests/load/driver.js; t_contains out src/app.js; t_contains out scripts/seed-db.js
	printf 'roles:\n  "src/**": example\n' >.bkgen.yml
	bk check --no-source; t_exit 0; t_empty out
	printf 'roles:\n  src/: tests\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:2:9: unknown role 'tests'"
	printf 'rules:\n  sql-select-star: { roles: [source, nope] }\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:2:"; t_contains err "unknown role 'nope'"
}

test_generated_and_vendored_are_skipped_by_name_and_banner() {
	write_warn_js vendor/lib/v.js
	printf '/*! jQuery v3.7.1 | (c) OpenJS Foundation */\nconst q = "SELECT * FROM t";\n' >jquery.js
	printf '// This file is auto-generated by @hey-api/openapi-ts\nconst q = "SELECT * FROM t";\n' >client.ts
	write_warn_js api.gen.js
	bk check --no-source --verbose; t_exit 0; t_empty out
	t_contains err "vendor/lib/v.js: vendored"; t_contains err "jquery.js: vendored"
	t_contains err "client.ts: generated"; t_contains err "api.gen.js: generated"
	bk check --no-source --roles all; t_exit 1; t_contains out jquery.js; t_contains out client.ts
}

test_unread_languages_are_said_once() {
	write_warn_js src/app.js
	mkdir -p web && printf '<script>x</script>\n' >web/App.vue && printf '<script>y</script>\n' >web/B.vue
	bk check --no-source; t_exit 1
	t_contains err "note: 2 files in languages bkgen does not read were not checked (.vue 2)"
	bk check --format json; t_json "assert d['summary']['unsupported'] == {'.vue': 2}, d['summary']"
	mkdir empty
	bk check empty; t_exit 0; t_contains err "note: no file to check"
}

test_config_rule_params() {
	# A project whose idempotency key travels in X-Request-Id says so.
	printf "app.post('/orders', async (req, res) => {\n  const key = req.get('x-request-id');\n  res.json(await orders.createOnce(key, req.body));\n});\n" >a.js
	bk check --no-source --only missing-idempotency; t_exit 1; t_contains out 'a.js:1:1:'
	printf 'rules:\n  missing-idempotency:\n    params: { key-headers: [X-Request-Id] }\n' >.bkgen.yml
	bk check --no-source --only missing-idempotency; t_exit 0; t_empty out
	printf 'rules:\n  missing-idempotency:\n    params: { key-header: [X-Request-Id] }\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:3:15:"; t_contains err "no parameter 'key-header'"
}

test_exclude_many_double_stars() {
	# Matching used to be exponential in the number of "**".
	local d=deep; for _ in $(seq 1 40); do d="$d/a"; done
	write_warn_js "$d/w.js"
	bk check --no-source --exclude '*/**/*/**/**/*/**/*/**/*/**/**/*/**/*/**/*/**/x/' .; t_exit 1
	t_contains out "1 problem"
	bk check --exclude '**/**/**/**/**/**/**/**/**/**/**/**/a/**/w.js' .; t_exit 0; t_empty out
}

test_fifo_as_an_input_file() {
	# Opening a FIFO waits for a writer: refused before, not read.
	write_warn_js a.js
	mkfifo cfg.yml base.json; mkdir rules; mkfifo rules/x.yml
	bk check --config cfg.yml a.js; t_exit 2; t_empty out
	t_contains err "cannot read configuration 'cfg.yml': not a regular file (a FIFO)"
	bk check --baseline base.json a.js; t_exit 2
	t_contains err "cannot read the baseline 'base.json': not a regular file (a FIFO)"
	bk check --rules rules a.js; t_exit 2
	t_contains err "cannot read rule file 'rules/x.yml': not a regular file (a FIFO)"
	bk check a.js base.json; t_exit 1; t_contains err "skipped base.json"
}

test_config_malformed() {
	write_warn_js a.js
	printf 'rules:\n  sql-select-star: off\nrulez: {}\n' >.bkgen.yml
	bk check; t_exit 2; t_empty out; t_contains err ".bkgen.yml:3:1:"; t_contains err rulez
	printf 'rules:\n  sql-select-star: [off\n' >.bkgen.yml
	bk check; t_exit 2; t_match err '\.bkgen\.yml:[0-9]+:[0-9]+:'
	printf 'rules:\n  sql-select-star: loud\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:2:"
	printf 'rules:\n  no-such-rule: off\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:2:3:"; t_contains err no-such-rule
	printf 'fail-on: sometimes\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err ".bkgen.yml:1:"
	bk rules list; t_exit 2
	bk check --no-config; t_exit 1
}

# ---- user rules ----

write_eval_rule() {
	mkdir -p "$1"
	cat >"$1/no-eval.yml" <<'EOF'
id: no-eval
title: Call to eval
severity: error
category: security
message: "eval() runs arbitrary code"
rationale: eval turns data into code.
fix: Parse the data instead.
languages:
  javascript:
    query: |
      (call_expression function: (identifier) @f (#eq? @f "eval")) @report
examples:
  javascript:
    bad: ["eval(input)"]
    good: ["JSON.parse(input)"]
EOF
}

test_config_hostile_yaml() {
	# Nesting libyaml takes minutes over, in a config and in a rule file.
	write_warn_js a.js
	python3 -c "open('.bkgen.yml', 'w').write('include: ' + '[' * 400000 + '\n')"
	bk check; t_exit 2; t_empty out; t_contains err ".bkgen.yml:1:73: YAML nested deeper than 64 levels"
	rm .bkgen.yml
	write_eval_rule deep
	python3 -c "open('deep/no-eval.yml', 'a').write('tags: ' + '{a: ' * 100000 + '\n')"
	bk check --rules deep; t_exit 2; t_contains err "no-eval.yml:16:"; t_contains err "nested deeper than 64"
	head -c 2000000 /dev/zero | tr '\0' '#' >.bkgen.yml
	bk check; t_exit 2; t_contains err "cannot read configuration"; t_contains err ".bkgen.yml': 2000000 bytes, more than the 1048576 allowed"
}

test_user_rules() {
	write_eval_rule myrules
	printf 'const x = 1;\neval(x);\nJSON.parse(x);\n' >a.js
	bk check --no-source --rules myrules; t_exit 1
	t_match out '^a\.js:2:1: error: eval\(\) runs arbitrary code \[no-eval\]$'
	bk check --no-source; t_exit 0
	bk rules list --rules myrules; t_contains out no-eval
	bk rules show no-eval --rules myrules; t_exit 0; t_contains out "eval(input)"
	printf 'rule-dirs: [myrules]\n' >.bkgen.yml; mkdir sub
	(cd sub && "$BKGEN" check --no-source ../a.js >../sub.out); t_contains sub.out "[no-eval]"
}

test_user_rule_malformed() {
	write_clean_js a.js
	write_eval_rule bad1; sed -i 's/^category: security/category: security\ncolour: red/' bad1/no-eval.yml
	bk check --rules bad1; t_exit 2; t_empty out; t_contains err "no-eval.yml:5:1:"; t_contains err colour
	write_eval_rule bad2; sed -i 's/(call_expression function/(call_expresion function/' bad2/no-eval.yml
	bk check --rules bad2; t_exit 2; t_contains err "no-eval.yml:11:8:"; t_contains err call_expresion
	write_eval_rule bad3; sed -i 's/^severity: error/severity: loud/' bad3/no-eval.yml
	bk check --rules bad3; t_exit 2; t_contains err "no-eval.yml:3:"
	bk check --rules no-such-dir; t_exit 2; t_contains err no-such-dir
	write_eval_rule dup; cp dup/no-eval.yml dup/again.yml
	bk check --rules dup; t_exit 2; t_contains err no-eval
}

test_user_rule_regex_limit() {
	# A regex that gives up at PCRE2's match limit is not "no match".
	mkdir rx
	cat >rx/slow.yml <<'EOF'
id: slow
title: Identifier of a's
severity: error
category: correctness
rationale: r
fix: f
languages:
  javascript:
    query: |
      ((identifier) @x (#match? @x "^(a|a)+$")) @report
EOF
	printf 'const aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab = 1;\nconst aaa = 2;\n' >a.js
	bk check --no-builtin --rules rx a.js; t_exit 0; t_empty out
	t_contains err "warning: skipped a.js: regex-limit (the regex at rx/slow.yml:10:7 gave up: match limit exceeded"
	bk check --no-builtin --rules rx --strict --format json a.js; t_exit 3
	t_json "assert d['findings'] == [], d
assert [(s['path'], s['reason']) for s in d['skipped']] == [('a.js', 'regex-limit')], d"
}

test_user_rule_hostile_queries() {
	# Queries that crashed or hung tree-sitter's query compiler: a clean
	# configuration error, also when a checked repository brings the rule.
	write_clean_js a.js
	write_eval_rule r1; sed -i 's/(call_expression function: (identifier) @f/(pair value:(.r)/' r1/no-eval.yml
	bk check --rules r1; t_exit 2; t_empty out; t_contains err "no-eval.yml:11:13:"
	t_contains err "a field whose pattern is only a predicate"
	printf 'rule-dirs: [r1]\n' >.bkgen.yml
	bk check; t_exit 2; t_contains err "no-eval.yml:11:13:"; rm .bkgen.yml
	write_eval_rule r2
	python3 - r2/no-eval.yml <<'PY'
import sys
p = sys.argv[1]
deep = "(" * 300 + "(identifier) @x" + ")" * 300
s = open(p).read().replace('(call_expression function: (identifier) @f (#eq? @f "eval")) @report', deep)
open(p, "w").write(s)
PY
	bk check --rules r2; t_exit 2; t_contains err "no-eval.yml:11:"; t_contains err "nesting deeper than 100 levels"
	write_eval_rule r3; sed -i 's/(call_expression function: (identifier) @f (#eq? @f "eval")) @report/(identifier)?+ @x/' r3/no-eval.yml
	bk check --rules r3; t_exit 2; t_contains err "no-eval.yml:11:"; t_contains err "a repetition"
}

# ---- suppressions ----

test_suppressions() {
	cat >a.js <<'EOF'
const a = "SELECT * FROM a"; // bkgen-ignore: sql-select-star -- legacy report
// bkgen-ignore: sql-select-star -- reviewed
const b = "SELECT * FROM b";
const c = "SELECT * FROM c"; // bkgen-ignore: http-client-timeout -- other rule
const d = "SELECT * FROM d bkgen-ignore: sql-select-star -- in a string";
const e = "SELECT * FROM e"; /* bkgen-ignore: sql-select-star, http-client-timeout -- both */
EOF
	printf 'q = "SELECT * FROM a"  # bkgen-ignore: sql-select-star -- py\n' >b.py
	bk check --no-source; t_exit 1
	t_lacks out 'a.js:1:'; t_lacks out 'a.js:3:'; t_lacks out 'a.js:6:'; t_lacks out b.py
	t_contains out 'a.js:4:19:'; t_contains out 'a.js:5:19:'
}

test_unused_ignores() {
	printf '// bkgen-ignore: sql-select-star -- nothing below\nconst s = 1;\n' >u.js
	bk check u.js; t_exit 0; t_empty out
	bk check --report-unused-ignores --format json u.js; t_exit 1
	t_json "u = [x for x in d['findings'] if x['rule'] == 'unused-ignore']
assert [(x['path'], x['range']['start']['line']) for x in u] == [('u.js', 0)], u
assert 'sql-select-star' in u[0]['message'], u"
	bk check --report-unused-ignores --fail-on error u.js; t_exit 0
}

test_unused_ignores_text() {
	# Exit 1 must come with something on screen that says why.
	printf '// bkgen-ignore: sql-select-star -- nothing below\nconst s = 1;\n' >u.js
	bk check --report-unused-ignores u.js; t_exit 1
	t_contains out "u.js:1"; t_contains out sql-select-star
	bk check --report-unused-ignores --format github u.js; t_exit 1; t_contains out "file=u.js,line=1"
	bk check --report-unused-ignores --format sarif u.js; t_exit 1
	t_json "assert [r['ruleId'] for r in d['runs'][0]['results']] == ['unused-ignore']"
}

run_all "${1:-}"
