# Issue 12: a notice recorded as given by hand (--by-hand NOTE: no program
# runs, the notice is sent, the note journaled), and a notice that needs a
# role's approval (review: legal): notify is refused (exit 1, rule named,
# nothing sent) until `approve`, then delivered. A crash between the
# journaled attempt and its outcome (the channel program kills sitrep)
# leaves the notice "unknown", not sent.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_PLANS="$FIXPLANS"
rec="$TMPDIR_E2E/rec"
write_channels "$TMPDIR_E2E/channels.yaml" "$rec"
export SITREP_CHANNELS="$TMPDIR_E2E/channels.yaml"
nmsg() { ls "$rec" | grep -c '\.msg$'; }
state() { expect_code 0 A "$1" notices "$2" --json; js "[n['state'] for n in d if n['id'] == '$3'][0]"; }
id=$(A 09:00 open --plan notice-drill "by hand and approval") || fail "open"

# by hand: fail_notice's channel would fail, but no program runs
expect_code 0 A 09:01 notify "$id" fail_notice --by-hand "phoned the duty group at 09:01"
[ "$(state 09:02 "$id" fail_notice)" = sent ] || fail "by hand: not sent"
expect_code 0 A 09:02 status "$id" --json
[ "$(js '[o for o in d["obligations"] if o["id"] == "fail_notice"]')" = '[]' ] || fail "by hand: the deadline stays open"
expect_code 0 A 09:02 timeline "$id"
expect_out "phoned the duty group at 09:01"

# approval: refused until the legal role approves
expect_code 1 A 09:03 notify "$id" statement
expect_out "rule '"
expect_out "legal"
[ "$(nmsg)" = 0 ] || fail "a notice that needs approval was sent"
[ "$(state 09:03 "$id" statement)" = due ] || fail "statement after the refusal: $(state 09:03 "$id" statement)"
expect_code 0 A 09:04 timeline "$id" --format json
[ "$(js 'sum(1 for r in d["rows"] if r["refused"])')" = 1 ] || fail "the refused notify is not journaled"
expect_code 0 A 09:05 approve "$id" statement --note "wording checked"
expect_code 0 A 09:06 notify "$id" statement
[ "$(nmsg)" = 1 ] || fail "approved statement: $(nmsg) messages"
[ "$(state 09:07 "$id" statement)" = sent ] || fail "approved statement not sent"
expect_code 2 A 09:07 approve "$id" no_such_notice

# a crash between attempt and outcome: unknown, still due
expect_code 137 A 09:08 notify "$id" ghost_notice --channel killer
st=$(state 09:09 "$id" ghost_notice)
[ "$st" = unknown ] || fail "after sitrep died while the channel ran, ghost_notice is '$st', want unknown"
expect_code 0 A 09:09 status "$id" --json
[ "$(js 'len([o for o in d["obligations"] if o["id"] == "ghost_notice"])')" = 1 ] || fail "an unknown notice's deadline was met"
expect_code 0 A 09:10 verify
exit 0
