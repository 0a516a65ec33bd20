# Found by the plain-escalate race (issue 14 #8): a command without --at
# must never be refused as "--at is in the future". The write reads the
# real clock for recorded_at when its transaction starts, then the
# occurrence time again after deriving the state; when a second boundary
# falls in between (about 1 race in 80 here; every time with a busy
# machine or a long replay), the command fails with exit 2. libfaketime
# running the clock 10000 times fast makes the boundary fall there always.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need faketime
bad=""
for cmd in "log ID a-note" "metric ID queue_min=3" "escalate ID --reason fast-clock" "task ID a-task --due 1h"; do
	db="$TMPDIR_E2E/fast-$(echo "$cmd" | cut -d' ' -f1).db"
	id=$(FT '2026-11-20 11:00:00' --db "$db" open --plan hotline-outage "second boundary") || fail "open"
	# shellcheck disable=SC2046
	OUT=$(ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" faketime -f '@2026-11-20 12:00:00 x10000' \
		"$SITREP_BIN" --db "$db" $(echo "$cmd" | sed "s/ID/$id/") 2>&1); rc=$?
	[ $rc = 0 ] || bad="$bad
  sitrep $cmd (no --at): exit $rc: $OUT"
done
[ -z "$bad" ] || fail "commands without --at refused while the clock ticked:$bad"
exit 0
