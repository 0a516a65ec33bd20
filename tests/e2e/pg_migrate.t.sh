# sitrep migrate --to URL: the shipped demo's SQLite journal copied into
# PostgreSQL with its hashes intact, verifying there; run again, it copies
# what was added since; a target holding other incidents is refused (exit 2)
# and left as it was.
. "$SITREP_TOP/tests/e2e/pg_lib.sh"
file="$TMPDIR_E2E/demo.db"
expect_code 0 S demo --db "$file"
url=$(pg_newdb migrate) || fail "no database"
expect_code 0 S --db "$file" migrate --to "$url"
expect_out "the target verifies"
expect_code 0 S --db "$url" verify
# the same journal, continued offline, then migrated again: the rest comes
# over (before anything reads the target: a timeline journals its export)
expect_code 0 S --db "$file" log 2 "written offline"
expect_code 0 S --db "$file" migrate --to "$url"
expect_out "the target verifies"
# the same record: the same heads, the same timelines
for id in 1 2; do
	ha=$(S --db "$file" status "$id" --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p')
	hb=$(S --db "$url" status "$id" --json | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p')
	[ ${#ha} = 64 ] || fail "incident $id: no head in status --json"
	[ "$ha" = "$hb" ] || fail "incident $id: head '$hb' on PostgreSQL, '$ha' in SQLite"
done
# the review reads the same from either (figures, notes, the journal's
# head): first, while both heads are the same (each export journals an
# entry of its own, at its own second, after it rendered)
S --db "$file" report 1 > "$TMPDIR_E2E/a.md" || fail "report sqlite"
S --db "$url" report 1 > "$TMPDIR_E2E/b.md" || fail "report pg"
grep -q "scrubbing contract ends in March" "$TMPDIR_E2E/b.md" || fail "the review lacks its notes"
cmp -s "$TMPDIR_E2E/a.md" "$TMPDIR_E2E/b.md" ||
	{ diff "$TMPDIR_E2E/a.md" "$TMPDIR_E2E/b.md" >&2; fail "the reviews differ"; }
# the timelines, but for the exports each journal recorded on its own
for id in 1 2; do
	S --db "$file" timeline "$id" --format csv > "$TMPDIR_E2E/a.raw" || fail "timeline sqlite"
	S --db "$url" timeline "$id" --format csv > "$TMPDIR_E2E/b.raw" || fail "timeline pg"
	awk -F, '$7 != "export"' "$TMPDIR_E2E/a.raw" > "$TMPDIR_E2E/a.csv"
	awk -F, '$7 != "export"' "$TMPDIR_E2E/b.raw" > "$TMPDIR_E2E/b.csv"
	cmp -s "$TMPDIR_E2E/a.csv" "$TMPDIR_E2E/b.csv" ||
		{ diff "$TMPDIR_E2E/a.csv" "$TMPDIR_E2E/b.csv" >&2; fail "incident $id: timelines differ"; }
done
grep -q "written offline" "$TMPDIR_E2E/b.csv" || fail "the entry written offline was not copied"

# another journal into the same target: refused, the target untouched
other="$TMPDIR_E2E/other.db"
expect_code 0 S --db "$other" open --plan power-outage "another site's incident"
before=$(PSQL -At "$url" -c "SELECT count(*) || '/' || max(id) FROM entries") || fail "count"
expect_code 2 S --db "$other" migrate --to "$url"
expect_out "already holds"
after=$(PSQL -At "$url" -c "SELECT count(*) || '/' || max(id) FROM entries") || fail "count"
[ "$before" = "$after" ] || fail "the refused migrate changed the target: $before -> $after"
expect_code 0 S --db "$url" verify
# into an empty database of its own it goes
site=$(pg_newdb site) || fail "no database"
expect_code 0 S --db "$other" migrate --to "$site"
expect_code 0 S --db "$site" status 1
expect_out "another site's incident"
exit 0
