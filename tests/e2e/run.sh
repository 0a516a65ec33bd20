#!/bin/sh
# End-to-end tests: every tests/e2e/*.t.sh runs the real binary. Each script
# gets SITREP_BIN (absolute path of the binary under test) and a fresh
# scratch folder in TMPDIR_E2E, and exits 0 when it passes.
# Usage: run.sh BINARY [NAME-PATTERN]
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pat=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
export SITREP_BIN="$bin" SITREP_TOP="$top"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LC_ALL=C.UTF-8 TZ=UTC
unset SITREP_DB SITREP_PLANS SITREP_NOW
pass=0; fail=0; failed=""
for t in "$top"/tests/e2e/*.t.sh; do
	name=$(basename "$t" .t.sh)
	case "$name" in *"$pat"*) ;; *) continue ;; esac
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-e2e.XXXXXX")
	if (cd "$scratch" && TMPDIR_E2E="$scratch" sh "$t") >"$scratch.log" 2>&1; then
		pass=$((pass+1)); echo "ok   $name"
		rm -rf "$scratch" "$scratch.log"
	else
		fail=$((fail+1)); failed="$failed $name"; echo "FAIL $name (log: $scratch.log)"
		sed 's/^/    | /' "$scratch.log" | tail -n 40
		rm -rf "$scratch"
	fi
done
# The command-line tests (and two consoles, tui_live) again on PostgreSQL,
# when a server is there
# (SITREP_TEST_PG: tests/with-pg.sh, .ci/run): each test's default journal
# is a database of its own. Tests about SQLite files say "e2e: sqlite only".
if [ -n "${SITREP_TEST_PG:-}" ]; then
	for t in "$top"/tests/e2e/cli_*.t.sh "$top"/tests/e2e/report_*.t.sh "$top"/tests/e2e/tui_live.t.sh; do
		name=$(basename "$t" .t.sh)
		case "pg:$name" in *"$pat"*) ;; *) continue ;; esac
		grep -q "e2e: sqlite only" "$t" && continue
		scratch=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-e2e.XXXXXX")
		if (cd "$scratch" && TMPDIR_E2E="$scratch" SITREP_E2E_BACKEND=pg sh "$t") >"$scratch.log" 2>&1; then
			pass=$((pass+1)); echo "ok   pg:$name"
			rm -rf "$scratch" "$scratch.log"
		else
			fail=$((fail+1)); failed="$failed pg:$name"; echo "FAIL pg:$name (log: $scratch.log)"
			sed 's/^/    | /' "$scratch.log" | tail -n 40
			rm -rf "$scratch"
		fi
	done
fi
echo "e2e: $pass passed, $fail failed"
[ $fail = 0 ]
