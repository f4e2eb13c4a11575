# shellcheck shell=bash
# A PostgreSQL cluster for the explain tests, started from the local
# installation into a directory the test owns: unix socket only, trust auth,
# autovacuum and JIT off and no parallel workers, so plans are stable.
# As root the server runs as the postgres account (or nobody).
#
#   pgc_start DIR      initdb + start; sets PGC_BIN PGC_SOCK PGC_DATA PGC_URL
#   pgc_psql SQL...    psql -c against the test database (ON_ERROR_STOP)
#   pgc_stop_now       immediate shutdown (the server "goes away")

PGC_RUN=""

pgc_bindir() {
	local d
	if [ -n "${BKGEN_PG_BINDIR:-}" ]; then echo "$BKGEN_PG_BINDIR"; return 0; fi
	d=$(pg_config --bindir 2>/dev/null)
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	return 1
}

pgc_start() {
	local dir=$1
	PGC_BIN=$(pgc_bindir) || { echo "no PostgreSQL server binaries (initdb)" >&2; return 1; }
	PGC_SOCK="$dir/sock"
	PGC_DATA="$dir/data"
	mkdir -p "$PGC_SOCK"
	if [ "$(id -u)" = 0 ]; then
		local who=postgres
		id -u postgres >/dev/null 2>&1 || who=nobody
		chmod a+x "$dir" "$(dirname "$dir")"
		chown -R "$who" "$dir"
		PGC_RUN="runuser -u $who --"
	fi
	$PGC_RUN "$PGC_BIN/initdb" -D "$PGC_DATA" -U postgres -A trust -E UTF8 --no-sync \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
	$PGC_RUN "$PGC_BIN/pg_ctl" -D "$PGC_DATA" -l "$dir/server.log" -w -t 60 \
		-o "-k $PGC_SOCK -c listen_addresses= -c fsync=off -c autovacuum=off -c jit=off -c max_parallel_workers_per_gather=0" \
		start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
	"$PGC_BIN/psql" -h "$PGC_SOCK" -U postgres -qAt -c "CREATE DATABASE bench" postgres >/dev/null || return 1
	PGC_URL="postgresql:///bench?host=$PGC_SOCK&user=postgres"
}

pgc_psql() {
	"$PGC_BIN/psql" -h "$PGC_SOCK" -U postgres -d bench -qAt -v ON_ERROR_STOP=1 "$@"
}

pgc_stop_now() {
	$PGC_RUN "$PGC_BIN/pg_ctl" -D "$PGC_DATA" -m immediate -w stop >/dev/null 2>&1
}

pgc_stop() {
	$PGC_RUN "$PGC_BIN/pg_ctl" -D "$PGC_DATA" -m fast -w stop >/dev/null 2>&1
}
