# Issue 12: an approval is of a wording. After legal approves, that wording
# goes out; another text (notify --text, an edit in the console) is refused
# by rule notice.approval until it is approved again, and the approved
# wording is what `notices` shows as the text to send.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "approved wording") || fail "open"
expect_code 0 S escalate "$id" --reason "outage"
# not approved yet: refused
expect_code 1 S notify "$id" external_statement --by-hand "read out"
expect_out "notice.approval"
expect_code 0 S approve "$id" external_statement
expect_code 0 S notices "$id" --json
approved=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([n["text"] for n in json.load(sys.stdin) if n["id"] == "external_statement"][0])')
[ -n "$approved" ] || fail "no approved text shown"
# another wording: refused, nothing sent
expect_code 1 S notify "$id" external_statement --by-hand "read out" --text "NOT THE APPROVED WORDING"
expect_out "not the one"
expect_code 0 S notices "$id" --json
expect_out '"state":"due"'
# approving the new wording lets it go; approving the same again is refused
expect_code 0 S approve "$id" external_statement --text "THE NEW WORDING"
expect_code 1 S approve "$id" external_statement --text "THE NEW WORDING"
expect_out "already approved"
expect_code 0 S notify "$id" external_statement --by-hand "read out" --text "THE NEW WORDING"
expect_code 0 S timeline "$id" --format json
expect_out "THE NEW WORDING"
# how it went out: by hand, in the list, in the JSON and in the review
expect_code 0 S notices "$id" --json
expect_out '"by_hand":true'
expect_code 0 S notices "$id"
printf '%s\n' "$OUT" | grep "^external_statement" | grep -q "by hand" || fail "notices: not shown given by hand: $OUT"
expect_code 0 S report "$id" --format json
expect_code 0 S report "$id"
printf '%s\n' "$OUT" | grep "external_statement" | grep -qi "by hand" || fail "the review's communications: not by hand"
expect_code 0 S verify "$id"
exit 0
