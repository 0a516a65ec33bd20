# Issue 14 #15: modes and odd paths. A FIFO as the database path: list,
# open and verify exit promptly (exit 4) with a message, never hang. A
# database created in a world-writable sticky folder (like /tmp) is 0600,
# under umask 077 as under 000 and 022: such a folder shares nothing with a
# group. A group-shared folder (setgid) gives 0660 (DESIGN.md).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need timeout
cd "$TMPDIR_E2E" || fail "cd"
mkfifo fifo.db || fail "mkfifo"
for cmd in "list" "open --plan hotline-outage through-a-fifo" "verify"; do
	# shellcheck disable=SC2086
	OUT=$(timeout 10 "$SITREP_BIN" --db fifo.db $cmd 2>&1); rc=$?
	[ $rc != 124 ] || fail "sitrep --db FIFO $cmd hung (killed after 10 s)"
	[ $rc = 4 ] || fail "sitrep --db FIFO $cmd: exit $rc, want 4: $OUT"
	expect_out "FIFO"
done
mode() { stat -c %a "$1"; }
mkdir sticky && chmod 1777 sticky
mkdir open && chmod 0777 open
for m in 077 022 000; do
	for d in sticky open; do
		db="$d/umask$m.db"
		(umask $m && "$SITREP_BIN" --db "$db" open --plan hotline-outage "umask $m in $d" >/dev/null) || fail "open in $d under umask $m"
		[ "$(mode "$db")" = 600 ] || fail "a database made in a world-writable $d folder under umask $m is $(mode "$db"), want 600"
		for side in "$db-wal" "$db-shm"; do
			[ ! -e "$side" ] || [ "$(mode "$side")" = 600 ] || fail "$side is $(mode "$side"), want 600"
		done
	done
done
# the group-shared folder: setgid
mkdir shared && chmod 2770 shared
(umask 077 && "$SITREP_BIN" --db shared/team.db open --plan hotline-outage "group-shared" >/dev/null) || fail "open in a group-shared folder"
[ "$(mode shared/team.db)" = 660 ] || fail "a database made in a setgid folder is $(mode shared/team.db), want 660"
exit 0
