#!/bin/sh
# Installs what the build and the tests need, from the project's own files:
# Debian packages by name (deps/debian-packages.txt) and the tree-sitter
# runtime and grammar sources by lockfile (deps/package-lock.json).
# Idempotent and quick when everything is already there.
set -eu
cd "$(dirname "$0")/.."

pkgs=$(grep -v '^[[:space:]]*#' deps/debian-packages.txt | tr '\n' ' ')
command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing Debian packages:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages; install them with:" >&2
		echo "  sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi

stamp=deps/node_modules/.bkgen-lock
if [ ! -f "$stamp" ] || ! cmp -s deps/package-lock.json "$stamp"; then
	echo "deps: fetching tree-sitter sources by lockfile (npm ci)"
	(cd deps && npm ci --silent)
	cp deps/package-lock.json "$stamp"
fi
