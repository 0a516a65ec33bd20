# Issue 9 #7: `accept` takes the most severe pending proposal, or --level.
# complaints_pct=160 proposes II (peak) and I (over +50%): proposals are
# listed most severe first; `accept ID` goes to I, `accept ID --level II`
# to II (and I stays pending). No proposal, or one not pending: exit 1;
# a level the plan does not have: exit 2.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
id=$(A 09:00 open --plan hotline-outage "accept the most severe") || fail "open"
expect_code 0 A 09:01 metric "$id" complaints_pct=160
expect_code 0 A 09:01 status "$id" --json
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["I", "II"]' ] || fail "proposals not I then II: $(js 'd["proposals"]')"
expect_code 0 A 09:02 accept "$id"
expect_code 0 A 09:02 status "$id" --json
[ "$(js 'd["level"]')" = I ] || fail "accept without --level went to $(js 'd["level"]'), want I"
[ "$(js 'd["proposals"]')" = '[]' ] || fail "proposals left after reaching I: $(js 'd["proposals"]')"

id2=$(A 09:00 open --plan hotline-outage "accept II") || fail "open"
expect_code 0 A 09:01 metric "$id2" complaints_pct=160
expect_code 0 A 09:02 accept "$id2" --level II --reason "regional only"
expect_code 0 A 09:02 status "$id2" --json
[ "$(js 'd["level"]')" = II ] || fail "accept --level II went to $(js 'd["level"]')"
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["I"]' ] || fail "Level I is no longer pending: $(js 'd["proposals"]')"
# the timeline says a proposal was accepted
expect_code 0 A 09:03 timeline "$id2"
expect_out "regional only"
expect_code 1 A 09:03 accept "$id2" --level III
expect_code 2 A 09:03 accept "$id2" --level IX
id3=$(A 09:00 open --plan hotline-outage "nothing to accept") || fail "open"
expect_code 1 A 09:03 accept "$id3"
exit 0
