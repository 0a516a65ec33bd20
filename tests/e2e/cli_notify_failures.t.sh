# Issue 12: deliveries that fail. A channel program that exits non-zero, one
# that hangs past its timeout (killed, quickly), one that does not exist:
# exit 6, the attempt and the failure journaled (exit status, error output),
# the notice "failed" and its deadline still open. An unknown notice or
# channel: exit 2, nothing journaled. A channels file with a syntax error:
# exit 3 with FILE:LINE:COL (plan check and notify).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_PLANS="$FIXPLANS"
rec="$TMPDIR_E2E/rec"
write_channels "$TMPDIR_E2E/channels.yaml" "$rec"
export SITREP_CHANNELS="$TMPDIR_E2E/channels.yaml"
last() { expect_code 0 A "$1" status "$2" --json; js 'd["last_entry"]'; }
notice_state() { expect_code 0 A "$1" notices "$2" --json; js "[n['state'] for n in d if n['id'] == '$3'][0]"; }
still_due() {
	expect_code 0 A "$1" status "$2" --json
	[ "$(js "len([o for o in d['obligations'] if o['id'] == '$3'])")" = 1 ] || fail "$3: its deadline is not open after a failed delivery"
}
id=$(A 09:00 open --plan notice-drill "failures") || fail "open"

# a program that exits 7 with an error
expect_code 6 A 09:01 notify "$id" fail_notice
expect_out "503 service unavailable"
[ "$(notice_state 09:02 "$id" fail_notice)" = failed ] || fail "fail_notice: $(notice_state 09:02 "$id" fail_notice), want failed"
still_due 09:02 "$id" fail_notice
expect_code 0 A 09:02 timeline "$id"
expect_out "503 service unavailable"
expect_out "7"

# a program that hangs: killed at its 2 s timeout, exit 6 well before 10 s
t0=$(date +%s)
expect_code 6 A 09:03 notify "$id" hang_notice
t1=$(date +%s)
[ $((t1 - t0)) -lt 10 ] || fail "the hanging channel took $((t1 - t0)) s (timeout 2s)"
expect_out "timeout"
[ -f "$rec/hang.pid" ] || fail "the hanging program never ran"
pid=$(cat "$rec/hang.pid")
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && { kill "$pid"; fail "the hanging channel program (pid $pid) was left running"; }
# and what it started: the whole process group goes at the timeout
i=0; while [ ! -f "$rec/hang-child.pid" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done
child=$(cat "$rec/hang-child.pid")
# running, not a zombie waiting for an init that does not reap
alive() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
i=0; while alive "$child" && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
alive "$child" && { kill "$child"; fail "the hanging program's child (pid $child) was left running"; }
[ "$(notice_state 09:04 "$id" hang_notice)" = failed ] || fail "hang_notice: $(notice_state 09:04 "$id" hang_notice)"
still_due 09:04 "$id" hang_notice

# a program that does not exist: exit 6, journaled
before=$(last 09:05 "$id")
expect_code 6 A 09:05 notify "$id" ghost_notice
expect_out "no-such-program"
after=$(last 09:05 "$id")
[ "$after" -gt "$before" ] || fail "the failed attempt with a missing program was not journaled"
expect_code 0 A 09:06 timeline "$id" --format json
[ "$(js 'sum(1 for r in d["rows"] if r["kind"] == "notify" and "ghost_notice" in r["summary"])')" -ge 1 ] ||
	fail "no ghost_notice attempt in the timeline"
still_due 09:06 "$id" ghost_notice

# unknown notice or channel: usage, nothing journaled
before=$(last 09:07 "$id")
expect_code 2 A 09:07 notify "$id" no_such_notice
expect_code 2 A 09:07 notify "$id" fail_notice --channel no_such_channel
[ "$(last 09:07 "$id")" = "$before" ] || fail "a usage error journaled something"

# a channels file with a syntax error: exit 3 with its position
printf 'record:\n  command: [/bin/true\n  timeout: 2s\n' > "$TMPDIR_E2E/channels-bad.yaml"
expect_code 3 S plan check "$TMPDIR_E2E/channels-bad.yaml"
expect_out "channels-bad.yaml:3:"
SITREP_CHANNELS="$TMPDIR_E2E/channels-bad.yaml" expect_code 3 A 09:08 notify "$id" fail_notice
expect_out "channels-bad.yaml:3:"
# a well-formed file with a wrong entry: a string command (there is no shell)
printf 'record:\n  command: "/bin/echo hi"\n' > "$TMPDIR_E2E/channels-string.yaml"
expect_code 3 S plan check "$TMPDIR_E2E/channels-string.yaml"
expect_out "channels-string.yaml:2:"
[ "$(last 09:09 "$id")" = "$before" ] || fail "a channels file error journaled something"
expect_code 0 A 09:10 verify
exit 0
