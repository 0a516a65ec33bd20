# The level decision matrix from the command line, with the words of the
# issue's own example (--scope regional --recovery 6h ...): aliases and
# recovery times that fall into the plan's buckets.
. "$SITREP_TOP/tests/e2e/lib.sh"
id=$(S open --plan hotline-outage "assess") || fail "open"
expect_code 0 S assess "$id" --scope regional --recovery 6h --criticality core --risk low
expect_out "level II"
expect_code 0 S status "$id" --json
expect_out '"proposals":[{"level":"II"'
# national is Level I whatever else
expect_code 0 S assess "$id" --scope nationwide --recovery 2h --criticality general --risk none
expect_code 0 S status "$id" --json
expect_out '"proposals":[{"level":"I"'
# a single node repaired quickly: Level III; 90m falls into the 2h bucket
expect_code 0 S assess "$id" --scope single_node --recovery 90m --criticality general --risk none
expect_code 0 S status "$id" --json
expect_out '"proposals":[{"level":"III"'
# a region with recovery beyond 6h (30h: past the last bucket, 24h) is Level II
expect_code 0 S assess "$id" --scope regional --recovery 30h --criticality general --risk none
expect_code 0 S status "$id" --json
expect_out '"proposals":[{"level":"II"'
# unknown words are usage errors that list the values
expect_code 2 S assess "$id" --scope moon --recovery 6h --criticality core --risk low
expect_out "single_region"
expect_code 2 S assess "$id" --scope regional --recovery soon --criticality core --risk low
expect_code 2 S assess "$id" --scope regional --recovery 6h --criticality core
expect_out "--risk"
# the proposal is accepted by escalating to its level
expect_code 0 S escalate "$id" --to II --reason "matrix says II"
expect_code 0 S status "$id" --json
expect_out '"level":"II"'
expect_out '"proposals":[]'
# a four-level plan with its own dimensions (power-outage: scope, impact,
# duration): --DIM VALUE for each, checked against the incident's plan
pid=$(S open --plan power-outage "power assess") || fail "open power"
expect_code 0 S assess "$pid" --scope total --impact severe --duration long
expect_code 0 S status "$pid" --json
expect_out '"proposals":[{"level":"I"'
expect_code 2 S assess "$pid" --scope total --impact severe
expect_out "needs --duration"
expect_code 2 S assess "$pid" --scope total --impact severe --duration long --risk low
expect_out "no assessment dimension 'risk'"
exit 0
