#!/usr/bin/env bash
# End-to-end tests of `bkgen new`: renders of tests/templates/mini into
# throwaway directories, the answers file, the first git commit and
# refs/bkgen/pristine, and every refusal (exit 2, nothing written).
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/new.sh [PATTERN]
#
# Same harness and output as run.sh (lib.sh). Needs bash, git and find.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "new.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR BKGEN_TEMPLATE_PATH GIT_DIR GIT_WORK_TREE
# shellcheck source=lib.sh
. "$HERE/lib.sh"

TPL="$SRCDIR/tests/templates"
# A git identity of our own: the tests never depend on the user's.
E2E_HOME="$E2E_TMP/home"
mkdir -p "$E2E_HOME"
printf '[user]\n\tname = Test User\n\temail = test@example.com\n' >"$E2E_HOME/.gitconfig"
export HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/.config" GIT_CONFIG_NOSYSTEM=1
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EMAIL

# bkgen new ARGS with the test templates and no terminal on stdin.
bkn() { bk new "$@" --template-dir "$TPL" </dev/null; }

# Files under DIR (without .git), sorted, one per line.
tree_of() { (cd "$1" && find . -path ./.git -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort); }

t_nothing_here() {
	local left; left=$(ls -A .)
	[ -z "$left" ] || fail "'$LAST' left files behind: $left"
}

MINI_FILES='.bkgen/answers.yml
Dockerfile
README.md
config/order-hub.yml
contract.yaml
docker/compose.yaml
scripts/run.sh
src/order_hub.c
src/order_hub.h
vendor/order-hub.lock'

# ---- listing and help ----

test_new_list() {
	bkn --list; t_exit 0; t_empty err
	t_match out '^mini +1\.2\.0 +a tiny project for bkgen'"'"'s own tests$'
	BKGEN_TEMPLATE_PATH="$TPL" bk new --list </dev/null; t_exit 0; t_match out '^mini '
}

test_new_help_lists_options() {
	bk new --help; t_exit 0; t_contains out "usage: bkgen new"
	for o in lang dir set no-git dry-run force list template-dir; do t_contains out "--$o"; done
	bk help; t_exit 0; t_match out '^  new '
}

# ---- rendering ----

test_new_renders_mini() {
	bkn order-hub --lang mini --set owner=team --no-git; t_exit 0
	t_contains out "created 'order-hub' from template mini 1.2.0 (10 files)"
	t_contains out "next steps:"; t_match out '^  cd order-hub$'
	t_eq "$(tree_of order-hub)" "$MINI_FILES" "rendered files"
	[ ! -e order-hub/.git ] || fail "--no-git made a repository"
	t_eq "$(cat order-hub/src/order_hub.c)" '#include "order_hub.h"

static const char *name = "order-hub";

int order_hub_main(void)
{
	struct OrderHub app = { ORDER_HUB_PORT };
	app.db = "postgres://localhost/order_hub";
	return orderHubRun(&app, name);
}' "src/order_hub.c"
	t_eq "$(cat order-hub/README.md)" '# order-hub

OrderHub (orderHub in code, order_hub on disk, ORDER_HUB in
the environment, orderhub in the package name).
Run it in Docker: `docker build -t order-hub .`' "README.md"
	t_eq "$(cat order-hub/config/order-hub.yml)" 'service: order-hub
image: orderhub:latest
# mentioning bkgen:if mid-comment is not a marker' "config/order-hub.yml"
	t_contains order-hub/src/order_hub.h "#define ORDER_HUB_PORT 8080"
	t_eq "$(cat order-hub/contract.yaml)" '# Shared by the test templates, as templates/openapi.yaml is by the real ones.
service: order-hub' "included contract.yaml"
	cmp -s order-hub/vendor/order-hub.lock "$TPL/mini/vendor/acme-payments.lock" ||
		fail "the verbatim file changed"
	[ -x order-hub/scripts/run.sh ] || fail "scripts/run.sh lost its executable bit"
	local left; left=$(grep -rliE 'acme|^[[:space:]]*(#|//|--|<!--|/\*) ?bkgen:(if|endif)' order-hub | grep -v vendor/)
	[ -z "$left" ] || fail "source name or markers left in: $left"
}

test_new_options_change_the_render() {
	bkn order-hub --lang mini --set owner=team --set docker=no --set db=sqlite --no-git; t_exit 0
	t_eq "$(tree_of order-hub)" '.bkgen/answers.yml
README.md
config/order-hub.yml
config/sqlite.yml
contract.yaml
scripts/run.sh
src/order_hub.c
src/order_hub.h
vendor/order-hub.lock' "files without docker, with sqlite"
	t_contains order-hub/README.md 'Run it directly'
	t_lacks order-hub/README.md 'Docker'
	t_contains order-hub/src/order_hub.c 'sqlite:order_hub.db'
	t_lacks order-hub/src/order_hub.c 'postgres'
}

test_new_answers_file() {
	bkn order-hub --lang mini --set owner=team --set port=9000 --no-git --dir out; t_exit 0
	t_eq "$(cat out/.bkgen/answers.yml)" '# Written by `bkgen new`; `bkgen update` reads it to re-render the template.
template: "mini"
language: "mini"
template-version: "1.2.0"
bkgen-version: "'"$("$BKGEN" --version | sed 's/^bkgen //')"'"
answers:
  name: "order-hub"
  options:
    owner: "team"
    docker: true
    port: 9000
    db: "postgres"' "answers file"
	t_contains out/src/order_hub.h "#define ORDER_HUB_PORT 9000"
	if python3 -c 'import yaml' 2>/dev/null; then
		python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert d["answers"]["options"]["port"] == 9000' \
			out/.bkgen/answers.yml || fail "answers file does not parse as the YAML expected"
	fi
}

test_new_git_one_commit_and_pristine_ref() {
	bkn order-hub --lang mini --set owner=team; t_exit 0
	t_contains out "git: initial commit"
	t_lacks err "identity"
	t_eq "$(git -C order-hub log --oneline | wc -l | tr -d ' ')" 1 "commits"
	t_eq "$(git -C order-hub log -1 --format=%s)" "Initial render from bkgen template mini 1.2.0" "message"
	t_eq "$(git -C order-hub log -1 --format='%an <%ae>')" "Test User <test@example.com>" "author"
	t_eq "$(git -C order-hub status --porcelain)" "" "status"
	t_eq "$(git -C order-hub rev-parse refs/bkgen/pristine)" "$(git -C order-hub rev-parse HEAD)" "pristine ref"
	t_eq "$(git -C order-hub ls-tree -r --name-only HEAD)" "$MINI_FILES" "committed tree"
	t_eq "$(git -C order-hub ls-tree HEAD scripts/run.sh | cut -c1-6)" 100755 "executable in git"
}

test_new_git_identity_fallback() {
	local home="$PWD/emptyhome"; mkdir -p "$home"
	HOME="$home" XDG_CONFIG_HOME="$home/.config" bkn order-hub --lang mini --set owner=team; t_exit 0
	t_contains err "no git identity"
	t_eq "$(git -C order-hub log -1 --format='%an <%ae>')" "bkgen <bkgen@localhost>" "fallback author"
	t_eq "$(git -C order-hub log --oneline | wc -l | tr -d ' ')" 1 "commits"
}

test_new_into_empty_dir() {
	mkdir proj
	bkn order-hub --lang mini --set owner=team --dir proj; t_exit 0
	t_eq "$(tree_of proj)" "$MINI_FILES" "rendered files"
	t_eq "$(git -C proj status --porcelain)" "" "status"
	t_eq "$(ls -A)" "proj" "no temporary directory left"
}

test_new_force_keeps_user_file() {
	mkdir proj; echo mine >proj/mine.txt; echo old >proj/README.md
	bkn order-hub --lang mini --set owner=team --dir proj --force; t_exit 0
	t_contains out "1 overwritten"
	t_eq "$(cat proj/mine.txt)" mine "user file"
	t_contains proj/README.md "# order-hub"
	t_eq "$(git -C proj status --porcelain)" "?? mine.txt" "status: the render is committed, the user file is not"
	t_eq "$(ls -A)" "proj" "no temporary directory left"
}

test_new_force_into_a_repository_keeps_history() {
	mkdir proj; echo mine >proj/mine.txt
	git -C proj init -q && git -C proj add mine.txt && git -C proj commit -qm mine || skip "git cannot commit here"
	bkn order-hub --lang mini --set owner=team --dir proj --force; t_exit 0
	t_contains out "already a repository"
	t_eq "$(git -C proj log --oneline | wc -l | tr -d ' ')" 1 "the user's history is unchanged"
	t_eq "$(git -C proj ls-tree -r --name-only refs/bkgen/pristine)" "$MINI_FILES" "pristine tree"
	t_eq "$(cat proj/mine.txt)" mine "user file"
}

test_new_dry_run_writes_nothing() {
	bkn order-hub --lang mini --set owner=team --dry-run; t_exit 0
	t_contains out "would create 'order-hub'"
	t_match out '^  src/order_hub\.c$'; t_match out '^  \.bkgen/answers\.yml$'
	t_match out '^  owner: team$'; t_match out '^  docker: true$'
	t_nothing_here
}

# ---- refusals: exit 2, nothing written ----

test_new_bad_name() {
	bkn Order_Hub --lang mini --set owner=team; t_exit 2; t_contains err "bad project name"; t_empty out
	bkn 1st --lang mini --set owner=team; t_exit 2
	bkn ../escape --lang mini --set owner=team; t_exit 2
	t_nothing_here
}

test_new_unknown_language() {
	bkn order-hub --lang mnii --set owner=team; t_exit 2; t_contains err "unknown language 'mnii'"
	t_contains err "did you mean 'mini'"
	bkn order-hub --lang ../mini; t_exit 2; t_contains err "bad language"
	t_nothing_here
}

test_new_non_empty_target() {
	mkdir order-hub; echo mine >order-hub/mine.txt
	bkn order-hub --lang mini --set owner=team; t_exit 2
	t_contains err "'order-hub' is not empty"; t_contains err "--force"
	t_eq "$(ls -A order-hub)" "mine.txt" "target untouched"
	t_eq "$(ls -A)" "order-hub" "no temporary directory left"
	bkn order-hub --lang mini --set owner=team --dry-run; t_exit 2
}

test_new_force_refuses_links() {
	mkdir proj outside; echo mine >proj/mine.txt; ln -s ../outside proj/src
	bkn order-hub --lang mini --set owner=team --dir proj --force; t_exit 2
	t_contains err "symbolic link"
	t_eq "$(ls -A outside)" "" "nothing written through the link"
	t_eq "$(ls -A proj | tr '\n' ' ')" "mine.txt src " "target untouched"
}

# A copy of mini to break in a test.
copy_mini() { mkdir -p tpl && cp -a "$TPL/mini" "$TPL/contract.yaml" tpl/; }

test_new_template_symlink_refused() {
	copy_mini; ln -s /etc tpl/mini/etc
	mkdir w && cd w || return
	bk new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null; t_exit 2
	t_contains err "symbolic link"; t_contains err "tpl/mini/etc"
	t_nothing_here
}

test_new_template_dotdot_refused() {
	copy_mini; sed -i 's|^  - vendor/\*\.lock$|  - ../../secret|' tpl/mini/template.yml
	grep -q secret tpl/mini/template.yml || fail "the test did not break the manifest"
	mkdir w && cd w || return
	bk new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null; t_exit 2
	t_match err 'tpl/mini/template\.yml:[0-9]+:[0-9]+: .*leaves the template directory'
	t_nothing_here
}

test_new_malformed_manifest() {
	copy_mini; sed -i 's/^next-steps:/next_steps:/' tpl/mini/template.yml
	mkdir w && cd w || return
	bk new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null; t_exit 2
	t_match err "tpl/mini/template\.yml:[0-9]+:1: unknown key 'next_steps'"
	printf 'name: [\n' >../tpl/mini/template.yml
	bk new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null; t_exit 2
	t_match err 'tpl/mini/template\.yml:[0-9]+:[0-9]+: invalid YAML'
	bk new --list --template-dir ../tpl </dev/null; t_exit 2; t_contains err "invalid YAML"
	t_nothing_here
}

test_new_unbalanced_marker() {
	copy_mini; printf '# bkgen:if docker\nunclosed\n' >>tpl/mini/Dockerfile
	mkdir w && cd w || return
	bk new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null; t_exit 2
	t_match err 'tpl/mini/Dockerfile:4:3: .*never closed'
	t_nothing_here
}

test_new_missing_values_without_terminal() {
	bkn order-hub --lang mini; t_exit 2
	t_contains err "owner"; t_contains err "--set owner=VALUE"; t_contains err "not a terminal"
	bkn --lang mini --set owner=team; t_exit 2; t_contains err "NAME"
	bkn order-hub; t_exit 2; t_contains err "--lang"; t_contains err "mini"
	t_nothing_here
}

test_new_bad_option_values() {
	bkn order-hub --lang mini --set owner=team --set port=0; t_exit 2; t_contains err "out of range"
	bkn order-hub --lang mini --set owner=Team; t_exit 2; t_contains err "does not match"
	bkn order-hub --lang mini --set owner=team --set db=mysql; t_exit 2; t_contains err "postgres, sqlite"
	bkn order-hub --lang mini --set owner=team --set dockr=no; t_exit 2; t_contains err "did you mean 'docker'"
	bkn order-hub --lang mini --set owner; t_exit 2; t_contains err "KEY=VALUE"
	t_nothing_here
}

test_new_runtime_failure_is_3() {
	[ "$(id -u)" != 0 ] || skip "root ignores directory permissions"
	mkdir ro && chmod 555 ro
	bkn order-hub --lang mini --set owner=team --dir ro/x; t_exit 3
	t_eq "$(ls -A ro)" "" "nothing left in ro"
}

test_new_interrupt_cleans_up() {
	# A template big enough that the signal arrives mid-render.
	copy_mini; mkdir -p tpl/mini/many
	for i in $(seq 1 3000); do echo "acme-payments $i" >"tpl/mini/many/f$i.txt"; done
	mkdir w && cd w || return
	"$BKGEN" new order-hub --lang mini --template-dir ../tpl --set owner=team </dev/null >/dev/null 2>"$ERR" &
	local pid=$! i
	for i in $(seq 1 200); do
		ls -A | grep -q . && break
		sleep 0.01
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"; RC=$?
	LAST="bkgen new (SIGTERM)"
	if [ "$RC" = 0 ]; then
		echo "  (the render finished before the signal)" >&2
		t_eq "$(ls -A)" "order-hub" "finished before the signal: one complete project"
		t_eq "$(find order-hub/many -type f | wc -l | tr -d ' ')" 3000 "complete render"
	else
		t_eq "$RC" 143 "killed by SIGTERM"
		t_nothing_here
	fi
}

# ---- the real templates ----

test_new_c_template() {
	[ -f "$SRCDIR/templates/c/template.yml" ] || skip "no templates/c yet"
	bk new demo --lang c --dir out --no-git --template-dir "$SRCDIR/templates" </dev/null; t_exit 0
	[ -f out/.bkgen/answers.yml ] || fail "no answers file"
	local left; left=$(grep -rlE '^[[:space:]]*(#|//|--|<!--|/\*) ?bkgen:(if|endif)' out)
	[ -z "$left" ] || fail "markers left in: $left"
}

run_all "${1:-}"
