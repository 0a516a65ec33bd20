# verify covers the checkpoint cache: a checkpoint that disagrees with the
# journal is an integrity failure (exit 5), discarded so that the next read
# replays the journal; reads ignore a checkpoint that does not fit the journal.
. "$SITREP_TOP/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3 CLI"; exit 0; }
export SITREP_NOW=2026-03-04T12:00:00Z
a=$(S open --plan hotline-outage --at 2026-03-04T10:00:00Z "one") || fail "open one"
expect_code 0 S escalate "$a" --reason "first step"
b=$(S open --plan hotline-outage --at 2026-03-04T10:05:00Z "two") || fail "open two"
expect_code 0 S escalate "$b" --to I --reason "straight to I"
expect_code 0 S log "$b" "later note"
truth() { SITREP_NO_CHECKPOINT=1 S status "$1" --json; }
want_a=$(truth "$a")
case "$want_a" in *'"level":"III"'*) ;; *) fail "incident $a should be at III: $want_a" ;; esac
expect_code 0 S verify
expect_out "ok: the hash chain verifies"

# 1. another incident's state under this incident's (consistent) position
sqlite3 "$SITREP_DB" "UPDATE checkpoints SET blob=(SELECT blob FROM checkpoints WHERE incident=$b) WHERE incident=$a" \
	|| fail "tamper"
[ "$(sqlite3 "$SITREP_DB" "SELECT count(*) FROM checkpoints WHERE incident=$a AND length(blob)>0")" = 1 ] \
	|| fail "no checkpoint to tamper with"
[ "$(S status "$a" --json)" != "$want_a" ] || fail "the tampered checkpoint is not read: the test proves nothing"
expect_code 5 S verify
expect_out "incident $a: checkpoint disagrees with the journal; it was discarded and the state will be replayed"
expect_no_out "incident $b:"
[ "$(S status "$a" --json)" = "$want_a" ] || fail "status after verify is not the replayed state"
expect_code 0 S verify
expect_code 0 S verify "$a"
# the next write stores a good checkpoint again
expect_code 0 S log "$a" "after the repair"
[ "$(sqlite3 "$SITREP_DB" "SELECT length(blob)>0 FROM checkpoints WHERE incident=$a")" = 1 ] \
	|| fail "no checkpoint written after the repair"
[ "$(S status "$a" --json)" = "$(truth "$a")" ] || fail "status differs from a replay after the repair"
expect_code 0 S verify "$a"

# 2. the audit's tamper: blob and max_id of another incident (a position
# beyond this incident's last entry): reads ignore it, verify flags it
want_a=$(truth "$a")
sqlite3 "$SITREP_DB" "UPDATE checkpoints SET blob=(SELECT blob FROM checkpoints WHERE incident=$b),
	max_id=(SELECT max_id FROM checkpoints WHERE incident=$b) + 10 WHERE incident=$a" || fail "tamper 2"
[ "$(S status "$a" --json)" = "$want_a" ] || fail "a checkpoint beyond the last entry was used"
expect_code 5 S verify "$a"
expect_out "incident $a: checkpoint disagrees with the journal"
expect_code 0 S verify "$a"

# 3. a position pointing at another incident's entry
bid=$(sqlite3 "$SITREP_DB" "SELECT max(id) FROM entries WHERE incident=$b")
aid=$(sqlite3 "$SITREP_DB" "SELECT max(id) FROM entries WHERE incident=$a")
[ "$bid" -lt "$aid" ] || fail "expected an entry of $b before the last of $a"
expect_code 0 S log "$a" "write a checkpoint"
sqlite3 "$SITREP_DB" "UPDATE checkpoints SET blob=(SELECT blob FROM checkpoints WHERE incident=$b),
	pos_id=$bid, pos_occ=(SELECT occurred_at FROM entries WHERE id=$bid) WHERE incident=$a" || fail "tamper 3"
[ "$(S status "$a" --json)" = "$(truth "$a")" ] || fail "a checkpoint at another incident's entry was used"
expect_code 5 S verify
expect_out "incident $a: checkpoint disagrees"
expect_code 0 S verify

# 4. a cut tail that leaves the checkpoint behind: the checkpoint covers an
# entry that is gone, so verify notices even without a kept head
expect_code 0 S log "$a" "the last entry"
sqlite3 "$SITREP_DB" "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE id = (SELECT max(id) FROM entries WHERE incident = $a);" \
	|| fail "cut"
[ "$(S status "$a" --json)" = "$(truth "$a")" ] || fail "a checkpoint past the cut was used"
expect_code 5 S verify "$a"
expect_out "incident $a: checkpoint disagrees with the journal"
expect_code 0 S verify "$a"
