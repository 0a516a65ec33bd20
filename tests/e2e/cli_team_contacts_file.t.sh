# Issue 11: the site's contacts file. `plan check` validates it (the shipped
# example is ok); a syntax error is exit 3 with FILE:LINE:COL, also when a
# command loads it through SITREP_CONTACTS; `tasks` shows the contacts not
# confirmed within check_every (000 §8.1: checked every quarter).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
cd "$TMPDIR_E2E" || fail "cd"
expect_code 0 S plan check "$SITREP_TOP/plans/contacts.example.yaml"
expect_out "ok"

# an unclosed flow list: line 3, column 45
cat > contacts-bad.yaml <<'YAML'
sitrep_contacts: 1
contacts:
  - {id: li.wei, name: 李伟, roles: [tech_lead}
YAML
expect_code 3 S plan check contacts-bad.yaml
expect_out "contacts-bad.yaml:3:45: syntax error"
# a tab where indentation is expected: line 5, column 1
printf 'sitrep_contacts: 1\ncontacts:\n  - id: li.wei\n    name: 李伟\n\troles: [tech_lead]\n' > contacts-tab.yaml
expect_code 3 S plan check contacts-tab.yaml
expect_out "contacts-tab.yaml:5:1:"
# a file that is YAML but not a valid contacts file: every error, positioned
cat > contacts-wrong.yaml <<'YAML'
sitrep_contacts: 1
contacts:
  - id: li.wei
    name: 李伟
    emial: li.wei@example.com
    confirmed: 2026-02-30
YAML
expect_code 3 S plan check contacts-wrong.yaml
expect_out "contacts-wrong.yaml:5:5: unknown key 'emial'"
expect_out "contacts-wrong.yaml:6:"
expect_out "2026-02-30"
# several files at once: the good ones still say ok, the exit is 3
expect_code 3 S plan check "$SITREP_TOP/plans/contacts.example.yaml" contacts-bad.yaml
expect_out "contacts.example.yaml: ok"
expect_out "contacts-bad.yaml:3:45:"

# loaded by a command through SITREP_CONTACTS: exit 3 with the position
id=$(A 09:00 open --plan hotline-outage "contacts") || fail "open"
SITREP_CONTACTS="$TMPDIR_E2E/contacts-bad.yaml" expect_code 3 A 09:01 assign "$id" tech_lead li.wei
expect_out "contacts-bad.yaml:3:45:"

# the quarterly check: at 2026-11-02, with check_every 90d, 赵磊 (confirmed
# 2026-07-01) is due; 王建国 (2026-10-08) is not
SITREP_CONTACTS="$SITREP_TOP/plans/contacts.example.yaml" expect_code 0 A 09:02 tasks
expect_out "赵磊"
expect_no_out "王建国"
exit 0
