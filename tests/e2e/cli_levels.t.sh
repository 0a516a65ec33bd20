# Levels and rules: escalate/downgrade boundaries, --to, refusals journaled,
# warn/lift, assess, attest, done, handover, note-review, terminate.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-03-02T10:00:00Z
id=$(S open --plan hotline-outage "levels") || fail "open"

# reasons are required
expect_code 2 S escalate "$id"
expect_out "--reason"
expect_code 2 S warn "$id" blue
expect_code 2 S warn "$id" purple --reason x
expect_code 2 S escalate "$id" --to V --reason x
expect_out "no level 'V'"

# warn by hand, then escalate one step: into the lowest level
expect_code 0 S warn "$id" blue --reason "queues growing"
expect_code 0 S status "$id" --json
expect_out '"warning":"blue"'
expect_code 0 S escalate "$id" --reason "one step"
expect_code 0 S status "$id" --json
expect_out '"state":"response"'
expect_out '"level":"III"'
# --to the level it is at: refused, exit 1, names the rule
expect_code 1 S escalate "$id" --to III --reason "again"
expect_out "refused by rule '"
expect_code 0 S escalate "$id" --reason "step"
expect_code 0 S status "$id" --json
expect_out '"level":"II"'
expect_code 0 S escalate "$id" --to I --reason "national"
expect_code 0 S status "$id" --json
expect_out '"level":"I"'
# above the most severe level: refused
expect_code 1 S escalate "$id" --reason "more"
expect_out "refused by rule '"
# downgrade to III, then below the lowest: refused
expect_code 0 S downgrade "$id" --to III --reason "recovering"
expect_code 0 S status "$id" --json
expect_out '"level":"III"'
expect_code 1 S downgrade "$id" --reason "below"
expect_out "refused by rule '"
# downgrade --to a more severe level is refused too
expect_code 1 S downgrade "$id" --to I --reason "wrong way"

# the refusals are in the journal, with their rule
expect_code 0 S timeline "$id" --format json
expect_out '"kind":"refused"'
n=$(S timeline "$id" --format csv | grep -c ',refused,') || true
[ "$n" -ge 4 ] || fail "expected at least 4 refusals in the timeline, got $n"

# assess -> a proposal from the matrix
expect_code 2 S assess "$id" --scope national --recovery 6h --criticality core
expect_code 2 S assess "$id" --scope mars --recovery 6h --criticality core --risk low
expect_out "not a value of 'scope'"
expect_code 0 S assess "$id" --scope national --recovery 24h --criticality core --risk high
expect_code 0 S status "$id" --json
expect_out '"proposals":[{"level":"I","rule":"matrix'

# attest, done, handover, note-review
expect_code 2 S attest "$id" no_such_criterion
expect_code 0 S attest "$id" system_safe --reason "checked by the tech group"
expect_code 0 S status "$id" --json
expect_out '"id":"system_safe","title":"Technical assessment confirms the system safe","kind":"attest","met":true'
expect_code 2 S done "$id" no_such_obligation
expect_code 0 S done "$id" verify_report --note "verified"
expect_code 0 S status "$id" --json
expect_no_out '"id":"verify_report"'
expect_code 2 S handover "$id" alice
expect_code 0 S handover "$id" alice --reason "shift change 交班"
expect_code 0 S status "$id" --json
expect_out '"commander":"alice"'
expect_code 0 S note-review "$id" speed "slow to verify 太慢"
expect_code 2 S note-review "$id" nonsense "x"

# terminate: refused while criteria are unmet, naming them
expect_code 2 S terminate "$id"
expect_code 1 S terminate "$id" --reason "done?"
expect_out "stable_72h"
expect_out "complaints_below_85"
expect_no_out "resources_withdrawn" # the ledger: nothing is out
expect_no_out "system_safe"

# meet every criterion: 72h of stable readings, then attest the rest. The
# readings come every 30 minutes up to the end, as the half-hourly recovery
# logs of 000 §7.2 do: a reading followed by silence sustains no window
# (issue 9 item 2: they used to come hourly and stop a day early)
t=$(date -u -d 2026-03-02T10:01:00Z +%s)
i=0
while [ $i -le 195 ]; do
	ts=$(date -u -d "@$((t + i * 1800))" +%Y-%m-%dT%H:%M:%SZ)
	echo "$ts,availability_pct,99.95"
	echo "$ts,call_success_pct,99.5"
	echo "$ts,complaints_pct,80"
	echo "$ts,queue_min,1"
	echo "$ts,cpu_pct,40"
	i=$((i + 1))
done > "$TMPDIR_E2E/stable.csv"
export SITREP_NOW=2026-03-06T12:00:00Z
expect_code 0 S metric "$id" --csv "$TMPDIR_E2E/stable.csv"
expect_code 0 S attest "$id" no_secondary_risk_reports --reason "none"
# resources_withdrawn is the resources ledger: nothing deployed, it holds
expect_code 1 S attest "$id" resources_withdrawn --reason "all back"
expect_out "resources ledger"
expect_code 0 S status "$id" --json
expect_code 0 S terminate "$id" --reason "all criteria hold 全部满足"
expect_code 0 S status "$id" --json
expect_out '"state":"terminated"'
# terminated incidents leave the default list
expect_code 0 S list
expect_no_out "levels"
expect_code 0 S list --all
expect_out "levels"
# nothing more after termination
expect_code 1 S escalate "$id" --reason "after the end"
exit 0
