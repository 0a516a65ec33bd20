# Storage and integrity: read-only database (exit 4), verify detects
# e2e: sqlite only (file modes, folders and locks of the database file)
# tampering (exit 5), verify --head catches a cut-off tail.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "storage") || fail "open"
expect_code 0 S log "$id" "one"
expect_code 0 S metric "$id" queue_min=3
expect_code 0 S log "$id" "three"
expect_code 0 S verify
expect_code 0 S verify "$id"
expect_code 2 S verify 99
head=$(S status "$id" --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p')
[ ${#head} = 64 ] || fail "no head hash in status --json"
expect_code 0 S verify "$id" --head "$head"
expect_code 5 S verify "$id" --head 0000000000000000000000000000000000000000000000000000000000000000
# the head an export prints anchors the chain: the export's own entry and
# later ones are appended after it, and it still verifies
printed=$(S timeline "$id" | sed -n 's/^head \([0-9a-f]*\)$/\1/p')
[ ${#printed} = 64 ] || fail "timeline prints no head"
expect_code 0 S verify "$id" --head "$printed"
expect_code 0 S log "$id" "after the export"
expect_code 0 S verify "$id" --head "$printed"

# An unwritable database: exit 4 with a message that says so. Root ignores
# file modes, so as root make the file immutable (chattr +i) when the file
# system allows it; otherwise the assertion is skipped.
ro_db="$TMPDIR_E2E/ro/ro.db"
mkdir -p "$TMPDIR_E2E/ro"
rid=$(S --db "$ro_db" open --plan hotline-outage "read-only") || fail "open ro"
made_ro=0
if [ "$(id -u)" = 0 ]; then
	if chattr +i "$ro_db" 2>/dev/null; then
		made_ro=1
		trap 'chattr -i "$ro_db" 2>/dev/null' EXIT
	fi
else
	chmod 0444 "$ro_db" && made_ro=1
fi
if [ $made_ro = 1 ]; then
	expect_code 4 S --db "$ro_db" log "$rid" "cannot be written"
	expect_out "read-only"
	expect_no_out "database is locked"
	expect_code 4 S --db "$ro_db" escalate "$rid" --reason "x"
	expect_out "read-only"
	# reads still work
	expect_code 0 S --db "$ro_db" status "$rid" --json
	expect_out '"state":"monitoring"'
	expect_code 0 S --db "$ro_db" timeline "$rid"
	expect_code 0 S --db "$ro_db" verify
	[ "$(id -u)" = 0 ] && chattr -i "$ro_db"
else
	echo "skip: cannot make a database read-only for root here (no chattr)" >&2
fi

# A database path that cannot be created: exit 4
expect_code 4 S --db /proc/sitrep-no/x.db list

# Tampering, with the sqlite3 tool (needs the sqlite3 package).
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "skip: sqlite3 not installed, tampering checks skipped" >&2
	exit 0
fi
head=$(S status "$id" --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p')
cp "$SITREP_DB" "$TMPDIR_E2E/orig.db"
sqlite3 "$SITREP_DB" "DROP TRIGGER entries_no_update; UPDATE entries SET payload = json_set(payload, '\$.text', 'forged') WHERE incident = $id AND kind = 'log' AND json_extract(payload, '\$.text') = 'one';" || fail "tamper"
expect_code 5 S verify "$id"
expect_code 5 S verify
# a deleted entry
cp "$TMPDIR_E2E/orig.db" "$SITREP_DB"
rm -f "$SITREP_DB-wal" "$SITREP_DB-shm"
sqlite3 "$SITREP_DB" "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE incident = $id AND kind = 'metric';" || fail "delete"
expect_code 5 S verify "$id"
# the tail cut off: only a head kept elsewhere shows it
cp "$TMPDIR_E2E/orig.db" "$SITREP_DB"
rm -f "$SITREP_DB-wal" "$SITREP_DB-shm"
# (with the checkpoint too: one that still covers the cut entry gives the
# cut away, see cli_checkpoint)
sqlite3 "$SITREP_DB" "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE id = (SELECT max(id) FROM entries WHERE incident = $id); DELETE FROM snapshots WHERE incident = $id;" || fail "cut"
expect_code 0 S verify "$id"
expect_code 5 S verify "$id" --head "$head"
expect_out "is not in the chain"
exit 0
