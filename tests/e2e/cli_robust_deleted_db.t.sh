# Issue 14 #2 (the command-line variant; the console's belongs to the
# e2e: sqlite only (deletes and replaces the database file)
# console tests): a write into a deleted database is never acknowledged.
# - the files deleted between two commands: the next write is not
#   reported as saved (and the next read sees no incident);
# - deleted while `metric --csv -` waits for its input: exit 4, "deleted";
# - deleted while a notice's channel program runs: the outcome is not
#   reported as saved.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
rmdb() { rm -f "$SITREP_DB" "$SITREP_DB-wal" "$SITREP_DB-shm"; }
saved_msg() { case "$1" in *recorded* | *imported* | *sent* | *delivered*) return 0 ;; esac; return 1; }

# --- between two commands
id=$(S open --plan hotline-outage "deleted between commands") || fail "open"
expect_code 0 S log "$id" "saved"
rmdb
OUT=$(S log "$id" "into a deleted journal" 2>&1); rc=$?
[ $rc != 0 ] || fail "log into a deleted journal exited 0: $OUT"
saved_msg "$OUT" && fail "log into a deleted journal said it was saved: $OUT"

# --- while a command waits for its input
rmdb
export SITREP_NOW=2026-11-02T10:00:00Z
id=$(S open --plan hotline-outage --at 2026-11-02T09:00:00Z "deleted while importing") || fail "open"
fifo="$TMPDIR_E2E/csv.fifo"
mkfifo "$fifo" || fail "mkfifo"
S metric "$id" --csv - < "$fifo" > "$TMPDIR_E2E/import.out" 2>&1 &
pid=$!
exec 7>"$fifo"
# wait until the import has the journal open (its shared-memory file is there)
i=0
while [ ! -e "$SITREP_DB-shm" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$SITREP_DB-shm" ] || { exec 7>&-; fail "the import never opened the journal"; }
sleep 0.3
rmdb
printf 'time,name,value\n2026-11-02T09:10:00Z,queue_min,3\n' >&7
exec 7>&-
wait $pid; rc=$?
OUT=$(cat "$TMPDIR_E2E/import.out")
[ $rc = 4 ] || fail "an import into a journal deleted meanwhile exited $rc, want 4: $OUT"
expect_out "deleted"
saved_msg "$OUT" && fail "the import said it was saved: $OUT"
unset SITREP_NOW

# --- while a channel program runs
rmdb
export SITREP_PLANS="$FIXPLANS"
rec="$TMPDIR_E2E/rec"
write_channels "$TMPDIR_E2E/channels.yaml" "$rec"
export SITREP_CHANNELS="$TMPDIR_E2E/channels.yaml"
id=$(S open --plan notice-drill "deleted while sending") || fail "open"
S notify "$id" fail_notice --channel slow > "$TMPDIR_E2E/notify.out" 2>&1 &
pid=$!
i=0
while [ ! -e "$rec/slow.started" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$rec/slow.started" ] || { wait $pid; fail "the slow channel never started: $(cat "$TMPDIR_E2E/notify.out")"; }
rmdb
wait $pid; rc=$?
OUT=$(cat "$TMPDIR_E2E/notify.out")
[ $rc != 0 ] || fail "notify into a journal deleted while the channel ran exited 0: $OUT"
saved_msg "$OUT" && fail "notify said the outcome was saved into a deleted journal: $OUT"
exit 0
