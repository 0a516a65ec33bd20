# Backfill (--at in the past) rules, and state derived from the checkpoint
# equals the state replayed in full (SITREP_NO_CHECKPOINT=1).
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-03-03T09:00:00Z
id=$(S open --plan hotline-outage --at 2026-03-03T08:00:00Z "backfill 回填") || fail "open"

# --at: in the future -> usage; malformed -> usage
expect_code 2 S log "$id" --at 2026-03-03T09:00:01Z "later"
expect_out "--at is in the future"
expect_code 2 S log "$id" --at yesterday "x"
expect_code 2 S open --plan hotline-outage --at 2026-03-04T00:00:00Z "future open"
# 'now' is accepted; offsets too
expect_code 0 S log "$id" --at now "now"
expect_code 0 S log "$id" --at 2026-03-03T16:05:00+08:00 "at 08:05Z with an offset"

# a state change at 08:30, recorded late
expect_code 0 S escalate "$id" --at 2026-03-03T08:30:00Z --reason "recorded late"
# state-changing actions cannot go before it
expect_code 1 S warn "$id" blue --at 2026-03-03T08:20:00Z --reason "too early"
expect_out "refused by rule 'backfill'"
expect_code 1 S escalate "$id" --at 2026-03-03T08:29:59Z --reason "too early"
expect_out "refused by rule 'backfill'"
# ... but at or after it they may
expect_code 0 S escalate "$id" --at 2026-03-03T08:30:00Z --reason "same second"
# metrics, log, attest, done, assess may be backfilled anywhere after the open
expect_code 0 S log "$id" --at 2026-03-03T08:10:00Z "remembered later"
expect_code 0 S metric "$id" queue_min=9 --at 2026-03-03T08:01:00Z
expect_code 0 S metric "$id" queue_min=9.5 --at 2026-03-03T08:40:00Z
expect_code 0 S done "$id" verify_report --at 2026-03-03T08:04:00Z --note "on time"
expect_code 0 S attest "$id" system_safe --at 2026-03-03T08:15:00Z
expect_code 0 S assess "$id" --at 2026-03-03T08:12:00Z --scope single_node --recovery 2h --criticality general --risk none
# ... but not before the open
expect_code 1 S metric "$id" queue_min=3 --at 2026-03-03T07:59:00Z
expect_out "refused by rule 'backfill'"
expect_code 1 S log "$id" --at 2026-03-03T07:00:00Z "before"

# the state as of a past time
expect_code 0 S status "$id" --at 2026-03-03T08:20:00Z --json
expect_out '"state":"monitoring"'
expect_out '"at":"2026-03-03T08:20:00Z"'
expect_no_out '"id":"verify_report"'   # done at 08:04
expect_code 0 S status "$id" --at 2026-03-03T08:03:00Z --json
expect_out '"id":"verify_report"'      # still open at 08:03
expect_code 0 S status "$id" --json
expect_out '"state":"response"'
expect_out '"level":"II"'              # 08:30 into III, then the same second one step to II

# A backfilled reading inside a trigger window changes what the window saw:
# queue_min > 8 for 30 minutes. Readings 9 at 08:01 and 9.5 at 08:40 would
# hold; a 5 backfilled at 08:20 restarts the window.
expect_code 0 S metric "$id" queue_min=9.2 --at 2026-03-03T08:45:00Z
expect_code 0 S metric "$id" queue_min=5 --at 2026-03-03T08:20:00Z

# Many more actions, some backfilled, then compare both derivations.
i=0
while [ $i -lt 30 ]; do
	m=$((10 + i))
	expect_code 0 S metric "$id" complaints_pct=$((100 + i)) cpu_pct=$((60 + i)) --at "2026-03-03T08:$m:30Z"
	i=$((i + 1))
done
expect_code 0 S log "$id" --at 2026-03-03T08:50:00Z "late note"
expect_code 0 S metric "$id" complaints_pct=160 --at 2026-03-03T08:55:00Z
expect_code 0 S metric "$id" queue_min=2 --at 2026-03-03T08:02:00Z
for at in "" "--at 2026-03-03T08:21:00Z" "--at 2026-03-03T08:44:00Z" "--at 2026-03-03T08:56:00Z"; do
	# shellcheck disable=SC2086
	a=$(S status "$id" --json $at) || fail "status $at"
	# shellcheck disable=SC2086
	b=$(SITREP_NO_CHECKPOINT=1 S status "$id" --json $at) || fail "status (full replay) $at"
	[ "$a" = "$b" ] || fail "checkpoint and full replay differ $at:
$a
$b"
done
a=$(S timeline "$id" --format csv | grep -v ',export,') || fail "timeline"
b=$(SITREP_NO_CHECKPOINT=1 S timeline "$id" --format csv | grep -v ',export,') || fail "timeline"
[ "$a" = "$b" ] || fail "timelines differ"
# (snapshots are kept every 512 entries: cli_checkpoint covers them)
exit 0
