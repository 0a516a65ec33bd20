# The console's used-by story, driven with keys on a 100x30 terminal and
# checked on the screen and in the journal: the duty manager opens a hotline
# incident with a Chinese title, logs a note, enters a reading that raises a
# warning; the commander escalates twice and downgrades once; terminate is
# refused with the unmet criteria shown; the timeline shows it all.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
TITLE="客服热线中断"
count() { S timeline "$1" --format csv | grep -vc ',export,'; }

tm_start_console 100 30
tm_wait "No incidents yet"
tm_wait "sitrep demo"

# n: the plan picker filters as you type; Enter takes the highlighted plan
tm_keys n
tm_wait "pick the plan"
tm_keys -l "hotline"
tm_wait "filter: hotline"
tm_keys Enter
tm_wait "new hotline-outage incident: title"
tm_keys -l "$TITLE"
tm_keys Enter
tm_wait "MONITORING  $TITLE"
tm_wait "DEADLINES"
tm_wait "T+00:00:0"
expect_code 0 S status 1 --json
expect_out "\"title\":\"$TITLE\""
expect_out '"state":"monitoring"'

# l: a note
tm_keys l
tm_wait "log a note"
tm_keys -l "core switch down in room 3"
tm_keys Enter
tm_wait "note: core switch down in room 3"
expect_code 0 S timeline 1
expect_out "core switch down in room 3"

# m: a reading, the name completed with Tab; 135 > 130 raises yellow
tm_keys m
tm_wait "metric reading"
tm_keys -l "compl"
tm_keys Tab
tm_wait "> complaints_pct"
tm_keys -l "135"
tm_keys Enter
tm_wait "YELLOW WARNING  $TITLE"
tm_wait "FIRED complaints_peak"
tm_wait "LEVEL II  by rule complaints_peak"
expect_code 0 S status 1 --json
expect_out '"warning":"yellow"'
expect_out '"rule":"complaints_peak"'

# e twice, d once
tm_keys e
tm_wait "escalate from"
tm_keys -l "complaints up 35%"
tm_keys Enter
tm_wait "LEVEL III  $TITLE"
expect_code 0 S status 1 --json
expect_out '"level":"III"'
tm_keys e
tm_wait "escalate from level III"
tm_keys -l "regional outage confirmed"
tm_keys Enter
tm_wait "LEVEL II  $TITLE"
expect_code 0 S status 1 --json
expect_out '"level":"II"'
tm_keys d
tm_wait "downgrade from level II"
tm_keys -l "failover done, recovering"
tm_keys Enter
tm_wait "LEVEL III  $TITLE"
expect_code 0 S status 1 --json
expect_out '"level":"III"'

# t: refused; the status line names the unmet criteria; nothing changes
n0=$(count 1)
tm_keys t
tm_wait "terminate: reason"
tm_keys -l "looks fine now"
tm_keys Enter
tm_wait "refused:"
tm_wait "72 hours"
tm_wait "TERMINATION (0/"
expect_code 0 S status 1 --json
expect_out '"state":"response"'
n1=$(count 1)
[ "$n1" = $((n0 + 1)) ] || fail "the refusal should be journaled: $n0 -> $n1"
expect_code 0 S timeline 1
expect_out "refused terminate"

# v: the timeline shows it all
tm_keys v
tm_wait "timeline of 1"
for k in open log metric escalate downgrade refused; do tm_wait " $k "; done
tm_wait "complaints up 35%"
tm_wait "failover done"
# / search narrows it; Enter shows an entry in full
tm_keys /
tm_wait "search the timeline"
tm_keys -l "failover"
tm_keys Enter
tm_wait "1 of "
tm_keys Enter
tm_wait "kind      downgrade"
tm_wait "text      failover done, recovering"
tm_keys q
tm_wait "search \"failover\""
# an empty search clears it
tm_keys /
tm_wait "search the timeline"
tm_keys C-u Enter
tm_wait "11 of 11 entries"
# f: one kind only
tm_keys f
tm_wait "show one kind of entry"
tm_keys -l "escalate"
tm_keys Enter
tm_wait "kind escalate"
tm_wait "escalated III -> II"
# x: export asks the format, then the path (prefilled)
tm_keys x
tm_wait "which format?"
tm_keys Enter
tm_wait "> sitrep-1-timeline.txt"
tm_keys C-u
tm_keys -l "$TMPDIR_E2E/tl.txt"
tm_keys Enter
tm_wait "exported the timeline"
grep -q "core switch down in room 3" "$TMPDIR_E2E/tl.txt" || fail "export file"
tm_keys q

# r: the review, figures and the level chart
tm_wait "DEADLINES"
tm_keys r
tm_wait "Figures"
tm_wait "2 up, 1 down, 1 refused"
tm_wait "Level over time"
tm_keys q
tm_wait "DEADLINES"

# back to the list, then quit: the process ends cleanly (ASan finds no leak)
tm_keys q
tm_wait "incidents (1)"
tm_wait "LEVEL III"
tm_wait "$TITLE"
tm_keys q
tm_wait_exit
tm_screen | grep -q "Sanitizer" && { tm_screen >&2; fail "sanitizer report"; }
exit 0
