#!/bin/sh
# make memcheck: valgrind on every unit test binary (the plain build) and on
# a command-line session of the plain binary; any error or leak fails.
# Usage: memcheck.sh UNIT-TEST-BINARY...
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes"
pass=0; fail=0
run() { # name cmd...
	name=$1; shift
	if $VG "$@" >/tmp/memcheck.$$.out 2>&1; then pass=$((pass+1)); echo "ok   $name"
	else fail=$((fail+1)); echo "FAIL $name"; tail -n 40 /tmp/memcheck.$$.out; fi
}
for t in "$@"; do run "$(basename "$t")" "$t"; done
# a command-line session: every command once, on a journal of its own
dir=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-memcheck.XXXXXX")
export SITREP_DB="$dir/m.db" SITREP_PLANS="$(pwd)/plans" LC_ALL=C.UTF-8
S=build/sitrep
id=$($S open --plan hotline-outage "memcheck 内存检查") || { echo "FAIL open"; exit 1; }
run open2 $S open --plan power-outage --drill "drill"
run metric $S metric "$id" complaints_pct=135 queue_min=9 availability_pct=99.5
run log $S log "$id" "a note"
run escalate $S escalate "$id" --reason "r"
run accept $S accept "$id" --reason "agreed"
run assign $S assign "$id" tech_lead 李伟
run task $S task "$id" "check the trunks" --due 30m
run resource $S resource "$id" deploy power_vehicle 1
run status $S status "$id" --json
run status-text $S status "$id"
run list $S list --all
run tasks $S tasks --json
run notices $S notices "$id" --json
run timeline $S timeline "$id" --format json
run timeline-csv $S timeline "$id" --format csv --bom
run report $S report "$id" --format html
run report-json $S report "$id" --format json
run brief $S brief "$id"
run stats $S stats
run verify $S verify
run plan-show $S plan show hotline-outage
run simulate $S simulate hotline-outage plans/scenarios/hotline-blip.scn
rm -rf "$dir" /tmp/memcheck.$$.out
echo "memcheck: $pass passed, $fail failed"
[ $fail = 0 ]
