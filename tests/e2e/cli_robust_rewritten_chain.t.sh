# Issue 14 #7: a rewritten chain is caught. With the triggers dropped, an
# e2e: sqlite only (rewrites the file with sqlite3)
# entry edited and every hash recomputed (tests/fixtures/tools/rehash.py
# follows docs/journal-format.md), verify still catches it through:
# - the head an export recorded (timeline prints it and journals it);
# - a head kept elsewhere: verify ID --head ENTRY:HASH says "rewritten"
#   (and the head `sitrep head ID` prints is accepted as it is printed);
# - a plan snapshot swapped for a weaker one: the open entry's plan hash
#   against the incident row; and the weakened plan does not let
#   terminate through;
# - recorded_at going backwards.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3 sqlite3
problems=""   # checks that do not stop the script: all listed at the end
problem() { problems="$problems
  $*"; }
rehash() { python3 "$TOOLS/rehash.py" "$SITREP_DB" "$@" || fail "rehash.py $*"; }
fresh() { rm -f "$SITREP_DB" "$SITREP_DB-wal" "$SITREP_DB-shm"; }

# --- an export's recorded head
id=$(S open --plan hotline-outage "export anchor") || fail "open"
expect_code 0 S log "$id" "the original note"
expect_code 0 S log "$id" "second"
expect_code 0 S timeline "$id"              # journals an export at the head
expect_code 0 S log "$id" "after the export"
expect_code 0 S verify "$id"
rehash "$id" --set-text 2 "a forged note"
expect_code 0 S timeline "$id"
expect_out "a forged note"                   # the rewrite is in place ...
expect_code 5 S verify "$id"                 # ... and caught
expect_out "rewritten"
expect_code 5 S verify

# --- a head kept elsewhere, no export in the journal
fresh
id=$(S open --plan hotline-outage "kept head") || fail "open"
expect_code 0 S log "$id" "the original note"
expect_code 0 S log "$id" "second"
expect_code 0 S head "$id"
printed=$OUT
kept=$(printf '%s' "$printed" | sed -n 's/^[0-9]*:\([0-9]*:[0-9a-f]\{64\}\)$/\1/p')
[ -n "$kept" ] || fail "sitrep head prints '$printed', not ID:ENTRY:HASH"
expect_code 0 S log "$id" "after the head was kept"
expect_code 0 S verify "$id" --head "$kept"
rehash "$id" --set-text 2 "a forged note"
expect_code 0 S verify "$id"                 # no anchor inside the journal: it verifies
expect_code 5 S verify "$id" --head "$kept"
expect_out "rewritten"
expect_no_out "removed from the end"

# --- the plan snapshot swapped for one without the metric criteria
fresh
weak="$TMPDIR_E2E/weak.yaml"
python3 - "$SITREP_TOP/plans/hotline-outage.yaml" "$weak" <<'PY' || fail "python3"
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t2 = re.sub(r"^termination:\s*\[[^\]]*\]", "termination: [system_safe]", t, count=1, flags=re.M)
assert t2 != t, "no termination list found"
open(sys.argv[2], "w", encoding="utf-8").write(t2)
PY
id=$(S open --plan hotline-outage "plan swap") || fail "open"
expect_code 0 S escalate "$id" --reason "outage"
rehash "$id" --plan "$weak"
expect_code 5 S verify "$id"
expect_out "plan"
# nothing is decided under a swapped plan: every write stops (exit 5)
expect_code 5 S attest "$id" system_safe
expect_out "plan snapshot was swapped"
OUT=$(S terminate "$id" --reason "under the weakened plan" 2>&1); rc=$?
[ $rc = 5 ] || problem "terminate under a swapped, weakened plan snapshot that verify reports: exit $rc, want 5"

# --- recorded_at going backwards
fresh
id=$(S open --plan hotline-outage "clock backwards") || fail "open"
expect_code 0 S log "$id" "one"
expect_code 0 S log "$id" "two"
rehash "$id" --recorded 3 1000000000
expect_code 5 S verify "$id"
expect_out "backwards"

# --- the head as `sitrep head` prints it is a head verify takes
fresh
id=$(S open --plan hotline-outage "head round trip") || fail "open"
expect_code 0 S log "$id" "one"
expect_code 0 S head "$id"
printed=$OUT
OUT=$(S verify "$id" --head "$printed" 2>&1); rc=$?
[ $rc = 0 ] || problem "verify $id --head '$printed' (what sitrep head prints) exits $rc: $OUT"
[ -z "$problems" ] || fail "$problems"
exit 0
