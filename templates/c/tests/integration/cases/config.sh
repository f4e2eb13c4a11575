# Configuration is validated at start-up: every problem listed, exit 2.
test_config() {
	local out rc
	out=$(env -i PATH="$PATH" PORT=abc JWT_SECRET=short DATABASE_URL=x "$BIN" serve 2>&1)
	rc=$?
	check "config: invalid environment exits 2" is "$rc" 2
	check "config: names PORT" grep -q "PORT: must be an integer" <<<"$out"
	check "config: names JWT_SECRET" grep -q "JWT_SECRET: too short" <<<"$out"
	check "config: names missing WEBHOOK_SECRET" grep -q "WEBHOOK_SECRET: required" <<<"$out"
	out=$(env -i PATH="$PATH" "$BIN" migrate 2>&1)
	check "config: migrate without DATABASE_URL exits 2" is "$?" 2
	check "config: migrate asks for DATABASE_URL only" is "$(grep -c ': required' <<<"$out")" 1

	# A migration edited after it was applied is refused.
	mkdir -p "$TMP/migrations"
	cp "$ROOT"/migrations/*.sql "$TMP/migrations/"
	echo "-- edited" >>"$TMP/migrations/0001_init.sql"
	out=$(MIGRATIONS_DIR="$TMP/migrations" "$BIN" migrate 2>&1)
	check "migrate: refuses an edited migration" grep -q "changed after it was applied" <<<"$out"
}
