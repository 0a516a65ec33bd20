# Terminate is refused before any form while criteria are unmet: the
# status line names them and nothing is asked. After termination `o` is
# allowed when the engine allows it (the termination report is still due),
# and what it does not allow says so at once.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
ago() { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%SZ; }
id=$(S open --plan hotline-outage --at "$(ago $((80*3600)))" "ending") || fail "open"
expect_code 0 S escalate "$id" --reason "start" --at "$(ago $((79*3600)))"
count() { S timeline "$id" --format csv | grep -vc ',export,'; }

tm_start 100 30 "$SITREP_BIN"
tm_wait "ending"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys G # the checklists are below the fold at 100x30
tm_wait "TERMINATION (1/5 met)" # the resources ledger holds: nothing is out
n0=$(count)
tm_keys t
tm_wait "terminate: not now, by rule 'termination': unmet: System 72 hours with no"
[ "$(tm display -p -t t '#{cursor_flag}')" = 0 ] || { tm_screen >&2; fail "a form opened"; }
[ "$(count)" = "$n0" ] || fail "a refusal before any form journals nothing"

# make every criterion hold (readings every 10 minutes for 74 hours)
i=$((74*6)); : > feed.csv
while [ $i -ge 0 ]; do
	t=$(ago $((i*600)))
	printf '%s,availability_pct,99.95\n%s,complaints_pct,80\n' "$t" "$t" >> feed.csv
	i=$((i-1))
done
expect_code 0 S metric "$id" --csv feed.csv
for c in no_secondary_risk_reports system_safe; do # resources_withdrawn: the ledger
	expect_code 0 S attest "$id" "$c"
done
tm_wait "TERMINATION (5/5 met)"
tm_keys t
tm_wait "terminate: reason"
tm_keys -l "72 hours stable"
tm_keys Enter
tm_wait "CLOSED"
expect_code 0 S status "$id" --json
expect_out '"state":"terminated"'
# o: the termination report is still to be done
tm_keys o
tm_wait "mark deadlines done"
tm_keys -l "termination_report"
tm_wait "[termination_report] "
tm_keys Enter
tm_wait "note (optional)"
tm_keys Enter
tm_wait "done"
expect_code 0 S timeline "$id" --format csv
printf '%s\n' "$OUT" | grep ',done,' | grep -q termination_report || fail "no done: $OUT"
# e: not after termination, said at once
tm_keys e
tm_wait "escalate: not now, by rule"
[ "$(tm display -p -t t '#{cursor_flag}')" = 0 ] || { tm_screen >&2; fail "a form opened"; }
exit 0
