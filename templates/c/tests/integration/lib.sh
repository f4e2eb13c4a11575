# Shared by tests/integration/run.sh and bench/run.sh: a throwaway
# PostgreSQL (tests/pgtmp.sh: pgtmp_start, pgtmp_psql, pgtmp_stop,
# pgtmp_restart; it cleans up when the shell exits) and the service
# started against it. Source it; call pgtmp_start payments, then svc_start.

# tests/pgtmp.sh is copied in when the project is rendered; the template
# itself uses the shared original.
tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$tests_dir/pgtmp.sh" ]; then
	# shellcheck source=../pgtmp.sh
	. "$tests_dir/pgtmp.sh"
else
	. "$tests_dir/../../shared/pgtmp.sh"
fi

psql_q() { pgtmp_psql -c "$1"; }

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
