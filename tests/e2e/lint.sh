#!/usr/bin/env bash
# End-to-end tests of `make lint` (tools/lint.sh): the source tree passes,
# and a copy of it with one deliberate mistake fails with the mistake's
# file:line: a wrong-layer include, a foreign library included outside its
# owner, a banned function.
#
#   tests/e2e/lint.sh [PATTERN]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
export LC_ALL=C
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# A copy of what lint.sh reads, in the test's directory.
copy_tree() {
	mkdir -p tree/tools tree/tests
	cp -R "$SRCDIR/analyzers" "$SRCDIR/cli" "$SRCDIR/man" tree/
	cp -R "$SRCDIR/tests/unit" tree/tests/
	cp "$SRCDIR/tools/lint.sh" tree/tools/
}

lint() {
	tree/tools/lint.sh tree >"$OUT" 2>"$ERR"
	RC=$?
	LAST="tools/lint.sh"
}

test_tree_is_clean() {
	copy_tree
	lint
	t_exit 0
	t_empty out
}

test_base_including_lint_fails() {
	copy_tree
	sed -i 's|#include "base/util.h"|#include "base/util.h"\n#include "lint/engine.h"|' tree/analyzers/base/report.c
	lint
	t_exit 1
	t_match out '^analyzers/base/report\.c:[0-9]+: includes "lint/engine\.h"; base/report\.c may include only: base$'
}

test_subsystem_including_another_fails() {
	copy_tree
	printf '#include "explain/plan.h"\n' >>tree/analyzers/template/render.c
	lint
	t_exit 1
	t_match out '^analyzers/template/render\.c:[0-9]+: includes "explain/plan\.h"; template/render\.c may include only: base template$'
}

test_foreign_header_outside_its_owner_fails() {
	copy_tree
	printf '#include <pcre2.h>\n' >>tree/analyzers/lint/engine.c
	lint
	t_exit 1
	t_match out '^analyzers/lint/engine\.c:[0-9]+: includes <pcre2\.h>; only analyzers/base/regex\.c may$'
}

test_banned_function_fails() {
	copy_tree
	printf 'static void f(char *b) { sprintf(b, "%%d", 1); }\n' >>tree/cli/output.c
	lint
	t_exit 1
	t_match out '^cli/output\.c:[0-9]+: sprintf\(\) is banned \(analyzers/base/banned\.h\); use bk_buf_printf'
}

test_banned_name_in_comment_or_string_passes() {
	copy_tree
	printf '/* strcpy(a, b) would overflow */\nstatic const char *s = "gets(";\n' >>tree/cli/output.c
	lint
	t_exit 0
}

run_all "${1:-}"
