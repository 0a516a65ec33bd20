# Issue 9 #2: one reading followed by silence never sustains a window
# (DESIGN.md "Readings and windows"). On the shipped hotline plan:
# - one availability_pct=99.95, then 72 h of silence: stable_72h does not
#   hold and terminate is refused naming it;
# - readings every 10 min for 72 h: stable_72h holds;
# - queue_min logged by hand every 10 min sustains the 30-min window (blue);
# - one cpu_pct=91 does not raise the blue warning 10 minutes later (the
#   plan's stale_after for a monitoring feed read every minute);
# - status --json metrics: [{name, value, at, stale}], stale after stale_after.
# And the mechanism on a fixture plan with its own stale_after (cpu 3m).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_NOW=2026-11-08T00:00:00Z   # later commands use A or their own

# --- one reading, then 72 h of silence
DAY=2026-11-01
id=$(A 00:00 open --plan hotline-outage "one reading") || fail "open"
expect_code 0 A 00:00 escalate "$id" --reason "outage"
expect_code 0 A 00:01 metric "$id" availability_pct=99.95 complaints_pct=80
for c in no_secondary_risk_reports system_safe; do # resources_withdrawn: the ledger
	expect_code 0 A 00:02 attest "$id" "$c"
done
DAY=2026-11-04
expect_code 0 A 01:00 status "$id" --json
[ "$(js '[c["met"] for c in d["termination"] if c["id"] == "stable_72h"][0]')" = false ] ||
	fail "one availability reading and 72 h of silence satisfies stable_72h"
# metrics: an array of {name, value, at, stale}; both readings are stale now
[ "$(js 'sorted(m["name"] for m in d["metrics"])')" = '["availability_pct", "complaints_pct"]' ] ||
	fail "metrics: $(js 'd["metrics"]')"
[ "$(js '[m["value"] for m in d["metrics"] if m["name"] == "availability_pct"][0]')" = 99.95 ] || fail "metrics value: $(js 'd["metrics"]')"
[ "$(js '[m["at"] for m in d["metrics"] if m["name"] == "availability_pct"][0]')" = 2026-11-01T00:01:00Z ] || fail "metrics at: $(js 'd["metrics"]')"
[ "$(js 'all(m["stale"] is True for m in d["metrics"])')" = true ] || fail "readings 73 h old are not stale: $(js 'd["metrics"]')"
expect_code 1 A 01:00 terminate "$id" --reason "72 hours of silence"
expect_out "stable_72h"

# --- readings every 10 minutes for 73 hours (one CSV import)
python3 - > "$TMPDIR_E2E/every10.csv" <<'PY'
import datetime
t = datetime.datetime(2026, 11, 1, 0, 0, 0)
print("time,name,value")
for i in range(0, 73 * 6 + 1):
    s = (t + datetime.timedelta(minutes=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{s},availability_pct,99.95")
PY
DAY=2026-11-01
id2=$(A 00:00 open --plan hotline-outage "every 10 minutes") || fail "open"
expect_code 0 A 00:00 escalate "$id2" --reason "outage"
DAY=2026-11-04
expect_code 0 A 01:00 metric "$id2" --csv "$TMPDIR_E2E/every10.csv"
expect_code 0 A 01:00 status "$id2" --json
[ "$(js '[c["met"] for c in d["termination"] if c["id"] == "stable_72h"][0]')" = true ] ||
	fail "readings every 10 min for 73 h do not satisfy stable_72h: $(js '[c for c in d["termination"] if c["id"] == "stable_72h"]')"
[ "$(js '[m["stale"] for m in d["metrics"] if m["name"] == "availability_pct"][0]')" = false ] || fail "the latest reading is stale: $(js 'd["metrics"]')"

# --- queue time logged by hand every 10 minutes sustains the 30-min window
DAY=2026-11-02
id3=$(A 09:00 open --plan hotline-outage "queue by hand") || fail "open"
for t in 09:00 09:10 09:20 09:30; do expect_code 0 A "$t" metric "$id3" queue_min=9; done
expect_code 0 A 09:31 status "$id3" --json
[ "$(js 'd["warning"]')" = blue ] || fail "queue_min 9 every 10 min for 30 min did not raise blue: $(js 'd["warning"]')"

# --- the mechanism, on a plan that sets stale_after (cpu_pct 3m, queue 15m)
export SITREP_PLANS="$FIXPLANS"
id5=$(A 12:00 open --plan notice-drill "fixture freshness") || fail "open"
expect_code 0 A 12:00 metric "$id5" cpu_pct=95
expect_code 0 A 12:02 status "$id5" --json
[ "$(js '[m["stale"] for m in d["metrics"] if m["name"] == "cpu_pct"][0]')" = false ] || fail "a 2-min-old reading is stale (stale_after 3m)"
expect_code 0 A 12:04 status "$id5" --json
[ "$(js '[m["stale"] for m in d["metrics"] if m["name"] == "cpu_pct"][0]')" = true ] || fail "a 4-min-old reading is not stale (stale_after 3m): $(js 'd["metrics"]')"
expect_code 0 A 12:11 status "$id5" --json
[ "$(js 'd["warning"]')" = null ] || fail "one cpu reading sustained the 10-min window with stale_after 3m"
# readings every minute do sustain it
id6=$(A 12:00 open --plan notice-drill "fixture feed") || fail "open"
m=0
while [ $m -le 10 ]; do
	expect_code 0 A "12:$(printf %02d $m)" metric "$id6" cpu_pct=95
	m=$((m + 1))
done
expect_code 0 A 12:10 status "$id6" --json
[ "$(js 'd["warning"]')" = blue ] || fail "cpu_pct 95 every minute for 10 min did not raise blue"

# --- last, the shipped plan's choice: one cpu_pct=91, then silence: no blue
# warning 10 (or 60) minutes later
export SITREP_PLANS="$SITREP_TOP/plans"
id4=$(A 10:00 open --plan hotline-outage "one cpu reading") || fail "open"
expect_code 0 A 10:00 metric "$id4" cpu_pct=91
for t in 10:11 10:30 11:00; do
	expect_code 0 A "$t" status "$id4" --json
	[ "$(js 'd["warning"]')" = null ] ||
		fail "hotline-outage: one cpu_pct=91 at 10:00 and no other reading raised the $(js 'd["warning"]') warning by $t: cpu_pct (a monitoring feed) needs a stale_after shorter than its 10-min window"
done
exit 0
