# Issue 9 #18: `sitrep demo` writes a database of its own. The user's journal
# (SITREP_DB, or the global --db) is left byte-for-byte alone and its stats
# do not change; the demo goes beside it (demo.db) or to demo --db PATH; a
# second demo into the same demo database is refused; the demo runs clean.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need sqlite3
mkdir -p "$TMPDIR_E2E/real"
export SITREP_DB="$TMPDIR_E2E/real/sitrep.db"
id=$(S open --plan hotline-outage "a real incident") || fail "open"
expect_code 0 S log "$id" "real work"
expect_code 0 S stats
stats_before=$OUT
expect_code 0 S list --all
list_before=$OUT
fingerprint() { sqlite3 "$1" "SELECT count(*), coalesce(max(id), 0) FROM entries; SELECT count(*), group_concat(title, '|') FROM incidents;"; }
fp_before=$(fingerprint "$SITREP_DB") || fail "sqlite3"

# 1. demo with SITREP_DB set: the demo database is not the user's
demo_out=$(S demo 2>&1); demo_rc=$?
[ "$(fingerprint "$SITREP_DB")" = "$fp_before" ] || fail "demo wrote into the user's database $SITREP_DB: $(fingerprint "$SITREP_DB")"
expect_code 0 S stats
[ "$OUT" = "$stats_before" ] || fail "stats of the real database changed after demo:
$OUT
--- before:
$stats_before"
expect_code 0 S list --all
[ "$OUT" = "$list_before" ] || fail "list --all of the real database changed after demo: $OUT"
demo_db="$TMPDIR_E2E/real/demo.db"
[ -f "$demo_db" ] || fail "no demo database beside the journal ($demo_db): $(ls "$TMPDIR_E2E/real")"
n=$(sqlite3 "$demo_db" "SELECT count(*) FROM incidents") || fail "sqlite3 on $demo_db"
[ "$n" -ge 1 ] || fail "the demo database holds no incident"

# 2. a second demo into the same demo database is refused, changing nothing
fp_demo=$(fingerprint "$demo_db")
OUT=$(S demo 2>&1); rc=$?
[ $rc != 0 ] || fail "a second demo into $demo_db was accepted: $OUT"
expect_out "already"
[ "$(fingerprint "$demo_db")" = "$fp_demo" ] || fail "the refused second demo changed the demo database"
[ "$(fingerprint "$SITREP_DB")" = "$fp_before" ] || fail "the second demo wrote into the user's database"

# 3. demo --db PATH, with the user's journal named by the global --db
unset SITREP_DB
real="$TMPDIR_E2E/real/sitrep.db"
out3=$(S --db "$real" demo --db "$TMPDIR_E2E/elsewhere.db" 2>&1); rc3=$?
[ "$(fingerprint "$real")" = "$fp_before" ] || fail "demo --db wrote into the --db database"
[ -f "$TMPDIR_E2E/elsewhere.db" ] || fail "demo --db PATH did not write PATH: $out3"
expect_code 0 S --db "$TMPDIR_E2E/elsewhere.db" list --all
expect_out "hotline-outage"

# 4. the demo itself runs clean (exit 0), and says how to open its database
[ $demo_rc = 0 ] || fail "sitrep demo exited $demo_rc: $demo_out"
[ $rc3 = 0 ] || fail "sitrep demo --db exited $rc3: $out3"
OUT=$out3
expect_out "elsewhere.db"
exit 0
