# Issue 14 #12: corruption is an integrity failure (exit 5), never a storage
# e2e: sqlite only (truncates the database file)
# error or a silent success. A journal cut to 100 bytes, one page, half its
# size or one page short: list, status, log and verify exit 5 and say the
# file is damaged. A corrupt B-tree page inside: verify exits 5 naming the
# page; reading the incident does not pretend all is well.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need sqlite3 python3
id=$(S open --plan hotline-outage "truncated") || fail "open"
pad=$(python3 -c 'print("z" * 3000, end="")')
i=0
while [ $i -lt 30 ]; do expect_code 0 S log "$id" "note $i $pad"; i=$((i + 1)); done
expect_code 0 S verify
cp "$SITREP_DB" "$TMPDIR_E2E/full.db"
size=$(wc -c < "$TMPDIR_E2E/full.db" | tr -d ' ')
restore() { cp "$TMPDIR_E2E/full.db" "$SITREP_DB"; rm -f "$SITREP_DB-wal" "$SITREP_DB-shm"; }
bad=""
for n in 100 4096 $((size / 2)) $((size - 4096)); do
	for cmd in "list" "status $id" "log $id after-the-cut" "verify" "verify $id"; do
		restore
		truncate -s "$n" "$SITREP_DB" || fail "truncate"
		# shellcheck disable=SC2086
		OUT=$("$SITREP_BIN" $cmd 2>&1); rc=$?
		[ $rc = 5 ] || bad="$bad
  cut to $n bytes: sitrep $cmd: exit $rc, want 5: $(printf '%s' "$OUT" | head -n 1 | cut -c1-140)"
	done
done

# a damaged page in the middle of the entries table
restore
page=$(sqlite3 "$SITREP_DB" "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 2") || fail "sqlite3 dbstat"
psize=$(sqlite3 "$SITREP_DB" "PRAGMA page_size")
[ -n "$page" ] || fail "no entries leaf page found"
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek((int(sys.argv[2]) - 1) * int(sys.argv[3])); f.write(b"\x07\xff\xff\xff\xff\xff\xff\xff"); f.close()' "$SITREP_DB" "$page" "$psize"
OUT=$("$SITREP_BIN" verify 2>&1); rc=$?
[ $rc = 5 ] || bad="$bad
  a damaged page $page: verify exit $rc, want 5: $OUT"
case "$OUT" in *"$page"*) ;; *) bad="$bad
  a damaged page $page: verify does not name it: $OUT" ;; esac
OUT=$("$SITREP_BIN" status "$id" 2>&1); rc=$?
[ $rc = 5 ] || bad="$bad
  a damaged page $page: status exit $rc, want 5: $(printf '%s' "$OUT" | head -n 1)"
[ -z "$bad" ] || fail "corruption not reported as an integrity failure:$bad"
exit 0
