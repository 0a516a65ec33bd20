# A crash at any moment loses nothing that was acknowledged: writers are
# killed with SIGKILL in the middle of their work; every entry a writer was
# told was saved is in the journal afterwards, and the chain verifies.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "crash") || fail "open"
acks="$TMPDIR_E2E/acks"
: > "$acks"
writer() { # n: write notes until killed; print each acknowledged entry id
	i=0
	while [ $i -lt 400 ]; do
		out=$("$SITREP_BIN" log "$id" "writer $1 note $i" 2>/dev/null) &&
			printf '%s\n' "$out" | sed -n 's/.*entry \([0-9]*\).*/\1/p' >> "$acks"
		i=$((i+1))
	done
}
round=0
while [ $round -lt 3 ]; do
	round=$((round+1))
	( writer a ) & pa=$!
	( writer b ) & pb=$!
	sleep 1.5
	# kill the loops and whatever sitrep process they are in
	pkill -KILL -P $pa 2>/dev/null; pkill -KILL -P $pb 2>/dev/null
	kill -KILL $pa $pb 2>/dev/null
	pkill -KILL -f "$SITREP_BIN log $id" 2>/dev/null
	wait 2>/dev/null
done
n=$(wc -l < "$acks")
[ "$n" -gt 0 ] || fail "no write was acknowledged before the kills"
expect_code 0 S verify "$id"
expect_code 0 S timeline "$id" --format csv
while read -r e; do
	printf '%s\n' "$OUT" | grep -q "^$e," || fail "acknowledged entry $e is missing after the crash"
done < "$acks"
# and the database still takes writes
expect_code 0 S log "$id" "after the crashes"
expect_code 0 S verify "$id"
exit 0
