# Issue 9 #1: a clock behind the journal must not rewrite history.
# e2e: sqlite only (moves this machine's clock, which PostgreSQL does not use)
# Open at 11:00, escalate at 11:10 and 11:20 (the real clock, moved with
# libfaketime, so recorded_at moves too). Then:
# - the machine's clock says 11:05 (stepped back, VM restored): every write
#   says plainly that the clock is behind the journal (rule 'clock') and
#   journals nothing recorded before the newest entry;
# - the clock is right (11:25) but the action says --at 11:05: a state change
#   is refused as 'backfill' (exit 1); a note may be backfilled;
# - a reading backfilled behind a later decision leaves the decision standing.
# Nothing in the timeline is ever "not applied" (no_effect), and recorded_at
# never goes backwards.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need faketime python3 sqlite3

id=$(FT '2026-11-20 11:00:00' open --plan hotline-outage "clock behind") || fail "open at 11:00"
[ -n "$id" ] || fail "open printed no id (faketime with this build?)"
expect_code 0 FT '2026-11-20 11:10:00' escalate "$id" --reason "first"
expect_code 0 FT '2026-11-20 11:20:00' escalate "$id" --reason "second"

# The clock stepped back to 11:05: a state change is refused, naming the clock
expect_code 1 FT '2026-11-20 11:05:00' escalate "$id" --reason "from a stale clock"
case "$OUT" in
*"rule 'clock'"* | *"rule 'backfill'"*) ;;
*) fail "escalate with the clock behind: no 'clock' or 'backfill' rule named: $OUT" ;;
esac
expect_out "clock"
expect_code 1 FT '2026-11-20 11:05:00' downgrade "$id" --reason "from a stale clock"
# a note or a reading with the clock behind: says plainly the clock is behind
for cmd in "log $id behind" "metric $id queue_min=3"; do
	# shellcheck disable=SC2086
	OUT=$(FT '2026-11-20 11:05:00' $cmd 2>&1); rc=$?
	case "$OUT" in
	*"rule 'clock'"*) ;;
	*) fail "'$cmd' with the clock at 11:05 (journal newest 11:20) did not say the clock is behind (rc $rc): $OUT" ;;
	esac
done

# The clock is right again (11:25); --at 11:05 for a state change: backfill
expect_code 1 FT '2026-11-20 11:25:00' escalate "$id" --at 2026-11-20T11:05:00Z --reason "backfilled"
expect_out "rule 'backfill'"
expect_code 1 FT '2026-11-20 11:25:10' warn "$id" blue --at 2026-11-20T11:05:00Z --reason "backfilled"
expect_out "rule 'backfill'"
# a note may be backfilled
expect_code 0 FT '2026-11-20 11:25:20' log "$id" --at 2026-11-20T11:05:00Z "remembered later"

# The level is II (11:10 none -> III, 11:20 III -> II): nothing was rewritten
expect_code 0 FT '2026-11-20 11:26:00' status "$id" --json
[ "$(js 'd["level"]')" = II ] || fail "level after the clock games: $(js 'd["level"]'), want II"

# A reading backfilled behind a later decision does not undo the decision:
# lift a warning at 11:30, then a bad availability reading at 11:20. (A
# journal of its own: each command gets its own moment of the real clock.)
LDB="$TMPDIR_E2E/lift.db"
lid=$(FT '2026-11-20 11:00:00' --db "$LDB" open --plan hotline-outage "lift then backfill") || fail "open"
expect_code 0 FT '2026-11-20 11:00:05' --db "$LDB" warn "$lid" blue --reason "queue building"
for t in 11:00:10 11:15:00 11:30:00; do
	expect_code 0 FT "2026-11-20 $t" --db "$LDB" metric "$lid" availability_pct=99.95 call_success_pct=99 complaints_pct=90
done
expect_code 0 FT '2026-11-20 11:30:10' --db "$LDB" attest "$lid" no_secondary_risk
expect_code 0 FT '2026-11-20 11:30:20' --db "$LDB" lift "$lid" --reason "on target 30 min"
expect_code 0 FT '2026-11-20 11:40:00' --db "$LDB" metric "$lid" availability_pct=90 --at 2026-11-20T11:20:00Z
expect_code 0 FT '2026-11-20 11:41:00' --db "$LDB" status "$lid" --json
[ "$(js 'd["warning"]')" = null ] || fail "the lift did not stand after a backfilled reading: warning $(js 'd["warning"]')"

# Nothing is "not applied", in either incident
for pair in "$SITREP_DB $id" "$LDB $lid"; do
	db=${pair% *}; i=${pair##* }
	expect_code 0 FT '2026-11-20 11:45:00' --db "$db" timeline "$i" --format json
	n=$(js 'sum(1 for r in d["rows"] if r.get("no_effect"))')
	[ "$n" = 0 ] || fail "incident $i: $n timeline rows are no_effect: $(js '[r["summary"] for r in d["rows"] if r.get("no_effect")]')"
	expect_code 0 FT '2026-11-20 11:45:30' --db "$db" timeline "$i"
	expect_no_out "not applied"
done
# recorded_at never goes backwards within an incident (by id)
for db in "$SITREP_DB" "$LDB"; do
back=$(sqlite3 "$db" "SELECT count(*) FROM entries e JOIN entries p ON p.incident = e.incident AND p.id < e.id WHERE p.recorded_at > e.recorded_at") || fail "sqlite3"
[ "$back" = 0 ] || fail "$db: $back entries were recorded before an earlier entry of their incident"
expect_code 0 FT '2026-11-20 11:46:00' --db "$db" verify
done
exit 0
