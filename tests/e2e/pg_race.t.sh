# Two commanders on two sites step the level at the same moment from the
# same level, against one PostgreSQL database: the incident moves one level,
# not two; one wins, the other is refused (escalate.stale / downgrade.stale)
# and journaled. The rule check runs after the incident's row is locked.
. "$SITREP_TOP/tests/e2e/pg_lib.sh"
SITREP_DB=$(pg_newdb race) || fail "no database"
export SITREP_DB
race() { # id verb from -> prints the two exit codes
	S "$2" "$1" --from "$3" --reason "site A" >/dev/null 2>&1 & pa=$!
	S "$2" "$1" --from "$3" --reason "site B" >/dev/null 2>&1 & pb=$!
	wait $pa; ra=$?; wait $pb; rb=$?
	echo "$ra $rb"
}
one_wins() { [ "$1$2" = "01" ] || [ "$1$2" = "10" ] || fail "$3: exit codes $1 $2, want one 0 and one 1"; }
level() { S status "$1" --json | sed -n 's/.*"level":"\{0,1\}\([A-Z]*\)"\{0,1\},.*/\1/p'; }
round=0
while [ $round -lt 5 ]; do
	round=$((round+1))
	id=$(S open --plan hotline-outage "race $round") || fail "open"
	# shellcheck disable=SC2046
	one_wins $(race "$id" escalate none) "round $round escalate from none"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id"), want III"
	expect_code 0 S timeline "$id"
	expect_out "escalate.stale"
	# shellcheck disable=SC2046
	one_wins $(race "$id" escalate III) "round $round escalate from III"
	[ "$(level "$id")" = "II" ] || fail "round $round: level $(level "$id"), want II"
	# shellcheck disable=SC2046
	one_wins $(race "$id" downgrade II) "round $round downgrade from II"
	[ "$(level "$id")" = "III" ] || fail "round $round: level $(level "$id"), want III"
done
# many writers on many incidents at once: nothing lost, every chain whole
i=0
while [ $i -lt 6 ]; do
	i=$((i+1))
	( for n in 1 2 3 4 5; do S log $(( (i % 3) + 1 )) "writer $i note $n" >/dev/null || exit 1; done ) &
done
wait || true
n=$(PSQL -At "$SITREP_DB" -c "SELECT count(*) FROM entries WHERE kind = 'log'") || fail "count"
[ "$n" = 30 ] || fail "$n log entries, want 30"
expect_code 0 S verify
exit 0
