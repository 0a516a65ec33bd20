# Plan scenarios: every file in plans/scenarios/ passes under `simulate` (its
# plan named on a "# plan: NAME" line); a wrong expectation fails with exit 1
# naming its file and line; a malformed step is a usage error (exit 2).
. "$SITREP_TOP/tests/e2e/lib.sh"

n=0
for f in "$SITREP_TOP"/plans/scenarios/*.scn; do
	plan=$(sed -n 's/^# plan: *//p' "$f" | head -n 1)
	[ -n "$plan" ] || fail "$f has no '# plan: NAME' line"
	expect_code 0 S simulate "$plan" "$f"
	expect_out "ok: every expectation held"
	n=$((n+1))
done
[ $n -ge 3 ] || fail "expected at least 3 scenarios, found $n"

# the DDoS scenario reaches level I and comes back to termination
expect_code 0 S simulate hotline-outage "$SITREP_TOP/plans/scenarios/hotline-ddos.scn"
expect_out "escalated II → I"
expect_out "terminated"
# simulate works on an in-memory journal: no database file appears
[ ! -e "$SITREP_DB" ] || fail "simulate created $SITREP_DB"

# a deliberately wrong expectation: exit 1 with file:line
src="$SITREP_TOP/plans/scenarios/hotline-blip.scn"
line=$(grep -n 'expect state=warning warning=blue' "$src" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || fail "cannot find the line to break in $src"
sed "${line}s/warning=blue/warning=yellow/" "$src" > wrong.scn
expect_code 1 S simulate hotline-outage wrong.scn
expect_out "wrong.scn:$line:"
expect_out "expected warning=yellow, got blue"
expect_no_out "every expectation held"

# an action the plan refuses, not announced with `expect refused`: exit 1 and its line
printf '+0m open x\n+1m escalate --to I --reason a\n+2m escalate --reason b\n' > refused.scn
expect_code 1 S simulate hotline-outage refused.scn
expect_out "refused.scn:3:"
# `expect refused` of an action that is done: exit 1
printf '+0m open x\n+1m expect refused escalate --reason a\n' > notrefused.scn
expect_code 1 S simulate hotline-outage notrefused.scn
expect_out "notrefused.scn:2:"
# a rule name that does not match
printf '+0m open x\n+1m expect refused:roles terminate --reason a\n' > rule.scn
expect_code 1 S simulate hotline-outage rule.scn
expect_out "rule 'termination', expected rule 'roles'"

# malformed steps: usage errors naming the line
printf '+0m open x\n+5m frobnicate\n' > bad.scn
expect_code 2 S simulate hotline-outage bad.scn
expect_out "bad.scn:2"
printf '+0m open x\n+5m log a\n+1m log b\n' > back.scn
expect_code 2 S simulate hotline-outage back.scn
expect_out "back.scn:3"
printf '+0m open x\n+1m expect colour=blue\n' > key.scn
expect_code 2 S simulate hotline-outage key.scn
expect_out "unknown expectation 'colour'"
expect_code 2 S simulate hotline-outage no-such-file.scn
expect_code 3 S simulate no-such-plan "$src"
# columns count from 1, as everywhere else
expect_code 2 S simulate hotline-outage bad.scn
expect_out "bad.scn:2:1: "
expect_no_out ":0:"

# a scenario by name: the plans folder's scenarios/ subfolder
expect_code 0 S simulate hotline-outage hotline-ddos
expect_out "plans/scenarios/hotline-ddos.scn"
expect_out "ok: every expectation held"
expect_code 0 S simulate hotline-outage hotline-blip.scn
expect_code 0 S --plans "$SITREP_TOP/plans" simulate power-outage power-outage
# a file in the working folder comes first
cp "$src" hotline-ddos
sed -i "${line}s/warning=blue/warning=yellow/" hotline-ddos
expect_code 1 S simulate hotline-outage hotline-ddos
expect_out "hotline-ddos:$line:"
rm -f hotline-ddos
# a missing name is still a usage error naming it
expect_code 2 S simulate hotline-outage no-such-scenario
expect_out "sitrep: cannot open scenario 'no-such-scenario'"
# an unknown plan is a plan error even when the scenario is missing too
expect_code 3 S simulate no-such-plan no-such-scenario
expect_out "no-such-plan"
expect_code 3 S simulate no-such-plan hotline-ddos
exit 0
