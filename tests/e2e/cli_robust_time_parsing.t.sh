# Issue 14 #11: time parsing. An impossible date (Feb 30, Feb 29 of a common
# year, Apr 31) is a usage error (exit 2) wherever a time is taken (--at,
# status --at, open --at, task --due), not silently moved to March and then
# refused or accepted. Epoch 0 is a time like any other, not "now" or "none":
# log --at 1970-01-01T00:00:00Z is before the open (exit 1 backfill), and an
# incident opened --at epoch 0 (if allowed) says it opened then.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_NOW=2026-11-02T12:00:00Z
# opened before the impossible dates, so that one moved into March would be
# taken as a valid time after the open
id=$(S open --plan hotline-outage --at 2025-02-01T09:00:00Z "time parsing") || fail "open"
bad=""
want() { # code, what, command...
	code=$1; what=$2; shift 2
	OUT=$("$@" 2>&1); rc=$?
	[ $rc = "$code" ] || bad="$bad
  $what: exit $rc, want $code: $(printf '%s' "$OUT" | head -n 1 | cut -c1-150)"
}
for t in 2026-02-30T10:00:00Z 2025-02-29T10:00:00Z 2026-04-31T00:00:00Z 2026-06-31T08:00:00+08:00; do
	want 2 "log --at $t" S log "$id" --at "$t" "x"
	want 2 "metric --at $t" S metric "$id" queue_min=3 --at "$t"
	want 2 "status --at $t" S status "$id" --at "$t"
	want 2 "open --at $t" S open --plan hotline-outage --at "$t" "impossible"
done
want 2 "task --due 2027-02-30T10:00:00Z" S task "$id" "impossible due" --due 2027-02-30T10:00:00Z
# a real Feb 29 is a date: before the open, so refused by the rules
want 1 "log --at 2024-02-29T10:00:00Z (a leap day)" S log "$id" --at 2024-02-29T10:00:00Z "leap day"
# hours and minutes out of range
want 2 "log --at T24:00" S log "$id" --at 2026-11-01T24:00:00Z "x"
want 2 "log --at T10:60" S log "$id" --at 2026-11-01T10:60:00Z "x"
# epoch 0 is not "now"
want 1 "log --at epoch 0" S log "$id" --at 1970-01-01T00:00:00Z "at the epoch"
case "$OUT" in *backfill*) ;; *) bad="$bad
  log --at epoch 0 is not refused as backfill: $OUT" ;; esac
OUT=$(S open --plan hotline-outage --at 1970-01-01T00:00:00Z "opened at the epoch" 2>&1); rc=$?
case $rc in
0)
	e=$OUT
	expect_code 0 S status "$e" --json
	[ "$(js 'd["opened_at"]')" = 1970-01-01T00:00:00Z ] || bad="$bad
  an incident opened --at 1970-01-01T00:00:00Z shows opened_at $(js 'd["opened_at"]')" ;;
1 | 2) ;;
*) bad="$bad
  open --at epoch 0: exit $rc: $OUT" ;;
esac
[ -z "$bad" ] || fail "times parsed wrongly:$bad"
exit 0
