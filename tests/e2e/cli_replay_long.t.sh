# A full replay of a long incident (SITREP_NO_CHECKPOINT: no snapshots read)
# walks its entries on a second thread past the first 4,096 (docs/
# architecture.md): the state it derives is the one the snapshots give,
# through warnings raised and cleared by the readings, a level and notes.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-03-05T12:00:00Z
id=$(S open --plan hotline-outage --at 2026-03-04T10:00:00Z "long") || fail "open"
# 6,000 readings, one every 10 s from 10:01: complaints rise past the
# thresholds (a yellow warning, levels proposed) and fall back now and then
t=$(date -u -d 2026-03-04T10:01:00Z +%s)
awk -v t="$t" 'BEGIN {
	for (i = 0; i < 6000; i++) {
		c = (i % 900 < 450) ? 125 + (i % 30) : 60 + (i % 20)
		printf "%s,complaints_pct,%d\n", strftime("%Y-%m-%dT%H:%M:%SZ", t + i * 10, 1), c
	}
}' > "$TMPDIR_E2E/feed.csv"
expect_code 0 S metric "$id" --csv "$TMPDIR_E2E/feed.csv"
expect_code 0 S escalate "$id" --reason "still rising"
expect_code 0 S log "$id" "after the feed"
full=$(SITREP_NO_CHECKPOINT=1 S status "$id" --json) || fail "full replay: $full"
snap=$(S status "$id" --json) || fail "status: $snap"
[ "$full" = "$snap" ] || fail "a full replay differs from the state through the snapshots"
case "$full" in *'"state":"response"'*) ;; *) fail "not a response after escalate: $full" ;; esac
# the same at a time in the middle of the feed (a replay that stops early)
mid=$(SITREP_NO_CHECKPOINT=1 S status "$id" --json --at 2026-03-04T23:00:00Z) || fail "mid"
[ "$mid" = "$(S status "$id" --json --at 2026-03-04T23:00:00Z)" ] || fail "replay to the middle differs"
expect_code 0 S verify "$id"
exit 0
