# Helpers for end-to-end tests: source it with . "$SITREP_TOP/tests/e2e/lib.sh"
set -u
export SITREP_DB="$TMPDIR_E2E/sitrep.db"
# nothing of the user's own: data (the demo's database) and configuration
# (contacts, channels) in the test's folder
export XDG_DATA_HOME="$TMPDIR_E2E/data" XDG_CONFIG_HOME="$TMPDIR_E2E/config"
# On PostgreSQL (run.sh's second pass, SITREP_E2E_BACKEND=pg): the default
# journal is a new database of this test on the server SITREP_TEST_PG.
if [ "${SITREP_E2E_BACKEND:-sqlite}" = pg ]; then
	_pgdb=$(basename "$TMPDIR_E2E" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_')
	psql -X -q "$SITREP_TEST_PG" -c "CREATE DATABASE $_pgdb TEMPLATE template0 ENCODING 'UTF8'" \
		>/dev/null 2>&1 || { echo "FAIL: cannot create database $_pgdb" >&2; exit 1; }
	SITREP_DB=$(printf '%s\n' "$SITREP_TEST_PG" | sed "s#^\(postgres[a-z]*://[^/?]*\)/\{0,1\}[^?]*#\1/$_pgdb#")
	export SITREP_DB
fi
export SITREP_PLANS="$SITREP_TOP/plans"
S() { "$SITREP_BIN" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_code N cmd...: run cmd, require exit code N; output in $OUT (stdout+stderr)
expect_code() {
	want=$1; shift
	OUT=$("$@" 2>&1); got=$?
	[ "$got" = "$want" ] || fail "expected exit $want, got $got from: $* -- output: $OUT"
	return 0
}
# expect_out PATTERN: $OUT must contain the fixed string
expect_out() { case "$OUT" in *"$1"*) ;; *) fail "output lacks '$1': $OUT" ;; esac; }
expect_no_out() { case "$OUT" in *"$1"*) fail "output has '$1': $OUT" ;; *) ;; esac; }
# tmux helpers for console tests: a private server per test
TMUX_SOCK="$TMPDIR_E2E/tmux.sock"
tm() { tmux -S "$TMUX_SOCK" "$@"; }
tm_start() { # cols rows cmd...
	c=$1; r=$2; shift 2
	tm -f /dev/null new-session -d -x "$c" -y "$r" -s t "$@" || fail "tmux start"
	tm set-option -g remain-on-exit on >/dev/null 2>&1 || true
}
tm_screen() { tm capture-pane -p -t t; }
# tm_wait TEXT [secs]: wait until the screen shows TEXT (polls; generous limit for slow CI)
tm_wait() {
	i=0; lim=$(( ${2:-20} * 10 ))
	while [ $i -lt $lim ]; do
		tm_screen | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i+1))
	done
	tm_screen >&2; fail "screen never showed '$1'"
}
tm_keys() { tm send-keys -t t "$@"; }
tm_stop() { tm kill-server >/dev/null 2>&1 || true; }
# The console's exit code: tmux does not always record a dead pane's status,
# so tm_start_console runs the binary through a shell that writes it to a file.
CONSOLE_RC="$TMPDIR_E2E/console.rc"
tm_start_console() { # cols rows [args...]
	c=$1; r=$2; shift 2
	rm -f "$CONSOLE_RC"
	tm_start "$c" "$r" sh -c '"$0" "$@"; echo $? > "'"$CONSOLE_RC"'.tmp"; mv "'"$CONSOLE_RC"'.tmp" "'"$CONSOLE_RC"'"' "$SITREP_BIN" "$@"
}
# tm_wait_exit: wait (up to 40 s) for the console to exit; fail unless it exited 0
tm_wait_exit() {
	i=0
	while [ ! -f "$CONSOLE_RC" ] && [ $i -lt 400 ]; do sleep 0.1; i=$((i+1)); done
	[ -f "$CONSOLE_RC" ] || { tm_screen >&2; fail "the console did not exit"; }
	[ "$(cat "$CONSOLE_RC")" = 0 ] || { tm_screen >&2; fail "console exit status $(cat "$CONSOLE_RC")"; }
}
