# The timeline people read in Chinese: the kind column in words ("发布预警"),
# and what the rules did naming the plan's deadlines, roles, resources,
# triggers and assessment rules
# by their Chinese names with the id a command takes ("值班经理5分钟内完成
# 信息核实（verify_report）"). English keeps the ids, in the text and in the
# outcome; CSV and JSON keep the journal's kinds in every language.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-11-20T09:30:00Z
zh() { LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
en() { LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
id=$(S open --plan hotline-outage --at 2026-11-20T09:00:00Z "时间线 timeline") || fail "open"
expect_code 0 S warn "$id" blue --reason "排队上升" --at 2026-11-20T09:05:00Z
expect_code 0 S escalate "$id" --to II --reason "影响扩大" --at 2026-11-20T09:10:00Z
OUT=$(zh assign "$id" tech_lead alice 2>&1) || fail "assign: $OUT"
expect_out "alice 担任角色 技术处置组组长（IT部）（tech_lead）"
OUT=$(zh resource "$id" deploy power_vehicle 2>&1) || fail "resource: $OUT"
expect_out "已调派 1 个 应急电源车（通信类）（power_vehicle）"
OUT=$(en done "$id" impact_assessment --at 2026-11-20T09:12:00Z 2>&1) || fail "done: $OUT"
expect_out "impact_assessment done"
expect_no_out "within 15"

# a trigger by its title with its id; an assessment's rule by its why
# alone (no command takes "matrix#N"); English keeps both ids
OUT=$(zh metric "$id" complaints_pct=160 2>&1) || fail "metric: $OUT"
expect_out "触发条件 客户投诉量超日均值50%以上（complaints_level_i） 已触发"
OUT=$(zh assess "$id" --scope regional --recovery 6h --criticality core --risk low 2>&1) ||
	fail "assess (zh): $OUT"
expect_out "II 级响应（区域性服务中断为二级响应（§1.2"
expect_no_out "matrix#"
OUT=$(en assess "$id" --scope nationwide --recovery 2h --criticality general --risk none 2>&1) ||
	fail "assess (en): $OUT"
expect_out "the assessment gives level I (matrix#1)"

OUT=$(zh timeline "$id" 2>&1) || fail "timeline (zh): $OUT"
expect_out "类型"
expect_out "开启事件"
expect_out "发布预警"
expect_out "指派角色"
expect_out "值班经理5分钟内完成信息核实（verify_report） 将在 00:05:00 后到期"
expect_out "预警期每小时上报最新监测数据（warning_monitoring_report）：不再适用"
expect_out "技术处置组15分钟内出具影响评估（impact_assessment） 已完成"
# the kind column holds words, not the journal's ids
printf '%s\n' "$OUT" | grep -E '^2026-11-20 [0-9:]+ +T\+[0-9:]+ +[a-z]+ +(open|warn|escalate|assign|resource|done) ' &&
	fail "a kind id in the Chinese text timeline"

OUT=$(zh timeline "$id" --format md 2>&1) || fail "timeline md (zh): $OUT"
expect_out "| 升级 |"

OUT=$(en timeline "$id" 2>&1) || fail "timeline (en): $OUT"
expect_out "verify_report due in 00:05:00"
expect_out "warning_monitoring_report: no longer applies"
expect_out " escalate "
expect_no_out "（"

for f in csv json; do
	OUT=$(zh timeline "$id" --format $f 2>&1) || fail "timeline $f (zh): $OUT"
	expect_out "escalate"
	expect_no_out "指派角色"
done
exit 0
