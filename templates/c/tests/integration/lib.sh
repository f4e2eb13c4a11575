# Shared by tests/integration/run.sh and bench/run.sh: a throwaway
# PostgreSQL cluster on a unix socket in a temporary directory, and the
# service started against it. Source it; call pg_start, then svc_start.

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

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# svc_start PORT LOGFILE [ENV=VALUE...]: starts $BIN serve; sets SVC_PID.
svc_start() {
	local port=$1 log=$2
	shift 2
	env PORT="$port" BIND_ADDRESS=127.0.0.1 "$@" "$BIN" serve >>"$log" 2>&1 &
	SVC_PID=$!
	for _ in $(seq 1 100); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/live" 2>/dev/null; then return 0; fi
		if ! kill -0 "$SVC_PID" 2>/dev/null; then
			echo "service exited during start-up:" >&2; tail -20 "$log" >&2; return 1
		fi
		sleep 0.1
	done
	echo "service did not answer on port $port" >&2
	return 1
}
