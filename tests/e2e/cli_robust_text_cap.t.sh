# Issue 14 #9: notes, reasons, titles and every other free text are capped
# e2e: sqlite only (reads the payloads with sqlite3)
# at 64 KiB: one byte over is a usage error (exit 2) and journals nothing,
# not even a refusal carrying the text; exactly 64 KiB is accepted. No
# payload in the journal ever exceeds the cap by more than its envelope.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3 sqlite3
big=$(python3 -c 'print("x" * 65537, end="")')
max=$(python3 -c 'print("y" * 65536, end="")')
export SITREP_PLANS="$FIXPLANS"
id=$(S open --plan notice-drill "text cap") || fail "open"
expect_code 0 S log "$id" "$max"
expect_code 0 S metric "$id" cpu_pct=50
reading=$(sqlite3 "$SITREP_DB" "SELECT max(id) FROM entries WHERE kind = 'metric'")
expect_code 0 S log "$id" "a note"
note=$(sqlite3 "$SITREP_DB" "SELECT max(id) FROM entries WHERE kind = 'log'")
count() { sqlite3 "$SITREP_DB" "SELECT count(*) FROM entries"; }
bad=""
try() { # what, then the command with BIG where the text goes
	what=$1; shift
	n0=$(count)
	OUT=$("$@" 2>&1); rc=$?
	n1=$(count)
	[ $rc = 2 ] && [ "$n1" = "$n0" ] && return 0
	bad="$bad
  $what: exit $rc, $((n1 - n0)) entries journaled: $(printf '%s' "$OUT" | head -c 120)"
}
try "open title"            S open --plan notice-drill "$big"
try "log"                   S log "$id" "$big"
try "log --corrects"        S log "$id" --corrects "$note" "$big"
try "warn --reason"         S warn "$id" blue --reason "$big"
# (each on an incident of its own in monitoring, where warn would be done)
id2=$(S open --plan notice-drill "text cap 2") || fail "open"
id3=$(S open --plan notice-drill "text cap 3") || fail "open"
try "warn --scope"          S warn "$id2" blue --reason r --scope "$big"
try "warn --measures"       S warn "$id3" blue --reason r --measures "$big"
try "escalate --reason"     S escalate "$id" --reason "$big"
try "correct --reason"      S correct "$id" "$reading" --reason "$big"
try "correct --reason (a note: refused by rule)" S correct "$id" "$note" --reason "$big"
try "attest --reason"       S attest "$id" safe --reason "$big"
try "done --note"           S done "$id" verify_report --note "$big"
try "task title"            S task "$id" "$big"
try "task --owner"          S task "$id" t --owner "$big"
try "assign person"         S assign "$id" duty "$big"
try "owner person"          S owner "$id" verify_report "$big"
try "resource --note"       S resource "$id" deploy van 1 --note "$big"
try "notify --by-hand"      S notify "$id" fail_notice --by-hand "$big"
try "notify --text"         S notify "$id" hang_notice --by-hand x --text "$big"
try "approve --note"        S approve "$id" statement --note "$big"
try "handover --reason"     S handover "$id" someone --reason "$big"
try "note-review"           S note-review "$id" speed "$big"
try "terminate --reason"    S terminate "$id" --reason "$big"
printf '+0m open a\n+1m log %s\n' "$big" > "$TMPDIR_E2E/big.scn"
OUT=$(S simulate notice-drill "$TMPDIR_E2E/big.scn" 2>&1); rc=$?
[ $rc = 2 ] || bad="$bad
  simulate with a 64 KiB + 1 note: exit $rc"
# nothing over the cap got in, by any path
longest=$(sqlite3 "$SITREP_DB" "SELECT max(length(payload)) FROM entries")
[ "$longest" -le $((65536 + 1024)) ] || bad="$bad
  the journal holds a payload of $longest bytes: $(sqlite3 "$SITREP_DB" "SELECT id || ' ' || kind || ' ' || substr(payload, 1, 60) FROM entries WHERE length(payload) > 66560")"
[ -z "$bad" ] || fail "text over 64 KiB not refused as a usage error:$bad"
exit 0
