#!/bin/sh
# Each library in one room (STYLE.md): curses under src/tui/, libyaml in
# src/plan.c, SQLite in the journal's SQLite backend, libpq in its
# PostgreSQL backend.
rc=0
check() { # header allowed-pattern
	bad=$(grep -rlE "#include[[:space:]]*<$1>" src include tests/unit 2>/dev/null | grep -vE "$2")
	if [ -n "$bad" ]; then echo "rooms: <$1> included outside its room: $bad" >&2; rc=1; fi
}
check 'n?curses(w)?\.h|ncursesw/curses\.h' '^src/tui/'
check 'yaml\.h' '^src/plan\.c$'
check 'sqlite3\.h' '^src/journal_sqlite\.c$'
check 'libpq-fe\.h' '^src/journal_pg\.c$'
[ $rc = 0 ] && echo "rooms: ok"
exit $rc
