# Issue 14 #8: two concurrent plain `escalate ID --reason x` (no --from)
# move the incident one level, never two: 20 trials from monitoring, 10
# from Level III. One command wins (exit 0); the other is refused (exit 1),
# or, if it ran wholly after the first, it is refused as stale too: a plain
# step is relative to the level its caller saw.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
level() { expect_code 0 S status "$1" --json; js 'd["level"]'; }
race() { # id -> "rcA rcB"; what each printed in $TMPDIR_E2E/a.out, b.out
	S escalate "$1" --reason "commander A" > "$TMPDIR_E2E/a.out" 2>&1 & pa=$!
	S escalate "$1" --reason "commander B" > "$TMPDIR_E2E/b.out" 2>&1 & pb=$!
	wait $pa; ra=$?; wait $pb; rb=$?
	echo "$ra $rb"
}
said() { printf '[A: %s] [B: %s]' "$(cut -c1-90 "$TMPDIR_E2E/a.out" | head -2 | tr '\n' ' ')" "$(cut -c1-90 "$TMPDIR_E2E/b.out" | head -2 | tr '\n' ' ')"; }
bad=""
t=0
while [ $t -lt 20 ]; do
	t=$((t + 1))
	id=$(S open --plan hotline-outage "race $t") || fail "open"
	rcs=$(race "$id")
	l=$(level "$id")
	if [ "$l" != III ]; then
		bad="$bad
  trial $t from monitoring: level $l, exit codes $rcs $(said)"
	else
		case "$rcs" in "0 1" | "1 0") ;; *) bad="$bad
  trial $t from monitoring: exit codes $rcs, want one 0 and one 1 (level $l) $(said)" ;; esac
	fi
done
t=0
while [ $t -lt 10 ]; do
	t=$((t + 1))
	id=$(S open --plan hotline-outage "race III $t") || fail "open"
	expect_code 0 S escalate "$id" --reason "to III"
	rcs=$(race "$id")
	l=$(level "$id")
	[ "$l" = II ] || bad="$bad
  trial $t from III: level $l, exit codes $rcs $(said)"
done
[ -z "$bad" ] || fail "two plain escalations moved the wrong number of levels:$bad"
# one after the other (not racing), each plain escalate still steps once
id=$(S open --plan hotline-outage "sequential") || fail "open"
expect_code 0 S escalate "$id" --reason one
expect_code 0 S escalate "$id" --reason two
[ "$(level "$id")" = II ] || fail "two sequential escalations: level $(level "$id")"
exit 0
