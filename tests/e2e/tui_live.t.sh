# Two consoles on one database see each other's changes within seconds, and
# a command-line write appears in both; a half-typed form survives the
# refresh; Esc then journals nothing.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
count() { S timeline "$1" --format csv | grep -vc ',export,'; }
id=$(S open --plan hotline-outage "两个控制台 live") || fail "open"

tm_start 100 30 "$SITREP_BIN"
tm -f /dev/null new-session -d -x 100 -y 30 -s u "$SITREP_BIN" || fail "tmux second console"
screen_u() { tm capture-pane -p -t u; }
wait_u() {
	i=0; while [ $i -lt $(( ${2:-20} * 10 )) ]; do
		screen_u | grep -qF -- "$1" && return 0; sleep 0.1; i=$((i+1))
	done
	screen_u >&2; fail "second console never showed '$1'"
}
tm_wait "两个控制台 live"
wait_u "两个控制台 live"
tm_keys Enter
tm send-keys -t u Enter
tm_wait "DEADLINES ("
wait_u "DEADLINES"

# a note from the second console appears in the first
tm send-keys -t u l
wait_u "log a note"
tm send-keys -t u -l "from console two"
tm send-keys -t u Enter
# the latest actions are at the foot of the dashboard: G goes there
tm send-keys -t u G
tm_keys G
wait_u "note: from console two"
tm_wait "note: from console two" 5
tm send-keys -t u g
tm_keys g

# a half-typed form in the first console, while the command line writes
tm_keys l
tm_wait "log a note"
tm_keys -l "half typed"
tm_wait "> half typed"
expect_code 0 S metric "$id" complaints_pct=135
tm_wait "YELLOW WARNING" 5
wait_u "YELLOW WARNING" 5
tm_wait "> half typed"
# the list in a console refreshes too
tm send-keys -t u q
wait_u "incidents (1)"
wait_u "YELLOW WARNING"
# Esc: the half-typed note is not journaled
n0=$(count "$id")
tm_keys Escape
tm_wait "cancelled: nothing journaled"
sleep 1
n1=$(count "$id")
[ "$n0" = "$n1" ] || fail "Esc journaled something: $n0 -> $n1"
expect_code 0 S timeline "$id"
expect_no_out "half typed"
exit 0
