# Several writers on one database: nothing lost, no "database is locked",
# and racing escalations cannot both win (BEGIN IMMEDIATE + the rule check
# inside the transaction).
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "concurrency 并发") || fail "open"
N=20
w=1
while [ $w -le 4 ]; do
	(
		i=1
		while [ $i -le $N ]; do
			if [ $((w % 2)) = 0 ]; then
				S log "$id" "writer $w note $i 记录" >/dev/null 2>>"$TMPDIR_E2E/err.$w" ||
					echo "exit $? on $i" >>"$TMPDIR_E2E/err.$w"
			else
				S metric "$id" queue_min=$i cpu_pct=50 >/dev/null 2>>"$TMPDIR_E2E/err.$w" ||
					echo "exit $? on $i" >>"$TMPDIR_E2E/err.$w"
			fi
			i=$((i + 1))
		done
	) &
	w=$((w + 1))
done
wait
for w in 1 2 3 4; do
	if [ -s "$TMPDIR_E2E/err.$w" ]; then
		cat "$TMPDIR_E2E/err.$w" >&2
		fail "writer $w reported errors"
	fi
done
if grep -q "database is locked" "$TMPDIR_E2E"/err.* 2>/dev/null; then
	fail "a writer printed 'database is locked'"
fi
S timeline "$id" --format csv > "$TMPDIR_E2E/tl.csv" || fail "timeline"
logs=$(grep -c ',log,' "$TMPDIR_E2E/tl.csv")
metrics=$(grep -c ',metric,' "$TMPDIR_E2E/tl.csv")
[ "$logs" = $((2 * N)) ] || fail "expected $((2 * N)) notes, found $logs"
[ "$metrics" = $((2 * N)) ] || fail "expected $((2 * N)) readings, found $metrics"
for w in 2 4; do
	i=1
	while [ $i -le $N ]; do
		grep -q "writer $w note $i 记录" "$TMPDIR_E2E/tl.csv" || fail "lost note $i of writer $w"
		i=$((i + 1))
	done
done
expect_code 0 S verify "$id"

# Two commanders press escalate --to II at the same moment: one wins.
round=1
while [ $round -le 3 ]; do
	r=$(S open --plan hotline-outage "race $round") || fail "open race"
	expect_code 0 S escalate "$r" --to III --reason "start"
	( S escalate "$r" --to II --reason "A" >"$TMPDIR_E2E/a.out" 2>&1; echo $? >"$TMPDIR_E2E/a.rc" ) &
	( S escalate "$r" --to II --reason "B" >"$TMPDIR_E2E/b.out" 2>&1; echo $? >"$TMPDIR_E2E/b.rc" ) &
	wait
	ra=$(cat "$TMPDIR_E2E/a.rc"); rb=$(cat "$TMPDIR_E2E/b.rc")
	case "$ra$rb" in
	01|10) ;;
	*) fail "round $round: exits $ra and $rb (want one 0 and one 1): $(cat "$TMPDIR_E2E/a.out" "$TMPDIR_E2E/b.out")" ;;
	esac
	grep -q "database is locked" "$TMPDIR_E2E/a.out" "$TMPDIR_E2E/b.out" && fail "locked"
	expect_code 0 S status "$r" --json
	expect_out '"level":"II"'
	round=$((round + 1))
done
exit 0
