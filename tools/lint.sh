#!/bin/sh
# make lint: the layering of analyzers/, the owners of foreign libraries,
# banned functions, and the man pages. Prints every violation as
# file:line: what is wrong, and exits 1 if there was one.
#
#   base/      includes only base/
#   lint/ template/ probe/ explain/   base/ and themselves
#   plugins/   base/ and explain/dbplugin.h (the plugin ABI)
#   cli/       anything
# A foreign library's header is included by its owning module only.
set -uf   # no pathname expansion: owner lists are patterns
cd "${1:-$(dirname "$0")/..}" || exit 2
status=0
bad() { echo "$1"; status=1; }

# Allowed layers for a file's #include "layer/...".
allowed_layers() {
	case $1 in
	analyzers/base/*) echo "base" ;;
	analyzers/plugins/*) echo "base explain/dbplugin.h" ;;
	analyzers/*/*) l=${1#analyzers/}; echo "base ${l%%/*}" ;;
	*) echo "*" ;;
	esac
}

# Which files may include a foreign header (shell patterns).
owner_of() {
	case $1 in
	# base/git.c is the adapter; the others have a git job of their own.
	git2.h) echo "analyzers/base/git.c analyzers/base/walk.c analyzers/lint/gitdiff.c analyzers/template/git-init.c tests/*" ;;
	pcre2.h) echo "analyzers/base/regex.c" ;;
	yaml.h) echo "analyzers/base/yaml.c" ;;
	curl/curl.h) echo "analyzers/probe/http.c" ;;
	libpq-fe.h) echo "analyzers/plugins/*.c" ;;
	tree_sitter/api.h) echo "analyzers/base/lang.* analyzers/base/syntax.* analyzers/lint/* analyzers/explain/sqlextract* tests/*" ;;
	*) echo "*" ;;
	esac
}

files=$(find analyzers cli tests/unit tests/fuzz -name '*.[ch]' 2>/dev/null | sort)
for f in $files; do
	layers=$(allowed_layers "$f")
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
	while IFS= read -r line; do
		n=${line%%:*}
		inc=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/')
		case $line in
		*'"'*) # project include: check the layer
			[ "$layers" = "*" ] && continue
			case $inc in */*) ;; *) continue ;; esac
			ok=0
			for l in $layers; do
				case $inc in "$l"|"$l"/*) ok=1 ;; esac
			done
			[ $ok = 1 ] || echo "$f:$n: includes \"$inc\"; ${f#analyzers/} may include only: $layers"
			;;
		*) # system include: check the owner
			owners=$(owner_of "$inc")
			[ "$owners" = "*" ] && continue
			ok=0
			for o in $owners; do
				# shellcheck disable=SC2254
				case $f in $o) ok=1 ;; esac
			done
			[ $ok = 1 ] || echo "$f:$n: includes <$inc>; only $owners may"
			;;
		esac
	done
done > "${TMPDIR:-/tmp}/bkgen-lint.$$"
if [ -s "${TMPDIR:-/tmp}/bkgen-lint.$$" ]; then cat "${TMPDIR:-/tmp}/bkgen-lint.$$"; status=1; fi
rm -f "${TMPDIR:-/tmp}/bkgen-lint.$$"

# Banned functions: a call is the name followed by "(", outside comments
# and strings (a rough cut that is enough for our code).
banned=$(sed -n 's/^BK_BANNED(\([a-z_]*\), "\(.*\)").*/\1:\2/p' analyzers/base/banned.h)
[ -n "$banned" ] || { echo "analyzers/base/banned.h: no BK_BANNED entries found"; status=1; }
names=$(printf '%s\n' "$banned" | cut -d: -f1 | paste -sd'|' -)
for f in $files; do
	sed -e 's://.*$::' -e 's:"\([^"\\]\|\\.\)*"::g' "$f" |
	grep -nE "(^|[^A-Za-z0-9_.>])($names)[[:space:]]*\(" |
	grep -vE '^[0-9]+:[[:space:]]*(/?\*|\*)' |
	while IFS= read -r hit; do
		n=${hit%%:*}
		fn=$(printf '%s\n' "$hit" | grep -oE "(^|[^A-Za-z0-9_.>])($names)[[:space:]]*\(" | head -1 |
		     sed -E "s/^[^a-z]*//; s/[[:space:]]*\($//")
		use=$(printf '%s\n' "$banned" | sed -n "s/^$fn://p")
		echo "$f:$n: $fn() is banned (analyzers/base/banned.h); use $use"
	done
done > "${TMPDIR:-/tmp}/bkgen-lint.$$"
if [ -s "${TMPDIR:-/tmp}/bkgen-lint.$$" ]; then cat "${TMPDIR:-/tmp}/bkgen-lint.$$"; status=1; fi
rm -f "${TMPDIR:-/tmp}/bkgen-lint.$$"

# Man pages: mandoc's own lint, warnings and up.
if command -v mandoc >/dev/null 2>&1; then
	for m in $(find man -name '*.[1-9]' | sort); do
		mandoc -T lint -W warning "$m" || status=1
	done
else
	echo "mandoc: not installed (make deps installs it)"; status=1
fi

exit $status
