# Corrections: a note that points at an earlier entry; nothing is edited, the
# chain still verifies, and the timeline says what it corrects.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "corrections") || fail "open"
expect_code 0 S log "$id" "queue at 12 min"
expect_out "entry 2"
expect_code 0 S log "$id" --corrects 2 "queue was 21 min, not 12"
expect_code 2 S log "$id" --corrects 99 "no such entry"
expect_out "has no entry 99"
expect_code 2 S log "$id" --corrects abc "not a number"
other=$(S open --plan hotline-outage "another") || fail "open 2"
expect_code 2 S log "$other" --corrects 2 "entry of another incident"
expect_code 0 S timeline "$id"
expect_out "note: queue at 12 min"
expect_out "correction of entry 2: queue was 21 min, not 12"
expect_code 0 S timeline "$id" --format json
expect_out '"corrects":2'
expect_code 0 S verify "$id"
exit 0
