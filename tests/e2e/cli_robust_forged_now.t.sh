# Issue 14 #5: SITREP_NOW cannot put a future recorded_at (or occurred_at)
# e2e: sqlite only (moves this machine's clock, which PostgreSQL does not use)
# in the journal. SITREP_NOW=2099-... is refused as a usage error or
# ignored; either way the journal (read with sqlite3) holds no time after
# the real clock, and real-time commands afterwards are not refused.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need sqlite3
F=2099-06-01T00:00:00Z
run() { OUT=$(SITREP_NOW=$F "$SITREP_BIN" "$@" 2>&1); rc=$?; case $rc in 0 | 2) ;; *) fail "SITREP_NOW=$F sitrep $*: exit $rc: $OUT" ;; esac; }
run open --plan hotline-outage "from the future"
if [ $rc = 0 ]; then id=$OUT; else id=$(S open --plan hotline-outage "now") || fail "open"; fi
run log "$id" "a note from 2099"
run metric "$id" queue_min=9
run warn "$id" blue --reason "from 2099"
run escalate "$id" --reason "from 2099"
run task "$id" "due from 2099" --due 30m
# --at in the future stays a usage error
expect_code 2 S log "$id" --at "$F" "at 2099"
real=$(date -u +%s)
bad=$(sqlite3 "$SITREP_DB" "SELECT count(*) FROM entries WHERE recorded_at > $real + 60 OR occurred_at > $real + 60") || fail "sqlite3"
[ "$bad" = 0 ] || fail "$bad entries carry a time after the real clock: $(sqlite3 "$SITREP_DB" "SELECT id, kind, datetime(recorded_at, 'unixepoch'), datetime(occurred_at, 'unixepoch') FROM entries WHERE recorded_at > $real + 60 OR occurred_at > $real + 60")"
bad=$(sqlite3 "$SITREP_DB" "SELECT count(*) FROM incidents WHERE created_at > $real + 60") || fail "sqlite3"
[ "$bad" = 0 ] || fail "an incident was created in the future"
# real-time work goes on: nothing is refused as 'clock' or 'backfill'
expect_code 0 S log "$id" "a note now"
expect_code 0 S metric "$id" queue_min=3
expect_code 0 S status "$id" --json
expect_code 0 S verify
exit 0
