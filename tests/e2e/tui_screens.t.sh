# Every screen draws at exactly 80x24 (the documented minimum): the list,
# the dashboard, the timeline, an entry, the review, the help, and each
# picker and form they open. Each is UTF-8, no row is wider than 80
# columns, and something is drawn; a form or picker shows the cursor, and
# what the engine refuses says so without opening anything.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
cursor() { tm display -p -t t '#{cursor_flag}'; }
check() { # what: the screen as it is
	s=$(tm_screen)
	printf '%s\n' "$s" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || { printf '%s\n' "$s" >&2; fail "$1: not UTF-8"; }
	w=$(printf '%s\n' "$s" | wc -L)
	[ "$w" -le 80 ] || { printf '%s\n' "$s" >&2; fail "$1: a row $w columns wide"; }
	n=$(printf '%s\n' "$s" | grep -c '[^ ]')
	[ "$n" -ge 4 ] || { printf '%s\n' "$s" >&2; fail "$1: blank ($n rows drawn)"; }
}
# open KEY WHAT: the key opens a form or picker that draws; Esc closes it
open() {
	tm_keys "$1"
	i=0
	while [ "$(cursor)" != 1 ]; do
		i=$((i+1)); [ $i -lt 100 ] || { tm_screen >&2; fail "$2 ($1) did not open"; }
		sleep 0.1
	done
	check "$2"
	tm_keys Escape
	tm_wait "cancelled: nothing journaled"
}
# refused KEY WHAT: the engine's refusal shows, nothing opens
refused() {
	tm_keys "$1"
	tm_wait "not now, by rule"
	[ "$(cursor)" = 0 ] || { tm_screen >&2; fail "$2 ($1) opened a form"; }
	check "$2"
}

tm_start 80 24 "$SITREP_BIN"
tm_wait "No incidents yet"
check "the empty list"
open n "the plan picker"
tm_keys n
tm_wait "pick the plan"
tm_keys -l "hotline"
tm_keys Enter
tm_wait "new hotline-outage incident: title"
check "the title form"
tm_keys -l "客服热线中断：全国范围 national outage of the customer hotline"
tm_keys Enter
tm_wait "DEADLINES ("
check "the dashboard"
id=1 # the first incident of a fresh journal
expect_code 0 S metric "$id" complaints_pct=160 queue_min=9
expect_code 0 S escalate "$id" --reason "regional"
tm_wait "LEVEL III"
tm_wait "PROPOSALS"
check "the dashboard in a response"
for k in l m e a o p H R O T D M; do open "$k" "dashboard key"; done
# s: the notices picker, or "no notice is due" while the shipped plan has
# none (tui_notice.t.sh draws the editor at 80x24 too)
tm_keys s
i=0
while [ "$(cursor)" != 1 ] && ! tm_screen | grep -q "notify: not now"; do
	i=$((i+1)); [ $i -lt 100 ] || { tm_screen >&2; fail "s did nothing"; }
	sleep 0.1
done
check "the notices picker"
[ "$(cursor)" = 1 ] && tm_keys Escape
refused d "downgrade at the least severe level"
refused w "warn in a response"
refused t "terminate with unmet criteria"
open W "the withdraw picker"
tm_keys Escape
# the timeline and what it opens
tm_keys v
tm_wait "timeline of $id"
check "the timeline"
open / "the search form"
open f "the kind picker"
open x "the format picker"
tm_keys x
tm_wait "which format?"
tm_keys Enter
tm_wait "> sitrep-$id-timeline.txt"
check "the path form"
tm_keys Escape
tm_keys /
tm_keys -l "complaints_pct=160"
tm_keys Enter
tm_wait 'search "complaints_pct=160"'
open c "the correct form"
tm_keys Enter
tm_wait "kind:"
check "an entry in full"
tm_keys q
tm_keys q
tm_wait "DEADLINES ("
# the review and what it opens
tm_keys r
tm_wait "Figures"
check "the review"
open N "the section picker"
open F "the follow-up form"
tm_keys q
tm_wait "DEADLINES ("
# the help
tm_keys ?
tm_wait "Everywhere"
check "the help"
tm_keys q
tm_keys q
tm_wait "incidents (1)"
check "the list"
exit 0
