# p offers every pending proposal, the most severe first; Enter takes the
# highlighted one and accepts it through the engine with its level.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "accept test") || fail "open"
expect_code 0 S metric "$id" complaints_pct=160
expect_code 0 S status "$id" --json
expect_out '"level":"I"'
expect_out '"level":"II"'

tm_start 100 30 "$SITREP_BIN"
tm_wait "accept test"
tm_keys Enter
tm_wait "PROPOSALS"
tm_keys p
tm_wait "accept a proposal (most severe first)"
tm_wait "LEVEL II  by rule"
# I above II in the picker
first=$(tm_screen | grep -n -e "LEVEL I  by rule" -e "LEVEL II  by rule" | grep -v "^[0-9]*:.*PROPOSALS" | tail -2 | head -1)
case "$first" in *"LEVEL I  by rule"*) ;; *) tm_screen >&2; fail "I is not offered first: $first" ;; esac
tm_keys Enter
tm_wait "accept the proposal: level I;"
tm_keys -l "complaints over +50%"
tm_keys Enter
tm_wait "LEVEL I  accept test"
expect_code 0 S status "$id" --json
expect_out '"level":"I"'
exit 0
