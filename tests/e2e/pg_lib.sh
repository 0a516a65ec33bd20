# Helpers for the end-to-end tests on PostgreSQL (tests/e2e/pg_*.t.sh):
# source it instead of lib.sh. SITREP_TEST_PG names a server the tests may
# make databases on (tests/pg.sh start prints one; CI sets it). Without it
# the test says it is skipped and passes.
. "$SITREP_TOP/tests/e2e/lib.sh"
if [ -z "${SITREP_TEST_PG:-}" ]; then
	echo "SKIP: SITREP_TEST_PG is not set: no PostgreSQL to test on (tests/pg.sh start)"
	exit 0
fi
command -v psql >/dev/null 2>&1 || fail "psql is needed for the PostgreSQL tests (Debian: postgresql-client)"
PSQL() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# pg_url DB: the URL of database DB on the test server
pg_url() { printf '%s\n' "$SITREP_TEST_PG" | sed "s#^\(postgres[a-z]*://[^/?]*\)/\{0,1\}[^?]*#\1/$1#"; }
# pg_newdb NAME: a new, empty UTF-8 database of this test; prints its URL.
# Dropped when the test ends.
pg_newdb() {
	_db="sitrep_e2e_$1_$$"
	PSQL "$SITREP_TEST_PG" -c "DROP DATABASE IF EXISTS $_db" \
		-c "CREATE DATABASE $_db TEMPLATE template0 ENCODING 'UTF8'" >/dev/null ||
		fail "cannot create database $_db on $SITREP_TEST_PG"
	echo "$_db" >> "$TMPDIR_E2E/pg_dbs"
	pg_url "$_db"
}
pg_cleanup() {
	[ -f "$TMPDIR_E2E/pg_dbs" ] || return 0
	while read -r _db; do
		PSQL "$SITREP_TEST_PG" -c "DROP DATABASE IF EXISTS $_db" >/dev/null 2>&1 || true
	done < "$TMPDIR_E2E/pg_dbs"
}
trap pg_cleanup EXIT
# head ID: the incident's head hash, from status --json
head_of() { S status "$1" --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p'; }
