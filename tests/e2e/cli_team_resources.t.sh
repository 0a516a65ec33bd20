# Issue 11: the resources ledger is live. resource deploy|withdraw moves
# counts (status --json resources: [{item, deployed, count}]); beyond the
# ledger's count, or withdrawing more than is out: exit 1 naming the rule,
# journaled; a count that is not a positive integer or an unknown item:
# exit 2, nothing journaled. A `resources: withdrawn` termination criterion
# holds when everything deployed is back (fixture plan notice-drill: van x2,
# phones x5; termination [gear_back, safe]).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
export SITREP_PLANS="$FIXPLANS"
res() { js "[(r['deployed'], r['count']) for r in d['resources'] if r['item'] == '$1']"; }
entries() { expect_code 0 A "$1" status "$2" --json; js 'd["last_entry"]'; }
id=$(A 09:00 open --plan notice-drill "resources") || fail "open"
expect_code 0 A 09:01 status "$id" --json
[ "$(res van)" = '[[0, 2]]' ] || fail "van before any deploy: $(js 'd["resources"]')"
expect_code 0 A 09:01 resource "$id" deploy van 2 --note "to the east site"
expect_code 0 A 09:02 resource "$id" deploy phones     # COUNT defaults to 1
expect_code 0 A 09:02 status "$id" --json
[ "$(res van)" = '[[2, 2]]' ] || fail "van after deploy 2: $(js 'd["resources"]')"
[ "$(res phones)" = '[[1, 5]]' ] || fail "phones after deploy: $(js 'd["resources"]')"
# beyond the ledger: refused by the plan's rules, the rule named, journaled
expect_code 1 A 09:03 resource "$id" deploy van 1
expect_out "rule '"
expect_out "van"
expect_code 1 A 09:03 resource "$id" withdraw phones 2
expect_code 0 A 09:04 timeline "$id" --format json
[ "$(js 'sum(1 for r in d["rows"] if r["refused"])')" = 2 ] || fail "the two refusals are not journaled: $(js '[r["summary"] for r in d["rows"]]')"
# bad input: exit 2, nothing journaled
before=$(entries 09:04 "$id")
for bad in "deploy van 0" "deploy van -1" "deploy van 1.5" "deploy van two" "deploy no_such_item 1" "fly van 1"; do
	# shellcheck disable=SC2086
	expect_code 2 A 09:05 resource "$id" $bad
done
[ "$(entries 09:05 "$id")" = "$before" ] || fail "bad resource commands journaled something"

# terminate waits for every deployed item to come back
expect_code 0 A 09:10 attest "$id" safe
expect_code 1 A 09:11 terminate "$id" --reason "too early"
expect_out "gear_back"
expect_code 0 A 09:11 status "$id" --json
[ "$(js '[(c["kind"], c["met"]) for c in d["termination"] if c["id"] == "gear_back"]')" = '[["resources", false]]' ] ||
	fail "gear_back with the van out: $(js 'd["termination"]')"
expect_code 0 A 09:12 resource "$id" withdraw van 2
expect_code 0 A 09:12 resource "$id" withdraw phones
expect_code 0 A 09:12 status "$id" --json
[ "$(res van)" = '[[0, 2]]' ] || fail "van after withdraw: $(js 'd["resources"]')"
[ "$(js '[c["met"] for c in d["termination"] if c["id"] == "gear_back"]')" = '[true]' ] || fail "gear_back not met with all back"
expect_code 0 A 09:13 terminate "$id" --reason "all back, system safe"

# the shipped hotline plan's ledger moves the same way
export SITREP_PLANS="$SITREP_TOP/plans"
h=$(A 09:00 open --plan hotline-outage "ledger") || fail "open hotline"
expect_code 0 A 09:01 resource "$h" deploy power_vehicle 2
expect_code 1 A 09:01 resource "$h" deploy power_vehicle 1
expect_code 0 A 09:02 status "$h" --json
[ "$(res power_vehicle)" = '[[2, 2]]' ] || fail "power_vehicle: $(js 'd["resources"]')"
exit 0
