#!/usr/bin/env bash
# Integration tests: starts a throwaway PostgreSQL with tests/pgtmp.sh
# (initdb into a temporary directory, unix socket only, `runuser` when
# root; removed when this script exits), then runs the compiled node:test
# suites against it. The suites start the service in-process and as a
# child process, a loopback webhook receiver, and stop and restart
# PostgreSQL by running "$PGTMP_SH" stop|restart.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# tests/pgtmp.sh is copied in when the project is rendered; the template
# itself uses the shared original.
if [ -f "$ROOT/tests/pgtmp.sh" ]; then
	# shellcheck source=../pgtmp.sh
	. "$ROOT/tests/pgtmp.sh"
else
	. "$ROOT/../shared/pgtmp.sh"
fi
cd "$ROOT" || exit 1
export PGTMP_KEEP=${KEEP_TMP:-}
pgtmp_start payments || exit 1
node --test --test-concurrency=1 "$@" dist/tests/integration/
