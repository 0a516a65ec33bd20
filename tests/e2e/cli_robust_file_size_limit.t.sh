# Issue 14 #14: under a file size limit (ulimit -f) sitrep reports the write
# e2e: sqlite only (a file size limit on the database file)
# error (exit 4 with a message) instead of dying of SIGXFSZ (exit 153, no
# word), for a journal write, an export to standard output and report
# --out. What was acknowledged before is all there and verifies. The limit
# is set in bytes with python3 (setrlimit, SIGXFSZ back to its default,
# which python ignores), the same as ulimit -f in blocks.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
cd "$TMPDIR_E2E" || fail "cd"
fsize() { # BYTES cmd...
	python3 -c 'import os, resource, signal, sys
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
os.execvp(sys.argv[2], sys.argv[2:])' "$@"
}
id=$(S open --plan hotline-outage "file size limit") || fail "open"
pad=$(python3 -c 'print("z" * 20000, end="")')
i=0
while [ $i -lt 10 ]; do expect_code 0 S log "$id" "note $i $pad"; i=$((i + 1)); done
bad=""
big=$(python3 -c 'print("w" * 60000, end="")')
OUT=$(fsize 16384 "$SITREP_BIN" log "$id" "$big" 2>&1); rc=$?
[ $rc = 4 ] && [ -n "$OUT" ] || bad="$bad
  a journal write over the limit: exit $rc, want 4 with a message: $(printf '%s' "$OUT" | head -c 150)"
case "$OUT" in *recorded*) bad="$bad
  the write over the limit was acknowledged: $OUT" ;; esac
OUT=$(fsize 65536 "$SITREP_BIN" timeline "$id" --format csv 2>&1 > export.csv); rc=$?
[ $rc = 4 ] && [ -n "$OUT" ] || bad="$bad
  timeline --format csv to a file over the limit: exit $rc, want 4 with a message: $(printf '%s' "$OUT" | head -c 150)"
OUT=$(fsize 65536 "$SITREP_BIN" report "$id" --format json --out report.json 2>&1); rc=$?
# a report of this incident is small: it fits, or fails cleanly
case $rc in 0 | 4) ;; *) bad="$bad
  report --out under the limit: exit $rc: $OUT" ;; esac
OUT=$(fsize 4096 "$SITREP_BIN" report "$id" --format md --out report.md 2>&1); rc=$?
[ $rc = 4 ] && [ -n "$OUT" ] || bad="$bad
  report --out over the limit: exit $rc, want 4 with a message: $(printf '%s' "$OUT" | head -c 150)"
# without the limit: everything acknowledged is there and verifies
expect_code 0 S verify
expect_code 0 S timeline "$id" --format csv
[ "$(printf '%s\n' "$OUT" | grep -c ',log,')" = 10 ] || bad="$bad
  after the limit: $(printf '%s\n' "$OUT" | grep -c ',log,') notes in the timeline, want the 10 acknowledged"
expect_code 0 S log "$id" "after the limit"
[ -z "$bad" ] || fail "under a file size limit:$bad"
exit 0
