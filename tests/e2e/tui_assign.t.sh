# R puts a person in a role: the role picker, then the person (a contact
# from the site's contacts file, or any name typed); the responders panel
# shows them, names in Chinese at their real width. O names who carries a
# deadline: the dashboard shows the person beside it.
. "$SITREP_TOP/tests/e2e/lib.sh"
trap tm_stop EXIT
cat > contacts.yaml <<'YAML'
sitrep_contacts: 1
contacts:
  - id: zhang.min
    name: 张敏
    roles: [duty_manager]
  - id: li.wei
    name: 李伟
    roles: [tech_lead]
YAML
export SITREP_CONTACTS="$TMPDIR_E2E/contacts.yaml"
id=$(S open --plan hotline-outage "who is on it") || fail "open"

tm_start 100 30 "$SITREP_BIN"
tm_wait "who is on it"
tm_keys Enter
tm_wait "RESPONDERS"
tm_wait "nobody named yet"
# a contact, picked by typing part of the Chinese name
tm_keys R
tm_wait "put a person in a role: which role?"
tm_keys -l "tech_lead"
tm_keys Enter
tm_wait "who takes the role 'Technical handling group lead (IT department)'?"
tm_wait "张敏 (zhang.min)"
tm_keys -l "李"
tm_wait "李伟 (li.wei)"
tm_keys Enter
tm_wait "li.wei takes role tech_lead"
expect_code 0 S status "$id" --json
expect_out '"person":"li.wei"'
# any name typed
tm_keys R
tm_wait "which role?"
tm_keys -l "legal"
tm_keys Enter
tm_wait "who takes the role 'Legal director (legal department)'?"
tm_keys -l "Wang Fang"
tm_wait '"Wang Fang"  (the name typed)'
tm_keys Enter
tm_wait "Wang Fang takes role legal"
# the responders panel: role, person, since
tm_keys G
tm_wait "李伟"
tm_wait "Wang Fang"
tm_screen | grep "李伟" | grep -q "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]" || { tm_screen >&2; fail "no since"; }
# O: the person carrying a deadline
tm_keys g
tm_keys O
tm_wait "name who carries a deadline"
tm_keys -l "verify_report"
tm_keys Enter
tm_wait "who carries 'Duty manager verifies the report within 5 minutes'?"
tm_keys -l "敏"
tm_keys Enter
tm_wait "zhang.min carries verify_report"   # the picker is closed, the frame redrawn
tm_screen | grep "Duty manager verifies" | grep -q "张敏" || { tm_screen >&2; fail "the person is not beside the deadline"; }
expect_code 0 S status "$id" --json
expect_out '"person":"zhang.min"'
exit 0
