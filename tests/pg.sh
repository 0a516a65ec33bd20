#!/bin/sh
# A throw-away PostgreSQL cluster for the tests: made in a temporary folder,
# run by an unprivileged user, reachable only on a unix socket in that folder
# (no TCP), with one UTF-8 database. Never touches a system-wide server.
#
#   tests/pg.sh start [DIR]   make and start a cluster in DIR (default: a new
#                             temporary folder); prints its URL, the value
#                             for SITREP_TEST_PG
#   tests/pg.sh stop URL|DIR  stop it and remove its folder
#   tests/pg.sh url DIR       print the URL of a running one again
#
# As root the server runs as $PG_TEST_USER (default nobody): PostgreSQL
# refuses to run as root. Its folder is mode 0700, so only that user (and
# root) can reach the socket; inside, authentication is `trust`.
# PG_BINDIR overrides where initdb and pg_ctl are found (default: the newest
# /usr/lib/postgresql/*/bin, where Debian puts them, else PATH).
set -eu

DB=sitrep_test
ROLE=sitrep

die() { echo "pg.sh: $*" >&2; exit 1; }

bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$d" ]; then echo "$d"; return; fi
	p=$(command -v initdb 2>/dev/null) || die "initdb not found: install PostgreSQL (Debian: apt-get install postgresql) or set PG_BINDIR"
	dirname "$p"
}

# Run a command as the cluster's user.
as_user() {
	if [ "$(id -u)" = 0 ]; then
		u=${PG_TEST_USER:-nobody}
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$u" -- "$@"
		else
			# su runs a shell command line: quote each word into it
			cmd=
			for a in "$@"; do
				cmd="$cmd'$(printf '%s' "$a" | sed "s/'/'\\\\''/g")' "
			done
			su "$u" -s /bin/sh -c "$cmd"
		fi
	else
		"$@"
	fi
}

url_of() { echo "postgresql://$ROLE@/$DB?host=$1"; }

# The folder from a URL (its host= parameter) or a folder.
dir_of() {
	case "$1" in
	postgres://*|postgresql://*)
		printf '%s\n' "$1" | sed -n 's/.*[?&]host=\([^&#]*\).*/\1/p' ;;
	*) printf '%s\n' "$1" ;;
	esac
}

start() {
	bin=$(bindir)
	[ -x "$bin/initdb" ] || die "no initdb in $bin"
	if [ $# -ge 1 ]; then
		dir=$1
		mkdir -p "$dir"
		[ -z "$(ls -A "$dir")" ] || die "folder '$dir' is not empty"
	else
		dir=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-pg.XXXXXX")
	fi
	dir=$(cd "$dir" && pwd)
	case "$dir" in *[!A-Za-z0-9._/-]*) die "folder '$dir': use a path without spaces or quotes" ;; esac
	# The socket path must fit in sun_path (107 bytes with the file name).
	[ ${#dir} -le 80 ] || die "folder '$dir' is too long for a unix socket path"
	chmod 0700 "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown "${PG_TEST_USER:-nobody}" "$dir"
	fi
	as_user "$bin/initdb" -D "$dir/data" -U "$ROLE" -E UTF8 --locale=C -A trust --no-sync \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# Only the socket in our folder; nothing on TCP.
	as_user sh -c 'cat >> "$1/data/postgresql.conf"' sh "$dir" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
max_connections = 60
EOF
	as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log" >&2; die "the server did not start"; }
	as_user "$bin/createdb" -h "$dir" -U "$ROLE" -E UTF8 -T template0 "$DB" ||
		die "createdb failed"
	url_of "$dir"
}

stop() {
	[ $# -ge 1 ] || die "usage: pg.sh stop URL|DIR"
	dir=$(dir_of "$1")
	[ -n "$dir" ] && [ -d "$dir/data" ] || die "no cluster in '$dir'"
	bin=$(bindir)
	as_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
url) [ $# -ge 2 ] || die "usage: pg.sh url DIR"; url_of "$(cd "$2" && pwd)" ;;
*) die "usage: pg.sh start [DIR] | stop URL|DIR | url DIR" ;;
esac
