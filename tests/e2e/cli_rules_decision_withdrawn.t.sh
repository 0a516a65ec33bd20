# Issue 9 #4: a deadline started by a condition is withdrawn with it.
# Complaints 131 at 09:01 propose Level II and start level_decision (10 min);
# 95 at 09:05 clear the trigger and withdraw the proposal: at 09:20
# level_decision is not overdue (not there at all), and the timeline says it
# was withdrawn.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
id=$(A 09:00 open --plan hotline-outage "decision withdrawn") || fail "open"
expect_code 0 A 09:01 metric "$id" complaints_pct=131
expect_code 0 A 09:02 status "$id" --json
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["II"]' ] || fail "131 did not propose II: $(js 'd["proposals"]')"
[ "$(js '[o["due"] for o in d["obligations"] if o["id"] == "level_decision"]')" = '["2026-11-02T09:11:00Z"]' ] ||
	fail "level_decision not due at 09:11: $(js 'd["obligations"]')"
expect_code 0 A 09:05 metric "$id" complaints_pct=95
expect_code 0 A 09:20 status "$id" --json
[ "$(js 'd["proposals"]')" = '[]' ] || fail "the proposal stayed: $(js 'd["proposals"]')"
[ "$(js '[o for o in d["obligations"] if o["id"] == "level_decision"]')" = '[]' ] ||
	fail "level_decision outlived its proposal: $(js '[o for o in d["obligations"] if o["id"] == "level_decision"]')"
# the report does not count it as missed either
expect_code 0 A 09:20 report "$id" --format json
[ "$(js 'sum(o["missed"] + o["late"] for o in d["obligations"] if o["id"] == "level_decision")')" = 0 ] ||
	fail "the report counts a withdrawn level_decision: $(js '[o for o in d["obligations"] if o["id"] == "level_decision"]')"
# the timeline shows the withdrawal at 09:05
expect_code 0 A 09:21 timeline "$id" --format json
w=$(js '[e for r in d["rows"] if r["occurred_at"] == "2026-11-02T09:05:00Z" for e in r["effects"] if "level_decision" in e]')
case "$w" in *withdrawn*) ;; *) fail "no 'level_decision withdrawn' effect at 09:05 in the timeline: $w" ;; esac
exit 0
