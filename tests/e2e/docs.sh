#!/usr/bin/env bash
# End-to-end tests of what documents the commands: the man pages (mandoc
# lint, every option of every command's table documented in its page and
# nothing else, the generated rule catalogue and the lists of plan rules
# and probe checks up to date with the binary's tables) and the shell
# completions (up to date with the tables, and completing for real in
# bash; in zsh and fish too when they are installed).
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/docs.sh [PATTERN]
#
# Same harness and output as run.sh (lib.sh). Needs bash, python3 and
# mandoc; zsh and fish are optional (apt-get install zsh fish).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "docs.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR BKGEN_TEMPLATE_PATH
# shellcheck source=lib.sh
. "$HERE/lib.sh"

MAN="$SRCDIR/man"
COMP="$SRCDIR/completions"
# The completions run `bkgen __complete` for rule ids and languages: the
# bkgen under test must be the one on PATH, under its own name.
BIN_DIR="$E2E_TMP/bin"
mkdir -p "$BIN_DIR"
ln -s "$BKGEN" "$BIN_DIR/bkgen"
export PATH="$BIN_DIR:$PATH"

rule_ids() { sed -n 's/^id:[[:space:]]*//p' "$SRCDIR"/rules/*.yml | tr -d "\"'"; }

# The page that documents a command: its own, else bkgen.1.
page_of() {
	if [ -f "$MAN/bkgen-$1.1" ]; then echo "$MAN/bkgen-$1.1"; else echo "$MAN/bkgen.1"; fi
}

# bash_complete WORD... : run _bkgen as bash would with the cursor on the
# last word; the candidates go to $OUT, one a line.
bash_complete() {
	bash -c 'source "$1" || exit 9; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_bkgen; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP/bkgen.bash" bkgen "$@" >"$OUT" 2>"$ERR"
	RC=$?
	LAST="bash completion of 'bkgen $*'"
	[ "$RC" = 0 ] || fail "$LAST: status $RC: $(head -c 300 "$ERR")"
}

# t_lines A B ...: $OUT holds exactly these lines, in any order.
t_lines() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(grep -v '^$' "$OUT" | sort)
	[ "$got" = "$want" ] || fail "$LAST: got [$(echo $got)], expected [$(echo $want)]"
}

# ---- the dump ----

test_complete_dump_format() {
	bk __complete; t_exit 0; t_empty err
	local bad
	bad=$(grep -Ev $'^(command [a-z][a-z-]*\t[^\t]+|usage [a-z][a-z-]*\t[^\t]*|global --[a-z-]+\t(-.)?\t(flag|value|list)\t[^\t]*\t[^\t]*\t[^\t]+|option [a-z][a-z-]*\t--[a-z-]+\t(-.)?\t(flag|value|list)\t[^\t]*\t[^\t]*\t[^\t]+|rule [a-z][a-z0-9-]*\t[^\t]+|lang [a-z0-9_.+-]+)$' "$OUT")
	[ -z "$bad" ] || fail "lines outside the format: $(echo "$bad" | head -3)"
	for c in check rules help version; do t_match out "^command $c"$'\t'; done
	t_match out $'^option check\t--format\t-f\tvalue\tFORMAT\ttext,json,sarif,github\t'
	t_match out $'^option check\t--stats\t\tflag\t\t\t'
	t_match out $'^global --version\t-V\tflag\t'
	for id in $(rule_ids); do t_match out "^rule $id"$'\t'; done
	bk __complete rule; t_exit 0; t_lacks out "command "
	bk __complete nope; t_exit 2; t_contains err "unknown kind 'nope'"
}

# Each command's table: --help, no long or short name twice.
test_option_tables_are_consistent() {
	bk __complete command option; t_exit 0
	local msg
	msg=$(python3 - "$OUT" <<'EOF' 2>&1
import collections, sys
cmds, longs, shorts = [], collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1], encoding="utf-8"):
    kind, _, rest = line.rstrip("\n").partition(" ")
    f = rest.split("\t")
    if kind == "command":
        cmds.append(f[0])
    elif kind == "option":
        longs[f[0]].append(f[1])
        if f[2]:
            shorts[f[0]].append(f[2])
errors = []
for c in cmds:
    if "--help" not in longs[c]:
        errors.append("'%s' has no --help" % c)
    for names in (longs[c], shorts[c]):
        errors += ["'%s' has %s twice" % (c, n) for n, k in collections.Counter(names).items() if k > 1]
if errors:
    sys.exit("; ".join(errors))
EOF
	) || fail "$msg"
}

test_complete_is_hidden() {
	bk help; t_exit 0; t_lacks out __complete
	bk --help; t_exit 0; t_lacks out __complete; t_contains out "--version"
	bk __complet; t_exit 2; t_lacks err "did you mean '__complete'"
	bk __complete command; t_lacks out "command __complete"
}

test_complete_rules_follow_config() {
	mkdir -p mine
	sed 's/^id: .*/id: my-rule/' "$SRCDIR/rules/silent-catch.yml" >mine/my-rule.yml
	printf 'rule-dirs: [mine]\n' >.bkgen.yml
	bk __complete rule; t_exit 0; t_match out $'^rule my-rule\t'; t_match out $'^rule silent-catch\t'
	# Completing must not fail on a broken configuration.
	printf 'rule-dirs: [nowhere]\nbogus: 1\n' >.bkgen.yml
	bk __complete rule; t_exit 0; t_match out $'^rule silent-catch\t'; t_lacks out my-rule
}

# ---- man pages ----

test_man_pages_lint_clean() {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	local n=0 f
	for f in "$MAN"/*.[1-9]; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		mandoc -T lint -W warning "$f" >"$OUT" 2>&1 || true
		LAST="mandoc -T lint -W warning ${f#"$SRCDIR"/}"
		t_empty out
	done
	[ "$n" -ge 5 ] || fail "only $n man pages in man/"
}

test_man_pages_render() {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	local f
	for f in "$MAN"/*.[1-9]; do
		# Rendered for a terminal: drop the overstrike (X backspace X).
		mandoc -T ascii "$f" 2>"$ERR" | sed 's/.\x08//g' >"$OUT"; RC=${PIPESTATUS[0]}
		LAST="mandoc ${f#"$SRCDIR"/}"
		t_exit 0; t_empty err; t_contains out NAME; t_contains out "SEE ALSO"
	done
}

# Every option of every command's table is an item of that command's
# page; every option a page documents (its items and its synopsis) is in
# the tables; every command has a page that describes it.
test_man_pages_match_option_tables() {
	bk __complete command option global; t_exit 0
	local msg
	msg=$(python3 - "$OUT" "$MAN" <<'EOF' 2>&1
import os, re, sys
dump, man = sys.argv[1], sys.argv[2]
cmds, opts, globs = [], {}, []
for line in open(dump, encoding="utf-8"):
    kind, _, rest = line.rstrip("\n").partition(" ")
    f = rest.split("\t")
    if kind == "command":
        cmds.append(f[0]); opts[f[0]] = []
    elif kind == "option":
        opts[f[0]].append((f[1][2:], f[2][1:], f[5].split(",") if f[5] else []))
    elif kind == "global":
        globs.append((f[0][2:], f[1][1:], []))
def page(c):
    p = os.path.join(man, "bkgen-%s.1" % c)
    return p if os.path.exists(p) else os.path.join(man, "bkgen.1")
def fl_names(line):
    """Long and short option names after each Fl on an mdoc line."""
    longs, shorts = set(), set()
    for m in re.finditer(r"\bFl\s+(\S+)", line):
        t = m.group(1)
        if t.startswith("-"):
            longs.add(t[1:])
        elif re.fullmatch(r"[A-Za-z0-9]+", t):
            shorts.update(t)
    return longs, shorts
errors = []
pages = {}
for c in cmds:
    pages.setdefault(page(c), []).append(c)
pages.setdefault(os.path.join(man, "bkgen.1"), [])
for p, cs in sorted(pages.items()):
    if not os.path.exists(p):
        errors.append("%s is missing" % p); continue
    text = open(p, encoding="utf-8").read()
    lines = text.splitlines()
    items = [l for l in lines if l.startswith(".It Fl ")]
    known = [o for c in cs for o in opts[c]]
    if p.endswith("/bkgen.1"):
        known += globs
        for c in cmds:
            if not re.search(r"^\.It Cm %s\b" % re.escape(c), text, re.M):
                errors.append("bkgen.1: command '%s' is not described under COMMANDS" % c)
    for c in cs:
        for name, short, choices in opts[c]:
            hits = [l for l in items if name in fl_names(l)[0]]
            if not hits:
                errors.append("%s: option --%s of '%s' has no '.It Fl -%s' item" % (os.path.basename(p), name, c, name))
                continue
            if short and not any(short in fl_names(l)[1] for l in hits):
                errors.append("%s: the item of --%s lacks its short form 'Fl %s'" % (os.path.basename(p), name, short))
            for ch in choices:
                if not re.search(r"\bCm %s\b" % re.escape(ch), text):
                    errors.append("%s: value '%s' of --%s is not documented as 'Cm %s'" % (os.path.basename(p), ch, name, ch))
    longs = {o[0] for o in known}
    shorts = {o[1] for o in known if o[1]}
    synopsis = re.search(r"^\.Sh SYNOPSIS\n(.*?)^\.Sh ", text, re.M | re.S)
    for l in items + (synopsis.group(1).splitlines() if synopsis else []):
        ls, ss = fl_names(l)
        for n in sorted(ls - longs):
            errors.append("%s: documents --%s, which no option table of %s has" % (os.path.basename(p), n, "/".join(cs) or "bkgen"))
        for s in sorted(ss - shorts):
            errors.append("%s: documents -%s, which no option table of %s has" % (os.path.basename(p), s, "/".join(cs) or "bkgen"))
for p in sorted(os.listdir(man)):
    m = re.fullmatch(r"bkgen-([a-z-]+)\.1", p)
    if m and m.group(1) not in cmds:
        errors.append("%s documents no command of the table" % p)
if errors:
    sys.exit("; ".join(errors))
EOF
	) || fail "$msg"
}

test_rules_page_up_to_date() {
	python3 "$SRCDIR/tools/gen-rules-man.py" "$BKGEN" >fresh.7 2>"$ERR" ||
		fail "tools/gen-rules-man.py failed: $(head -c 300 "$ERR")"
	cmp -s fresh.7 "$MAN/bkgen-rules.7" ||
		fail "man/bkgen-rules.7 is out of date with rules/*.yml or man/bkgen-rules.7.in (run 'make man'): $(diff "$MAN/bkgen-rules.7" fresh.7 | head -c 600 | tr '\n' '|')"
	local id
	for id in $(rule_ids); do grep -q "^\.Ss $id\$" fresh.7 || fail "bkgen-rules.7 has no section for $id"; done
	for k in '#eq?' '#not-eq?' '#any-of?' '#not-any-of?' '#match?' '#not-match?' '#empty?' \
		'Ic has' 'Ic inside' 'Ic in' 'Ic same' 'Ic across-functions' 'Ic needles' 'Ic examples'; do
		grep -qF -- "$k" fresh.7 || fail "bkgen-rules.7 does not document '$k'"
	done
}

# The lists of plan rules (bkgen-explain.1) and probe checks
# (bkgen-probe.1) are the binary's tables, as tools/gen-man-lists.py
# writes them: every page with a generated list is up to date.
test_man_lists_up_to_date() {
	local f n=0
	grep -q '^\.\\" @BEGIN plan-rules@' "$MAN/bkgen-explain.1" || fail "bkgen-explain.1 has no generated plan-rules list"
	grep -q '^\.\\" @BEGIN probe-checks@' "$MAN/bkgen-probe.1" || fail "bkgen-probe.1 has no generated probe-checks list"
	for f in $(grep -l '^\.\\" @BEGIN ' "$MAN"/*.[1-9]); do
		n=$((n + 1))
		python3 "$SRCDIR/tools/gen-man-lists.py" "$BKGEN" "$f" >fresh.man 2>"$ERR" ||
			{ fail "tools/gen-man-lists.py ${f#"$SRCDIR"/} failed: $(head -c 300 "$ERR")"; continue; }
		cmp -s fresh.man "$f" ||
			fail "${f#"$SRCDIR"/} is out of date with the binary's tables (run 'make man'): $(diff "$f" fresh.man | head -c 600 | tr '\n' '|')"
	done
	[ "$n" -ge 2 ] || fail "only $n pages with generated lists"
}

# The generated lists hold every rule explain reports and every probe
# check, and nothing else.
test_man_lists_match_the_tables() {
	local ids documented
	bk rules list --no-config --format json; t_exit 0
	ids=$(python3 -c 'import json,sys; print("\n".join(sorted(r["id"] for r in json.load(open(sys.argv[1]))["rules"] if r["languages"] == ["explain"])))' "$OUT")
	[ -n "$ids" ] || fail "rules list shows no explain rules"
	documented=$(sed -n 's/^\.It Sy \([a-z-]*\)$/\1/p' "$MAN/bkgen-explain.1" | sort)
	t_eq "$documented" "$ids" "rule items of bkgen-explain.1 vs the rule table"
	bk probe --list --format json; t_exit 0
	ids=$(python3 -c 'import json,sys; print("\n".join(sorted(c["name"] for c in json.load(open(sys.argv[1]))["checks"])))' "$OUT")
	[ "$(echo "$ids" | wc -l)" -ge 10 ] || fail "probe --list -f json shows only: $ids"
	documented=$(sed -n '/@BEGIN probe-checks@/,/@END probe-checks@/s/^\.It Cm \([a-z-]*\)$/\1/p' "$MAN/bkgen-probe.1" | sort)
	t_eq "$documented" "$ids" "check items of bkgen-probe.1 vs the check table"
	bk probe --list; t_exit 0
	t_eq "$(cut -d' ' -f1 "$OUT" | sort)" "$ids" "probe --list vs --list -f json"
}

# A list edited by hand, or gone stale, is what the generator rewrites.
test_man_lists_drift_is_caught() {
	sed '/^\.It Sy seq-scan-large-table$/{n;s/10,000/1,000/}' "$MAN/bkgen-explain.1" >stale.1
	cmp -s stale.1 "$MAN/bkgen-explain.1" && fail "the edit did not change the page"
	python3 "$SRCDIR/tools/gen-man-lists.py" "$BKGEN" stale.1 >fresh.1 2>"$ERR" || fail "gen-man-lists: $(head -c 300 "$ERR")"
	cmp -s fresh.1 stale.1 && fail "a stale plan rule threshold went unnoticed"
	cmp -s fresh.1 "$MAN/bkgen-explain.1" || fail "regenerating the stale page does not give the committed one"
	printf '.Dd x\n.\\" @BEGIN plan-rules@\n.Pp\n' >open.1
	python3 "$SRCDIR/tools/gen-man-lists.py" "$BKGEN" open.1 >/dev/null 2>"$ERR" && fail "a list without @END accepted"
	grep -q "has no" "$ERR" || fail "no message for a list without @END: $(head -c 300 "$ERR")"
}

# ---- completions ----

test_completions_up_to_date() {
	python3 "$SRCDIR/tools/gen-completions.py" "$BKGEN" fresh 2>"$ERR" ||
		fail "tools/gen-completions.py failed: $(head -c 300 "$ERR")"
	local f
	for f in bkgen.bash _bkgen bkgen.fish; do
		[ -f "$COMP/$f" ] || { fail "completions/$f is missing (run 'make completions')"; continue; }
		cmp -s "fresh/$f" "$COMP/$f" ||
			fail "completions/$f is out of date (run 'make completions'): $(diff "$COMP/$f" "fresh/$f" | head -c 400 | tr '\n' '|')"
	done
}

test_bash_completes_commands() {
	local cmds
	cmds=$("$BKGEN" __complete command | sed 's/^command \([^	]*\).*/\1/')
	# shellcheck disable=SC2086
	bash_complete ""; t_lines $cmds
	bash_complete ch; t_lines check
	bash_complete -; t_lines --help --version
	# shellcheck disable=SC2086
	bash_complete help ""; t_lines $cmds
}

test_bash_completes_options() {
	bash_complete check --for; t_lines --format
	bash_complete check --no-c; t_lines --no-config
	bash_complete rules --f; t_lines --format
	local o
	for o in $("$BKGEN" __complete option | awk -F'\t' '$1 == "option check" { print $2 }'); do
		bash_complete check "$o"; t_contains out "$o"
	done
}

test_bash_completes_option_values() {
	bash_complete check --format j; t_lines json
	bash_complete check -f s; t_lines sarif
	bash_complete check --format ""; t_lines text json sarif github
	bash_complete check --format = g; t_lines github
	bash_complete check --format=j; t_lines --format=json
	bash_complete check --fail-on w; t_lines warning
	bash_complete check --color n; t_lines never
	bash_complete rules --format ""; t_lines text json
	bash_complete check --jobs ""; t_lines
}

test_bash_completes_rule_ids() {
	# shellcheck disable=SC2046
	bash_complete check --only ""; t_lines $(rule_ids)
	bash_complete check --only sql; t_lines sql-select-star
	bash_complete check --only=sil; t_lines --only=silent-catch --only=silent-catch-strict
	bash_complete rules ""; t_lines list show
	bash_complete rules show n; t_lines n-plus-one
	bash_complete rules --format json show h; t_lines http-client-timeout
	bash_complete rules list ""; t_lines
}

test_bash_completes_paths() {
	mkdir -p srcdir rdir
	touch srcfile rfile
	bash_complete check src; t_lines srcdir srcfile
	bash_complete check --format json src; t_lines srcdir srcfile
	bash_complete check --output src; t_lines srcdir srcfile
	bash_complete check --rules r; t_lines rdir
	bash_complete check --rules=r; t_lines --rules=rdir
}

test_bash_completes_template_languages() {
	"$BKGEN" __complete option | grep -q $'^option [a-z-]*\t--lang\t' || skip "no command takes --lang"
	BKGEN_TEMPLATE_PATH="$SRCDIR/tests/templates" bash_complete new x --lang m
	t_lines mini
}

test_zsh_completion() {
	command -v zsh >/dev/null || skip "zsh not installed (apt-get install zsh)"
	zsh -n "$COMP/_bkgen" 2>"$ERR" || fail "zsh -n completions/_bkgen: $(head -c 300 "$ERR")"
	head -1 "$COMP/_bkgen" | grep -qx '#compdef bkgen' || fail "_bkgen does not start with '#compdef bkgen'"
}

# fish_complete LINE: the candidates fish offers for LINE, without descriptions.
fish_complete() {
	fish -c 'source $argv[1]; complete -C $argv[2]' "$COMP/bkgen.fish" "$1" 2>"$ERR" | cut -f1 >"$OUT"
	LAST="fish completion of '$1'"
	[ ! -s "$ERR" ] || fail "$LAST: $(head -c 300 "$ERR")"
}

test_fish_completion() {
	command -v fish >/dev/null || skip "fish not installed (apt-get install fish)"
	fish -n "$COMP/bkgen.fish" 2>"$ERR" || fail "fish -n completions/bkgen.fish: $(head -c 300 "$ERR")"
	fish_complete 'bkgen check --for'; t_lines --format
	fish_complete 'bkgen check --format j'; t_lines json
	fish_complete 'bkgen check --only sql'; t_lines sql-select-star
	fish_complete 'bkgen rules '; t_lines list show
	fish_complete 'bkgen rules show n'; t_lines n-plus-one
	fish_complete 'bkgen ch'; t_lines check
}

run_all "${1:-}"
