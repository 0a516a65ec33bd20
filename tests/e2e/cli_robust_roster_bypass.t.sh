# Issue 14 #4: the roster cannot be bypassed with --plans. The policy: the
# journal's latest snapshot of a plan id is authoritative. A copy of the
# hotline plan without its roster, in another folder, must not let a user
# do what the roster forbids:
# - in the roster as duty_manager only (the current user): opening under
#   the copy either is refused or runs under the journal's snapshot, so
#   escalating to Level I (commander only) is refused; the first incident
#   keeps its roster whatever --plans says;
# - outside the roster (as root, run as uid 65534 with setpriv): opening
#   under the copy is refused.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
me=$(id -un)
# a world-readable scratch folder, for the other users of the second part
pub=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-roster.XXXXXX") || fail "mktemp"
trap 'rm -rf "$pub"' EXIT
chmod 755 "$pub"
mkdir -p "$pub/with" "$pub/without"
roster_plan() { # OUT ROSTER-LINES...
	out=$1; shift
	python3 - "$SITREP_TOP/plans/hotline-outage.yaml" "$out" "$@" <<'PY' || fail "python3"
import re, sys
src, out, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
t = open(src, encoding="utf-8").read()
m = re.search(r"^roles:", t, re.M)
assert m, "no top-level roles: in the plan"
open(out, "w", encoding="utf-8").write(t[:m.start()] + "roster:\n" + "".join("  %s\n" % l for l in lines) + "\n" + t[m.start():])
PY
}
cp "$SITREP_TOP/plans/hotline-outage.yaml" "$pub/without/hotline-outage.yaml"
chmod -R a+rX "$pub"

# --- part 1: the current user holds duty_manager only
roster_plan "$pub/with/hotline-outage.yaml" "$me: [duty_manager]" "sitrep-test-commander: [commander]"
expect_code 0 S plan check "$pub/with/hotline-outage.yaml"
id=$(S --plans "$pub/with" open --plan hotline-outage "under the roster") || fail "open under the roster"
expect_code 1 S --plans "$pub/with" escalate "$id" --to I --reason "not mine to do"
expect_out "rule 'roles'"
# the first incident keeps its roster, whichever folder a later command names
expect_code 1 S --plans "$pub/without" escalate "$id" --to I --reason "through the other folder"
expect_out "rule 'roles'"
# a new incident under the copy without the roster
OUT=$(S --plans "$pub/without" open --plan hotline-outage "under the copy" 2>&1); rc=$?
case $rc in
1) ;; # refused: fine
0)
	id2=$OUT
	expect_code 0 S status "$id2" --json
	h2=$(js 'd["plan_hash"]')
	expect_code 0 S status "$id" --json
	h1=$(js 'd["plan_hash"]')
	expect_code 1 S --plans "$pub/without" escalate "$id2" --to I --reason "bypass"
	[ "$h2" = "$h1" ] || fail "the incident opened under the roster-less copy runs plan $h2, not the journal's snapshot $h1"
	;;
*) fail "open under the copy: exit $rc: $OUT" ;;
esac

# --- part 2: a user outside the roster (needs root and setpriv)
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "skip: part 2 needs root and setpriv" >&2
	exit 0
fi
u1=$(getent passwd 1 | cut -d: -f1)
u2=$(getent passwd 65534 | cut -d: -f1)
[ -n "$u1" ] && [ -n "$u2" ] || { echo "skip: no users 1 and 65534" >&2; exit 0; }
as() { # uid cmd... : run sitrep as uid, group 4242, on the shared journal
	_u=$1; shift
	setpriv --reuid="$_u" --regid=4242 --clear-groups env SITREP_DB="$pub/db/j.db" HOME="$pub" "$SITREP_BIN" "$@"
}
if ! as 65534 --help >/dev/null 2>&1; then
	echo "skip: $SITREP_BIN cannot be run as uid 65534" >&2
	exit 0
fi
mkdir -p "$pub/db" && chgrp 4242 "$pub/db" && chmod 2770 "$pub/db"
roster_plan "$pub/with/hotline-outage.yaml" "$u1: [commander]"
chmod -R a+rX "$pub/with"
OUT=$(as 1 --plans "$pub/with" open --plan hotline-outage "opened by $u1" 2>&1) || fail "$u1 cannot open under the roster: $OUT"
OUT=$(as 65534 --plans "$pub/with" open --plan hotline-outage "by $u2, outside the roster" 2>&1); rc=$?
[ $rc = 1 ] || fail "$u2, outside the roster, opening under it: exit $rc, want 1: $OUT"
OUT=$(as 65534 --plans "$pub/without" open --plan hotline-outage "by $u2, under the copy" 2>&1); rc=$?
[ $rc = 1 ] || fail "$u2, outside the roster, opened an incident under a roster-less copy of the plan (exit $rc): $OUT"
OUT=$(as 65534 --plans "$pub/without" log 1 "on $u1's incident" 2>&1); rc=$?
[ $rc = 1 ] || fail "$u2, outside the roster, wrote on an incident under it with --plans elsewhere (exit $rc): $OUT"
exit 0
