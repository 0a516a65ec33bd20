# Issue 9 #5: a regional outage with 4 h to recover is Level II (source 000
# §1.2 "regional service interruption" is Level II, and its East China
# example: regional, 4 h, Level II), on the shipped hotline plan. Fails until
# the plan's matrix says so; the single-node case stays III.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
id=$(A 09:00 open --plan hotline-outage "regional 4h") || fail "open"
expect_code 0 A 09:01 assess "$id" --scope regional --recovery 4h --criticality general --risk none
expect_code 0 A 09:01 status "$id" --json
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["II"]' ] ||
	fail "assess --scope regional --recovery 4h --criticality general --risk none proposes $(js '[p["level"] for p in d["proposals"]]'), want [\"II\"] (000 §1.2: regional interruption is Level II)"
# a single node repaired within 2 h stays Level III (§1.2)
id2=$(A 09:00 open --plan hotline-outage "single node 1h") || fail "open"
expect_code 0 A 09:01 assess "$id2" --scope single_node --recovery 1h --criticality general --risk none
expect_code 0 A 09:01 status "$id2" --json
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["III"]' ] || fail "single node, 1 h: $(js 'd["proposals"]'), want III"
# nationwide is Level I
id3=$(A 09:00 open --plan hotline-outage "national") || fail "open"
expect_code 0 A 09:01 assess "$id3" --scope national --recovery 2h --criticality general --risk none
expect_code 0 A 09:01 status "$id3" --json
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["I"]' ] || fail "national: $(js 'd["proposals"]'), want I"
exit 0
