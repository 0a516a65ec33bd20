# Issue 14 #6: no user text reaches a terminal raw. Notes, a title and
# names holding ESC sequences (screen clear, window title, OSC 8 link), BEL,
# DEL, C1 controls (U+009B CSI) and bidi overrides (U+202E, U+2066, U+200F,
# U+061C) come out escaped from every output: timeline text/md/csv/json, on a
# terminal too (script -qc), status, list, brief, report md/html/json,
# tasks, notices, simulate (steps, expectations, the file name), the
# messages that echo an argument, report --out's message. In CSV a field
# starting with = + - @ TAB or CR gets a leading ' (formula injection).
. "$SITREP_TOP/tests/e2e/lib.sh"
. "$SITREP_TOP/tests/fixtures/tools/cli.sh"
need python3
cd "$TMPDIR_E2E" || fail "cd"
# rawctl FILE: the raw control or bidi characters in FILE, as a list
cat > rawctl.py <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8", errors="replace")
t = t.replace("\r\r\n", "\n")   # a CRLF through a terminal (onlcr)
t = t.replace("\r\n", "\n")
t = t.rstrip("\r")         # a CRLF whose LF the shell's $(...) took away
bad = re.findall("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]", t)
print(" ".join("U+%04X" % ord(c) for c in bad))
PY
# no_raw WHAT: checks $OUT; every output with raw characters is listed at the end
leaks=""
no_raw() {
	printf '%s' "$OUT" > out.bin
	r=$(python3 rawctl.py out.bin)
	[ -z "$r" ] && return 0
	leaks="$leaks
  $1: $(printf '%s' "$r" | tr ' ' '\n' | sort -u | tr '\n' ' ')in: $(printf '%s' "$OUT" | head -c 160 | od -An -c | tr -s ' ' | head -2 | tr '\n' ' ')"
}
E=$(printf 'clear\033[2J title\033]0;pwned\007 link \033]8;;http://evil.example/\033\\click\033]8;;\033\\ del\177 csi\302\233 rlo\342\200\256cod.exe lri\342\201\246x lrm\342\200\217 alm\330\234 end')
id=$(S open --plan hotline-outage "T $E") || fail "open"
expect_code 0 S log "$id" "N $E"
expect_code 0 S log "$id" '=HYPERLINK("http://evil.example/","click")'
expect_code 0 S log "$id" '+cmd|calc'
expect_code 0 S log "$id" '-2+3'
expect_code 0 S log "$id" '@SUM(A1:A9)'
expect_code 0 S log "$id" "$(printf '\t=1+1')"
expect_code 0 S assign "$id" comms "P $E"
expect_code 0 S task "$id" "K $E" --owner "P $E"
expect_code 0 S warn "$id" blue --reason "R $E"

for f in text md csv json; do
	expect_code 0 S timeline "$id" --format "$f"
	no_raw "timeline --format $f"
done
# on a terminal
if command -v script >/dev/null 2>&1; then
	script -qc "\"$SITREP_BIN\" timeline $id --format csv" /dev/null > tty.out 2>&1 < /dev/null
	OUT=$(cat tty.out)
	no_raw "timeline --format csv on a terminal"
	expect_out "HYPERLINK"
fi
for cmd in "list" "list --all" "status $id" "status $id --json" "brief $id" "report $id" "report $id --format html" "report $id --format json" "tasks" "tasks --json" "notices $id" "stats"; do
	# shellcheck disable=SC2086
	expect_code 0 S $cmd
	no_raw "$cmd"
done

# CSV formula injection: the text field starts with '
expect_code 0 S timeline "$id" --format csv
for f in "'=HYPERLINK(" "'+cmd|calc" "'-2+3" "'@SUM(A1:A9)"; do
	expect_out "$f"
done
printf '%s\n' "$OUT" | grep -q ',=HYPERLINK\|,"=HYPERLINK\|,+cmd\|,@SUM\|,-2+3' && fail "a CSV field starts with a formula prefix: $(printf '%s\n' "$OUT" | grep '=HYPERLINK\|+cmd\|@SUM\|-2+3')"

# messages that echo an argument (the same text with _ for spaces, so that
# each command's words split as written)
E=$(printf '%s' "$E" | tr ' ' '_')
for cmd in "log $id --at $E x" "metric $id $E=3" "metric $id queue_min=$E" "plan show $E" "open --plan $E t" \
	"done $id $E" "assign $id $E bob" "resource $id deploy $E" "notify $id $E" "$E" "log $id --$E x" \
	"handover $id $E --reason x" "metric $id --csv /nonexistent/$E.csv" "--db /nonexistent/$E/x.db list" \
	"--plans /nonexistent/$E open --plan x t"; do
	# shellcheck disable=SC2086
	OUT=$(set -f; "$SITREP_BIN" $cmd 2>&1)
	no_raw "the message of 'sitrep $(printf '%s' "$cmd" | cut -d' ' -f1-2)...'"
done

# report --out: the message names the file (a name without '/')
Ef=$(printf '%s' "$E" | tr '/' '-')
OUT=$("$SITREP_BIN" report "$id" --out "out $Ef.md" 2>&1) || fail "report --out: $OUT"
no_raw "report --out's message"

# simulate: steps, an unmet expectation, an unknown step, the file's name
printf '+0m open S %s\n+1m log %s\n+2m expect warning=%s\n' "$E" "$E" "$E" > s1.scn
OUT=$("$SITREP_BIN" simulate hotline-outage s1.scn 2>&1)
no_raw "simulate (notes and an unmet expectation)"
printf '+0m open a\n+1m %s\n' "$E" > s2.scn
OUT=$("$SITREP_BIN" simulate hotline-outage s2.scn 2>&1)
no_raw "simulate (an unknown step)"
cp s1.scn "scn $Ef.scn"
OUT=$("$SITREP_BIN" simulate hotline-outage "scn $Ef.scn" 2>&1)
no_raw "simulate (the scenario's file name)"
[ -z "$leaks" ] || fail "raw control or bidi characters reached the output of:$leaks"
exit 0
