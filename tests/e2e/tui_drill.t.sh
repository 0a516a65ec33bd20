# Drills from the console: the new incident's title form has a "drill" box,
# off by default, flipped with Tab; the incident then opens as a drill and
# DRILL shows on the list, the dashboard, the timeline and the review.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
tm_start_console 100 30
tm_wait "No incidents yet"

# a drill: n, the plan picker, then the title with Tab flipping the box
tm_keys n
tm_wait "pick the plan"
tm_keys -l "hotline"
tm_wait "filter: hotline"
tm_keys Enter
tm_wait "new hotline-outage incident: title"
tm_wait "[ ] drill (Tab)"
tm_keys -l "quarterly exercise"
tm_keys Tab
tm_wait "[x] drill (Tab)"
tm_wait "> quarterly exercise"
tm_keys Enter
tm_wait "DRILL: AN EXERCISE"
tm_wait "quarterly exercise"
tm_wait "DEADLINES ("
expect_code 0 S status 1 --json
expect_out '"drill":true'
expect_out '"title":"quarterly exercise"'

# the timeline and the review show it too
tm_keys v
tm_wait "timeline of 1"
tm_wait "DRILL: AN EXERCISE"
tm_keys q
tm_wait "DEADLINES ("
tm_keys r
tm_wait "Figures"
tm_wait "quarterly exercise  [DRILL]"
tm_keys q
tm_wait "DEADLINES ("
tm_keys q
tm_wait "incidents (1)"
tm_wait "DRILL"

# the box is off by default; Tab twice turns it back off: a real incident
tm_keys n
tm_wait "pick the plan"
tm_keys -l "hotline"
tm_wait "filter: hotline"
tm_keys Enter
tm_wait "[ ] drill (Tab)"
tm_keys -l "real outage"
tm_keys Tab
tm_wait "[x] drill (Tab)"
tm_keys Tab
tm_wait "[ ] drill (Tab)"
tm_keys Enter
tm_wait "real outage"
tm_wait "DEADLINES ("
expect_code 0 S status 2 --json
expect_out '"drill":false'
tm_screen | grep -q "DRILL" && { tm_screen >&2; fail "DRILL on a real incident"; }
tm_keys v
tm_wait "timeline of 2"
tm_screen | grep -q "DRILL" && { tm_screen >&2; fail "DRILL on a real incident's timeline"; }
tm_keys q
tm_wait "DEADLINES ("

# Esc in the title form opens nothing
tm_keys q
tm_wait "incidents (2)"
tm_keys n
tm_wait "pick the plan"
tm_keys Enter
tm_wait "[ ] drill (Tab)"
tm_keys -l "not this one"
tm_keys Tab
tm_keys Escape
tm_wait "cancelled: nothing journaled"
expect_code 0 S list --all
expect_no_out "not this one"

tm_keys q
tm_wait_exit
exit 0
