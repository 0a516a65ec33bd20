#!/bin/sh
# Make sure the libraries sitrep builds against are installed; install the
# Debian packages when they are not (as root, or through sudo), otherwise say
# exactly which command will.  Usage: deps.sh [--test]
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
need_test=0
[ "$1" = "--test" ] && need_test=1

missing=0
command -v "$PKG_CONFIG" >/dev/null 2>&1 || missing=1
if [ $missing = 0 ]; then
	for p in ncursesw yaml-0.1 sqlite3 libsodium jansson; do
		"$PKG_CONFIG" --exists "$p" || missing=1
	done
	if [ $need_test = 1 ]; then
		"$PKG_CONFIG" --exists cmocka || missing=1
		command -v tmux >/dev/null 2>&1 || missing=1
		command -v sqlite3 >/dev/null 2>&1 || missing=1
	fi
fi
[ $missing = 0 ] && exit 0

PKGS="libncurses-dev libsqlite3-dev libyaml-dev libsodium-dev libjansson-dev libcmocka-dev pkg-config tmux sqlite3"
CMD="apt-get update && apt-get install -y $PKGS"
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing $PKGS"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS && exit 0
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	echo "deps: installing $PKGS (sudo)"
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PKGS && exit 0
fi
echo "deps: missing build dependencies; install them with:" >&2
echo "  sudo sh -c '$CMD'" >&2
exit 1
