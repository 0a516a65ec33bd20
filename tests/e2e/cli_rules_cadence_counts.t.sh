# Issue 9 #3: cadence compliance counts every instance that fell due.
# tech_report (every 30 min in a response) done at 09:29 and 09:58, then
# nothing until 13:00: the due times 10:28, 10:58, 11:28, 11:58 and 12:28
# passed with no report (five missed; the one due 12:58 is open or missed).
# report --format json: obligations: [{id, kept, late, missed}].
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
id=$(A 09:00 open --plan hotline-outage "cadence counts") || fail "open"
expect_code 0 A 09:00 escalate "$id" --reason "response from 09:00"
expect_code 0 A 09:29 "done" "$id" tech_report --note "first report"
expect_code 0 A 09:58 "done" "$id" tech_report --note "second report"
# the state agrees: by 13:00 the eighth instance (due 12:58) is open
expect_code 0 A 13:00 status "$id" --json
[ "$(js '[o["due"] for o in d["obligations"] if o["id"] == "tech_report"]')" = '["2026-11-02T12:58:00Z"]' ] ||
	fail "status: tech_report $(js '[o for o in d["obligations"] if o["id"] == "tech_report"]')"

expect_code 0 A 13:00 report "$id" --format json
[ "$(js 'isinstance(d["obligations"], list)')" = true ] || fail "report obligations is not an array"
row=$(js '[o for o in d["obligations"] if o["id"] == "tech_report"][0]')
for k in kept late missed; do
	[ "$(js "'$k' in [o for o in d['obligations'] if o['id'] == 'tech_report'][0]")" = true ] || fail "tech_report row lacks $k: $row"
done
kept=$(js '[o["kept"] for o in d["obligations"] if o["id"] == "tech_report"][0]')
late=$(js '[o["late"] for o in d["obligations"] if o["id"] == "tech_report"][0]')
missed=$(js '[o["missed"] for o in d["obligations"] if o["id"] == "tech_report"][0]')
[ "$kept" = 2 ] || fail "tech_report kept $kept, want 2: $row"
[ "$late" = 0 ] || fail "tech_report late $late, want 0: $row"
[ "$missed" -ge 5 ] && [ "$missed" -le 6 ] ||
	fail "tech_report missed $missed by 13:00, want 5 (10:28 .. 12:28; 6 if the 12:58 one counts): $row"
# every other half-hourly cadence of the response, never done: 7 or 8 missed
for o in onsite_monitoring_log recovery_log internal_progress external_updates; do
	m=$(js "[o['missed'] for o in d['obligations'] if o['id'] == '$o'][0]")
	[ "$m" -ge 7 ] || fail "$o, every 30 min from 09:00 and never done, missed $m by 13:00: $(js "[o for o in d['obligations'] if o['id'] == '$o']")"
done
exit 0
