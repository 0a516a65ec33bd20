# The command line on PostgreSQL: open, log, metric, escalate, status,
# timeline, list, verify (and tampering seen by it); exit codes as on
# SQLite; a database that cannot be reached is exit 4, its password never
# shown.
. "$SITREP_TOP/tests/e2e/pg_lib.sh"
url=$(pg_newdb cli) || fail "no database"
export SITREP_DB="$url"

id=$(S open --plan hotline-outage "核心交换机故障 on PostgreSQL") || fail "open"
[ "$id" = 1 ] || fail "open printed '$id'"
expect_code 0 S log "$id" "first note"
expect_code 0 S metric "$id" cpu_pct=40 availability_pct=99.5
expect_code 0 S escalate "$id" --reason "core switch down"
expect_code 0 S status "$id" --json
expect_out '"title":"核心交换机故障 on PostgreSQL"'
expect_out '"state":"response"'
expect_out '"level":"III"'
expect_out '"name":"cpu_pct"'
expect_code 0 S status "$id"
expect_out "核心交换机故障"
# refused by the plan's rules: exit 1, and journaled
expect_code 1 S downgrade "$id" --reason "below the lowest level"
expect_code 0 S timeline "$id"
expect_out "core switch down"
expect_out "first note"
expect_code 0 S timeline "$id" --format csv
expect_out "cpu_pct=40"
expect_code 0 S list
expect_out "核心交换机故障"
expect_code 0 S verify
expect_code 0 S verify "$id"
expect_code 2 S verify 99
expect_code 2 S status 99

# --db over SITREP_DB, and the postgres:// spelling
other=$(pg_newdb other) || fail "no database"
id2=$(S --db "$other" open --plan power-outage "second database") || fail "open --db"
[ "$id2" = 1 ] || fail "--db open printed '$id2'"
expect_code 0 S --db "$(printf '%s' "$other" | sed 's#^postgresql://#postgres://#')" status 1
expect_out "second database"
expect_code 0 S status "$id"
expect_no_out "second database"

# a head kept from a timeline anchors the chain
printed=$(S timeline "$id" | sed -n 's/^head \([0-9a-f]*\)$/\1/p')
[ ${#printed} = 64 ] || fail "timeline prints no head"
expect_code 0 S verify "$id" --head "$printed"
expect_code 0 S log "$id" "after the export"
expect_code 0 S verify "$id" --head "$printed"

# the guards: an UPDATE is refused by the database itself
if PSQL "$url" -c "UPDATE entries SET kind = 'x'" >/dev/null 2>&1; then
	fail "an UPDATE of entries was allowed"
fi
# someone who gets round them (drops the guards) is caught by verify
PSQL "$url" -c "ALTER TABLE entries DISABLE TRIGGER USER" \
	-c "UPDATE entries SET payload = '{\"text\":\"edited\"}' WHERE id = (SELECT max(id) FROM entries WHERE incident = $id)" \
	>/dev/null || fail "tamper"
expect_code 5 S verify "$id"
expect_code 5 S verify

# a server that cannot be reached: exit 4, saying so, without the password
expect_code 4 S --db 'postgresql://sitrep:secret@/nodb?host=/nonexistent/sitrep-e2e' list
expect_out "unable to connect"
expect_no_out "secret"
exit 0
