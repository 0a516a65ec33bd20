# Issue 9 #19: under LANG=C (common over SSH) Chinese text is still shown as
# Chinese, never as '?' (DESIGN.md "Language": under a C or POSIX locale,
# UTF-8 text is still shown correctly). Titles, notes, plan texts, person
# names; text, Markdown and JSON; LANG=C, LC_ALL=C and LC_ALL=POSIX.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
unset LC_ALL LC_CTYPE LC_MESSAGES LANGUAGE
export SITREP_CONTACTS="$SITREP_TOP/plans/contacts.example.yaml"
title="热线中断 华东区域"
note="值班经理已核实"
Cc() { LANG=C "$SITREP_BIN" "$@"; }
id=$(Cc open --plan hotline-outage "$title") || fail "open under LANG=C"
expect_code 0 Cc log "$id" "$note"
expect_code 0 Cc assign "$id" tech_lead li.wei
for loc in "LANG=C" "LC_ALL=C" "LC_ALL=POSIX"; do
	for cmd in "list" "status $id" "timeline $id" "timeline $id --format md" "brief $id" "report $id"; do
		# shellcheck disable=SC2086
		OUT=$(env $loc "$SITREP_BIN" $cmd 2>&1) || fail "$loc sitrep $cmd: exit $?: $OUT"
		expect_out "热线中断 华东区域"
		expect_no_out "???"
	done
	# shellcheck disable=SC2086
	OUT=$(env $loc "$SITREP_BIN" timeline "$id" 2>&1) || fail "$loc timeline"
	expect_out "$note"
	# shellcheck disable=SC2086
	OUT=$(env $loc "$SITREP_BIN" status "$id" 2>&1) || fail "$loc status"
	expect_out "李伟"                  # the contact's name
	# shellcheck disable=SC2086
	OUT=$(env $loc "$SITREP_BIN" plan show hotline-outage 2>&1) || fail "$loc plan show"
	expect_out "客户服务热线中断应急预案" # the plan's own Chinese title, beside the English
	expect_no_out "???"
done
# JSON under LANG=C: the same text, however it is escaped
if command -v python3 >/dev/null 2>&1; then
	expect_code 0 Cc status "$id" --json
	[ "$(js 'd["title"]')" = "$title" ] || fail "status --json title under LANG=C: $(js 'd["title"]')"
fi
# the bytes in the journal are the UTF-8 typed, whatever the locale
expect_code 0 env LC_ALL=C.UTF-8 "$SITREP_BIN" list
expect_out "$title"
exit 0
