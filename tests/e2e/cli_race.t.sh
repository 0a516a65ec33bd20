# Two commanders press escalate (one step, no --to) at the same moment: the
# incident moves one level, not two; one wins, the other is refused with
# rule escalate.stale and journaled. The same for downgrade.
. "$SITREP_TOP/tests/e2e/lib.sh"
race() { # id verb -> prints "wins refusals"
	S "$2" "$1" --reason "A" >/dev/null 2>&1 & pa=$!
	S "$2" "$1" --reason "B" >/dev/null 2>&1 & pb=$!
	wait $pa; ra=$?; wait $pb; rb=$?
	echo "$ra $rb"
}
level() { S status "$1" --json | sed -n 's/.*"level":"\{0,1\}\([A-Z]*\)"\{0,1\},.*/\1/p'; }
round=0
while [ $round -lt 4 ]; do
	round=$((round+1))
	id=$(S open --plan hotline-outage "race $round") || fail "open"
	set -- $(race "$id" escalate)
	[ "$1$2" = "01" ] || [ "$1$2" = "10" ] || fail "round $round: escalate exit codes $1 $2, want one 0 and one 1"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id") after two racing escalations, want III"
	expect_code 0 S timeline "$id"
	expect_out "escalate.stale"
	# from III, both ask for II: one wins
	set -- $(race "$id" escalate)
	[ "$1$2" = "01" ] || [ "$1$2" = "10" ] || fail "round $round: second escalate exit codes $1 $2"
	[ "$(level "$id")" = "II" ] || fail "round $round: level $(level "$id"), want II"
	# two downgrades from II: one wins, III
	set -- $(race "$id" downgrade)
	[ "$1$2" = "01" ] || [ "$1$2" = "10" ] || fail "round $round: downgrade exit codes $1 $2"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id") after racing downgrades, want III"
done
# one after the other still moves one step each time
id=$(S open --plan hotline-outage "sequential") || fail "open"
expect_code 0 S escalate "$id" --reason one
expect_code 0 S escalate "$id" --reason two
expect_code 0 S escalate "$id" --reason three
[ "$(level "$id")" = "I" ] || fail "sequential escalations: level $(level "$id"), want I"
exit 0
