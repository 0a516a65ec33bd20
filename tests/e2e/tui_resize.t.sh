# Resizing never crashes: at 50x12 the console says how much room it needs,
# back at 100x30 it shows everything again, a half-typed form included.
# NO_COLOR (and monochrome terminals): the badge text still says the level.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "resize 客服热线中断") || fail "open"
expect_code 0 S escalate "$id" --reason "test"

tm_start_console 100 30
tm_wait "resize 客服热线中断"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys l
tm_wait "log a note"
tm_keys -l "abc 中文"
tm resize-window -t t -x 50 -y 12 || fail "resize"
tm_wait "needs 80x24, have 50x12"
tm_wait "terminal too small"
tm resize-window -t t -x 100 -y 30 || fail "resize back"
tm_wait "> abc 中文"
tm_keys Escape
tm_wait "DEADLINES ("
tm_wait "LEVEL III"
# smaller and larger again, quickly, several times
for s in "80 24" "40 8" "120 40" "20 5" "100 30"; do
	set -- $s
	tm resize-window -t t -x "$1" -y "$2" || fail "resize $s"
	sleep 0.2
done
tm_wait "DEADLINES ("
[ "$(tm display -p -t t '#{pane_dead}')" = 0 ] || { tm_screen >&2; fail "the console died"; }
tm_keys q q
tm_wait_exit

# monochrome: NO_COLOR set, and a terminal without colours (the dead pane
# of the first console keeps the tmux server up)
screen_of() { tm capture-pane -p -t "$1"; }
wait_in() { # session text
	i=0; while [ $i -lt 200 ]; do
		screen_of "$1" | grep -qF -- "$2" && return 0; sleep 0.1; i=$((i+1))
	done
	screen_of "$1" >&2; fail "session $1 never showed '$2'"
}
tm new-session -d -x 100 -y 30 -s n "env NO_COLOR=1 $SITREP_BIN" || fail "tmux"
wait_in n "LEVEL III"
tm send-keys -t n Enter
wait_in n "LEVEL III  resize"
tm send-keys -t n q q
tm new-session -d -x 100 -y 30 -s m "env TERM=vt100 $SITREP_BIN" || fail "tmux vt100"
wait_in m "LEVEL III"
tm send-keys -t m Enter
wait_in m "LEVEL III  resize"
tm send-keys -t m q q
exit 0
