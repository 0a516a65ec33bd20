# `status` in Chinese: the state's clauses apart with the language's marks
# ("响应，II 级：二级响应"), a criterion's role by the plan's name for it
# with its id, in full-width brackets; a notice's recipients by the plan's
# names for them; English as before, with ids.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-11-20T09:30:00Z
zh() { LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
en() { LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
id=$(S open --plan hotline-outage --at 2026-11-20T09:00:00Z "状态 status") || fail "open"
expect_code 0 S escalate "$id" --to II --reason "影响扩大" --at 2026-11-20T09:10:00Z

OUT=$(zh status "$id" 2>&1) || fail "status (zh): $OUT"
expect_out "响应，II 级：二级响应；自 "
expect_out "no_secondary_risk_reports：无次生风险报告（确认角色 客户服务部值班经理（duty_manager））"
expect_no_out "(确认角色"

# a notice's recipients without a contacts file: by the plan's names for
# its contact groups (audiences) and for its channels' audiences
expect_out "发送给 上级主管部门"
expect_out "发送给 客户及公众"
expect_out "发送给 应急指挥部、各部门应急联络人"
expect_no_out "superiors"

OUT=$(en status "$id" 2>&1) || fail "status (en): $OUT"
expect_out "response, level II: "
expect_out "to the superior authorities"
expect_out "no_secondary_risk_reports: No secondary-risk reports (to be attested by the role duty_manager)"

expect_code 0 S attest "$id" no_secondary_risk_reports --as duty_manager --at 2026-11-20T09:20:00Z
OUT=$(zh status "$id" 2>&1) || fail "status (zh): $OUT"
expect_out "无次生风险报告（确认人 "
expect_out "，2026-11-20 09:20:00）"
exit 0
