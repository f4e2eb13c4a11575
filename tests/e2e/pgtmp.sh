#!/usr/bin/env bash
# End-to-end tests of templates/shared/pgtmp.sh, the throwaway PostgreSQL
# that the templates' tests (as tests/pgtmp.sh), the e2e tests and
# tools/record-plans.sh start: what it exports, stop and restart from the
# shell and from a child process, TCP, cleanup at exit and on signals,
# subshells, and its errors. Each test starts real clusters.
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/pgtmp.sh [PATTERN]
#
# Same harness and output as run.sh (lib.sh); BKGEN is not used. Needs the
# PostgreSQL server binaries and psql.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
export LC_ALL=C
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LIB=$SRCDIR/templates/shared/pgtmp.sh
# shellcheck source=../../templates/shared/pgtmp.sh
. "$LIB"
# As root the server's account must reach the TMPDIR the tests give it.
chmod 755 "$E2E_TMP"

# gone DIR: DIR no longer exists and no server runs on its data.
gone() {
	[ -n "$1" ] || { fail "no cluster directory was recorded"; return; }
	[ ! -e "$1" ] || fail "$1 is left behind: $(ls -A "$1" | tr '\n' ' ')"
	! pgrep -f -- "$1/data" >/dev/null || fail "a server on $1/data still runs"
}

# wait_file FILE: polls until FILE is non-empty (a 60 s deadline).
wait_file() {
	for _ in $(seq 1 600); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 was never written"
	return 1
}

test_pgtmp_start_exports_and_connects() {
	pgtmp_start shop jit=off "search_path=it's, public" || { fail "pgtmp_start failed"; return; }
	t_eq "$PGDATABASE" shop "PGDATABASE"
	t_eq "$PGUSER" postgres "PGUSER"
	t_eq "$PGHOST" "$PGTMP_DIR" "PGHOST (the socket's directory)"
	t_eq "$PGTMP_SH" "$LIB" "PGTMP_SH"
	t_eq "$DATABASE_URL" "postgresql:///shop?host=$PGTMP_DIR&port=$PGPORT&user=postgres" "DATABASE_URL"
	[ -S "$PGTMP_DIR/.s.PGSQL.$PGPORT" ] || fail "no socket in $PGTMP_DIR"
	[ -x "$PGTMP_BIN/initdb" ] || fail "PGTMP_BIN '$PGTMP_BIN' holds no initdb"
	t_eq "$(psql -X -A -t -c 'SELECT current_database()')" shop "psql with the exported variables only"
	t_eq "$(env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE psql -X -A -t "$DATABASE_URL" \
		-c 'SELECT current_database()')" shop "psql with DATABASE_URL only"
	t_eq "$(pgtmp_psql -c "SELECT concat_ws('|', current_user, current_setting('jit'),
		current_setting('fsync'), current_setting('listen_addresses'),
		current_setting('lc_collate'), current_setting('server_encoding'))")" \
		"postgres|off|off||C|UTF8" "settings"
	t_eq "$(pgtmp_psql -c 'SHOW search_path')" "it's, public" "a setting with a quote"
	pgtmp_psql -c 'SELECT nope' 2>/dev/null && fail "pgtmp_psql succeeded on an error"
	if [ "$(id -u)" = 0 ]; then
		[ "$(stat -c %U "$PGTMP_DIR/data")" != root ] || fail "as root, the data belongs to root"
	fi
}

test_pgtmp_stop_and_restart_keep_the_data() {
	pgtmp_start || { fail "pgtmp_start failed"; return; }
	pgtmp_psql -c 'CREATE TABLE t (x int); INSERT INTO t VALUES (42)' || fail "create"
	pgtmp_stop || fail "pgtmp_stop failed"
	! pgtmp_psql -c 'SELECT 1' 2>/dev/null || fail "connected to a stopped server"
	pgtmp_stop || fail "pgtmp_stop of a stopped server failed"
	pgtmp_restart || fail "pgtmp_restart failed"
	t_eq "$(pgtmp_psql -c 'SELECT x FROM t')" 42 "after a restart"
	pgtmp_restart || fail "pgtmp_restart of a running server failed"
	t_eq "$(pgtmp_psql -c 'SELECT x FROM t')" 42 "after a restart of a running server"
	# A child process with nothing but the exported variables.
	local child=(env -i "PATH=$PATH" "PGTMP_DIR=$PGTMP_DIR" "PGTMP_BIN=$PGTMP_BIN" bash "$PGTMP_SH")
	"${child[@]}" stop immediate || fail "'pgtmp.sh stop immediate' failed"
	! pgtmp_psql -c 'SELECT 1' 2>/dev/null || fail "connected after 'pgtmp.sh stop immediate'"
	"${child[@]}" restart || fail "'pgtmp.sh restart' failed"
	t_eq "$(pgtmp_psql -c 'SELECT x FROM t')" 42 "after a crash and 'pgtmp.sh restart'"
	"${child[@]}" start 2>msg
	t_eq "$?" 2 "'pgtmp.sh start' (usage)"
	t_contains msg "usage: pgtmp.sh"
	env -i "PATH=$PATH" bash "$PGTMP_SH" stop 2>msg
	t_eq "$?" 2 "'pgtmp.sh stop' without PGTMP_DIR"
	t_contains msg "no cluster"
	pgtmp_stop slowly 2>msg
	t_eq "$?" 2 "pgtmp_stop with an unknown mode"
	t_contains msg "unknown mode 'slowly'"
}

test_pgtmp_tcp() {
	pgtmp_start --tcp shop || { fail "pgtmp_start --tcp failed"; return; }
	t_eq "$PGHOST" 127.0.0.1 "PGHOST"
	t_eq "$DATABASE_URL" "postgresql://postgres@127.0.0.1:$PGPORT/shop" "DATABASE_URL"
	t_eq "$(pgtmp_psql -c 'SELECT inet_server_addr()')" 127.0.0.1 "connected over TCP"
	t_eq "$(PGHOST=$PGTMP_DIR pgtmp_psql -c 'SELECT inet_server_addr() IS NULL')" t "the unix socket too"
	t_eq "$(pgtmp_psql -c "SELECT current_setting('listen_addresses')")" 127.0.0.1 "listen_addresses"
}

# A script that starts a cluster, records its directory in ./dir, then
# exits with status 3 or, with "wait", waits for a signal.
write_child() {
	cat >child.sh <<EOF
. "$LIB"
$1
pgtmp_start || exit 9
echo "\$PGTMP_DIR" >dir
[ "\${1:-}" = wait ] || exit 3
sleep 300 & wait \$!
EOF
}

test_pgtmp_cleans_up_at_exit_and_keeps_the_callers_trap() {
	write_child "trap 'echo \"the trap saw \$?\" >trap.out' EXIT"
	bash child.sh
	t_eq "$?" 3 "exit status"
	t_eq "$(cat trap.out 2>/dev/null)" "the trap saw 3" "the EXIT trap set before pgtmp_start"
	gone "$(cat dir)"
}

test_pgtmp_cleans_up_on_term_and_int() {
	local pid sig want
	for sig in TERM:143 INT:130; do
		write_child ""
		rm -f dir
		set -m # a background job of a shell without job control ignores SIGINT
		bash child.sh wait &
		pid=$!
		set +m
		wait_file dir || return
		kill -"${sig%:*}" "$pid"
		wait "$pid"
		t_eq "$?" "${sig#*:}" "exit status on SIG${sig%:*}"
		gone "$(cat dir)"
	done
	# A trap the caller set for INT is kept; its exit runs the cleanup.
	write_child "trap 'echo int >int.out; exit 7' INT"
	rm -f dir
	set -m
	bash child.sh wait &
	pid=$!
	set +m
	wait_file dir || return
	kill -INT "$pid"
	wait "$pid"
	t_eq "$?" 7 "exit status from the caller's INT trap"
	[ -s int.out ] || fail "the caller's INT trap did not run"
	gone "$(cat dir)"
}

test_pgtmp_subshells() {
	pgtmp_start || { fail "pgtmp_start failed"; return; }
	local outer=$PGTMP_DIR inner
	(
		trap 'echo done >sub.out' EXIT
		pgtmp_start inner || exit 1
		echo "$PGTMP_DIR" >inner
		t_eq "$(pgtmp_psql -c 'SELECT current_database()')" inner "the subshell's own cluster"
	)
	inner=$(cat inner 2>/dev/null)
	[ "$inner" != "$outer" ] || fail "the subshell reused the outer cluster"
	gone "$inner"
	[ -s sub.out ] || fail "the subshell's EXIT trap did not run"
	t_eq "$PGTMP_DIR" "$outer" "PGTMP_DIR after the subshell"
	t_eq "$(pgtmp_psql -c 'SELECT 1')" 1 "the outer cluster after the subshell"
	(pgtmp_cleanup)
	t_eq "$(pgtmp_psql -c 'SELECT 1')" 1 "the outer cluster after pgtmp_cleanup in a subshell"
	(pgtmp_stop) || fail "pgtmp_stop in a subshell failed"
	! pgtmp_psql -c 'SELECT 1' 2>/dev/null || fail "a subshell could not stop the outer cluster"
	pgtmp_restart || fail "pgtmp_restart failed"
	pgtmp_start 2>msg
	t_eq "$?" 2 "a second pgtmp_start in the same shell"
	t_contains msg "already has a cluster"
	pgtmp_cleanup
	gone "$outer"
	t_eq "${PGTMP_DIR:-}|${PGHOST:-}|${DATABASE_URL:-}" "||" "variables after pgtmp_cleanup"
	pgtmp_start || fail "pgtmp_start after pgtmp_cleanup failed"
}

test_pgtmp_errors_leave_nothing_behind() {
	# A TMPDIR short enough for a socket path (the test's own is not).
	local tmp
	tmp=$(mktemp -d /tmp/pgtmp-e2e.XXXXXX) || { fail "mktemp"; return; }
	chmod 755 "$tmp"
	(PGTMP_BINDIR=$PWD pgtmp_start 2>msg)
	t_eq "$?" 3 "a PGTMP_BINDIR without a server"
	t_contains msg "holds no initdb"
	(pgtmp_start Shop 2>msg)
	t_eq "$?" 2 "a database name that needs quoting"
	t_contains msg "'Shop' is not a database name"
	(pgtmp_start shop jit 2>msg)
	t_eq "$?" 2 "a setting without a value"
	t_contains msg "'jit' is not a server setting NAME=VALUE"
	(TMPDIR=$tmp pgtmp_start shop shared_buffers=plenty 2>msg)
	t_eq "$?" 3 "a server that does not start"
	t_contains msg "PostgreSQL did not start"
	t_contains msg "shared_buffers"
	t_eq "$(ls -A "$tmp")" "" "what a failed start left in TMPDIR"
	# PGTMP_KEEP: stopped but kept, in TMPDIR.
	(
		TMPDIR=$tmp PGTMP_KEEP=1
		pgtmp_start && echo "$PGTMP_DIR" >dir
	) 2>msg
	case $(cat dir) in "$tmp"/pgtmp.*) ;; *) fail "the cluster went to '$(cat dir)', not to TMPDIR" ;; esac
	[ -f "$(cat dir)/server.log" ] || fail "PGTMP_KEEP did not keep the server log"
	t_contains msg "kept $(cat dir)"
	! pgrep -f -- "$(cat dir)/data" >/dev/null || fail "PGTMP_KEEP left the server running"
	rm -rf "$tmp"
	# A TMPDIR too long for a socket path falls back to /tmp.
	local long=$PWD/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	mkdir -p "$long"
	(TMPDIR=$long pgtmp_start && echo "$PGTMP_DIR" >dir)
	case $(cat dir) in /tmp/pgtmp.*) ;; *) fail "with a long TMPDIR the cluster went to '$(cat dir)'" ;; esac
	gone "$(cat dir)"
}

# Most users are not root: then nothing runs through runuser.
test_pgtmp_as_a_plain_user() {
	[ "$(id -u)" = 0 ] || skip "runs as root only, to become a plain user"
	local who=postgres tmp
	id -u postgres >/dev/null 2>&1 || who=nobody
	tmp=$(mktemp -d /tmp/pgtmp-e2e.XXXXXX) || { fail "mktemp"; return; }
	cp "$LIB" "$tmp/pgtmp.sh"
	chmod 755 "$tmp"
	chown "$who" "$tmp"
	(cd "$tmp" && runuser -u "$who" -- env -i "PATH=$PATH" TMPDIR="$tmp" bash -c '
		. ./pgtmp.sh
		pgtmp_start shop || exit 1
		echo "$PGTMP_DIR" >dir
		pgtmp_psql -c "SELECT current_database()" >db
		bash "$PGTMP_SH" stop && bash "$PGTMP_SH" restart && pgtmp_psql -c "SELECT 1" >again
		stat -c %U "$PGTMP_DIR/data" >owner') >out 2>&1 || fail "as $who: $(head -c 300 out)"
	t_eq "$(cat "$tmp/db" 2>/dev/null)" shop "the database, as $who"
	t_eq "$(cat "$tmp/again" 2>/dev/null)" 1 "after a restart, as $who"
	t_eq "$(cat "$tmp/owner" 2>/dev/null)" "$who" "the data's owner"
	gone "$(cat "$tmp/dir" 2>/dev/null)"
	rm -rf "$tmp"
}

run_all "${1:-}"
