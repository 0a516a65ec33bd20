# Issue 14 #1: a plan saved as UTF-16 is refused by `plan check` and `open`
# e2e: sqlite only (reads the plan snapshot with sqlite3)
# with a clear message (it used to be accepted, then every later command
# failed and verify reported tampering). UTF-16 LE/BE with a BOM and LE
# without one; a NUL byte; nothing is created. A UTF-8 plan with a BOM is
# fine and its snapshot is stored byte for byte: later commands and verify work.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3 sqlite3
src="$SITREP_TOP/plans/hotline-outage.yaml"
mkdir -p "$TMPDIR_E2E/p16" "$TMPDIR_E2E/pbom"
for enc in utf-16 utf-16-be utf-16-le; do
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read()
b = t.encode(sys.argv[2])
if sys.argv[2] == "utf-16-be": b = b"\xfe\xff" + b
open(sys.argv[3], "wb").write(b)' "$src" "$enc" "$TMPDIR_E2E/p16/hotline-outage.yaml" || fail "python3"
	expect_code 3 S plan check "$TMPDIR_E2E/p16/hotline-outage.yaml"
	expect_out "hotline-outage.yaml:1:1:"
	expect_out "UTF-16"
	expect_code 3 S --plans "$TMPDIR_E2E/p16" open --plan hotline-outage "under a $enc plan"
	expect_out "UTF-16"
	expect_code 3 S --plans "$TMPDIR_E2E/p16" plan show hotline-outage
	expect_out "UTF-16"
done
# a NUL byte in an otherwise UTF-8 plan
python3 -c 'import sys; t = open(sys.argv[1], "rb").read(); i = t.index(b"title:"); open(sys.argv[2], "wb").write(t[:i] + b"\0" + t[i:])' "$src" "$TMPDIR_E2E/p16/hotline-outage.yaml"
expect_code 3 S plan check "$TMPDIR_E2E/p16/hotline-outage.yaml"
expect_out "NUL"
expect_code 3 S --plans "$TMPDIR_E2E/p16" open --plan hotline-outage "under a plan with a NUL"
# nothing was opened
if [ -f "$SITREP_DB" ]; then
	n=$(sqlite3 "$SITREP_DB" "SELECT count(*) FROM incidents") || fail "sqlite3"
	[ "$n" = 0 ] || fail "$n incidents were opened under refused plans"
fi

# UTF-8 with a BOM: accepted, stored byte for byte, usable afterwards
printf '\357\273\277' > "$TMPDIR_E2E/pbom/hotline-outage.yaml"
cat "$src" >> "$TMPDIR_E2E/pbom/hotline-outage.yaml"
expect_code 0 S plan check "$TMPDIR_E2E/pbom/hotline-outage.yaml"
id=$(S --plans "$TMPDIR_E2E/pbom" open --plan hotline-outage "under a BOM plan") || fail "open under a BOM plan"
expect_code 0 S --plans "$TMPDIR_E2E/pbom" log "$id" "works"
expect_code 0 S --plans "$TMPDIR_E2E/pbom" escalate "$id" --reason "works"
expect_code 0 S status "$id" --json
size=$(wc -c < "$TMPDIR_E2E/pbom/hotline-outage.yaml" | tr -d ' ')
stored=$(sqlite3 "$SITREP_DB" "SELECT length(plan_text) || ' ' || hex(substr(plan_text, 1, 3)) FROM incidents WHERE id = $id") || fail "sqlite3"
[ "$stored" = "$size EFBBBF" ] || fail "the snapshot is not the file byte for byte: stored '$stored', file $size bytes with a BOM"
expect_code 0 S verify
exit 0
