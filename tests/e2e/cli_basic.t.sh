# Command line basics: help, usage errors, open/status/list/log/metric,
# CJK round trip, status --json fields, timeline formats, plan check/show.
. "$SITREP_TOP/tests/e2e/lib.sh"

# --help for every command: exit 0, usage on stdout
for c in "plan check" "plan show" open list status log metric warn lift escalate downgrade \
	assess attest done terminate handover timeline report brief note-review stats simulate \
	demo verify; do
	# shellcheck disable=SC2086
	expect_code 0 S $c --help
	expect_out "usage: sitrep $c"
done
expect_code 0 S --help
expect_out "sitrep escalate ID"
expect_code 0 S -h

# usage errors: exit 2, one line on stderr
expect_code 2 S frobnicate
expect_out "sitrep: unknown command 'frobnicate'"
expect_code 2 S escalte 1 --reason x
expect_out "did you mean 'escalate'"
expect_code 2 S status
expect_code 2 S status 1 --bogus
expect_out "unknown option '--bogus'"
expect_code 2 S --bogus list
expect_code 2 S open "no plan given"
expect_code 2 S open --plan hotline-outage
expect_code 2 S status abc
expect_code 2 S plan
expect_code 2 S plan frob x
err=$(S frobnicate 2>&1 >/dev/null)
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "usage error is not one line: $err"

# open prints the id alone; CJK title round-trips
export SITREP_NOW=2026-03-01T08:00:00Z
id=$(S open --plan hotline-outage "核心交换机故障 core switch") || fail "open failed"
[ "$id" = 1 ] || fail "open printed '$id'"
id2=$(S open --plan hotline-outage --drill "drill one") || fail "open drill"
[ "$id2" = 2 ] || fail "second id '$id2'"
expect_code 0 S status 1
expect_out "核心交换机故障 core switch"
expect_code 0 S status 1 --json
expect_out '"title":"核心交换机故障 core switch"'
for f in '"id":1' '"plan":"hotline-outage"' '"state":"monitoring"' '"level":null' \
	'"warning":null' '"drill":false' '"proposals":[]' '"obligations":[' '"lift":[' \
	'"termination":[' '"kind":"metric"' '"kind":"attest"' '"met":false' \
	'"due":"2026-03-01T08:05:00Z"' '"overdue":false'; do
	expect_out "$f"
done
expect_code 0 S status 2 --json
expect_out '"drill":true'
# unknown incident
expect_code 2 S status 99
expect_out "no incident 99"

# metric raises a warning and a proposal; options after positionals
export SITREP_NOW=2026-03-01T08:10:00Z
expect_code 0 S metric 1 complaints_pct=135 --at 2026-03-01T08:09:00Z
expect_out "yellow warning raised"
expect_code 0 S status 1 --json
expect_out '"state":"warning"'
expect_out '"warning":"yellow"'
expect_out '"proposals":[{"level":"II","rule":"complaints_peak"'
# obligations fall due: verify_report was due 08:05
expect_out '"id":"verify_report","title":"Duty manager verifies the report within 5 minutes","due":"2026-03-01T08:05:00Z","overdue":true'
expect_code 2 S metric 1 nosuch=3
expect_out "no metric 'nosuch'"
expect_code 2 S metric 1 complaints_pct=abc
expect_code 2 S metric 1

# log with CJK and control characters: stored raw, shown escaped
expect_code 0 S log 1 "值班经理已确认 $(printf 'bell\007 esc\033[31m')"
expect_code 0 S timeline 1
expect_out "值班经理已确认"
expect_out '\x07'
expect_no_out "$(printf '\033')"
expect_code 0 S timeline 1 --format json
expect_out '值班经理已确认'
expect_code 0 S timeline 1 --format csv
expect_code 0 S timeline 1 --format md
expect_code 2 S timeline 1 --format xml

# list: open ones; --all includes terminated
expect_code 0 S list
expect_out "核心交换机故障 core switch"
expect_out "drill one"
expect_code 0 S list --all

# global options before and after the command
expect_code 0 S --db "$SITREP_DB" status 1
expect_code 0 S status 1 --db "$SITREP_DB" --plans "$SITREP_PLANS"
other="$TMPDIR_E2E/other/sub/x.db"
expect_code 0 S --db "$other" list
[ -f "$other" ] || fail "database not created at --db path"
perm=$(stat -c %a "$other")
[ "$perm" = 600 ] || fail "database mode $perm, want 600"
dperm=$(stat -c %a "$TMPDIR_E2E/other/sub")
[ "$dperm" = 700 ] || fail "database folder mode $dperm, want 700"

# plan check / show
expect_code 0 S plan check "$SITREP_TOP/plans/hotline-outage.yaml"
printf 'id: broken\nlevels: [\n' > "$TMPDIR_E2E/broken.yaml"
expect_code 3 S plan check "$TMPDIR_E2E/broken.yaml"
case "$OUT" in *"broken.yaml:"[0-9]*:[0-9]*": "*) ;; *) fail "no FILE:LINE:COL: $OUT" ;; esac
expect_code 0 S plan show hotline-outage
expect_out "III"
expect_code 3 S plan show no-such-plan
expect_code 3 S open --plan no-such-plan "x"

# report, brief, stats wired through
expect_code 0 S brief 1
expect_code 0 S report 1
expect_code 0 S report 1 --format html
expect_out "<svg"
expect_code 0 S report 1 --out "$TMPDIR_E2E/r.md"
[ -s "$TMPDIR_E2E/r.md" ] || fail "report --out wrote nothing"
ls "$TMPDIR_E2E"/*.svg >/dev/null 2>&1 || fail "no svg beside the markdown report"
expect_code 2 S report 1 --format pdf
expect_code 0 S stats
expect_code 0 S stats --drills
# exports are journaled
expect_code 0 S timeline 1 --format json
expect_out '"kind":"export"'

# simulate and demo are wired
unset SITREP_NOW
expect_code 0 S simulate hotline-outage "$SITREP_TOP/plans/scenarios/hotline-blip.scn"
expect_code 2 S simulate hotline-outage
expect_code 0 S --db "$TMPDIR_E2E/demo.db" demo
expect_code 0 S --db "$TMPDIR_E2E/demo.db" list --all
n=$(S --db "$TMPDIR_E2E/demo.db" list --all | tail -n +2 | wc -l)
[ "$n" -ge 2 ] || fail "demo made $n incidents"
exit 0
