# Issue 14 #3: an existing empty file is never adopted as the journal.
# e2e: sqlite only (plants files where the database goes)
# - pre-created empty, mode 666, in a world-writable sticky folder: refused;
# - a symbolic link to an empty file: refused, the target stays empty;
# - as root, an empty file owned by another user: refused;
# - a journal truncated to 0 bytes: an integrity failure (exit 5), for
#   reads, writes and verify (which never says ok).
# Refusals exit 4 or 5 with a message naming the file; nothing is written.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
refused() { # what, exit code seen
	case "$2" in 4 | 5) ;; *) fail "$1: exit $2, want 4 or 5: $OUT" ;; esac
	expect_no_out "ok:"
}
run() { OUT=$("$SITREP_BIN" "$@" 2>&1); rc=$?; }
shared="$TMPDIR_E2E/shared"
mkdir -p "$shared" && chmod 1777 "$shared"

# pre-created, empty, mode 666
: > "$shared/victim.db" && chmod 666 "$shared/victim.db"
for cmd in "list" "open --plan hotline-outage adopted?" "verify"; do
	# shellcheck disable=SC2086
	run --db "$shared/victim.db" $cmd
	refused "empty 0666 file: $cmd" $rc
	expect_out "victim.db"
done
[ ! -s "$shared/victim.db" ] || fail "sitrep wrote into a pre-created 0666 file"

# a symbolic link to an empty file
: > "$TMPDIR_E2E/target"
ln -s "$TMPDIR_E2E/target" "$shared/link.db"
run --db "$shared/link.db" open --plan hotline-outage "through a link"
refused "symlink to an empty file" $rc
[ ! -s "$TMPDIR_E2E/target" ] || fail "sitrep followed the link and filled its target"
# a link to a good journal is refused too (sitrep never opens through a link)
id=$(S open --plan hotline-outage "a good journal") || fail "open"
ln -s "$SITREP_DB" "$shared/good-link.db"
run --db "$shared/good-link.db" log "$id" "through a link"
refused "symlink to a journal" $rc

# owned by someone else (only root can make such a file here)
if [ "$(id -u)" = 0 ]; then
	: > "$shared/theirs.db" && chown 65534 "$shared/theirs.db" && chmod 644 "$shared/theirs.db"
	run --db "$shared/theirs.db" open --plan hotline-outage "in their file"
	refused "an empty file owned by uid 65534" $rc
	[ ! -s "$shared/theirs.db" ] || fail "sitrep wrote into a file owned by another user"
	# not only empty ones: a journal of theirs is not ours to write
	cp "$SITREP_DB" "$shared/their-journal.db" && chown 65534 "$shared/their-journal.db" && chmod 600 "$shared/their-journal.db"
	run --db "$shared/their-journal.db" log "$id" "in their journal"
	refused "a journal owned by uid 65534" $rc
else
	echo "skip: not root, cannot make a file owned by another user" >&2
fi

# a journal truncated to nothing: integrity failure, never a fresh start
expect_code 0 S log "$id" "before the truncation"
: > "$SITREP_DB"
rm -f "$SITREP_DB-wal" "$SITREP_DB-shm"
for cmd in "list" "status $id" "log $id after" "open --plan hotline-outage fresh?" "verify" "verify $id"; do
	# shellcheck disable=SC2086
	run $cmd
	[ $rc = 5 ] || fail "a truncated journal: '$cmd' exit $rc, want 5: $OUT"
	expect_out "empty"
done
[ ! -s "$SITREP_DB" ] || fail "the truncated journal was re-created"
exit 0
