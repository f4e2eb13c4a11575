#!/usr/bin/env bash
# Integration tests: starts a throwaway PostgreSQL (initdb into a temporary
# directory, unix socket only, `runuser` when root), then runs the compiled
# node:test suites against it. The suites start the service in-process and
# as a child process, a loopback webhook receiver, and stop and restart
# PostgreSQL through pg.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/pg.sh"
cd "$ROOT" || exit 1
TMP=$(mktemp -d /tmp/acme-payments-it.XXXXXX)
cleanup() {
	[ -n "${PGDATA_DIR:-}" ] && pg_ctl_stop
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
pg_start "$TMP/pg" || exit 1
export PG_BIN_DIR=$PGBIN PG_DATA_DIR=$PGDATA_DIR PG_SOCK_DIR=$PGSOCK PG_SCRIPT=$HERE/pg.sh
node --test --test-concurrency=1 "$@" dist/tests/integration/
