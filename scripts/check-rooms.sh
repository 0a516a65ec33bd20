#!/bin/sh
# The rooms of docs/architecture.md, checked: each library in one file,
# and the headers each layer may include.
rc=0
bad() { echo "rooms: $*" >&2; rc=1; }
# check HEADER-REGEX ALLOWED-FILE-REGEX: the header only in the allowed files
check() {
	found=$(grep -rlE "#include[[:space:]]*<($1)>" src include tests/unit 2>/dev/null | grep -vE "$2")
	[ -z "$found" ] || bad "<$1> included outside its room: $found"
}
check 'n?curses(w)?\.h|ncursesw/curses\.h' '^src/tui/term\.c$'
check 'yaml\.h' '^src/plan_yaml\.c$'
check 'sqlite3\.h' '^src/journal_sqlite\.c$'
check 'libpq-fe\.h' '^src/journal_pg\.c$'
# the one second thread: a long walk read ahead (docs/architecture.md)
check 'pthread\.h' '^src/journal_ahead\.c$'
check 'jansson\.h' '^(tests/unit/.*|src/(app_int\.h|entry\.c|derive\.c|act\.c|notify\.c|view\.c|out\.c|verify\.c|review\.c|import\.c|report_[a-z_]+\.c|report_int\.h))$'
# the console and the command line ask app: no engine, journal or plan header
for f in src/tui/*.c src/tui/*.h src/cli.c src/scenario.c include/sitrep/app.h include/sitrep/view.h include/sitrep/tui.h include/sitrep/report.h; do
	[ -f "$f" ] || continue
	if grep -qE '#include[[:space:]]*"(sitrep/(engine|journal|plan|site)\.h|\.\./app_int\.h|app_int\.h)"' "$f"; then
		bad "$f includes an engine, journal, plan or app-internal header"
	fi
done
# the engine: libc, its own headers, plan, names and util only
for f in src/engine*.c src/engine_int.h include/sitrep/engine.h; do
	grep -hE '#include' "$f" | grep -vE '#include[[:space:]]*(<(math|stdarg|stdio|stdlib|string|stddef|stdint)\.h>|"(engine_int\.h|sitrep/(engine|plan|names|util|i18n)\.h)")' |
		while read -r line; do echo "rooms: $f: $line is outside the engine's room" >&2; echo x; done | grep -q x && rc=1
done
# the journal knows nothing of rules or payloads
for f in src/journal*.c src/journal_int.h; do
	if grep -qE '#include[[:space:]]*"sitrep/(engine|plan|app|view)\.h"' "$f"; then
		bad "$f includes a rules or views header"
	fi
done
[ $rc = 0 ] && echo "rooms: ok"
exit $rc
