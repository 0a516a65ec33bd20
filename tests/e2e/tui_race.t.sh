# Two commanders on two consoles both press escalate on the same screen
# (level III): the first moves the incident to II, the second is refused as
# stale instead of moving it to I; the refusal is shown and journaled.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "同屏升级 race") || fail "open"
expect_code 0 S escalate "$id" --reason "start at III"

tm_start 100 30 "$SITREP_BIN"
tm -f /dev/null new-session -d -x 100 -y 30 -s u "$SITREP_BIN" || fail "tmux second console"
screen_u() { tm capture-pane -p -t u; }
wait_u() {
	i=0; while [ $i -lt $(( ${2:-20} * 10 )) ]; do
		screen_u | grep -qF -- "$1" && return 0; sleep 0.1; i=$((i+1))
	done
	screen_u >&2; fail "second console never showed '$1'"
}
tm_wait "同屏升级 race"
wait_u "同屏升级 race"
tm_keys Enter
tm send-keys -t u Enter
tm_wait "LEVEL III"
wait_u "LEVEL III"
# both open the escalate form while looking at level III
tm_keys e
tm send-keys -t u e
tm_wait "escalate from level III one step"
wait_u "escalate from level III one step"
tm_keys -l "commander A"
tm_keys Enter
tm_wait "LEVEL II "
# the second console refreshes underneath its open form, then submits
wait_u "LEVEL II " 5
wait_u "escalate from level III one step" 5   # its form still open, still saying III
tm send-keys -t u -l "commander B"
wait_u "commander B" 5
tm send-keys -t u Enter
wait_u "changed since you looked"
expect_code 0 S status "$id" --json
expect_out '"level":"II"'
expect_code 0 S timeline "$id"
expect_out "escalate.stale"
exit 0
