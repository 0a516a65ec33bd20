# Two commanders step the level at the same moment from the same level: the
# incident moves one level, not two; one wins, the other is refused with rule
# escalate.stale (downgrade.stale) and journaled. --from LEVEL states the level
# the caller saw, so the outcome does not depend on process timing.
. "$SITREP_TOP/tests/e2e/lib.sh"
race() { # id verb from -> prints the two exit codes
	S "$2" "$1" --from "$3" --reason "A" >/dev/null 2>&1 & pa=$!
	S "$2" "$1" --from "$3" --reason "B" >/dev/null 2>&1 & pb=$!
	wait $pa; ra=$?; wait $pb; rb=$?
	echo "$ra $rb"
}
one_wins() { [ "$1$2" = "01" ] || [ "$1$2" = "10" ] || fail "$3: exit codes $1 $2, want one 0 and one 1"; }
level() { S status "$1" --json | sed -n 's/.*"level":"\{0,1\}\([A-Z]*\)"\{0,1\},.*/\1/p'; }
round=0
while [ $round -lt 3 ]; do
	round=$((round+1))
	id=$(S open --plan hotline-outage "race $round") || fail "open"
	one_wins $(race "$id" escalate none) "round $round escalate from none"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id"), want III"
	expect_code 0 S timeline "$id"
	expect_out "escalate.stale"
	one_wins $(race "$id" escalate III) "round $round escalate from III"
	[ "$(level "$id")" = "II" ] || fail "round $round: level $(level "$id"), want II"
	one_wins $(race "$id" downgrade II) "round $round downgrade from II"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id"), want III"
done
# a stale --from is refused even alone; a wrong level name is a usage error
expect_code 1 S escalate "$id" --from II --reason "I saw II"
expect_out "escalate.stale"
expect_out "level III now"
expect_code 2 S escalate "$id" --from IX --reason "no such level"
expect_code 2 S escalate "$id" --from III --to I --reason "both"
# without --from a command steps from the level it reads just before writing:
# one after the other still moves one step each time
id=$(S open --plan hotline-outage "sequential") || fail "open"
expect_code 0 S escalate "$id" --reason one
expect_code 0 S escalate "$id" --reason two
expect_code 0 S escalate "$id" --reason three
[ "$(level "$id")" = "I" ] || fail "sequential escalations: level $(level "$id"), want I"
exit 0
