# The review, briefing, statistics and timeline renderers through the real
# binary: HTML with an inline SVG, Markdown with the SVG beside it, exports
# journaled, drills excluded from stats, control characters escaped.
. "$SITREP_TOP/tests/e2e/lib.sh"

expect_code 0 S open --plan hotline-outage --at 2026-01-01T00:00:00Z "热线 DDoS"
id=$(printf '%s' "$OUT" | tr -dc '0-9')
[ -n "$id" ] || fail "no incident id in: $OUT"
expect_code 0 S log "$id" --at 2026-01-01T00:03:00Z "$(printf 'queue rising\033[31m red')"
expect_code 0 S metric "$id" queue_min=11 --at 2026-01-01T00:05:00Z
expect_code 0 S escalate "$id" --reason "scrubbing not effective <b>" --at 2026-01-01T00:10:00Z
expect_code 0 S note-review "$id" risk "清洗合同 3 月到期 / contract ends in March"
expect_code 2 S note-review "$id" nonsense "x"

# html: self-contained, an inline <svg>, escaped user text, the head hash last
expect_code 0 S report "$id" --format html
expect_out "<svg"
expect_out "</html>"
expect_out "scrubbing not effective &lt;b&gt;"
expect_no_out "effective <b>"
expect_out "清洗合同"
expect_out "Risk of future related incidents"

# md: the chart written beside the file
expect_code 0 S report "$id" --format md --out review.md
[ -s review.md ] || fail "review.md not written"
[ -s "incident-$id-levels.svg" ] || fail "the svg was not written beside review.md"
grep -q "incident-$id-levels.svg" review.md || fail "review.md does not link the svg"
head=$(sed -n 's/.*Journal head: `\([0-9a-f]*\)`.*/\1/p' review.md)
[ ${#head} = 64 ] || fail "review.md does not end with the head hash"
grep -q "$(printf '\033')" review.md && fail "a raw escape character reached the Markdown"

# every rendering is journaled as an export, with its format
expect_code 0 S brief "$id"
expect_out "ICS 201"
expect_code 0 S timeline "$id" --format json
expect_out '"kind":"export"'
expect_out '"format":"html"'
expect_out '"format":"md"'
if command -v python3 >/dev/null 2>&1; then
	printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' ||
		fail "timeline json does not parse"
fi

# text and md timelines never print user control characters raw
expect_code 0 S timeline "$id"
expect_out '\x1b[31m'
case "$OUT" in *"$(printf '\033')"*) fail "raw escape in the text timeline" ;; esac
expect_out "T+00:03"
expect_code 0 S timeline "$id" --format md
case "$OUT" in *"$(printf '\033')"*) fail "raw escape in the md timeline" ;; esac
expect_code 0 S timeline "$id" --format csv
expect_out "entry,occurred_at,recorded_at"

# drills: excluded from stats, listed by --drills with participants
expect_code 0 S open --plan hotline-outage --drill "drill: hotline failover"
drill=$(printf '%s' "$OUT" | tr -dc '0-9')
expect_code 0 S log "$drill" "drill started"
expect_code 0 S stats
expect_out "(1 incident)"
# a plan name that is no plan is a typo said as one (exit 3), not "no
# incidents"; a plan of the folder without incidents yet is figures of none
expect_code 3 S stats --plan hotline
expect_out "no plan 'hotline'"
expect_code 0 S stats --plan power-outage
expect_out "no incidents"
expect_code 0 S stats --drills
expect_out "incident $drill "
expect_out "participants"
expect_no_out "incident $id "
expect_code 0 S report "$drill" --format md
expect_out "DRILL"
exit 0
