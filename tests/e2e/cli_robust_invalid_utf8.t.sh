# Text that is not valid UTF-8 (a terminal or file in another encoding) is
# refused before anything is decided: exit 2, nothing journaled; it was once
# acknowledged and then dropped from the payload, so that an escalation
# said "done" and did not apply on replay.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "encodings") || fail "open"
n0=$(S timeline "$id" --format csv | grep -vc ',export,')
expect_code 2 S log "$id" "$(printf 'bad \377 byte')"
expect_out "not valid UTF-8"
expect_code 2 S escalate "$id" --reason "$(printf 'why \303')"
expect_code 2 S warn "$id" blue --reason "ok" --scope "$(printf '\200east')"
expect_code 2 S open --plan hotline-outage "$(printf 'title \376')"
n1=$(S timeline "$id" --format csv | grep -vc ',export,')
[ "$n0" = "$n1" ] || fail "entries were journaled: $n0 -> $n1"
expect_code 0 S status "$id" --json
expect_out '"state":"monitoring"'
# valid UTF-8, Chinese included, goes through
expect_code 0 S escalate "$id" --reason "华东区域 outage"
expect_code 0 S status "$id" --json
expect_out '"level":"III"'
exit 0
