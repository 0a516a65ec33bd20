#!/bin/sh
# The catalogues are complete: every message of po/sitrep.pot translated in
# po/LANG.po, nothing fuzzy, formats checked (msgfmt --check), and the .pot
# itself in step with the sources (a string added without `make pot` fails).
rc=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/po-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

xgettext $(make -s --no-print-directory print-xgettext-flags) -o "$tmp/fresh.pot" $(make -s --no-print-directory print-pot-src)
ids() { msgcat --no-location --no-wrap --sort-output "$1" 2>/dev/null | grep -E '^msgid' ; }
if ! [ -f po/sitrep.pot ] || [ "$(ids "$tmp/fresh.pot")" != "$(ids po/sitrep.pot)" ]; then
	echo "po: po/sitrep.pot is not in step with the sources: run 'make pot' and translate" >&2
	rc=1
fi
for l in "$@"; do
	stats=$(msgfmt --check --statistics -o /dev/null "po/$l.po" 2>&1) || { echo "po: $l: $stats" >&2; rc=1; continue; }
	case "$stats" in
	*fuzzy*|*untranslated*) echo "po: $l is not complete: $stats" >&2; rc=1 ;;
	*) echo "po: $l: $stats" ;;
	esac
	missing=$(msgcmp "po/$l.po" "$tmp/fresh.pot" 2>&1) || { echo "po: $l lacks messages of the sources: $missing" | head -5 >&2; rc=1; }
done
exit $rc
