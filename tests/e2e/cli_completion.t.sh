# bash completion: the function is run as bash runs it (COMP_WORDS,
# COMP_CWORD), against a real journal, and its answers checked.
. "$SITREP_TOP/tests/e2e/lib.sh"
command -v bash >/dev/null || { echo "FAIL: no bash"; exit 1; }
id=$(S open --plan hotline-outage "completion") || fail "open"
complete_line() { # words... : prints COMPREPLY, one per line
	bash -c '
		sitrep() { "$SITREP_BIN" "$@"; }
		. "$SITREP_TOP/scripts/sitrep.bash-completion"
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_WORDS[0]="$SITREP_BIN"
		_sitrep
		printf "%s\n" "${COMPREPLY[@]}"
	' completion "$@"
}
got=$(complete_line sitrep esc) ; [ "$got" = escalate ] || fail "subcommand: $got"
got=$(complete_line sitrep escalate "$id" --) ; case "$got" in *--from*) ;; *) fail "options: $got" ;; esac
got=$(complete_line sitrep status "") ; case "$got" in *"$id"*) ;; *) fail "incident ids: $got" ;; esac
got=$(complete_line sitrep open --plan hot) ; [ "$got" = hotline-outage ] || fail "plans: $got"
got=$(complete_line sitrep escalate "$id" --to "") ; case "$got" in *III*II*I*) ;; *) fail "levels: $got" ;; esac
got=$(complete_line sitrep attest "$id" no_) ; case "$got" in *no_secondary_risk*) ;; *) fail "criteria: $got" ;; esac
got=$(complete_line sitrep done "$id" verify) ; [ "$got" = verify_report ] || fail "obligations: $got"
got=$(complete_line sitrep metric "$id" queue) ; [ "$got" = "queue_min=" ] || fail "metrics: $got"
got=$(complete_line sitrep warn "$id" "") ; case "$got" in *blue*yellow*) ;; *) fail "warnings: $got" ;; esac
got=$(complete_line sitrep note-review "$id" sp) ; [ "$got" = speed ] || fail "sections: $got"
got=$(complete_line sitrep timeline "$id" --format "") ; case "$got" in *csv*json*) ;; *) fail "formats: $got" ;; esac
exit 0
