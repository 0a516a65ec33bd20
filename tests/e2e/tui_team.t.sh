# The team's keys on the dashboard and the review screen: T adds a task
# (title, owner, due), D and W deploy and withdraw resources (the item
# picker, then how many) and the panel shows what is out, M assesses the
# level with one picker per matrix dimension, F adds a follow-up on the
# review screen. Each is checked in the journal.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "team keys") || fail "open"

tm_start 100 30 "$SITREP_BIN"
tm_wait "team keys"
tm_keys Enter
tm_wait "DEADLINES ("

# T: a task with an owner and a due time, then on the dashboard
tm_keys T
tm_wait "add a task"
tm_keys -l "检查备用电源 check the backup power"
tm_keys Enter
tm_keys -l "王芳"
tm_keys Enter
tm_keys -l "45m"
tm_keys Enter
tm_wait "task t1 added"
expect_code 0 S status "$id" --json
expect_out '"id":"t1"'
expect_out '"person":"王芳"'
tm_wait "检查备用电源"

# D: deploy two power vehicles; the panel shows them; W withdraws them
tm_keys D
tm_wait "deploy resources: which item?"
tm_keys -l "power_vehicle"
tm_keys Enter
tm_wait "deploy how many of 'Emergency power vehicle (communications)'?"
tm_keys -l "2"   # typed into an empty field: 2, not 12
tm_keys Enter
expect_code 0 S status "$id" --json
printf '%s' "$OUT" | grep -q '"item":"power_vehicle","deployed":true,"count":2' \
	|| printf '%s' "$OUT" | grep -q '"count":2' || fail "not deployed: $OUT"
tm_keys G
tm_wait "2/2"
tm_keys g
tm_keys W
tm_wait "withdraw resources: which item?"
tm_keys Enter
tm_wait "withdraw how many of 'Emergency power vehicle (communications)'?"
tm_keys -l "3"
tm_keys Enter
tm_wait "refused"
# the refused count is asked again, what was typed kept: mend it
tm_wait "> 3"
tm_keys BSpace
tm_keys -l "2"
tm_keys Enter
tm_keys G
tm_wait "none deployed"
tm_keys g

# M: the matrix, one pick per dimension, gives a proposal
tm_keys M
tm_wait "assess (1/4)"
tm_wait "part of one region"   # the plan's label, its id beside it
tm_keys -l "single_region"
tm_keys Enter
tm_wait "assess (2/4)"
tm_keys -l "6h"
tm_keys Enter
tm_wait "assess (3/4)"
tm_keys Enter
tm_wait "assess (4/4)"
tm_keys Enter
tm_wait "assess: reason (optional)"
tm_keys -l "regional outage, 6 hours"
tm_keys Enter
tm_wait "the assessment gives"
expect_code 0 S timeline "$id" --format csv
printf '%s\n' "$OUT" | grep -q ',assess,' || fail "no assessment: $OUT"

# F on the review screen: a follow-up
tm_keys r
tm_wait "Figures"
tm_keys F
tm_wait "add a follow-up"
tm_keys -l "演练：复盘交换机故障 drill the switch failover"
tm_keys Enter
tm_keys -l "李伟"
tm_keys Enter Enter
tm_wait "follow-up t2 added"
expect_code 0 S status "$id" --json
expect_out '"kind":"followup"'
tm_keys G
tm_wait "Follow-ups"
tm_wait "演练：复盘交换机故障"
exit 0
