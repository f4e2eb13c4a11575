#!/usr/bin/env bash
# End-to-end tests of `bkgen explain` against real PostgreSQL clusters the
# test starts itself (pg.sh): one loaded with `pgbench -i -s 1
# --foreign-keys` and tests/explain/setup.sql (an unordered 1M-row table and
# friends) for --db mode, where every plan rule case under
# tests/explain/cases/RULE/ must report RULE for bad.sql and not for its
# fixed twin good.sql; throwaway clusters started by bkgen itself; and
# clusters that are killed mid-run.
#
#   BKGEN=/abs/path/to/bkgen tests/e2e/explain.sh [PATTERN]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
BKGEN=${BKGEN:-$SRCDIR/build/bkgen}
case "$BKGEN" in /*) ;; *) BKGEN="$PWD/$BKGEN" ;; esac
[ -x "$BKGEN" ] || { echo "explain.sh: no executable bkgen at '$BKGEN' (set BKGEN)" >&2; exit 2; }
export LC_ALL=C
unset NO_COLOR BKGEN_DATABASE_URL
# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=pg.sh
. "$HERE/pg.sh"
CASES="$SRCDIR/tests/explain/cases"

# The shared, loaded cluster (started once; stopped on exit).
SHARED="$E2E_TMP/shared-pg"
mkdir -p "$SHARED"
chmod 755 "$E2E_TMP"
echo "explain.sh: starting PostgreSQL and loading pgbench + setup.sql" >&2
pgc_start "$SHARED" || { echo "explain.sh: cannot start PostgreSQL" >&2; exit 1; }
trap 'pgc_stop; chmod -R u+rwX "$E2E_TMP" 2>/dev/null; rm -rf "$E2E_TMP"' EXIT
"$PGC_BIN/pgbench" -h "$PGC_SOCK" -U postgres -i -s 1 --foreign-keys -q bench >/dev/null 2>"$SHARED/pgbench.log" ||
	{ cat "$SHARED/pgbench.log" >&2; exit 1; }
pgc_psql -f "$SRCDIR/tests/explain/setup.sql" >/dev/null || { echo "explain.sh: setup.sql failed" >&2; exit 1; }
DB=$PGC_URL
SHARED_BIN=$PGC_BIN SHARED_SOCK=$PGC_SOCK

# Options a case file asks for on its first line: "-- bkgen-explain: --analyze --set a=b".
case_opts() {
	sed -n '1s/^-- bkgen-explain://p' "$1"
}

# rules_in: the sorted, unique rule ids of the json report in $OUT.
rules_in() {
	python3 -c 'import json,sys; print(" ".join(sorted({f["rule"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$OUT"
}

run_case() {
	local rule=$1 kind=$2 file="$CASES/$1/$2.sql" got
	# shellcheck disable=SC2046
	bk explain --no-config --db "$DB" --format json --fail-on none $(case_opts "$file") "$file"
	t_exit 0
	got=" $(rules_in) "
	if [ "$kind" = bad ]; then
		[[ "$got" == *" $rule "* ]] || fail "$rule/bad.sql: expected $rule, got [$got]; $(_show err)"
	else
		[[ "$got" != *" $rule "* ]] || fail "$rule/good.sql: $rule reported on the fixed twin: $(_show out)"
	fi
}

# One test per rule case, so a failure names its rule.
for d in "$CASES"/*/; do
	r=$(basename "$d")
	eval "test_case_${r//-/_}() { run_case $r bad; run_case $r good; }"
done

test_explain_help_and_usage() {
	bk explain --help; t_exit 0; t_contains out "--analyze-writes"
	bk explain --analyze-writes --db "$DB" .; t_exit 2; t_contains err "needs --analyze"
	bk explain --set 'bad value' --db "$DB" .; t_exit 2; t_contains err "invalid --set"
	bk explain --statement-timeout nope --db "$DB" .; t_exit 2; t_contains err "invalid --statement-timeout"
	bk explain --db "$DB" --migrations m.sql .; t_exit 2; t_contains err "--migrations is for the throwaway"
	bk explain --db "$DB" no/such/dir; t_exit 2
}

test_explain_list() {
	mkdir -p src
	cat >src/repo.js <<'JS'
export async function find(pool, id) {
  const { rows } = await pool.query(
    "SELECT aid, abalance FROM pgbench_accounts WHERE aid = $1", [id]);
  return rows;
}
export async function byName(pool, table) {
  return pool.query("SELECT * FROM " + table + " WHERE x = 1");
}
JS
	cat >src/repo.py <<'PY'
def find(cur, bid):
    cur.execute("SELECT bid, bbalance FROM pgbench_branches WHERE bid = %s", (bid,))
PY
	bk explain --list --no-config src; t_exit 0
	t_match out '^src/repo.js:3:5: .*SELECT aid, abalance FROM pgbench_accounts WHERE aid = \$1'
	t_match out '^src/repo.js:7:.*dynamic'
	t_match out '^src/repo.py:2:.*WHERE bid = \$1'
	bk explain --list --no-config --format json src; t_exit 0
	t_json "s = d['statements']; assert len(s) == 3, s
assert [x['line'] for x in s] == [3, 7, 2] or sorted(x['line'] for x in s) == [2, 3, 7], s
assert any(x['dynamic'] for x in s)"
}

# Files check would skip (too large, minified, generated) are not read for SQL either.
test_explain_skips_what_check_skips() {
	printf 'const q = () => pool.query("SELECT aid FROM pgbench_accounts WHERE aid = $1", [1]);\n' >big.js
	head -c 300 /dev/zero | tr '\0' ' ' >>big.js
	printf 'max-file-size: 200\n' >.bkgen.yml
	bk explain --list --verbose big.js; t_exit 0
	t_empty out; t_contains err "big.js: oversized"
	rm .bkgen.yml
	bk explain --list big.js; t_exit 0
	t_contains out "pgbench_accounts"
}

# A file tree-sitter takes minutes over is given up after --file-timeout.
test_explain_file_timeout() {
	python3 - <<'PY'
import random
random.seed(2)
out, stack = ['package p\nvar q = db.Query("SELECT 2")\n'], []
for i in range(200000):
    stack.append(random.choice('([{')); out.append(stack[-1])
    if i % 40 == 0: out.append('\n')
while stack:
    out.append({'(': ')', '[': ']', '{': '}'}[stack.pop()])
    if len(stack) % 40 == 0: out.append('\n')
open('slow.go', 'w').write(''.join(out))
PY
	printf 'const q = () => pool.query("SELECT aid FROM pgbench_accounts");\n' >ok.js
	bk explain --list --no-config --file-timeout 0.2 slow.go ok.js; t_exit 0
	t_contains out "pgbench_accounts"; t_lacks out "SELECT 2"
	t_contains err "skipped slow.go: timeout"; t_contains err "200 ms budget (--file-timeout)"
	bk explain --list --no-config --file-timeout 0 ok.js; t_exit 2; t_contains err "--file-timeout"
}

test_explain_plugin_missing() {
	mkdir empty
	bk explain --no-config --plugin-dir empty --db "$DB" .; t_exit 3
	t_contains err "plugin 'postgres' not found"
	bk explain --no-config --plugin nosuch --db "$DB" .; t_exit 3; t_contains err "nosuch"
}

test_explain_connection_refused() {
	printf 'SELECT 1;\n' >q.sql
	bk explain --no-config --db "host=$PWD/nosock dbname=x connect_timeout=2" q.sql; t_exit 3
	t_contains err "cannot connect to the database"
}

test_explain_report_formats() {
	cp "$CASES/seq-scan-large-table/bad.sql" q.sql
	bk explain --no-config --db "$DB" q.sql; t_exit 1
	t_match out '^q.sql:[0-9]+:[0-9]+: warning: .*\[seq-scan-large-table\]'
	t_contains out "query: "; t_contains out "plan: "; t_contains out "fix: "
	bk explain --no-config --db "$DB" --format sarif q.sql; t_exit 1
	t_json "r = d['runs'][0]; assert r['tool']['driver']['name'] == 'bkgen'
ids = [x['id'] for x in r['tool']['driver']['rules']]; assert 'seq-scan-large-table' in ids and 'sql-error' in ids, ids
assert any(x['ruleId'] == 'seq-scan-large-table' for x in r['results'])"
	bk explain --no-config --db "$DB" --format github q.sql; t_exit 1
	t_match out '^::warning file=q.sql,line=[0-9]+.*title=seq-scan-large-table::'
	bk explain --no-config --db "$DB" --fail-on error q.sql; t_exit 0
	bk explain --no-config --db "$DB" --format json --output rep.json q.sql; t_exit 1
	t_json rep.json "assert d['findings'] and all('detail' in f for f in d['findings'] if f['rule'] == 'seq-scan-large-table')"
}

test_explain_refuses_multiple_statements() {
	cat >app.js <<'JS'
export const run = (db) =>
  db.query("SELECT 1; DELETE FROM pgbench_history");
JS
	bk explain --no-config --db "$DB" --format json app.js; t_exit 1
	t_json "f = [x for x in d['findings'] if x['rule'] == 'sql-error']; assert len(f) == 1, d
assert f[0]['range']['start']['line'] == 1, f
assert 'multiple commands' in f[0]['message'], f[0]['message']"
	t_eq "$(pgc_psql -c 'SELECT count(*) FROM pgbench_history')" 0 "pgbench_history rows"
}

test_explain_sql_error_points_at_code() {
	cat >q.go <<'GO'
package q

func f(db DB) {
	db.QueryRow(ctx, `SELECT nope FROM pgbench_accounts WHERE aid = $1`, 1)
}
GO
	bk explain --no-config --db "$DB" q.go; t_exit 1
	t_match out '^q.go:4:[0-9]+: error: the database refuses this statement: column "nope" does not exist'
	t_contains out "near: nope FROM"
}

test_explain_generic_plan_for_parameters() {
	printf 'SELECT abalance FROM pgbench_accounts WHERE aid = $1;\nSELECT abalance FROM pgbench_accounts WHERE abalance = $1;\n' >q.sql
	bk explain --no-config --db "$DB" --format json q.sql; t_exit 1
	t_json "f = d['findings']; assert [x['range']['start']['line'] for x in f if x['rule'] == 'seq-scan-large-table'] == [1], f"
}

test_explain_analyze_never_writes() {
	printf "DELETE FROM pgbench_tellers WHERE tid > 0;\nINSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 1, 1, now());\n" >w.sql
	bk explain --no-config --db "$DB" --analyze --fail-on none w.sql; t_exit 0
	t_eq "$(pgc_psql -c 'SELECT count(*) FROM pgbench_tellers')" 10 "tellers after --analyze"
	bk explain --no-config --db "$DB" --analyze --analyze-writes --fail-on none w.sql; t_exit 0
	t_eq "$(pgc_psql -c 'SELECT count(*) FROM pgbench_tellers')" 10 "tellers after --analyze-writes"
	t_eq "$(pgc_psql -c 'SELECT count(*) FROM pgbench_history')" 0 "history after --analyze-writes"
}

test_explain_statement_timeout() {
	printf 'SELECT pg_sleep(3);\n' >s.sql
	bk explain --no-config --db "$DB" --analyze --statement-timeout 0.2 --format json s.sql; t_exit 1
	t_json "assert any(f['rule'] == 'sql-error' and 'statement_timeout' in f['message'] for f in d['findings']), d"
}

test_explain_database_goes_away() {
	mkdir pg
	pgc_start "$PWD/pg" || { fail "cannot start a second cluster"; return; }
	for i in 1 2 3 4 5 6 7 8; do printf 'SELECT pg_sleep(0.5);\n'; done >slow.sql
	"$BKGEN" explain --no-config --db "$PGC_URL" --analyze --output rep.json slow.sql >out 2>err &
	local pid=$!
	sleep 1.2
	pgc_stop_now
	wait $pid
	RC=$? LAST="explain while the server stops"
	OUT=out ERR=err
	t_exit 3
	t_contains err "lost the database connection"
	[ ! -e rep.json ] || fail "a report was written although the run failed"
	PGC_BIN=$SHARED_BIN PGC_SOCK=$SHARED_SOCK
}

# A project with migrations, planned on a throwaway cluster bkgen starts.
write_project() {
	mkdir -p migrations src
	cat >migrations/0001_orders.sql <<'SQL'
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
SQL
	cat >src/orders.ts <<'TS'
import { Pool } from "pg";

export async function forCustomer(pool: Pool, customer: number) {
  const res = await pool.query(
    "SELECT id, status FROM orders WHERE customer_id = $1 ORDER BY id LIMIT 50",
    [customer],
  );
  return res.rows;
}

export async function one(pool: Pool, id: number) {
  return pool.query("SELECT id, status FROM orders WHERE id = $1", [id]);
}
TS
}

# No bkgen-pg-* directory or server is left behind in dir (the janitor may
# need a moment after bkgen exits).
wait_cleaned() {
	local dir=$1
	for _ in $(seq 1 100); do
		ls -d "$dir"/bkgen-pg-* >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	fail "throwaway cluster left behind: $(ls "$dir")"
}

test_explain_throwaway_finds_missing_index() {
	write_project
	mkdir tmp
	TMPDIR=$PWD/tmp bk explain --no-config --format json src; t_exit 1
	t_json "f = [x for x in d['findings'] if x['rule'] == 'no-index-for-filter']
assert len(f) == 1 and f[0]['path'] == 'src/orders.ts' and f[0]['range']['start']['line'] == 4, d
assert 'customer_id' in (f[0]['fix'] or ''), f[0]"
	wait_cleaned "$PWD/tmp"
	# The fixed twin: an index serves the filter.
	printf 'CREATE INDEX orders_customer ON orders (customer_id, id);\n' >migrations/0002_orders_customer.sql
	TMPDIR=$PWD/tmp bk explain --no-config --stats src; t_exit 0
	t_contains err "2 migrations applied"
	t_empty out
	wait_cleaned "$PWD/tmp"
}

test_explain_throwaway_migration_error() {
	write_project
	printf 'CREATE TABLE x (id int);\nALTER TABLE nope ADD COLUMN y int;\n' >migrations/0002_bad.sql
	mkdir tmp
	TMPDIR=$PWD/tmp bk explain --no-config src; t_exit 3
	t_match err 'migrations/0002_bad.sql:2:[0-9]+: the migration does not apply'
	wait_cleaned "$PWD/tmp"
}

test_explain_throwaway_ctrl_c() {
	write_project
	printf 'SELECT pg_sleep(30);\n' >src/slow.sql
	mkdir tmp
	TMPDIR=$PWD/tmp "$BKGEN" explain --no-config --analyze src >out 2>err &
	local pid=$!
	for _ in $(seq 1 100); do
		ls tmp/bkgen-pg-*/.s.PGSQL.* >/dev/null 2>&1 && break
		sleep 0.1
	done
	sleep 1
	kill -INT $pid
	wait $pid
	RC=$?
	[ "$RC" -ne 0 ] || fail "bkgen exited 0 after SIGINT"
	wait_cleaned "$PWD/tmp"
	! pgrep -f "postgres -D $PWD/tmp" >/dev/null || fail "a postgres server is still running"
}

test_explain_config_and_overrides() {
	write_project
	mkdir -p db
	mv migrations db/schema
	cat >.bkgen.yml <<'YML'
explain:
  migrations: [db/schema]
rules:
  no-index-for-filter: off
  sql-select-star: warning
YML
	mkdir tmp
	TMPDIR=$PWD/tmp bk explain --stats src; t_exit 0
	t_contains err "1 migration applied"
	bk check src; t_exit 0
	printf 'rules:\n  no-index-for-filtr: off\n' >.bkgen.yml
	bk explain src; t_exit 2; t_contains err "unknown rule 'no-index-for-filtr'"
	wait_cleaned "$PWD/tmp"
}

test_explain_templates_plan_cleanly() {
	local t
	for t in c node; do
		mkdir -p "tmp-$t"
		TMPDIR=$PWD/tmp-$t bk explain --no-config --format json --fail-on none "$SRCDIR/templates/$t"
		t_exit 0
		t_json "errs = [f for f in d['findings'] if f['rule'] == 'sql-error']; assert not errs, errs[:3]"
	done
	bk explain --no-config --list --format json "$SRCDIR/templates/node"
	t_json "assert len([s for s in d['statements'] if not s['dynamic']]) >= 5, len(d['statements'])"
}

run_all "${1:-}"
