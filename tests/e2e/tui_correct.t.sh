# A mistyped reading corrected from the timeline: `c` on the reading under
# the cursor opens a form prefilled with its values; no values voids it, new
# values replace them, and a reason is asked. What the reading caused by
# itself (the warning it raised) goes; the correction is journaled.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "typo") || fail "open"
expect_code 0 S metric "$id" complaints_pct=1350
expect_code 0 S status "$id" --json
expect_out '"warning":"yellow"'
corrections() { S timeline "$id" --format csv | grep -c ',correct,'; }

tm_start 100 30 "$SITREP_BIN"
tm_wait "typo"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys v
tm_wait "timeline of $id"
tm_wait "complaints_pct=1350"
# `c` on a row that is not a reading says so
tm_keys g
tm_keys c
tm_wait "not a reading"
# the reading, found with /: void it
tm_keys /
tm_wait "search: type the text"
tm_keys -l "1350"
tm_keys Enter
tm_wait 'search "1350"'
tm_keys c
tm_wait "new values, or empty to void it"
tm_wait "complaints_pct=1350"
tm_keys C-u Enter
tm_wait "reason"
tm_keys -l "typo: wrong incident"
tm_keys Enter
tm_wait "corrected"
[ "$(corrections)" = 1 ] || fail "want one correction, have $(corrections)"
S timeline "$id" --format csv | grep ',correct,' | grep -q "typo: wrong incident" || fail "the reason"
i=0
while S status "$id" --json | grep -q '"warning":"yellow"'; do
	i=$((i+1)); [ $i -lt 50 ] || fail "the voided reading's warning stays"; sleep 0.1
done

# another reading, replaced by new values
expect_code 0 S metric "$id" queue_min=95
tm_keys Escape
tm_wait "search ended"
tm_keys /
tm_keys -l "queue_min=95"
tm_keys Enter
tm_wait 'search "queue_min=95"'
tm_keys c
tm_wait "queue_min=95"
tm_keys C-u
tm_keys -l "queue_min=9.5"
tm_keys Enter
tm_keys -l "a misplaced decimal point"
tm_keys Enter
tm_wait "corrected"
[ "$(corrections)" = 2 ] || fail "want two corrections, have $(corrections)"
expect_code 0 S status "$id" --json
expect_out '"value":9.5'
exit 0
