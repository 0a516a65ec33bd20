# Issue 9 #9: a mistyped reading can be undone with `correct`.
# complaints_pct=1350 (meant 135) raises the yellow warning, the preparation
# deadlines and a Level I proposal. `correct ID ENTRY --reason R` voids it:
# what it caused by itself is derived anew (no yellow warning, no proposal,
# none of the deadlines it started); `correct ... complaints_pct=135`
# replaces it (yellow and Level II only); decisions people took meanwhile
# stand. A note is not a reading (exit 1); an unknown entry is exit 2.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
last_entry() { expect_code 0 A "$1" status "$2" --json; js 'd["last_entry"]'; }
caused='["level_decision", "prep_backup_check", "prep_comfort", "prep_comms_equipment", "prep_diagnosis", "prep_room_access", "warning_cap", "warning_monitoring_report"]'
started() { js "sorted(o['id'] for o in d['obligations'] if o['id'] in $caused)"; }

# --- void it
id=$(A 09:00 open --plan hotline-outage "correct: void") || fail "open"
expect_code 0 A 09:01 metric "$id" complaints_pct=1350
e=$(last_entry 09:01 "$id")
expect_code 0 A 09:02 status "$id" --json
[ "$(js 'd["warning"]')" = yellow ] || fail "1350 did not raise yellow"
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["I", "II"]' ] || fail "1350 proposals: $(js 'd["proposals"]')"
[ "$(started)" = "$caused" ] || fail "1350 started $(started)"
expect_code 0 A 09:03 correct "$id" "$e" --reason "typo: 135, not 1350"
expect_code 0 A 09:04 status "$id" --json
[ "$(js 'd["warning"]')" = null ] || fail "voided reading: the warning $(js 'd["warning"]') stayed"
[ "$(js 'd["proposals"]')" = '[]' ] || fail "voided reading: proposals stayed: $(js 'd["proposals"]')"
[ "$(started)" = '[]' ] || fail "voided reading: the deadlines it started stayed: $(started)"
[ "$(js '[m for m in d["metrics"] if m["name"] == "complaints_pct" and m["value"] == 1350]')" = '[]' ] ||
	fail "voided reading still shown in metrics: $(js 'd["metrics"]')"
# nothing edited: both entries are in the timeline, the first marked corrected
expect_code 0 A 09:05 timeline "$id" --format json
[ "$(js "[r['corrected_by'] is not None for r in d['rows'] if r['entry'] == $e][0]")" = true ] ||
	fail "the timeline does not mark entry $e as corrected"
[ "$(js '[r["kind"] for r in d["rows"] if r["entry"]].count("correct")')" = 1 ] || fail "no correct entry in the timeline"
expect_out "typo: 135, not 1350"

# --- decisions taken meanwhile stand
id3=$(A 09:00 open --plan hotline-outage "correct: decisions stand") || fail "open"
expect_code 0 A 09:00 warn "$id3" blue --reason "queue building, raised by hand"
expect_code 0 A 09:01 metric "$id3" complaints_pct=1350
e3=$(last_entry 09:01 "$id3")
expect_code 0 A 09:02 status "$id3" --json
[ "$(js 'd["warning"]')" = yellow ] || fail "1350 after blue: warning $(js 'd["warning"]')"
expect_code 0 A 09:03 correct "$id3" "$e3" --reason "typo"
expect_code 0 A 09:04 status "$id3" --json
[ "$(js 'd["warning"]')" = blue ] || fail "the blue warning raised by hand did not stand: $(js 'd["warning"]')"
id4=$(A 09:00 open --plan hotline-outage "correct: escalation stands") || fail "open"
expect_code 0 A 09:01 metric "$id4" complaints_pct=1350
e4=$(last_entry 09:01 "$id4")
expect_code 0 A 09:02 accept "$id4" --reason "Level I on the 1350 reading"
expect_code 0 A 09:03 correct "$id4" "$e4" --reason "typo"
expect_code 0 A 09:04 status "$id4" --json
[ "$(js 'd["level"]')" = I ] || fail "the escalation to I taken meanwhile did not stand: level $(js 'd["level"]')"
expect_code 0 A 09:05 timeline "$id4" --format json
[ "$(js '[r["no_effect"] for r in d["rows"] if r["kind"] == "accept" or r["kind"] == "escalate"]')" = '[false]' ] ||
	fail "the decision shows as not applied after the correction: $(js '[(r["kind"], r["no_effect"]) for r in d["rows"] if r["entry"]]')"

# --- bad corrections
expect_code 0 A 09:06 log "$id" "a note, not a reading"
n=$(last_entry 09:06 "$id")
expect_code 1 A 09:07 correct "$id" "$n" --reason "notes are not readings"
expect_out "rule 'correct'"
expect_code 2 A 09:07 correct "$id" 99999 --reason "no such entry"
expect_code 2 A 09:07 correct "$id" "$e" --reason "no such metric" nosuch=3
expect_code 2 A 09:07 correct "$id" "$e" complaints_pct=135
expect_code 2 A 09:07 correct "$id" "$e3" --reason "entry of another incident"
expect_code 0 A 09:08 verify

# --- replace it
id2=$(A 09:00 open --plan hotline-outage "correct: replace") || fail "open"
expect_code 0 A 09:01 metric "$id2" complaints_pct=1350
e2=$(last_entry 09:01 "$id2")
expect_code 0 A 09:03 correct "$id2" "$e2" --reason "typo" complaints_pct=135
expect_code 0 A 09:04 status "$id2" --json
[ "$(js 'd["warning"]')" = yellow ] || fail "replaced by 135: warning $(js 'd["warning"]'), want yellow (135 > 130)"
[ "$(js '[p["level"] for p in d["proposals"]]')" = '["II"]' ] || fail "replaced by 135: proposals $(js 'd["proposals"]'), want II only"
[ "$(js '[m["value"] for m in d["metrics"] if m["name"] == "complaints_pct"]')" = '[135]' ] ||
	fail "replaced by 135: metrics $(js 'd["metrics"]')"
expect_code 0 A 09:08 verify
exit 0
