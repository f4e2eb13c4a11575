#!/usr/bin/env bash
# shellcheck shell=bash
#
# pgtmp.sh: a throwaway PostgreSQL cluster for tests and tools. A project
# rendered by `bkgen new` carries its own copy as tests/pgtmp.sh.
#
#   . tests/pgtmp.sh
#   pgtmp_start payments               # a new cluster with database "payments"
#   psql -c 'SELECT 1'                 # libpq clients need no options
#
# Functions; on failure each prints why on stderr and returns 2 when the
# call is wrong (bad arguments, no cluster yet, a second one in one shell)
# or 3 when PostgreSQL or the system fails:
#
#   pgtmp_start [--tcp] [DB [NAME=VALUE...]]
#       initdb into a new directory, start the server, wait until it
#       accepts connections, create database DB ([a-z_][a-z0-9_]*, default
#       postgres), and export the variables below. NAME=VALUE are extra
#       server settings (e.g. autovacuum=off). The server listens on a
#       unix socket in its directory only; with --tcp also on 127.0.0.1
#       on a free port, and the exported variables then point at TCP.
#       One cluster per shell: start a second one in a subshell, or after
#       pgtmp_cleanup.
#   pgtmp_psql ARGS...             psql -X -q -A -t -v ON_ERROR_STOP=1 on DB
#                                  (psql's own exit status)
#   pgtmp_stop [fast|immediate]    stop the server (default fast), keep its data
#   pgtmp_restart                  start it again (stopping it first if it runs)
#   pgtmp_cleanup                  stop it and remove its directory now
#
# A process that did not source this file (a test suite in another
# language) stops and restarts the cluster through the exported variables:
#
#   bash "$PGTMP_SH" stop [fast|immediate]
#   bash "$PGTMP_SH" restart
#
# Exported by pgtmp_start:
#   PGHOST PGPORT PGUSER PGDATABASE  for libpq clients (psql, pgbench, drivers)
#   DATABASE_URL  postgresql:///DB?host=DIR&port=PORT&user=postgres
#                 (--tcp: postgresql://postgres@127.0.0.1:PORT/DB)
#   PGTMP_DIR     the cluster's directory: data/, server.log and the socket
#   PGTMP_BIN     the server's bin directory (initdb, pg_ctl, psql, pgbench)
#   PGTMP_SH      this file
#
# Read, all optional, as shell or environment variables that stay set
# while the cluster lives (a `VAR=x pgtmp_start` prefix lasts one call):
#   PGTMP_BINDIR  the server to use; otherwise `pg_config --bindir`, the
#                 newest /usr/lib/postgresql/N/bin, then PATH
#   PGTMP_LIBDIR  LD_LIBRARY_PATH for that server's programs (a relocatable
#                 build); read by every call, and exported by pgtmp_start
#   PGTMP_KEEP    non-empty: cleanup stops the server but keeps the directory
#   TMPDIR        where the directory is made; /tmp when TMPDIR is unset,
#                 longer than 60 bytes (the socket path must stay short),
#                 not an absolute path of [A-Za-z0-9/._-], or, as root, out
#                 of the server account's reach
#
# Guarantees:
# - The cluster has one superuser, postgres, with trust authentication,
#   UTF8 and the C locale, and runs with fsync=off.
# - As root, initdb and the server run as the postgres account (or nobody)
#   through runuser, since PostgreSQL refuses to run as root.
# - pgtmp_start and pgtmp_restart return once the server accepts
#   connections: pg_ctl -w polls for that with a 120 s deadline; there is
#   no fixed sleep. When the server does not come up they print the end of
#   its log, and pgtmp_start removes what it made.
# - Cleanup: pgtmp_start sets traps in the shell that calls it (the main
#   shell or a subshell). On EXIT the server is stopped and the directory
#   removed; INT, TERM and HUP make the shell exit (128+N), which runs the
#   EXIT trap, unless the caller trapped them before. An EXIT trap set
#   before pgtmp_start still runs, after the cleanup, with the exit status
#   in $?; one set after it replaces it and must call pgtmp_cleanup. A
#   shell killed with SIGKILL cannot clean up: stop such a server with
#   pg_ctl -D DIR/data stop.
# - A subshell sees its parent's cluster and may stop or restart it, but
#   pgtmp_cleanup there (and its exit) leaves it alone.
# - Safe under set -euo pipefail; names other than the ones above start
#   with pgtmp__.

PGTMP_SH=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
PGTMP_SH=$PGTMP_SH/$(basename -- "${BASH_SOURCE[0]}")
export PGTMP_SH
PGTMP__WAIT=120

pgtmp__say() { printf 'pgtmp: %s\n' "$*" >&2; }

pgtmp__has_server() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

pgtmp__find_bindir() {
	local d
	if [ -n "${PGTMP_BINDIR:-}" ]; then
		if pgtmp__has_server "$PGTMP_BINDIR"; then echo "$PGTMP_BINDIR"; return 0; fi
		pgtmp__say "PGTMP_BINDIR '$PGTMP_BINDIR' holds no initdb, pg_ctl and postgres"
		return 3
	fi
	d=$(pg_config --bindir 2>/dev/null) || d=
	if [ -n "$d" ] && pgtmp__has_server "$d"; then echo "$d"; return 0; fi
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -r -V); do
		if pgtmp__has_server "$d"; then echo "$d"; return 0; fi
	done
	d=$(command -v initdb 2>/dev/null) || d=
	if [ -n "$d" ] && pgtmp__has_server "$(dirname "$d")"; then dirname "$d"; return 0; fi
	pgtmp__say "no PostgreSQL server found (initdb, pg_ctl, postgres): install it" \
		"(Debian: apt-get install postgresql) or set PGTMP_BINDIR"
	return 3
}

# The account the server runs as when we are root.
pgtmp__account() {
	local who
	for who in postgres nobody; do
		if id -u "$who" >/dev/null 2>&1; then echo "$who"; return 0; fi
	done
	pgtmp__say "running as root, and there is neither a 'postgres' nor a 'nobody' account" \
		"to run PostgreSQL as"
	return 3
}

# pgtmp__base ACCOUNT: the directory to make the cluster's directory in.
pgtmp__base() {
	local base=${TMPDIR:-/tmp}
	[ "$base" = / ] || base=${base%/}
	if [ ${#base} -gt 60 ] || ! [[ $base =~ ^/[A-Za-z0-9/._-]*$ ]] || [ ! -d "$base" ] ||
		[ ! -w "$base" ] || { [ -n "$1" ] && ! runuser -u "$1" -- test -x "$base"; }; then
		base=/tmp
	fi
	echo "$base"
}

# pgtmp__server PROGRAM ARGS...: a server program, as the account owning
# PGTMP_DIR when we are root, from inside PGTMP_DIR.
pgtmp__server() {
	local -a run=()
	if [ "$(id -u)" = 0 ]; then run=(runuser -u "$(stat -c %U "$PGTMP_DIR")" --); fi
	if [ -n "${PGTMP_LIBDIR:-}" ]; then run+=(env "LD_LIBRARY_PATH=$PGTMP_LIBDIR"); fi
	(cd "$PGTMP_DIR" && exec ${run[@]+"${run[@]}"} "$@")
}

pgtmp__pg_ctl() {
	pgtmp__server "$PGTMP_BIN/pg_ctl" -D "$PGTMP_DIR/data" -w -t "$PGTMP__WAIT" "$@"
}

pgtmp__running() { pgtmp__pg_ctl status >/dev/null 2>&1; }

pgtmp__log_tail() { tail -n 8 "$PGTMP_DIR/server.log" 2>/dev/null || echo "(no server log)"; }

pgtmp__need() {
	if [ -n "${PGTMP_DIR:-}" ] && [ -n "${PGTMP_BIN:-}" ] && [ -d "$PGTMP_DIR/data" ]; then return 0; fi
	pgtmp__say "no cluster: call pgtmp_start first" \
		"(or export PGTMP_DIR and PGTMP_BIN from the shell that did)"
	return 2
}

# Start the server of PGTMP_DIR and wait until it accepts connections.
pgtmp__up() { pgtmp__pg_ctl -l "$PGTMP_DIR/server.log" start >/dev/null 2>&1; }

# The server's own psql when it has one (a relocatable build may not).
pgtmp_psql() {
	local -a run=(psql)
	if [ -n "${PGTMP_BIN:-}" ] && [ -x "$PGTMP_BIN/psql" ]; then run=("$PGTMP_BIN/psql"); fi
	if [ -n "${PGTMP_LIBDIR:-}" ]; then run=(env "LD_LIBRARY_PATH=$PGTMP_LIBDIR" "${run[@]}"); fi
	"${run[@]}" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

pgtmp_stop() {
	local mode=${1:-fast}
	case $mode in
	fast | immediate) ;;
	*) pgtmp__say "pgtmp_stop: unknown mode '$mode' (fast or immediate)"; return 2 ;;
	esac
	pgtmp__need || return
	pgtmp__running || return 0
	if ! pgtmp__pg_ctl -m "$mode" stop >/dev/null 2>&1; then
		pgtmp__say "PostgreSQL in $PGTMP_DIR did not stop ($mode) within ${PGTMP__WAIT}s"
		return 3
	fi
}

pgtmp_restart() {
	pgtmp__need || return
	pgtmp_stop fast || return
	if ! pgtmp__up; then
		pgtmp__say "PostgreSQL in $PGTMP_DIR did not start again: $(pgtmp__log_tail)"
		return 3
	fi
}

pgtmp_cleanup() {
	if [ -z "${PGTMP_DIR:-}" ] || [ "${PGTMP__OWNER:-}" != "$BASHPID" ]; then return 0; fi
	if [ -d "$PGTMP_DIR/data" ] && pgtmp__running &&
		! pgtmp__pg_ctl -m immediate stop >/dev/null 2>&1 && [ -f "$PGTMP_DIR/data/postmaster.pid" ]; then
		kill -KILL "$(head -n 1 "$PGTMP_DIR/data/postmaster.pid")" 2>/dev/null || true
	fi
	if [ -n "${PGTMP_KEEP:-}" ]; then
		pgtmp__say "kept $PGTMP_DIR"
	else
		rm -rf "$PGTMP_DIR"
	fi
	unset PGTMP_DIR PGTMP_BIN PGTMP__OWNER PGHOST PGPORT PGUSER PGDATABASE DATABASE_URL
	return 0
}

# The command this shell runs on signal $1, if any.
pgtmp__trap_cmd() {
	local t
	t=$(trap -p "$1")
	[ -n "$t" ] || return 0
	eval "set -- $t" # trap -- COMMAND SIGNAL
	printf '%s' "$3"
}

pgtmp__status() { return "$1"; }

pgtmp__on_exit() {
	local rc=$?
	pgtmp_cleanup
	[ -n "${PGTMP__PREV_EXIT:-}" ] || return 0
	# the caller's trap sees the exit status in $?
	if [ "$rc" = 0 ]; then
		eval "$PGTMP__PREV_EXIT"
	else
		pgtmp__status "$rc" || eval "$PGTMP__PREV_EXIT"
	fi
}

# Traps of the current shell, once per shell (a subshell gets its own).
pgtmp__traps() {
	local s
	if [ "${PGTMP__TRAPPED:-}" = "$BASHPID" ]; then return 0; fi
	PGTMP__TRAPPED=$BASHPID
	# A subshell lists its parent's traps until it sets one of its own.
	if [ "$BASHPID" != "$$" ]; then trap - RETURN; fi
	PGTMP__PREV_EXIT=$(pgtmp__trap_cmd EXIT)
	trap pgtmp__on_exit EXIT
	for s in INT:130 TERM:143 HUP:129; do
		if [ -z "$(trap -p "${s%%:*}")" ]; then trap "exit ${s#*:}" "${s%%:*}"; fi
	done
}

pgtmp_start() {
	local tcp= db=postgres bin who= dir port=5432 kv tries=0
	if [ "${1:-}" = --tcp ]; then tcp=1; shift; fi
	if [ $# -gt 0 ]; then db=$1; shift; fi
	if ! [[ $db =~ ^[a-z_][a-z0-9_]*$ ]]; then
		pgtmp__say "pgtmp_start: '$db' is not a database name of [a-z_][a-z0-9_]*"
		return 2
	fi
	for kv in "$@"; do
		if ! [[ $kv =~ ^[a-z_][a-z0-9_.]*= ]]; then
			pgtmp__say "pgtmp_start: '$kv' is not a server setting NAME=VALUE"
			return 2
		fi
	done
	if [ -n "${PGTMP_DIR:-}" ] && [ "${PGTMP__OWNER:-}" = "$BASHPID" ]; then
		pgtmp__say "this shell already has a cluster in $PGTMP_DIR:" \
			"pgtmp_cleanup it first, or start the other one in a subshell"
		return 2
	fi
	bin=$(pgtmp__find_bindir) || return
	if [ "$(id -u)" = 0 ]; then who=$(pgtmp__account) || return; fi
	if ! dir=$(mktemp -d "$(pgtmp__base "$who")/pgtmp.XXXXXX"); then
		pgtmp__say "cannot create a directory for the cluster"
		return 3
	fi
	PGTMP_DIR=$dir PGTMP_BIN=$bin PGTMP__OWNER=$BASHPID
	export PGTMP_DIR PGTMP_BIN
	if [ -n "${PGTMP_LIBDIR:-}" ]; then export PGTMP_LIBDIR; fi
	pgtmp__traps
	if [ -n "$who" ] && ! chown "$who": "$dir"; then
		pgtmp_cleanup
		return 3
	fi
	if ! pgtmp__server "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
		>"$dir/initdb.log" 2>&1; then
		pgtmp__say "initdb failed: $(tail -n 8 "$dir/initdb.log")"
		pgtmp_cleanup
		return 3
	fi
	{
		printf "unix_socket_directories = '%s'\n" "$dir"
		printf "listen_addresses = '%s'\n" "${tcp:+127.0.0.1}"
		printf "fsync = off\n"
		for kv in "$@"; do
			kv=${kv//\'/\'\'}
			printf "%s = '%s'\n" "${kv%%=*}" "${kv#*=}"
		done
	} >>"$dir/data/postgresql.conf"
	while :; do
		# unix socket only: the port just names the socket file in dir
		if [ -n "$tcp" ]; then port=$((49152 + RANDOM % 16384)); fi
		printf 'port = %d\n' "$port" >>"$dir/data/postgresql.conf"
		if pgtmp__up; then break; fi
		# another process took the port: try another one
		if [ -n "$tcp" ] && [ $((tries += 1)) -lt 20 ] &&
			[[ $(pgtmp__log_tail) == *"could not bind"* ]]; then
			continue
		fi
		pgtmp__say "PostgreSQL did not start: $(pgtmp__log_tail)"
		pgtmp_cleanup
		return 3
	done
	export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=$db
	export DATABASE_URL="postgresql:///$db?host=$dir&port=$port&user=postgres"
	if [ -n "$tcp" ]; then
		PGHOST=127.0.0.1 DATABASE_URL="postgresql://postgres@127.0.0.1:$port/$db"
	fi
	if [ "$db" != postgres ] && ! pgtmp_psql -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null; then
		pgtmp__say "cannot create database '$db'"
		pgtmp_cleanup
		return 3
	fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	stop) shift; pgtmp_stop "$@" ;;
	restart) pgtmp_restart ;;
	*)
		echo "usage: pgtmp.sh stop [fast|immediate] | restart  (PGTMP_DIR and PGTMP_BIN from pgtmp_start" \
			"in the environment), or source it: see the comment at its top" >&2
		exit 2
		;;
	esac
	exit
fi
