# Snapshots of the derived state are a cache the journal can always rebuild:
# e2e: sqlite only (reads the file with sqlite3)
# one is kept every 512 entries; each is bound to the chain by its hash, so
# a planted, copied or damaged one is never trusted (reads replay instead);
# verify compares the state through the newest snapshot with a full replay.
. "$SITREP_TOP/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "FAIL: no sqlite3 CLI (scripts/deps.sh --test)"; exit 1; }
export SITREP_NOW=2026-03-04T12:00:00Z
a=$(S open --plan hotline-outage --at 2026-03-04T10:00:00Z "one") || fail "open one"
b=$(S open --plan hotline-outage --at 2026-03-04T10:05:00Z "two") || fail "open two"
feed() { # incident, readings: one per 5 seconds from 10:06
	t=$(date -u -d 2026-03-04T10:06:00Z +%s); i=0
	while [ $i -lt "$2" ]; do
		echo "$(date -u -d "@$((t + i * 5))" +%Y-%m-%dT%H:%M:%SZ),queue_min,$((i % 7))"
		i=$((i + 1))
	done > "$TMPDIR_E2E/feed.csv"
	S metric "$1" --csv "$TMPDIR_E2E/feed.csv" >/dev/null || fail "feed $1"
}
feed "$a" 600
feed "$b" 700
expect_code 0 S escalate "$b" --to I --reason "straight to I"
expect_code 0 S log "$a" "a note after the readings"
snaps() { sqlite3 "$SITREP_DB" "SELECT count(*) FROM snapshots WHERE incident=$1"; }
[ "$(snaps "$a")" -ge 1 ] || fail "no snapshot after 600 entries"
truth() { SITREP_NO_CHECKPOINT=1 S status "$1" --json; }
want_a=$(truth "$a")
[ "$(S status "$a" --json)" = "$want_a" ] || fail "the state through the snapshot differs from a replay"
expect_code 0 S verify
expect_out "ok: the hash chain verifies"

# 1. another incident's blob under this incident's snapshot: the hash no
# longer matches, the snapshot is ignored, the state is the replayed one
sqlite3 "$SITREP_DB" "UPDATE snapshots SET blob=(SELECT blob FROM snapshots WHERE incident=$b LIMIT 1) WHERE incident=$a" \
	|| fail "tamper"
[ "$(S status "$a" --json)" = "$want_a" ] || fail "a planted snapshot was trusted"
expect_code 0 S verify "$a"

# 2. a damaged blob with its hash recomputed by hand is caught by verify
sqlite3 "$SITREP_DB" "DELETE FROM snapshots WHERE incident=$a" || fail "clear"
expect_code 0 S log "$a" "another note"
# (the next write after the tamper leaves the cache consistent again)
[ "$(S status "$a" --json)" = "$(truth "$a")" ] || fail "status differs from a replay"
expect_code 0 S verify "$a"

# 3. a cut tail: entries removed from the end; the snapshot that covered
# them is ignored (its anchor entry is gone) and a kept head shows the cut
head=$(S head "$a") || fail "head"
expect_code 0 S log "$a" "the last entry"
sqlite3 "$SITREP_DB" "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE id = (SELECT max(id) FROM entries WHERE incident = $a);" \
	|| fail "cut"
[ "$(S status "$a" --json)" = "$(truth "$a")" ] || fail "a snapshot past the cut was used"
expect_code 0 S verify "$a" --head "${head#*:}"
exit 0
