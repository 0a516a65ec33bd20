# Issue 14 #13: smaller input faults. A scenario step `every 1s until
# +9999w` is refused quickly (bounded steps); a NUL in a scenario line is
# refused, not a cut note; a CSV value 5<NUL>garbage is refused, not read as
# 5; a CSV with a UTF-8 BOM is accepted; two readings of one metric at one
# time are refused as a usage error (CSV and the command line), nothing
# journaled.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
cd "$TMPDIR_E2E" || fail "cd"
bad=""
# scenarios
printf '+0m open a\n+1m every 1s until +9999w log tick\n' > forever.scn
t0=$(date +%s)
OUT=$(timeout 12 "$SITREP_BIN" simulate hotline-outage forever.scn 2>&1); rc=$?
t1=$(date +%s)
[ $rc = 2 ] && [ $((t1 - t0)) -lt 10 ] || bad="$bad
  every 1s until +9999w: exit $rc after $((t1 - t0)) s (124 = killed at 12 s), want 2 at once: $(printf '%s' "$OUT" | tail -n 1 | cut -c1-120)"
printf '+0m open a\n+1m log before\000after\n' > nul.scn
OUT=$("$SITREP_BIN" simulate hotline-outage nul.scn 2>&1); rc=$?
[ $rc = 2 ] || bad="$bad
  a NUL in a scenario line: exit $rc, want 2"

# CSV
export SITREP_NOW=2026-11-02T12:00:00Z
id=$(S open --plan hotline-outage --at 2026-11-02T09:00:00Z "input faults") || fail "open"
count() { expect_code 0 S status "$id" --json; js 'd["last_entry"]'; }
n0=$(count)
printf 'time,name,value\n2026-11-02T09:10:00Z,queue_min,5\000garbage\n' > nul.csv
OUT=$(S metric "$id" --csv nul.csv 2>&1); rc=$?
[ $rc = 2 ] || bad="$bad
  a CSV value 5<NUL>garbage: exit $rc, want 2: $OUT"
printf 'time,name,value\n2026-11-02T09:13:00Z,queue_min,5\n2026-11-02T09:13:00Z,queue_min,6\n' > twice.csv
OUT=$(S metric "$id" --csv twice.csv 2>&1); rc=$?
[ $rc = 2 ] || bad="$bad
  two readings of queue_min at one time in a CSV: exit $rc, want 2: $OUT"
OUT=$(S metric "$id" queue_min=3 queue_min=4 2>&1); rc=$?
[ $rc = 2 ] || bad="$bad
  metric ID queue_min=3 queue_min=4: exit $rc, want 2: $OUT"
[ "$(count)" = "$n0" ] || bad="$bad
  refused imports journaled $(($(count) - n0)) entries"
printf '\357\273\277time,name,value\n2026-11-02T09:20:00Z,queue_min,4\n' > bom.csv
OUT=$(S metric "$id" --csv bom.csv 2>&1); rc=$?
[ $rc = 0 ] || bad="$bad
  a CSV with a UTF-8 BOM (and a header): exit $rc: $OUT"
printf '\357\273\2772026-11-02T09:21:00Z,queue_min,4.5\n' > bom2.csv
OUT=$(S metric "$id" --csv bom2.csv 2>&1); rc=$?
[ $rc = 0 ] || bad="$bad
  a CSV with a UTF-8 BOM (no header): exit $rc: $OUT"
expect_code 0 S status "$id" --json
[ "$(js '[m["value"] for m in d["metrics"] if m["name"] == "queue_min"]')" = '[4.5]' ] || bad="$bad
  after the BOM imports, queue_min is $(js '[m for m in d["metrics"] if m["name"] == "queue_min"]')"
[ -z "$bad" ] || fail "input faults:$bad"
exit 0
