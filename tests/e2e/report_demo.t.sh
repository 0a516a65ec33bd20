# sitrep demo: a finished incident (review notes in Chinese and English, a
# review with figures) and a live incident in a blue warning.
. "$SITREP_TOP/tests/e2e/lib.sh"

expect_code 0 S demo
expect_out "finished DDoS"
# the demo keeps to a database of its own, and says where
demo=$(printf '%s\n' "$OUT" | sed -n "s/^demo: in '\(.*\)'$/\1/p")
[ -n "$demo" ] && [ -f "$demo" ] || fail "no demo database named: $OUT"
[ "$demo" != "$SITREP_DB" ] || fail "the demo wrote into the user's database"
S() { "$SITREP_BIN" --db "$demo" "$@"; }
expect_code 0 S list --all
expect_out "terminated"
expect_out "warning"
expect_code 0 S status 2 --json
expect_out '"warning":"blue"'
expect_code 0 S status 1 --json
expect_out '"state":"terminated"'
expect_code 0 S report 1
expect_out "time to termination | 3d 03:40:00"
expect_out "响应较快"
expect_out "scrubbing contract ends in March"
expect_code 0 S verify
exit 0
