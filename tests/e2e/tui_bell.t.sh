# A bell (and a flash) when a deadline goes late while the dashboard shows
# it; SITREP_BELL=0 turns it off. The deadline is made to fall due a few
# seconds after the console opens: the incident opened (backfilled) just
# under five minutes ago, verify_report is due five minutes after opening.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
ago() { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%SZ; }
bell_in() { # session: wait for its bell flag
	i=0
	while [ $i -lt 200 ]; do
		[ "$(tm display -p -t "$1" '#{window_bell_flag}')" = 1 ] && return 0
		sleep 0.1; i=$((i+1))
	done
	return 1
}
id=$(S open --plan hotline-outage --at "$(ago 292)" "bell") || fail "open"
tm_start 100 30 "$SITREP_BIN"
tm -f /dev/null new-session -d -x 100 -y 30 -s quiet "env SITREP_BELL=0 $SITREP_BIN" || fail "second console"
tm set-option -g bell-action any >/dev/null 2>&1 || true
# a session that is not shown gets the bell flag; make `t` not the current one
tm_wait "bell"
tm_keys Enter
tm send-keys -t quiet Enter
tm_wait "in 00:00:"
tm_wait "LATE 00:00:"
bell_in t || { tm_screen >&2; fail "no bell when the deadline went late"; }
bell_in quiet && fail "SITREP_BELL=0 rang"
exit 0
