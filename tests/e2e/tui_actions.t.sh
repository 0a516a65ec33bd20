# The dashboard's other actions, each checked in the journal: w (picker,
# then reason, scope, duration, measures), p accepts the proposal, a
# attests, o marks an obligation done, H hands command over, L lift is
# refused while criteria are unmet (said at once: no form opens).
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "actions") || fail "open"
tm_start 100 30 "$SITREP_BIN"
tm_wait "actions"
tm_keys Enter
tm_wait "DEADLINES ("

# w: pick blue (filter), then the reason
tm_keys w
tm_wait "which colour?"
tm_keys -l "blue"
tm_keys Enter
tm_wait "raise: Blue warning"
tm_wait "reason            >"
tm_keys -l "queues growing"
tm_keys Enter
tm_keys -l "east region"
tm_keys Enter Enter
tm_keys -l "extra agents"
tm_keys Enter
tm_wait "BLUE WARNING  actions"
expect_code 0 S status "$id" --json
expect_out '"warning":"blue"'

# L: lift refused before any form, the unmet criteria in the status line
tm_keys L
tm_wait "lift: not now, by rule 'lift':"
tm_screen | grep -q "lift the warning: reason" && { tm_screen >&2; fail "a lift form opened"; }
expect_code 0 S status "$id" --json
expect_out '"warning":"blue"'

# a reading proposes level II; p accepts it
expect_code 0 S metric "$id" complaints_pct=135
tm_wait "LEVEL II  by rule complaints_peak"
tm_keys p
tm_wait "accept a proposal (most severe first)"
tm_keys Enter
tm_wait "accept the proposal: level II"
tm_keys Enter
tm_wait "LEVEL II  actions"
expect_code 0 S status "$id" --json
expect_out '"level":"II"'

# a: attest the first attestable criterion
tm_keys a
tm_wait "attest a criterion"
tm_keys Enter
tm_wait "note (optional)"
tm_keys -l "checked with the tech group"
tm_keys Enter
tm_wait "attested by"
expect_code 0 S timeline "$id"
expect_out "checked with the tech group"

# o: the soonest obligation done
expect_code 0 S status "$id" --json
before=$(printf '%s' "$OUT" | grep -o '"overdue"' | wc -l)
tm_keys o
tm_wait "mark deadlines done"
tm_keys Enter
tm_wait "done: note (optional)"
tm_keys Enter
sleep 1
expect_code 0 S status "$id" --json
after=$(printf '%s' "$OUT" | grep -o '"overdue"' | wc -l)
[ "$after" -lt "$before" ] || fail "no obligation done: $before -> $after"

# H: hand command over
tm_keys H
tm_wait "hand command over to whom?"
tm_keys -l "alice"
tm_wait '"alice"  (the name typed)'
tm_keys Enter
tm_wait "hand command over to alice: reason"
tm_keys -l "end of shift"
tm_keys Enter
tm_wait "commander alice"
expect_code 0 S status "$id" --json
expect_out '"commander":"alice"'
exit 0
