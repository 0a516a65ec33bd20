# Issue 9 #8: the proposal comes back after a downgrade while the trigger
# still fires. complaints_pct=160, escalate --to I, downgrade (to II),
# complaints_pct=161: Level I is proposed again.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
id=$(A 09:00 open --plan hotline-outage "proposal after downgrade") || fail "open"
expect_code 0 A 09:01 metric "$id" complaints_pct=160
expect_code 0 A 09:02 escalate "$id" --to I --reason "nationwide"
expect_code 0 A 09:03 downgrade "$id" --reason "recovering in the south"
expect_code 0 A 09:04 metric "$id" complaints_pct=161
expect_code 0 A 09:04 status "$id" --json
[ "$(js 'd["level"]')" = II ] || fail "level $(js 'd["level"]'), want II"
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["I"]' ] ||
	fail "complaints 161 at Level II after a downgrade from I: proposals $(js 'd["proposals"]'), want Level I"
# and a decision is asked for it
[ "$(js 'len([o for o in d["obligations"] if o["id"] == "level_decision"])')" = 1 ] ||
	fail "no level_decision for the new proposal: $(js '[o["id"] for o in d["obligations"]]')"
exit 0
