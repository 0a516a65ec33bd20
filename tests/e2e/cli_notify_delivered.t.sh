# Issue 12: a notice drafted from the plan, sent through a site channel,
# journaled. With SITREP_CHANNELS pointing at tests/fixtures/channel-scripts:
# warn yellow --scope --expected --measures drafts the yellow notice with
# them; notify runs the channel program once with the drafted text on
# standard input and SITREP_NOTICE_TO/SUBJECT/INCIDENT/NOTICE in its
# environment; notices --json says sent (text = the message sent); the
# deadline is met in status. --text replaces the draft.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_PLANS="$FIXPLANS"
rec="$TMPDIR_E2E/rec"
write_channels "$TMPDIR_E2E/channels.yaml" "$rec"
export SITREP_CHANNELS="$TMPDIR_E2E/channels.yaml"
expect_code 0 S plan check "$SITREP_CHANNELS"
nmsg() { ls "$rec" | grep -c '\.msg$'; }

id=$(A 09:00 open --plan notice-drill "热线 notices") || fail "open"
expect_code 0 A 09:01 notices "$id" --json
[ "$(js '[n["state"] for n in d if n["id"] == "yellow_notice"]')" != '["due"]' ] || fail "yellow_notice due before any warning"
expect_code 0 A 09:02 warn "$id" yellow --reason "complaints rising" --scope "华东 region, 3 call centres" --expected 2h --measures "extra agents on standby; scrubbing on"
expect_code 0 A 09:03 notices "$id" --json
[ "$(js '[n["state"] for n in d if n["id"] == "yellow_notice"]')" = '["due"]' ] || fail "yellow_notice not due after warn yellow: $(js 'd')"
draft=$(js '[n["text"] for n in d if n["id"] == "yellow_notice"][0]')
for want in "华东 region, 3 call centres" "2h" "extra agents on standby; scrubbing on"; do
	case "$draft" in *"$want"*) ;; *) fail "the drafted yellow notice lacks '$want': $draft" ;; esac
done
[ "$(js '[n["channel"] for n in d if n["id"] == "yellow_notice"]')" = '["record"]' ] || fail "channel: $(js 'd')"
[ "$(nmsg)" = 0 ] || fail "something was sent before notify"

expect_code 0 A 09:04 notify "$id" yellow_notice
[ "$(nmsg)" = 1 ] || fail "notify ran the channel program $(nmsg) times, want once"
# the program got the draft on stdin, and the environment the contract names
sent=$(cat "$rec/1.msg")
[ "$sent" = "$draft" ] || fail "the message on stdin is not the draft:
--- sent
$sent
--- draft
$draft"
env1=$(cat "$rec/1.env")
case "$env1" in *"NOTICE=yellow_notice"*) ;; *) fail "SITREP_NOTICE: $env1" ;; esac
case "$env1" in *"INCIDENT=$id"*) ;; *) fail "SITREP_INCIDENT: $env1" ;; esac
to=$(sed -n 's/^TO=//p' "$rec/1.env")
case "$to" in *leaders*duty* | *duty*leaders*) ;; *) fail "SITREP_NOTICE_TO lacks the recipients leaders, duty: '$to'" ;; esac
subject=$(sed -n 's/^SUBJECT=//p' "$rec/1.env")
[ "$subject" = "[yellow] 热线 notices" ] || fail "SITREP_NOTICE_SUBJECT: '$subject' (template \"[{warning}] {title}\")"

# how to reach them: with a contacts file, the programs get addresses too
cat > "$TMPDIR_E2E/contacts.yaml" <<'YAML'
sitrep_contacts: 1
contacts:
  - id: ma.hong
    name: 马红
    phone: "+86 138 0000 0102"
    email: ma.hong@example.com
    im: {wecom: mahong}
    groups: [leaders]
    confirmed: 2026-10-01
YAML
export SITREP_CONTACTS="$TMPDIR_E2E/contacts.yaml"
expect_code 0 A 09:04 notify "$id" yellow_notice --text "again, with addresses"
env2=$(cat "$rec/2.env")
case "$env2" in *"TO_IDS=ma.hong"*) ;; *) fail "SITREP_NOTICE_TO_IDS: $env2" ;; esac
case "$env2" in *"PHONES=+86 138 0000 0102"*) ;; *) fail "SITREP_NOTICE_PHONES: $env2" ;; esac
case "$env2" in *"EMAILS=ma.hong@example.com"*) ;; *) fail "SITREP_NOTICE_EMAILS: $env2" ;; esac
case "$env2" in *"IM=wecom:mahong"*) ;; *) fail "SITREP_NOTICE_IM: $env2" ;; esac
case "$env2" in *"GROUPS="*leaders*) ;; *) fail "SITREP_NOTICE_GROUPS: $env2" ;; esac
case "$(sed -n 's/^TO=//p' "$rec/2.env")" in *马红*) ;; *) fail "SITREP_NOTICE_TO lacks the contact's name: $env2" ;; esac
unset SITREP_CONTACTS
expect_code 0 A 09:04 notices "$id" --json
[ "$(js '[n["text"] for n in d if n["id"] == "yellow_notice"][0]')" = "again, with addresses" ] ||
	fail "notices text after a second delivery is not the message sent: $(js 'd')"
# the first delivery again, so that what follows reads as before
expect_code 0 A 09:04 notify "$id" yellow_notice --text "$draft"
rm -f "$rec/2.msg" "$rec/3.msg" "$rec/2.env" "$rec/3.env"

expect_code 0 A 09:05 notices "$id" --json
[ "$(js '[n["state"] for n in d if n["id"] == "yellow_notice"]')" = '["sent"]' ] || fail "yellow_notice after delivery: $(js 'd')"
[ "$(js '[n["text"] for n in d if n["id"] == "yellow_notice"][0]')" = "$draft" ] || fail "notices text once sent is not the message sent"
expect_code 0 A 09:05 status "$id" --json
[ "$(js '[n["state"] for n in d["notices"] if n["id"] == "yellow_notice"]')" = '["sent"]' ] || fail "status notices: $(js 'd["notices"]')"
[ "$(js '[o for o in d["obligations"] if o["id"] == "yellow_notice"]')" = '[]' ] || fail "the yellow notice deadline is still open after it was sent"
# the attempt and its outcome are journaled
expect_code 0 A 09:06 timeline "$id" --format json
[ "$(js 'sum(1 for r in d["rows"] if r["kind"] == "notify")')" -ge 1 ] || fail "no notify entry in the timeline"
expect_out "yellow_notice"
# the review's communications: sent, on time, through record
expect_code 0 A 09:06 report "$id" --format json
case "$(js 'd["notices"]')" in *yellow_notice*record*) ;; *) fail "the report's notices: $(js 'd["notices"]')" ;; esac

# --text: the message is the text given, not the draft
expect_code 0 A 09:07 notify "$id" hang_notice --channel record --text "热线 restored in 华东"
[ "$(nmsg)" = 2 ] || fail "notify --channel record: $(nmsg) messages"
[ "$(cat "$rec/2.msg")" = "热线 restored in 华东" ] || fail "--text: the message sent is '$(cat "$rec/2.msg")'"
[ "$(sed -n 's/^NOTICE=//p' "$rec/2.env")" = hang_notice ] || fail "--channel: SITREP_NOTICE $(cat "$rec/2.env")"
expect_code 0 A 09:08 verify
exit 0
