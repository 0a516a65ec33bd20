# A refusal in Chinese names the state and the warning in Chinese (the
# plan's name for the warning) with full-width punctuation; in English the
# same words read as English; the journal keeps the ids, whatever the
# language the refusal was shown in.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-11-20T09:30:00Z
zh() { LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
en() { LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$SITREP_BIN" "$@"; }
id=$(S open --plan hotline-outage --at 2026-11-20T09:00:00Z "拒绝 refusals") || fail "open"

OUT=$(zh lift "$id" 2>&1); [ $? = 1 ] || fail "lift with no warning: not refused: $OUT"
expect_out "没有可解除的预警（状态：监测）"
expect_no_out "monitoring"
OUT=$(zh downgrade "$id" --reason x 2>&1); [ $? = 1 ] || fail "downgrade: not refused: $OUT"
expect_out "没有可降级的响应级别（状态：监测）"

expect_code 0 S warn "$id" yellow --reason "投诉上升"
OUT=$(zh warn "$id" yellow --reason again 2>&1); [ $? = 1 ] || fail "warn twice: not refused: $OUT"
expect_out "黄级预警已经发布"
expect_no_out "yellow"
OUT=$(zh warn "$id" blue --reason lower 2>&1); [ $? = 1 ] || fail "warn lower: not refused: $OUT"
expect_out "黄级预警比蓝级预警更严重：请改为解除预警"
OUT=$(zh lift "$id" 2>&1); [ $? = 1 ] || fail "lift, criteria unmet: not refused: $OUT"
expect_out "无法解除黄级预警：未满足："
expect_out "（core_indicators_on_target）；"   # title (id), items apart with full-width marks
expect_no_out ", "

OUT=$(en warn "$id" yellow --reason again 2>&1); [ $? = 1 ] || fail "warn twice (en): $OUT"
expect_out "refused by rule 'warn.same': Yellow warning is already raised"
OUT=$(en lift "$id" 2>&1); [ $? = 1 ] || fail "lift (en): $OUT"
expect_out "cannot lift Yellow warning: unmet: "
expect_out " (core_indicators_on_target), "

# the journal: English with the ids, however the refusal was shown
OUT=$(en timeline "$id" --format json 2>&1) || fail "timeline: $OUT"
expect_out "no warning to lift (state monitoring)"
expect_out "the yellow warning is already raised"
expect_out "the yellow warning is more severe than blue: lift it instead"
expect_out "cannot lift the yellow warning: unmet: core_indicators_on_target, "

# an outcome of several effects: clauses apart with full-width marks
OUT=$(zh escalate "$id" --to I --reason "升级" 2>&1) || fail "escalate: $OUT"
expect_out "黄级预警结束：响应启动；"
expect_no_out "; "
exit 0
