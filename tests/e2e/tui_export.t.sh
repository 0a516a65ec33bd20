# x exports what the timeline shows (its filter) and never overwrites an
# existing file without asking: Esc keeps it, y overwrites it.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "export test") || fail "open"
expect_code 0 S log "$id" "core switch down"
expect_code 0 S escalate "$id" --reason "regional"
echo "precious" > keep.txt

tm_start 100 30 "$SITREP_BIN"
tm_wait "export test"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys v
tm_wait "timeline of $id"
tm_keys f
tm_wait "show one kind of entry"
tm_keys -l "escalate"
tm_keys Enter
tm_wait "regional"
tm_keys x
tm_wait "which format?"
tm_keys -l "csv"
tm_keys Enter
tm_wait "what is shown: the filter applies"
tm_wait "> sitrep-$id-timeline.csv"
tm_keys C-u
tm_keys -l "$TMPDIR_E2E/keep.txt"
tm_keys Enter
tm_wait "exists: overwrite it?"
tm_keys Escape
tm_wait "cancelled"
[ "$(cat keep.txt)" = precious ] || fail "overwritten without asking"
# a "no" keeps it too
tm_keys x
tm_wait "which format?"
tm_keys -l "csv"
tm_keys Enter
tm_keys C-u
tm_keys -l "$TMPDIR_E2E/keep.txt"
tm_keys Enter
tm_wait "exists: overwrite it?"
tm_keys -l "n"
tm_keys Enter
tm_wait "kept: nothing exported"
[ "$(cat keep.txt)" = precious ] || fail "overwritten after no"
# y overwrites; only what is shown goes, and the status says so
tm_keys x
tm_wait "which format?"
tm_keys -l "csv"
tm_keys Enter
tm_keys C-u
tm_keys -l "$TMPDIR_E2E/keep.txt"
tm_keys Enter
tm_wait "exists: overwrite it?"
tm_keys -l "y"
tm_keys Enter
tm_wait "only escalate entries, as shown"
grep -q "regional" keep.txt || fail "the export: $(cat keep.txt)"
grep -q "core switch down" keep.txt && fail "the export holds what the filter hid"
# a new file is written without asking
tm_keys x
tm_wait "which format?"
tm_keys Enter
tm_wait "> sitrep-$id-timeline.txt"
tm_keys Enter
tm_wait "exported the timeline"
[ -f "sitrep-$id-timeline.txt" ] || fail "no file"
exit 0
