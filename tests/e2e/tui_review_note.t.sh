# Review notes from the console: on the review screen (`r`) N picks one of
# the six sections (typing filters), then a one-line text; Enter journals it
# as `sitrep note-review ID SECTION TEXT` would and the screen shows it under
# its section; Esc in the picker or the form journals nothing.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "review notes") || fail "open"
S note-review "$id" risk "written from the command line" >/dev/null || fail "note-review"
notes() { S timeline "$id" --format json | grep -c '"kind":"note-review"'; }
[ "$(notes)" = 1 ] || fail "one note to start with"

tm_start_console 100 40
tm_wait "review notes"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys r
tm_wait "Figures"
tm_wait "N write a review note"
# the notes already written show per section
tm_keys End
tm_wait "Review notes"
tm_wait "Risk of future related incidents"
tm_wait "written from the command line"

# N, pick the section by typing, then the text
tm_keys N
tm_wait "which section?"
tm_wait "Efficiency of the action plan"
tm_keys -l "contr"
tm_wait "filter: contr"
tm_keys Enter
tm_wait "review note on Degree of control (control): text"
tm_keys -l "控制到位, downgrade came late"
tm_keys Enter
tm_wait "note-review recorded"
[ "$(notes)" = 2 ] || fail "the note was not journaled"
expect_code 0 S timeline "$id" --format json
line=$(printf '%s\n' "$OUT" | grep '"kind":"note-review"' | grep 'review note \[control\]') \
	|| fail "no note-review for section control: $OUT"
case "$line" in *'"text":"控制到位, downgrade came late"'*) ;; *) fail "note text: $line" ;; esac
# the review screen re-rendered with it, under its section
tm_keys End
tm_wait "Degree of control"
tm_wait "控制到位, downgrade came late"

# Esc in the form: nothing journaled
tm_keys N
tm_wait "which section?"
tm_keys Enter
tm_wait "review note on Response speed (speed): text"
tm_keys -l "never mind"
tm_keys Escape
tm_wait "cancelled: nothing journaled"
# Esc in the picker: nothing journaled either
tm_keys N
tm_wait "which section?"
tm_keys Escape
tm_wait "cancelled: nothing journaled"
sleep 1
[ "$(notes)" = 2 ] || fail "Esc journaled a note"
expect_code 0 S timeline "$id"
expect_no_out "never mind"

# an empty note is not taken: the form says so and stays open
tm_keys N
tm_wait "which section?"
tm_keys Enter
tm_wait "review note on Response speed (speed): text"
tm_keys Enter
tm_wait "this cannot be empty"
tm_keys Escape
tm_wait "cancelled: nothing journaled"
[ "$(notes)" = 2 ] || fail "an empty note was journaled"

# back out and quit: a clean exit (ASan finds no leak)
tm_keys q
tm_wait "DEADLINES ("
tm_keys q
tm_wait "incidents (1)"
tm_keys q
tm_wait_exit
exit 0
