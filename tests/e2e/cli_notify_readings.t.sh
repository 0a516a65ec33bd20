# {readings} in a notice's draft (docs/plan-format.md): the latest reading
# of each metric with its age, one a line; a stale one kept and marked, so
# that nobody reads an old figure as the present one. In both languages.
. "$SITREP_TOP/tests/e2e/lib.sh"
export SITREP_NOW=2026-11-20T09:30:00Z
id=$(S open --plan hotline-outage --at 2026-11-20T09:00:00Z "readings in notices") || fail "open"
expect_code 0 S metric "$id" queue_min=9 --at 2026-11-20T09:05:00Z
expect_code 0 S metric "$id" complaints_pct=120 --at 2026-11-20T09:28:00Z
LC_ALL=C.UTF-8; export LC_ALL
expect_code 0 S notices "$id"
expect_out "Complaint volume 120 % of daily average, 2m ago"
expect_out "Average hotline queue time 9 min, 25m ago (stale)"
# one a line: the two readings are not joined on one
printf '%s\n' "$OUT" | grep -q "2m ago, Average" && fail "readings joined on one line: $OUT"
LC_ALL=zh_CN.UTF-8
expect_code 0 S notices "$id"
expect_out "客户投诉量 120 % 日均值，2分钟前"
expect_out "热线平均排队时长 9 分钟，25分钟前（已过期）"
exit 0
