#!/bin/sh
# Make sure what sitrep builds and tests with is installed: the Debian
# packages (as root, or through sudo), else say exactly which command will.
# Usage: deps.sh [--test]
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
need_test=0
[ "$1" = "--test" ] && need_test=1

missing=0
command -v "$PKG_CONFIG" >/dev/null 2>&1 || missing=1
command -v msgfmt >/dev/null 2>&1 || missing=1
if [ $missing = 0 ]; then
	for p in ncursesw yaml-0.1 sqlite3 libsodium jansson libpq; do
		"$PKG_CONFIG" --exists "$p" || missing=1
	done
	if [ $need_test = 1 ]; then
		"$PKG_CONFIG" --exists cmocka || missing=1
		for c in tmux sqlite3 xgettext localedef faketime python3; do
			command -v "$c" >/dev/null 2>&1 || missing=1
		done
		# PostgreSQL's server programs live outside PATH on Debian
		ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing=1
	fi
fi

PKGS="libncurses-dev libsqlite3-dev libyaml-dev libsodium-dev libjansson-dev libpq-dev gettext pkg-config"
[ $need_test = 1 ] && PKGS="$PKGS libcmocka-dev tmux sqlite3 locales postgresql faketime python3"
run_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}
can_root() {
	[ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}
if [ $missing = 1 ]; then
	if can_root; then
		echo "deps: installing $PKGS"
		run_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS >/dev/null || exit 1
	else
		echo "deps: missing build dependencies; install them with:" >&2
		echo "  sudo sh -c 'apt-get update && apt-get install -y $PKGS'" >&2
		exit 1
	fi
fi

# The console tests run in Chinese too: the zh_CN.UTF-8 locale must exist.
if [ $need_test = 1 ] && ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	if can_root; then
		echo "deps: generating the zh_CN.UTF-8 locale"
		if [ -f /etc/locale.gen ]; then
			run_root sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
			grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen ||
				echo 'zh_CN.UTF-8 UTF-8' | run_root tee -a /etc/locale.gen >/dev/null
			run_root locale-gen >/dev/null 2>&1 || run_root localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
		else
			run_root localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
		fi
	else
		echo "deps: the zh_CN.UTF-8 locale is missing; make it with:" >&2
		echo "  sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8" >&2
		exit 1
	fi
fi
exit 0
