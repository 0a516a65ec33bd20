# `?` shows the help generated from the key table: every key of the
# contract (DESIGN.md, "Console keys") is listed with its action.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
id=$(S open --plan hotline-outage "help test") || fail "open"
tm_start 100 30 "$SITREP_BIN"
tm_wait "help test"
tm_keys Enter
tm_wait "DEADLINES ("
tm_keys ?
tm_wait "Everywhere"
help=$(tm_screen)
tm_keys PgDn
tm_wait "Timeline"
help="$help
$(tm_screen)"
tm_keys End
tm_wait "Forms, pickers and the editor"
help="$help
$(tm_screen)"
has() { # key action
	k=$(printf '%s' "$1" | sed 's/[?/]/\\&/g')
	printf '%s\n' "$help" | grep -qE "^ +([^ ]+ )*$k( [^ ]+)* +$2 " || {
		printf '%s\n' "$help" >&2; fail "help lacks key '$1' ($2)"; }
}
has '?' help; has q back; has Up up; has k up; has Down down; has j down
has PgUp page-up; has PgDn page-down; has Enter open; has n new
has l log; has m metric; has w warn; has e escalate; has d downgrade; has a attest
has o done; has p accept; has H handover; has t terminate; has v timeline; has r review
has / search; has f filter; has x export; has L lift
has N note; has F follow-up; has s notify; has A approve; has R assign; has O owner
has T task; has D deploy; has W withdraw; has M assess; has c correct
printf '%s\n' "$help" | grep -q "^ *Review screen" || fail "help lacks the review screen's keys"
printf '%s\n' "$help" | grep -q "Tab Ctrl-D  *flip the drill box" || fail "help lacks the drill box"
printf '%s\n' "$help" | grep -q "Esc  *cancel" || fail "help lacks Esc"
# "(Tab: drill)" whole on one row at 100 columns
printf '%s\n' "$help" | grep -q "(Tab: drill)" || fail "help splits (Tab: drill)"
# q leaves the help, back on the dashboard
tm_keys q
tm_wait "DEADLINES ("
exit 0
