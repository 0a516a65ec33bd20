# Esc cancels every form and picker of the dashboard and journals nothing;
# an action the engine would refuse says why at once and opens nothing.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
count() { S timeline "$1" --format csv | grep -vc ',export,'; }
id=$(S open --plan hotline-outage "esc test") || fail "open"
expect_code 0 S metric "$id" complaints_pct=135
n0=$(count "$id")

tm_start 100 30 "$SITREP_BIN"
tm_wait "esc test"
tm_keys Enter
tm_wait "DEADLINES ("
# one-line forms: type something, then Esc
for k in l e m T; do
	tm_keys "$k"
	tm_wait "Esc cancel"
	tm_keys -l "not this"
	tm_wait "> not this"
	tm_keys Escape
	tm_wait "cancelled: nothing journaled"
done
# pickers: Esc on the picker, and Esc on the form after it
for k in a o p H R; do
	tm_keys "$k"
	tm_wait "Esc cancel"
	tm_keys Escape
	tm_wait "cancelled: nothing journaled"
	tm_keys "$k"
	tm_wait "Esc cancel"
	tm_keys Enter
	tm_wait "Esc cancel"
	tm_keys -l "not this either"
	tm_keys Escape
	tm_wait "cancelled: nothing journaled"
done
# refused before any form: the yellow warning is the most severe, in a
# warning there is no level to downgrade, the termination and lift
# criteria are unmet
for k in w d t L; do
	tm_keys "$k"
	tm_wait "not now, by rule"
	tm_screen | grep -q "Esc cancel" && { tm_screen >&2; fail "'$k' opened a form"; }
done
tm_wait "lift: not now, by rule 'lift':"
n1=$(count "$id")
[ "$n0" = "$n1" ] || fail "a cancelled form journaled something: $n0 -> $n1"
expect_code 0 S timeline "$id"
expect_no_out "not this"
# an empty reason is not sent either: the form stays open
tm_keys e
tm_wait "escalate from"
tm_keys Enter
tm_wait "cannot be empty"
tm_keys Escape
n2=$(count "$id")
[ "$n0" = "$n2" ] || fail "an empty reason journaled something: $n0 -> $n2"
exit 0
