#!/bin/sh
# `make demo`: bkgen check on a small sample service, then on real
# third-party code found on this machine (the Python standard library).
set -u
cd "$(dirname "$0")/.."
BKGEN=${BKGEN:-./bkgen}

echo "== bkgen check examples/orders-service"
"$BKGEN" check examples/orders-service
echo "(exit status $?: 1 means findings at or above --fail-on)"

stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)
if [ -n "$stdlib" ] && [ -d "$stdlib" ]; then
	echo
	echo "== bkgen check --only silent-catch $stdlib (first 10 findings, then --stats)"
	"$BKGEN" check --only silent-catch --no-source --color never "$stdlib" | head -10
	"$BKGEN" check --only silent-catch --stats --format json "$stdlib" >/dev/null
fi
exit 0
