# Small input contracts: metric readings are plain finite decimals (args and
# --csv alike), the console needs a terminal, every error has the "sitrep: "
# prefix, status --at before the open is a usage error.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-03-04T12:00:00Z
id=$(S open --plan hotline-outage --at 2026-03-04T10:00:00Z "inputs") || fail "open"
entries() { S timeline "$id" --format csv | grep -c ',metric,' || true; }
n0=$(entries)

# metric NAME=VALUE: inf, nan, overflow, hex and other forms are usage errors
for v in inf -inf nan NaN infinity 1e400 -1e400 0x10 0X1p4 1,5 12abc "" . e5 1e; do
	expect_code 2 S metric "$id" "queue_min=$v"
	expect_out "sitrep: '$v' is not a number in 'queue_min=$v'"
done
[ "$(entries)" = "$n0" ] || fail "a bad reading was journaled"
# ordinary decimals still work
for v in 9 +4 9.5 .5 5. 1e1 -0 2.5E-1; do
	expect_code 0 S metric "$id" "queue_min=$v"
done
expect_code 0 S status "$id" --json
expect_out '{"name":"queue_min","value":0.25,'

# the same in --csv, naming FILE:LINE and the reading; nothing written
n1=$(entries)
for v in inf nan 1e400 0x10; do
	printf 'time,name,value\n2026-03-04T11:00:00Z,cpu_pct,50\n2026-03-04T11:01:00Z,queue_min,%s\n' "$v" > r.csv
	expect_code 2 S metric "$id" --csv r.csv
	expect_out "sitrep: r.csv:3: '$v' for 'queue_min' is not a number"
done
[ "$(entries)" = "$n1" ] || fail "a bad csv reading was journaled"
printf 'time,name,value\n2026-03-04T11:00:00Z,cpu_pct,5e1\n' > ok.csv
expect_code 0 S metric "$id" --csv ok.csv

# the console without a terminal: usage (2), not storage, and no database made
rm -f "$TMPDIR_E2E/none.db"
OUT=$(SITREP_DB="$TMPDIR_E2E/none.db" "$SITREP_BIN" </dev/null 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] || fail "console without a terminal exited $rc: $OUT"
expect_out "sitrep: the console needs a terminal: run it in one, or give a command (sitrep --help)"
OUT=$(SITREP_DB="$TMPDIR_E2E/none.db" "$SITREP_BIN" </dev/null 2>&1 | cat); rc=$?
expect_out "the console needs a terminal"

# plan show: the same prefix as every other error; plan check unchanged
expect_code 3 S plan show nosuch
expect_out "sitrep: no plan 'nosuch'"
printf 'id: broken\ntitle: [\n' > broken.yaml
expect_code 3 S plan show ./broken.yaml
case "$OUT" in "./broken.yaml:"[0-9]*:[0-9]*": "*) ;; *) fail "plan show diagnostics lost FILE:LINE:COL: $OUT" ;; esac
expect_code 3 S plan check ./broken.yaml
case "$OUT" in "./broken.yaml:"[0-9]*:[0-9]*": "*) ;; *) fail "plan check diagnostics changed: $OUT" ;; esac

# status --at before the incident was opened
expect_code 2 S status "$id" --at 2026-03-04T09:59:59Z
expect_out "sitrep: incident $id was opened at 2026-03-04T10:00:00Z"
expect_code 2 S status "$id" --at 2026-03-04T09:00:00Z --json
expect_code 0 S status "$id" --at 2026-03-04T10:00:00Z --json
expect_out '"state":"monitoring"'

# a text of nothing but blanks is no text (spaces, a tab, ideographic spaces)
expect_code 2 S open --plan hotline-outage "   "
expect_out "open needs a title"
expect_code 2 S log "$id" "  	 "
expect_out "log needs a text"
expect_code 2 S log "$id" "　　"
expect_code 1 S escalate "$id" --reason "   "
expect_out "escalate needs a reason"
expect_code 0 S log "$id" " a note "
