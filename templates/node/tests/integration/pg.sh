# A throwaway PostgreSQL cluster on a unix socket in a temporary directory.
# Sourced by tests/integration/run.sh, and run as `pg.sh stop|start` by the
# tests to take the database away and bring it back.

PG_USER_RUN=""   # "runuser -u postgres --" when we are root

pg_find_bindir() {
	local d
	d=$(pg_config --bindir 2>/dev/null)
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
	done
	d=$(dirname "$(command -v initdb 2>/dev/null)" 2>/dev/null)
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
	return 1
}

# pg_start DIR: initdb + start; sets PGBIN, PGSOCK, PGDATA_DIR, DATABASE_URL.
pg_start() {
	local dir=$1
	PGBIN=$(pg_find_bindir) || {
		echo "PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
		echo "Install them: apt-get install postgresql   (or: make deps)" >&2
		return 1
	}
	PGSOCK="$dir/sock"
	PGDATA_DIR="$dir/data"
	mkdir -p "$PGSOCK"
	if [ "$(id -u)" = 0 ]; then
		chmod a+x "$(dirname "$dir")" # mktemp -d is 0700; the server user must get through
		local who=postgres
		id -u postgres >/dev/null 2>&1 || who=nobody
		chown -R "$who" "$dir"
		PG_USER_RUN="runuser -u $who --"
	fi
	$PG_USER_RUN "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 \
		--no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
	pg_ctl_start || return 1
	"$PGBIN/psql" -h "$PGSOCK" -U postgres -qAt -c "CREATE DATABASE payments" postgres >/dev/null || return 1
	DATABASE_URL="postgresql:///payments?host=$PGSOCK&user=postgres"
	export DATABASE_URL
}

pg_ctl_start() {
	$PG_USER_RUN "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/../postgres.log" -w -t 30 \
		-o "-k $PGSOCK -c listen_addresses='' -c fsync=off -c max_connections=100" \
		start >/dev/null || { cat "$PGDATA_DIR/../postgres.log" >&2; return 1; }
}

pg_ctl_stop() {
	$PG_USER_RUN "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1
}

psql_q() {
	"$PGBIN/psql" -h "$PGSOCK" -U postgres -d payments -qAt -v ON_ERROR_STOP=1 -c "$1"
}

if [ "${1:-}" = stop ] || [ "${1:-}" = start ]; then
	PGBIN=$PG_BIN_DIR PGDATA_DIR=$PG_DATA_DIR PGSOCK=$PG_SOCK_DIR
	[ "$(id -u)" = 0 ] && PG_USER_RUN="runuser -u $(stat -c %U "$PGDATA_DIR") --"
	if [ "$1" = stop ]; then pg_ctl_stop; else pg_ctl_start; fi
fi
