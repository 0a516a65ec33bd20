# Issue 11: ad-hoc tasks and review follow-ups, and `sitrep tasks` across
# incidents. task prints t1, t2, ...; --due DURATION or T; --owner PERSON;
# --followup (default due 7 days) stays open after terminate until done;
# tasks lists what is open in every live incident and every open follow-up,
# soonest due first, --person filters, --json is an array.
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_CONTACTS="$SITREP_TOP/plans/contacts.example.yaml"
a=$(A 09:00 open --plan hotline-outage "tasks A") || fail "open A"
expect_code 0 A 09:01 task "$a" "call the carrier" --owner li.wei --due 30m
[ "$OUT" = t1 ] || fail "the first task id printed: '$OUT', want t1"
expect_code 0 A 09:01 task "$a" "buy generator fuel" --due 2026-11-02T12:00:00Z
[ "$OUT" = t2 ] || fail "the second task id printed: '$OUT', want t2"
expect_code 0 A 09:02 status "$a" --json
[ "$(js '[(o["kind"], o["due"], o["person"]) for o in d["obligations"] if o["id"] == "t1"]')" = '[["task", "2026-11-02T09:31:00Z", "li.wei"]]' ] ||
	fail "t1: $(js '[o for o in d["obligations"] if o["id"] == "t1"]')"
[ "$(js '[(o["kind"], o["due"]) for o in d["obligations"] if o["id"] == "t2"]')" = '[["task", "2026-11-02T12:00:00Z"]]' ] ||
	fail "t2: $(js '[o for o in d["obligations"] if o["id"] == "t2"]')"
# a task goes late like any deadline
expect_code 0 A 09:40 status "$a" --json
[ "$(js '[o["overdue"] for o in d["obligations"] if o["id"] == "t1"]')" = '[true]' ] || fail "t1 is not overdue at 09:40"
expect_code 0 A 09:41 "done" "$a" t1 --note "carrier called"
expect_code 0 A 09:41 status "$a" --json
[ "$(js '[o for o in d["obligations"] if o["id"] == "t1"]')" = '[]' ] || fail "t1 still open after done"
# bad input
expect_code 2 A 09:42 task "$a" "no due like this" --due soonish
expect_code 2 A 09:42 "done" "$a" t99
expect_code 2 A 09:42 task "$a" ""

# a second incident, under the fixture plan (easy to terminate), with a follow-up
export SITREP_PLANS="$FIXPLANS"
b=$(A 09:10 open --plan notice-drill "tasks B") || fail "open B"
expect_code 0 A 09:11 task "$b" "soon, in B" --due 10m --owner chen.jing
[ "$OUT" = t1 ] || fail "task ids are per incident: got '$OUT'"
expect_code 0 A 09:12 task "$b" "renew the scrubbing contract" --followup --owner wang.jianguo
[ "$OUT" = t2 ] || fail "the follow-up id: '$OUT'"
expect_code 0 A 09:12 status "$b" --json
[ "$(js '[(o["kind"], o["due"]) for o in d["obligations"] if o["id"] == "t2"]')" = '[["followup", "2026-11-09T09:12:00Z"]]' ] ||
	fail "the follow-up (default due 7 days): $(js '[o for o in d["obligations"] if o["id"] == "t2"]')"

# tasks: both incidents, soonest first
expect_code 0 A 09:13 tasks --json
[ "$(js 'isinstance(d, list)')" = true ] || fail "tasks --json is not an array"
dues=$(js '[o["due"] for o in d]')
[ "$(js '[o["due"] for o in d] == sorted(o["due"] for o in d)')" = true ] || fail "tasks not soonest first: $dues"
[ "$(js 'sorted(set(o["incident"] for o in d))')" = "[$a, $b]" ] || fail "tasks does not cover both incidents: $(js '[o["incident"] for o in d]')"
[ "$(js '[(o["incident"], o["id"]) for o in d if o["id"].startswith("t")]')" = "[[$b, \"t1\"], [$a, \"t2\"], [$b, \"t2\"]]" ] ||
	fail "tasks order: $(js '[(o["incident"], o["id"], o["due"]) for o in d]')"
expect_code 0 A 09:13 tasks --person chen.jing --json
[ "$(js '[(o["incident"], o["id"]) for o in d]')" = "[[$b, \"t1\"]]" ] || fail "tasks --person chen.jing: $(js 'd')"
expect_code 0 A 09:13 tasks --person chen.jing
expect_out "soon, in B"
expect_no_out "buy generator fuel"

# terminate B: its follow-up stays open, its task does not
expect_code 0 A 09:20 attest "$b" safe
expect_code 0 A 09:21 terminate "$b" --reason "all clear"
expect_code 0 A 09:22 tasks --json
[ "$(js '[(o["id"], o["kind"]) for o in d if o["incident"] == '"$b"']')" = '[["t2", "followup"]]' ] ||
	fail "after terminate, tasks for B: $(js '[(o["id"], o["kind"]) for o in d if o["incident"] == '"$b"']'), want only the follow-up"
expect_code 0 A 09:23 "done" "$b" t2 --note "contract renewed"
expect_code 0 A 09:24 tasks --json
[ "$(js '[o for o in d if o["incident"] == '"$b"']')" = '[]' ] || fail "the follow-up done after termination is still listed"
# the report lists the follow-up with its state
expect_code 0 A 09:25 report "$b" --format json
[ "$(js 'len(d["followups"])')" = 1 ] || fail "report followups: $(js 'd["followups"]')"
exit 0
