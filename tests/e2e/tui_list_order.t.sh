# The incident list: the newest is first (DESIGN), closed ones included and
# marked, so Enter on the first row opens the newest incident.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
ago() { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%SZ; }
old=$(S open --plan hotline-outage --at "$(ago $((80*3600)))" "older and still open") || fail "open old"
new=$(S open --plan hotline-outage --at "$(ago $((75*3600)))" "newer and closed") || fail "open new"
# make every termination criterion hold (readings every 10 minutes for
# 74 hours: one reading followed by silence holds no window), then
# terminate the newer one
i=$((74*6)); : > feed.csv
while [ $i -ge 0 ]; do
	t=$(ago $((i*600)))
	printf '%s,availability_pct,99.95\n%s,complaints_pct,80\n' "$t" "$t" >> feed.csv
	i=$((i-1))
done
expect_code 0 S metric "$new" --csv feed.csv
for c in no_secondary_risk_reports system_safe; do # resources_withdrawn: the ledger
	expect_code 0 S attest "$new" "$c"
done
expect_code 0 S terminate "$new" --reason "72 h stable"
expect_code 0 S list --all
first=$(printf '%s\n' "$OUT" | sed -n 2p | awk '{print $1}')
[ "$first" = "$new" ] || fail "list --all: first row is $first, want the newest ($new): $OUT"

tm_start_console 100 30
tm_wait "newer and closed"
# the first incident row is the newest one
tm_screen | grep -n -e "newer and closed" -e "older and still open" | head -1 | grep -q "newer and closed" \
	|| { tm_screen >&2; fail "the newest incident is not the first row"; }
tm_keys Enter
tm_wait "CLOSED  newer and closed"
tm_keys q q
tm_wait_exit
exit 0
