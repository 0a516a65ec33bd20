# Sending notices from the dashboard through a test channel (a script that
# records its stdin and environment): `s` picks a notice due, the editor
# shows the draft with its recipients and channel, Chinese is typed in,
# Ctrl-S sends; a notice that needs approval is refused in the editor
# until `A` approves it. Both are checked in the journal.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
mkdir -p plans
cat > plans/notice-test.yaml <<'YAML'
sitrep_plan: 1
id: notice-test
title: Print room outage
metrics:
  - {id: queue_jobs, name: Jobs waiting, unit: jobs, min: 0}
levels:
  - {id: II, name: Minor, colour: yellow}
  - {id: I, name: Major, colour: red}
criteria:
  - {id: lead_ok, title: Lead confirms, attest: lead}
termination: [lead_ok]
notices:
  - id: floor_told
    title: Tell the floor
    within: 30m
    of: open
    owner: lead
    to: [floor_wardens]
    channel: test
    subject: "Printing down: {title}"
    template: "Printing is down: {title}."
  - id: statement
    title: Public statement
    within: 30m
    of: open
    owner: lead
    review: legal
    to: [public]
    channel: test
    template: "We are restoring printing ({title})."
roles:
  - {id: lead, name: Print room lead, actions: all}
  - {id: legal, name: Legal, actions: all}
YAML
cat > record.sh <<SH
#!/bin/sh
cat > "$TMPDIR_E2E/sent.\$SITREP_NOTICE"
echo "to=\$SITREP_NOTICE_TO" >> "$TMPDIR_E2E/sent.\$SITREP_NOTICE"
SH
cat > channels.yaml <<YAML
test:
  command: [/bin/sh, "$TMPDIR_E2E/record.sh"]
  timeout: 20s
YAML
export SITREP_PLANS="$TMPDIR_E2E/plans" SITREP_CHANNELS="$TMPDIR_E2E/channels.yaml"
id=$(S open --plan notice-test "打印机卡纸 jam") || fail "open"

tm_start 100 30 "$SITREP_BIN"
tm_wait "jam"
tm_keys Enter
tm_wait "NOTICES DUE"
tm_wait "Tell the floor"
tm_wait "needs legal's approval"

# s: the notice without a reviewer: edit the draft, Ctrl-S sends it
tm_keys s
tm_wait "send a notice: which one?"
tm_keys -l "floor"
tm_keys Enter
tm_wait "to: floor_wardens"
tm_wait "channel: test"
tm_wait "Printing is down: 打印机卡纸 jam."
tm_keys Enter
tm_keys -l "第二行：预计 30 分钟恢复"
tm_wait "第二行：预计 30 分钟恢复"
tm_keys C-s
tm_wait "floor_told sent"
[ -f sent.floor_told ] || fail "the channel was not run"
grep -q "Printing is down: 打印机卡纸 jam." sent.floor_told || fail "draft not sent: $(cat sent.floor_told)"
grep -q "第二行：预计 30 分钟恢复" sent.floor_told || fail "edit not sent: $(cat sent.floor_told)"
grep -q "to=floor_wardens" sent.floor_told || fail "recipients: $(cat sent.floor_told)"
expect_code 0 S notices "$id" --json
case "$OUT" in *'"id":"floor_told","title":"Tell the floor","state":"sent"'*) ;; *) fail "not sent: $OUT" ;; esac

# s on the one legal must approve: refused in the editor, nothing sent
tm_keys s
tm_wait "send a notice: which one?"
tm_keys -l "statement"
tm_keys Enter
tm_wait "legal must approve it first"
# the editor at 80x24 too: nothing wider than the terminal
tm resize-window -t t -x 80 -y 24 || fail "resize"
tm_wait "legal must approve it first"
w=$(tm_screen | wc -L)
[ "$w" -le 80 ] || { tm_screen >&2; fail "a row is $w columns wide"; }
tm resize-window -t t -x 100 -y 30 || fail "resize back"
tm_keys C-s
sleep 1
[ -f sent.statement ] && fail "sent before approval"
tm_keys Escape
tm_wait "cancelled: nothing journaled"
# A: approve, then it goes
tm_keys A
tm_wait "approve a notice's wording"
tm_keys Enter
# the wording is shown to the approver before it is approved
tm_wait "approve the wording of notice statement"
tm_wait "We are restoring printing"
tm_wait "Ctrl-S approve this wording"
tm_keys C-s
tm_wait "approve the wording of notice 'statement'"
tm_keys -l "wording checked"
tm_keys Enter
tm_wait "approved"
tm_keys s
tm_wait "send a notice: which one?"
tm_keys Enter
tm_wait "approved by"
tm_keys C-s
tm_wait "statement sent"
grep -q "We are restoring printing (打印机卡纸 jam)." sent.statement || fail "statement: $(cat sent.statement)"
expect_code 0 S notices "$id" --json
case "$OUT" in *'"id":"statement","title":"Public statement","state":"sent"'*) ;; *) fail "statement not sent: $OUT" ;; esac
exit 0
