# plan check / plan show through the real binary: shipped plans are valid,
# a broken plan names file:line:col and exits 3.
. "$SITREP_TOP/tests/e2e/lib.sh"
cd "$SITREP_TOP"
expect_code 0 S plan check plans/hotline-outage.yaml plans/power-outage.yaml plans/crisis-generic.yaml
expect_out "plans/hotline-outage.yaml: ok"
expect_code 3 S plan check tests/fixtures/bad-plans/unknown-key.yaml
expect_out "tests/fixtures/bad-plans/unknown-key.yaml:"
expect_out "did you mean"
# one good and one bad file: every file is checked, the exit code is 3
expect_code 3 S plan check plans/hotline-outage.yaml tests/fixtures/bad-plans/duplicate-key.yaml
expect_out "plans/hotline-outage.yaml: ok"
expect_out "duplicate-key.yaml:"
expect_code 0 S --plans plans plan show hotline-outage
expect_out "III"
expect_out "yellow"
expect_out "queue_min"
expect_code 3 S --plans plans plan show no-such-plan
exit 0
