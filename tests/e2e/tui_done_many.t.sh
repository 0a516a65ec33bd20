# The deadline picker marks several with Space and Enter confirms them
# all: three half-hourly cadences of a response marked done at once,
# journaled as one `done` per deadline. The picker is sorted by due time
# and filters on the id.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "three at once") || fail "open"
expect_code 0 S escalate "$id" --reason "regional outage"
dones() { S timeline "$id" --format csv | grep -c ',done,'; }
[ "$(dones)" = 0 ] || fail "done entries before the test"

tm_start 100 30 "$SITREP_BIN"
tm_wait "three at once"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys o
tm_wait "mark deadlines done (Space marks several)"
# the soonest first: verify_report (5 minutes) above every cadence (30)
tm_wait "[verify_report]"
v=$(tm_screen | grep -n "\[verify_report\]" | cut -d: -f1)
c=$(tm_screen | grep -n "\[tech_report\]" | cut -d: -f1 || true)
[ -z "$c" ] || [ "$v" -lt "$c" ] || { tm_screen >&2; fail "not sorted by due"; }
for k in tech_report onsite_monitoring_log recovery_log; do
	tm_keys C-u
	tm_keys -l "$k"
	tm_wait "[$k]"
	tm_keys Space
done
tm_wait "3 marked: Enter confirms them all"
tm_keys Enter
tm_wait "mark 3 deadlines done: note (optional)"
tm_keys -l "half-hourly reports in"
tm_keys Enter
tm_wait "3 deadlines marked done"
[ "$(dones)" = 3 ] || fail "want 3 done entries, have $(dones)"
expect_code 0 S timeline "$id" --format csv
for k in tech_report onsite_monitoring_log recovery_log; do
	printf '%s\n' "$OUT" | grep ',done,' | grep -q "$k" || fail "no done for $k: $OUT"
done
printf '%s\n' "$OUT" | grep ',done,' | grep -q "half-hourly reports in" || fail "the note: $OUT"
exit 0
