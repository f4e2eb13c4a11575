#!/usr/bin/env bash
# End-to-end tests of the git workflow: `bkgen check --staged`, --changed,
# --since, --new-only, --baseline/--write-baseline, and `bkgen hook`
# (a real `git commit` blocked or let through by the installed hook).
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/git.sh [PATTERN]
#
# Same harness and output as run.sh (lib.sh). Needs bash, git and python3.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "git.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
command -v git >/dev/null || { echo "git.sh: git is needed" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_COLOR GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# A git identity and configuration of our own.
E2E_HOME="$E2E_TMP/home"
mkdir -p "$E2E_HOME"
printf '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n' >"$E2E_HOME/.gitconfig"
export HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/.config" GIT_CONFIG_NOSYSTEM=1
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EMAIL

BAD='const q = "SELECT * FROM users";'
GOOD='const q = "SELECT id FROM users";'

repo() { git init -q .; }
commit_all() { git add -A && git commit -q --no-verify -m "${1:-commit}"; }

# ---- --staged ----

test_staged_reads_the_index_not_the_work_tree() {
	repo
	printf '%s\n' "$GOOD" >a.js; printf '%s\n' "$GOOD" >b.js; commit_all
	printf '%s\n' "$BAD" >a.js; git add a.js; printf '%s\n' "$GOOD" >a.js   # staged bad, tree fixed
	printf '%s\n' "$GOOD" >b.js; printf '// x\n%s\n' "$GOOD" >b.js; git add b.js
	printf '%s\n' "$BAD" >>b.js                                           # staged clean, tree bad
	bk check --staged --format json; t_exit 1
	t_json 'assert [f["path"] for f in d["findings"]] == ["a.js"], d["findings"]'
	bk check; t_exit 1; t_contains out "b.js"; t_lacks out "a.js:"
}

test_staged_ignores_unstaged_and_untracked_files() {
	repo
	printf '%s\n' "$GOOD" >a.js; commit_all
	printf '%s\n' "$BAD" >untracked.js
	printf '%s\n' "$BAD" >a.js
	bk check --staged; t_exit 0
}

test_staged_in_a_repository_without_commits() {
	repo
	printf '%s\n' "$BAD" >a.js; printf '%s\n' "$GOOD" >b.js; git add a.js b.js
	bk check --staged --new-only --format json; t_exit 1
	t_json 'assert [f["path"] for f in d["findings"]] == ["a.js"], d["findings"]'
}

test_staged_from_a_subdirectory() {
	repo
	mkdir sub; printf '%s\n' "$BAD" >sub/a.js; git add sub/a.js
	cd sub || return
	bk check --staged; t_exit 1; t_contains out "a.js:1:"; t_lacks out "sub/a.js"
}

# ---- --changed and --since ----

test_changed_covers_staged_unstaged_and_untracked() {
	repo
	printf '%s\n' "$GOOD" >a.js; printf '%s\n' "$GOOD" >b.js; printf '%s\n' "$BAD" >old.js; commit_all
	printf '%s\n' "$BAD" >a.js; git add a.js          # staged
	printf '%s\n' "$BAD" >b.js                        # unstaged
	printf '%s\n' "$BAD" >c.js                        # untracked
	printf 'ignored.js\n' >.gitignore; printf '%s\n' "$BAD" >ignored.js
	bk check --changed --format json; t_exit 1
	t_json 'assert sorted(f["path"] for f in d["findings"]) == ["a.js", "b.js", "c.js"], d["findings"]'
}

test_changed_reads_the_work_tree() {
	repo
	printf '%s\n' "$GOOD" >a.js; commit_all
	printf '%s\n' "$BAD" >a.js; git add a.js; printf '%s\n' "$GOOD" >a.js
	bk check --changed; t_exit 0
}

test_since_a_revision() {
	repo
	printf '%s\n' "$BAD" >old.js; commit_all one
	printf '%s\n' "$BAD" >new.js; commit_all two
	printf '%s\n' "$BAD" >tree.js
	bk check --since HEAD~1 --format json; t_exit 1
	t_json 'assert sorted(f["path"] for f in d["findings"]) == ["new.js", "tree.js"], d["findings"]'
	bk check --since HEAD --format json; t_exit 1
	t_json 'assert [f["path"] for f in d["findings"]] == ["tree.js"], d["findings"]'
}

test_since_an_unknown_revision_is_a_usage_error() {
	repo
	printf '%s\n' "$GOOD" >a.js; commit_all
	bk check --since no-such-rev; t_exit 2; t_contains err "no-such-rev"
}

test_git_modes_outside_a_repository() {
	for m in --staged --changed "--since HEAD"; do
		# shellcheck disable=SC2086
		bk check $m; t_exit 2; t_contains err "not a git repository"
	done
}

test_git_modes_exclude_each_other() {
	repo
	bk check --staged --changed; t_exit 2
	bk check --new-only; t_exit 2; t_contains err "--new-only"
}

# ---- --new-only ----

test_new_only_reports_only_added_lines() {
	repo
	printf '%s\n\nfunction f() { return 1; }\n' "$BAD" >a.js; commit_all
	printf '%s\n\nfunction f() { return 1; }\nconst r = "SELECT * FROM orders";\n' "$BAD" >a.js
	git add a.js
	bk check --staged --new-only --format json; t_exit 1
	t_json 'assert [(f["path"], f["range"]["start"]["line"]) for f in d["findings"]] == [("a.js", 3)], d["findings"]'
	bk check --staged --format json; t_exit 1
	t_json 'assert len(d["findings"]) == 2, d["findings"]'
	bk check --changed --new-only --format json; t_exit 1
	t_json 'assert [f["range"]["start"]["line"] for f in d["findings"]] == [3], d["findings"]'
	git commit -q --no-verify -m two
	bk check --since HEAD~1 --new-only --format json; t_exit 1
	t_json 'assert [f["range"]["start"]["line"] for f in d["findings"]] == [3], d["findings"]'
}

test_new_only_quiet_when_only_old_lines_have_findings() {
	repo
	printf '%s\n' "$BAD" >a.js; commit_all
	printf '%s\n// a comment\n' "$BAD" >a.js; git add a.js
	bk check --staged --new-only; t_exit 0
}

# ---- the hook ----

test_hook_blocks_a_commit_with_a_finding() {
	repo
	printf '%s\n' "$GOOD" >a.js; commit_all
	bk hook install; t_exit 0
	[ -x .git/hooks/pre-commit ] || fail "the hook is not executable"
	head -1 .git/hooks/pre-commit | grep -qx '#!/bin/sh' || fail "no #!/bin/sh line"
	printf '%s\n' "$BAD" >b.js; git add b.js
	git commit -q -m bad >/dev/null 2>&1 && fail "git commit went through with a finding"
	git reset -q b.js; rm b.js
	printf '%s\n' "$GOOD" >c.js; git add c.js
	git commit -q -m good >/dev/null 2>&1 || fail "git commit of a clean file was blocked"
}

# git commit -a stages into a temporary index (GIT_INDEX_FILE) for the hook.
test_hook_sees_what_commit_a_stages() {
	repo
	printf '%s\n' "$GOOD" >a.js; commit_all
	bk hook install; t_exit 0
	printf '%s\n' "$BAD" >a.js
	git commit -q -a -m bad >/dev/null 2>&1 && fail "git commit -a went through with a finding"
	printf '%s\n' "$GOOD" >a.js; printf '// fine\n' >>a.js
	git commit -q -a -m good >/dev/null 2>&1 || fail "git commit -a of a clean change was blocked"
}

test_hook_respects_core_hooks_path() {
	repo
	git config core.hooksPath my-hooks
	bk hook install; t_exit 0
	[ -x my-hooks/pre-commit ] || fail "no hook in core.hooksPath"
	[ ! -e .git/hooks/pre-commit ] || fail "hook written to .git/hooks despite core.hooksPath"
	printf '%s\n' "$BAD" >b.js; git add b.js
	git commit -q -m bad >/dev/null 2>&1 && fail "git commit went through with a finding"
	bk hook uninstall; t_exit 0
	[ ! -e my-hooks/pre-commit ] || fail "uninstall left the hook"
}

test_hook_refuses_a_foreign_hook_without_force() {
	repo
	mkdir -p .git/hooks; printf '#!/bin/sh\nexit 0\n' >.git/hooks/pre-commit
	bk hook install; t_exit 2; t_contains err "--force"
	grep -q 'exit 0' .git/hooks/pre-commit || fail "the foreign hook was changed"
	bk hook uninstall; t_exit 2
	[ -e .git/hooks/pre-commit ] || fail "uninstall removed a foreign hook"
	bk hook install --force; t_exit 0
	grep -q 'bkgen check --staged --new-only' .git/hooks/pre-commit || fail "--force did not replace the hook"
}

test_hook_uninstall_removes_our_hook() {
	repo
	bk hook install; t_exit 0
	bk hook install; t_exit 0   # ours: rewriting it needs no --force
	bk hook uninstall; t_exit 0
	[ ! -e .git/hooks/pre-commit ] || fail "the hook is still there"
	bk hook uninstall; t_exit 0
}

test_hook_outside_a_repository() {
	bk hook install; t_exit 2; t_contains err "not a git repository"
	bk hook frobnicate; t_exit 2
}

# ---- baselines ----

test_baseline_write_then_check() {
	printf '%s\n%s\n' "$BAD" 'const x = 1;' >a.js
	bk check --write-baseline base.json; t_exit 0
	t_json base.json 'assert d["version"] == 1 and [(e["path"], e["count"]) for e in d["findings"]] == [("a.js", 1)], d'
	bk check --baseline base.json; t_exit 0
	# the known line moved and was re-indented: still known
	printf '%s\n\n\n   %s\n' 'const x = 1;' "$BAD" >a.js
	bk check --baseline base.json; t_exit 0
	# a second copy of the same line is new
	printf '%s\n%s\n' "$BAD" "$BAD" >a.js
	bk check --baseline base.json --format json; t_exit 1
	t_json 'assert len(d["findings"]) == 1, d["findings"]'
	bk check --baseline missing.json; t_exit 2
}

test_baseline_is_sorted_and_counts_duplicates() {
	printf '%s\n%s\n' "$BAD" "$BAD" >b.js
	printf '%s\n' "$BAD" >a.js
	bk check --write-baseline base.json; t_exit 0
	t_json base.json 'assert [(e["path"], e["count"]) for e in d["findings"]] == [("a.js", 1), ("b.js", 2)], d'
	ls base.json.tmp.* >/dev/null 2>&1 && fail "temporary file left behind"
	bk check --baseline base.json; t_exit 0
}

test_baseline_file_name_not_utf8() {
	# Such a name used to leave its entry without "path": every later
	# --baseline run failed.
	printf '%s\n' "$BAD" >"$(printf 'caf\351.js')"
	printf '%s\n' "$BAD" >a.js
	bk check --write-baseline base.json; t_exit 0
	t_json base.json 'assert [(e["path"], e.get("path-hex")) for e in d["findings"]] == [("a.js", None), ("caf?.js", "636166e92e6a73")], d'
	bk check --baseline base.json; t_exit 0; t_empty out
	printf '%s\n%s\n' "$BAD" "$BAD" >"$(printf 'caf\351.js')"
	bk check --baseline base.json --format json; t_exit 1
	t_json 'assert len(d["findings"]) == 1, d["findings"]'
}

run_all "${1:-}"
