# Issue 13: a broken plan, contacts or channels file is reported in the
# user's language, still as FILE:LINE:COL: message (exit 3); the ids and
# the quoted YAML stay as written. In C.UTF-8 the same in English.
. "$SITREP_TOP/tests/e2e/lib.sh"
bad="$SITREP_TOP/tests/fixtures/bad-plans/unknown-key.yaml"
[ -f "$bad" ] || bad=$(ls "$SITREP_TOP"/tests/fixtures/bad-plans/*.yaml | head -n 1)
OUT=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= "$SITREP_BIN" plan check "$bad" 2>&1); rc=$?
[ $rc = 3 ] || fail "plan check in English: exit $rc: $OUT"
en=$OUT
printf '%s\n' "$en" | grep -qE '\.yaml:[0-9]+:[0-9]+: ' || fail "no FILE:LINE:COL in English: $en"
OUT=$(LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" plan check "$bad" 2>&1); rc=$?
[ $rc = 3 ] || fail "plan check in Chinese: exit $rc: $OUT"
printf '%s\n' "$OUT" | grep -qE '\.yaml:[0-9]+:[0-9]+: ' || fail "no FILE:LINE:COL in Chinese: $OUT"
[ "$OUT" != "$en" ] || fail "the plan's errors are not translated: $OUT"
han() { LC_ALL=C grep -q "$(printf '[\344-\351][\200-\277][\200-\277]')"; } # a CJK ideograph in UTF-8
printf '%s\n' "$OUT" | han || fail "no Chinese in: $OUT"
# a contacts file too
c="$SITREP_TOP/tests/fixtures/contacts/bad-dates.yaml"
OUT=$(LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE= "$SITREP_BIN" plan check "$c" 2>&1); rc=$?
[ $rc = 3 ] || fail "contacts check in Chinese: exit $rc: $OUT"
printf '%s\n' "$OUT" | han || fail "the contacts file's errors are not translated: $OUT"
exit 0
