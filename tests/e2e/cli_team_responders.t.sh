# Issue 11: people in roles (assign/unassign, ICS-203) and named owners.
# status --json responders: [{role, person}]; obligations[].person beside
# the plan role in owner; the contact's name shown by status; a name from
# the contacts file is the same person as its id; the journal keeps who was
# replaced (old -> new). Unknown role, obligation: exit 2; unassigning
# someone who does not hold the role: exit 1.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_CONTACTS="$SITREP_TOP/plans/contacts.example.yaml"
id=$(A 09:00 open --plan hotline-outage "people in roles") || fail "open"
expect_code 0 A 09:01 assign "$id" commander wang.jianguo --reason "GM leads HQ"
expect_code 0 A 09:01 assign "$id" comms "Some Body"        # a name not in the contacts works
expect_code 0 A 09:02 status "$id" --json
[ "$(js '[(r["role"], r["person"]) for r in d["responders"]]')" = '[["commander", "wang.jianguo"], ["comms", "Some Body"]]' ] ||
	fail "responders: $(js 'd["responders"]')"
# status shows the contact's name
expect_code 0 A 09:02 status "$id"
expect_out "王建国"
expect_out "Some Body"

# a second person in the role replaces the first; the journal says who was replaced
expect_code 0 A 09:03 assign "$id" comms chen.jing
expect_code 0 A 09:03 status "$id" --json
[ "$(js '[r["person"] for r in d["responders"] if r["role"] == "comms"]')" = '["chen.jing"]' ] ||
	fail "comms after a second assign: $(js 'd["responders"]')"
expect_code 0 A 09:04 timeline "$id" --format json
row=$(js '[r["summary"] + " " + " ".join(r["effects"]) for r in d["rows"] if r["kind"] == "assign" and "chen.jing" in r["summary"]]')
case "$row" in *"Some Body"*) ;; *) fail "the timeline does not say chen.jing replaced Some Body (old -> new): $row" ;; esac

# unassign
expect_code 1 A 09:05 unassign "$id" comms "Nobody Here"
expect_code 0 A 09:05 unassign "$id" comms chen.jing --reason "off shift"
expect_code 0 A 09:05 status "$id" --json
[ "$(js '[r["role"] for r in d["responders"]]')" = '["commander"]' ] || fail "after unassign: $(js 'd["responders"]')"
# unknown role: usage, nothing journaled
expect_code 2 A 09:06 assign "$id" no_such_role "Some Body"
expect_code 2 A 09:06 unassign "$id" no_such_role "Some Body"

# owner: the named person carrying an obligation
expect_code 0 A 09:06 owner "$id" impact_assessment zhou.qiang
expect_code 0 A 09:06 status "$id" --json
[ "$(js '[(o["owner"], o["person"]) for o in d["obligations"] if o["id"] == "impact_assessment"]')" = '[["tech_lead", "zhou.qiang"]]' ] ||
	fail "impact_assessment owner/person: $(js '[o for o in d["obligations"] if o["id"] == "impact_assessment"]')"
# the person in the owner role carries the others; nobody in the role: null
[ "$(js '[o["person"] for o in d["obligations"] if o["id"] == "decision_meeting"]')" = '["wang.jianguo"]' ] ||
	fail "decision_meeting (owner commander, held by wang.jianguo): $(js '[o for o in d["obligations"] if o["id"] == "decision_meeting"]')"
[ "$(js '[o["person"] for o in d["obligations"] if o["id"] == "verify_report"]')" = '[null]' ] ||
	fail "verify_report (owner duty_manager, nobody in the role) has a person: $(js '[o for o in d["obligations"] if o["id"] == "verify_report"]')"
expect_code 0 A 09:06 status "$id"
expect_out "周强"
expect_code 2 A 09:07 owner "$id" no_such_obligation zhou.qiang

# a contact named by name is the same person as by id
expect_code 0 A 09:08 assign "$id" tech_lead "李伟"
expect_code 0 A 09:08 status "$id" --json
[ "$(js '[r["person"] for r in d["responders"] if r["role"] == "tech_lead"]')" = '["li.wei"]' ] ||
	fail "assign by the contact's name 李伟 records $(js '[r["person"] for r in d["responders"] if r["role"] == "tech_lead"]'), not the contact li.wei (docs/plan-format.md: the name works too)"
# a drill's record names who took part: those in a role too, not only who typed
did=$(A 09:09 open --plan hotline-outage --drill "季度演练 drill") || fail "open drill"
expect_code 0 A 09:10 assign "$did" tech_lead li.wei
expect_code 0 A 09:11 stats --drills
printf '%s\n' "$OUT" | grep -i "participants" | grep -q "李伟" || fail "stats --drills: 李伟 (in a role) not among the participants: $OUT"
exit 0
