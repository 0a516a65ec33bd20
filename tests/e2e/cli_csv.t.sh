# metric --csv: one transaction, all or nothing, each distinct time one entry.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-03-04T12:00:00Z
id=$(S open --plan hotline-outage --at 2026-03-04T10:00:00Z "csv import") || fail "open"
count() { S timeline "$id" --format csv | grep -c ',metric,' || true; }
cat > "$TMPDIR_E2E/good.csv" <<'CSV'
time,name,value
2026-03-04T10:00:00Z,queue_min,9
2026-03-04T10:00:00Z,cpu_pct,50
2026-03-04T10:15:00Z,queue_min,9.5
"2026-03-04T10:31:00Z","queue_min","10"
2026-03-04T18:40:00+08:00,complaints_pct,101

CSV
expect_code 0 S metric "$id" --csv "$TMPDIR_E2E/good.csv"
[ "$(count)" = 4 ] || fail "expected 4 entries (distinct times), got $(count)"
# queue_min > 8 held for 30 minutes: the blue warning
expect_code 0 S status "$id" --json
expect_out '"warning":"blue"'
expect_out '{"name":"complaints_pct","value":101,"at":"2026-03-04T10:40:00Z"'

# a bad line: exit 2 naming the line, nothing written
printf '2026-03-04T11:00:00Z,queue_min,3\n2026-03-04T11:01:00Z,queue_min,abc\n' > "$TMPDIR_E2E/bad.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/bad.csv"
expect_out "bad.csv:2:"
[ "$(count)" = 4 ] || fail "a failed import wrote entries"
printf '2026-03-04T11:00:00Z,queue_min,3\nnot-a-time,queue_min,3\n' > "$TMPDIR_E2E/bad2.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/bad2.csv"
expect_out ":2:"
printf '2026-03-04T11:00:00Z,queue_min,3\n2026-03-04T11:00:00Z,nosuch,3\n' > "$TMPDIR_E2E/bad3.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/bad3.csv"
expect_out ":2:"
expect_out "nosuch"
printf '2026-03-04T11:00:00Z,queue_min\n' > "$TMPDIR_E2E/bad4.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/bad4.csv"
printf '2026-03-04T13:00:00Z,queue_min,3\n' > "$TMPDIR_E2E/future.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/future.csv"
expect_out "future"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/missing.csv"
expect_code 2 S metric "$id" --csv "$TMPDIR_E2E/good.csv" queue_min=3
[ "$(count)" = 4 ] || fail "failed imports wrote entries"
# before the open: refused, nothing written
printf '2026-03-04T09:00:00Z,queue_min,3\n2026-03-04T11:00:00Z,queue_min,3\n' > "$TMPDIR_E2E/early.csv"
expect_code 1 S metric "$id" --csv "$TMPDIR_E2E/early.csv"
expect_out "backfill"
[ "$(count)" = 4 ] || fail "a refused import wrote entries"

# from stdin; readings going back below the clear value
printf '2026-03-04T11:30:00Z,queue_min,5\n' | S metric "$id" --csv - >/dev/null || fail "stdin import"
[ "$(count)" = 5 ] || fail "stdin import not written"
a=$(S status "$id" --json); b=$(SITREP_NO_CHECKPOINT=1 S status "$id" --json)
[ "$a" = "$b" ] || fail "checkpoint and replay differ after imports"
exit 0
