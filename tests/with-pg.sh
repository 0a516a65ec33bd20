#!/bin/sh
# Run a command with SITREP_TEST_PG set, so that the journal's PostgreSQL
# tests run rather than skip: when it is not set already (.ci/run sets it),
# a throw-away cluster is started for the run and removed after it
# (tests/pg.sh; `make test` installs PostgreSQL through scripts/deps.sh).
# SITREP_TEST_PG=none runs without PostgreSQL, saying so.
#   tests/with-pg.sh CMD [ARG...]
if [ "${SITREP_TEST_PG:-}" = none ]; then
	echo "with-pg: SITREP_TEST_PG=none: the PostgreSQL tests are skipped" >&2
	unset SITREP_TEST_PG
	exec "$@"
fi
if [ -n "${SITREP_TEST_PG:-}" ]; then
	exec "$@"
fi
url=$(sh "$(dirname "$0")/pg.sh" start) || {
	echo "with-pg: cannot start a PostgreSQL cluster for the tests (SITREP_TEST_PG=none skips them)" >&2
	exit 1
}
SITREP_TEST_PG=$url
export SITREP_TEST_PG
trap 'sh "$(dirname "$0")/pg.sh" stop "$url"' EXIT INT TERM
"$@"
