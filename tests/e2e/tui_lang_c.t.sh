# Under LANG=C (common over SSH) Chinese still shows, at its real width:
# the program sets a UTF-8 character type before the terminal is set up.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "客服热线中断 LANG=C") || fail "open"
expect_code 0 S log "$id" "值班经理已核实"
# only the console runs under LANG=C (tmux stays UTF-8 to read its screen)
tm_start 80 24 env -u LC_ALL -u LANGUAGE LANG=C "$SITREP_BIN"
tm_wait "客服热线中断 LANG=C"
tm_screen | grep -q '??' && { tm_screen >&2; fail "question marks for Chinese"; }
tm_keys Enter
tm_wait "客服热线中断"
tm_keys v
tm_wait "值班经理已核实"
w=$(tm_screen | LC_ALL=C.UTF-8 wc -L)
[ "$w" -le 80 ] || { tm_screen >&2; fail "a row is $w columns wide"; }
tm_keys q
tm_wait "DEADLINES ("
tm_keys l
tm_keys -l "中文输入"
tm_wait "> 中文输入"
tm_keys Escape
exit 0
