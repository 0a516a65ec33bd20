#!/bin/sh
# make bench: every figure of docs/performance.md, each beside its baseline
# measured in the same run (interleaved, medians of BENCH_RUNS runs), with
# the ratio and the target. Never part of `make test`: no figure fails it,
# a slow shared machine only makes the table slower.
#
#   run.sh BIN TOOLS_DIR        (make bench: build/sitrep build/bench)
#   BENCH_N=1000000 entries in the long incident, BENCH_RUNS=5
#
# The journals are made in a temporary folder through the real import path
# (`sitrep metric ID --csv`) and removed at the end.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tools=$(cd "$2" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_N:-1000000}
RUNS=${BENCH_RUNS:-5}
dir=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench.XXXXXX")
cleanup() {
	tmux -L sitrep-bench kill-server 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
export SITREP_PLANS="$top/plans" TZ=UTC LC_ALL=C.UTF-8 SITREP_BIN="$bin"
unset SITREP_NOW SITREP_DB SITREP_NO_CHECKPOINT LANGUAGE LANG 2>/dev/null || true
db="$dir/bench.db"
S() { "$bin" --db "$db" "$@"; }
run() { "$tools/bench_run" "$@"; }              # -> "MS KB EXIT"
ms() { printf '%s\n' "$1" | cut -d' ' -f1; }
kb() { printf '%s\n' "$1" | cut -d' ' -f2; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
now=$(date +%s)
say() { printf '%s\n' "$*" >&2; }

# ---- the table ----
table="$dir/table"
: > "$table"
# row WHAT VALUE BASELINE RATIO TARGET VERDICT
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" >> "$table"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
verdict() { if le "$1" "$2"; then echo ok; else echo OVER; fi; }

say "bench: $N entries, $RUNS runs each, in $dir"
say "bench: machine: $(nproc) cores, $(uname -m), $(sqlite3 --version | cut -d' ' -f1) (sqlite3), $(date -u +%Y-%m-%d)"

# ---- the journals ----
# Each incident holds, 200 readings in, a note with the word "needle": the
# console's search finds it at the same depth in both (its first hit), then
# reads on to the last entry, where nothing else matches.
start=$((now - N * 10 - 9200))
big=$(S open --plan hotline-outage --at "$(iso "$start")" "long incident")
awk -v s="$start" 'BEGIN {
	for (i = 1; i <= 200; i++)
		printf "%s,availability_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", s + 60 + i * 10, 1), 99.90 + (i % 10) / 100
}' > "$dir/head.csv"
S metric "$big" --csv "$dir/head.csv" >/dev/null
S log "$big" --at "$(iso $((start + 60 + 2005)))" "needle: the first hit" >/dev/null
needle=$(sqlite3 "$db" "SELECT max(id) FROM entries WHERE incident = $big")
awk -v s="$((start + 2000))" -v n="$N" 'BEGIN {
	for (i = 1; i <= n; i++) {
		t = s + 60 + i * 10
		printf "%s,availability_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 99.90 + (i % 10) / 100
	}
}' > "$dir/feed.csv"
say "bench: importing $N readings"
r_import=$(run "$bin" --db "$db" metric "$big" --csv "$dir/feed.csv")
[ "$(echo "$r_import" | cut -d' ' -f3)" = 0 ] || { say "bench: the import failed"; exit 1; }
# The short incident: more rows than the console's timeline holds at once
# (300 readings, one every 10 s), so that what is compared is the
# journal's length, not how many rows or sparkline points a screen draws,
# and End and Home fetch a page on both.
empty=$(S open --plan hotline-outage --at "$(iso $((now - 3600)))" "short incident")
awk -v s="$((now - 3400))" -v from=0 -v to=200 'BEGIN {
	for (i = from; i < to; i++)
		printf "%s,availability_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", s + i * 10, 1), 99.90 + (i % 10) / 100
}' > "$dir/short.csv"
S metric "$empty" --csv "$dir/short.csv" >/dev/null
S log "$empty" --at "$(iso $((now - 3400 + 1995)))" "needle: the first hit" >/dev/null
awk -v s="$((now - 3400))" -v from=200 -v to=300 'BEGIN {
	for (i = from; i < to; i++)
		printf "%s,availability_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", s + i * 10, 1), 99.90 + (i % 10) / 100
}' > "$dir/short.csv"
S metric "$empty" --csv "$dir/short.csv" >/dev/null

# the baseline of the import: sqlite3's .import of the same rows into a
# fresh database of the same schema (WAL, synchronous=FULL, one transaction)
sqlite3 "$db" .schema > "$dir/schema.sql"
sqlite3 -csv "$db" "SELECT * FROM entries WHERE incident = $big AND id > $needle ORDER BY id" > "$dir/entries.csv"
sqlite3 -csv "$db" "SELECT * FROM readings WHERE incident = $big AND entry > $needle ORDER BY entry, seq" > "$dir/readings.csv"
base="$dir/base.db"
sqlite3 "$base" "PRAGMA journal_mode = WAL;" ".read $dir/schema.sql" >/dev/null
sqlite3 "$base" "ATTACH '$db' AS src; INSERT INTO incidents SELECT * FROM src.incidents WHERE id = $big;"
r_base_import=$(run sqlite3 -cmd "PRAGMA synchronous = FULL" "$base" \
	".import --csv $dir/entries.csv entries" ".import --csv $dir/readings.csv readings")
i_ms=$(ms "$r_import"); b_ms=$(ms "$r_base_import")
row "import of $N readings (\`metric --csv\`) vs sqlite3 \`.import\` of the same rows, same schema" \
	"$(awk -v v="$i_ms" 'BEGIN { printf "%.1f s", v / 1000 }')" \
	"$(awk -v v="$b_ms" 'BEGIN { printf "%.1f s", v / 1000 }')" "$(ratio "$i_ms" "$b_ms")" "≤ 1.5" \
	"$(verdict "$(ratio "$i_ms" "$b_ms")" 1.5)"
rm -f "$dir/entries.csv" "$dir/readings.csv" "$base" "$base-wal" "$base-shm"
last=$(sqlite3 "$db" "SELECT max(id) FROM entries WHERE incident = $big AND kind = 'metric'")
elast=$(sqlite3 "$db" "SELECT max(id) FROM entries WHERE incident = $empty AND kind = 'metric'")

# ---- per call: log against a bare sqlite3 insert, same durability ----
base2="$dir/base2.db"
sqlite3 "$base2" "PRAGMA journal_mode = WAL; CREATE TABLE t (x TEXT);" >/dev/null
: > "$dir/log"; : > "$dir/ins"
i=0; while [ $i -lt $((RUNS * 2)) ]; do
	ms "$(run "$bin" --db "$db" log "$empty" "note $i")" >> "$dir/log"
	ms "$(run sqlite3 "$base2" "PRAGMA synchronous = FULL; INSERT INTO t VALUES ('note $i')")" >> "$dir/ins"
	i=$((i + 1))
done
a=$(median < "$dir/log"); b=$(median < "$dir/ins")
row "\`sitrep log\` per call vs \`sqlite3 DB \"pragma synchronous=full; insert ...\"\` per call" \
	"$a ms" "$b ms" "$(ratio "$a" "$b")" "≤ 1.3" "$(verdict "$(ratio "$a" "$b")" 1.3)"

# ---- the long incident against the short one ----
cmp_pair() { # NAME TARGET BIGCMD EMPTYCMD (each a string run by sh -c, %I = the incident, %E = its last reading)
	name=$1; target=$2; cb=$3; ce=$4
	: > "$dir/p1"; : > "$dir/p2"
	i=0; while [ $i -lt "$RUNS" ]; do
		ms "$(run sh -c "$(echo "$cb" | sed "s/%N/$i/g")")" >> "$dir/p1"
		ms "$(run sh -c "$(echo "$ce" | sed "s/%N/$i/g")")" >> "$dir/p2"
		i=$((i + 1))
	done
	a=$(median < "$dir/p1"); b=$(median < "$dir/p2")
	row "$name, $N entries vs a short incident" "$a ms" "$b ms" "$(ratio "$a" "$b")" "≤ $target" \
		"$(verdict "$(ratio "$a" "$b")" "$target")"
}
B="'$bin' --db '$db'"
back=$(iso $((now - 30)))
cmp_pair "\`log\`" 1.5 "$B log $big 'n %N'" "$B log $empty 'n %N'"
cmp_pair "\`status --json\`" 1.5 "$B status $big --json" "$B status $empty --json"
cmp_pair "a backfilled \`log --at\` 30 s ago" 1.5 "$B log $big --at $back 'b %N'" "$B log $empty --at $back 'b %N'"
cmp_pair "\`correct\` of the latest reading" 1.5 \
	"$B correct $big $last --reason 'r %N' availability_pct=99.9%N" \
	"$B correct $empty $elast --reason 'r %N' availability_pct=99.9%N"

# ---- the write lock (SITREP_TIMINGS: the longest it was held) ----
lock=0
for c in "log $big lock" "log $big --at $back lockb" "correct $big $last --reason lock availability_pct=99.91" \
	 "escalate $big --reason lock"; do
	# shellcheck disable=SC2086
	l=$(SITREP_TIMINGS=1 "$bin" --db "$db" $c 2>&1 >/dev/null | sed -n 's/.*held at most \([0-9.]*\) ms.*/\1/p')
	[ -n "$l" ] && le "$lock" "$l" && lock=$l
done
row "longest write lock of \`log\`, backfilled \`log\`, \`correct\`, \`escalate\` at $N" "$lock ms" "-" "-" \
	"≤ 50 ms" "$(verdict "$lock" 50)"
# the same step for the short incident: both dashboards show Level II's
# deadlines and notices when the console is timed
S escalate "$empty" --reason lock >/dev/null

# ---- replay and verify against the bare sequential read ----
: > "$dir/rp"; : > "$dir/sel"; : > "$dir/vf"
i=0; while [ $i -lt 3 ]; do
	ms "$(run env SITREP_NO_CHECKPOINT=1 "$bin" --db "$db" status "$big" --json)" >> "$dir/rp"
	ms "$(run sqlite3 "$db" "SELECT * FROM entries WHERE incident = $big")" >> "$dir/sel"
	r_verify=$(run "$bin" --db "$db" verify "$big")
	ms "$r_verify" >> "$dir/vf"
	i=$((i + 1))
done
a=$(median < "$dir/rp"); b=$(median < "$dir/sel"); v=$(median < "$dir/vf")
row "full replay (\`status --json\`, no snapshots) vs \`sqlite3 DB 'select * from entries where incident=?'\`" \
	"$a ms" "$b ms" "$(ratio "$a" "$b")" "≤ 1.5, < 1 s" \
	"$(if le "$(ratio "$a" "$b")" 1.5 && le "$a" 1000; then echo ok; else echo OVER; fi)"
row "\`verify\` (chain, anchors, snapshots against a replay) vs the same select" \
	"$v ms" "$b ms" "$(ratio "$v" "$b")" "≤ 2" "$(verdict "$(ratio "$v" "$b")" 2)"

# ---- peak memory at 1M: everything streams ----
mem() { # WHAT CMD...
	what=$1; shift
	r=$(run "$@")
	row "peak RSS: $what" "$(kb "$r") KB" "-" "-" "< 32768 KB" "$(verdict "$(kb "$r")" 32768)"
}
mem "status" "$bin" --db "$db" status "$big"
mem "log" "$bin" --db "$db" log "$big" "memory"
mem "verify" "$bin" --db "$db" verify "$big"
for f in text csv json md; do
	mem "timeline --format $f" "$bin" --db "$db" timeline "$big" --format "$f"
done
for f in md html json; do
	mem "report --format $f" "$bin" --db "$db" report "$big" --format "$f"
done

# ---- the console (in process: tests/bench/console_bench.c) ----
: > "$dir/cb"; : > "$dir/ce"
i=0; while [ $i -lt 3 ]; do
	# the list is newest first: the short incident is row 0, the long one row 1
	"$tools/console_bench" "$db" 1 "needle" >> "$dir/cb"
	"$tools/console_bench" "$db" 0 "needle" >> "$dir/ce"
	i=$((i + 1))
done
for m in dashboard key commit timeline end search; do
	a=$(awk -v m="$m" '$1 == m { print $2 }' "$dir/cb" | median)
	b=$(awk -v m="$m" '$1 == m { print $2 }' "$dir/ce" | median)
	case $m in
	dashboard) what="console: first frame of the dashboard" ;;
	key) what="console: redraw after a key (< 16 ms)" ;;
	commit) what="console: redraw after another writer's commit" ;;
	timeline) what="console: opening the timeline" ;;
	end) what="console: End in the timeline" ;;
	search) what="console: \`/\` search, first hit (a note 200 readings in)" ;;
	esac
	row "$what, $N vs a short incident" "$a ms" "$b ms" "$(ratio "$a" "$b")" "≤ 1.5" \
		"$(verdict "$(ratio "$a" "$b")" 1.5)"
done
a=$(awk '$1 == "search_all" { print $2 }' "$dir/cb" | median)
b=$(awk '$1 == "search_all" { print $2 }' "$dir/ce" | median)
row "console: the same search read on to the last entry (no other hit), $N vs a short incident" \
	"$a ms" "$b ms" "$(ratio "$a" "$b")" "-" "-"
k=$(awk '$1 == "key" { print $2 }' "$dir/cb" | median)
row "console: redraw after a key at $N" "$k ms" "-" "-" "< 16 ms" "$(verdict "$k" 16)"
rss=$(awk '$1 == "rss_kb" { print $2 }' "$dir/cb" | median)
peak=$(awk '$1 == "peak_kb" { print $2 }' "$dir/cb" | median)
row "console: RSS after leaving the timeline / peak, at $N" "$rss / $peak KB" "-" "-" "< 32768 KB" \
	"$(verdict "$peak" 32768)"

# an idle console on the long incident under a feed of one reading a second
if command -v tmux >/dev/null 2>&1; then
	tmux -L sitrep-bench -f /dev/null new-session -d -x 100 -y 30 \
		"'$bin' --db '$db'" 2>/dev/null
	sleep 1
	tmux -L sitrep-bench send-keys j Enter
	sleep 2
	pid=$(tmux -L sitrep-bench list-panes -F '#{pane_pid}')
	cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
	hz=$(getconf CLK_TCK)
	c0=$(cpu); t0=$(date +%s)
	i=0; while [ $i -lt 20 ]; do
		S metric "$big" availability_pct=99.95 >/dev/null
		sleep 1
		i=$((i + 1))
	done
	c1=$(cpu); t1=$(date +%s)
	pct=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v s=$((t1 - t0)) 'BEGIN { printf "%.1f", 100 * c / hz / s }')
	row "console idle on the $N incident under a feed of one reading a second: CPU" "$pct %" "-" "-" \
		"< 5 %" "$(verdict "$pct" 5)"
	tmux -L sitrep-bench kill-server 2>/dev/null || true
fi

# ---- 1,000 incidents: the list ----
ldb="$dir/list.db"
i=0; while [ $i -lt 1000 ]; do
	"$bin" --db "$ldb" open --plan hotline-outage "incident $i" >/dev/null
	i=$((i + 1))
done
: > "$dir/l"; : > "$dir/lc"
i=0; while [ $i -lt "$RUNS" ]; do
	ms "$(run "$bin" --db "$ldb" list)" >> "$dir/l"
	"$tools/console_bench" "$ldb" 0 | awk '$1 == "list" { print $2 }' >> "$dir/lc"
	i=$((i + 1))
done
a=$(median < "$dir/l"); b=$(median < "$dir/lc")
row "\`sitrep list\` with 1,000 incidents" "$a ms" "-" "-" "< 50 ms" "$(verdict "$a" 50)"
row "console: the incident list with 1,000 incidents (first frame)" "$b ms" "-" "-" "< 50 ms" \
	"$(verdict "$b" 50)"

# ---- PostgreSQL (a throw-away cluster, when the server programs are here) ----
if [ -z "${BENCH_NO_PG:-}" ] && url=$(sh "$top/tests/pg.sh" start 2>/dev/null); then
	pgn=$((N / 10))
	pgdb="$dir/pgref.db"
	# the same incident on both: a tenth of N readings, through the import
	pstart=$((now - pgn * 10 - 7200))
	head -n "$pgn" "$dir/feed.csv" | awk -F, -v s="$pstart" 'BEGIN { OFS = "," }
		{ $1 = strftime("%Y-%m-%dT%H:%M:%SZ", s + 60 + NR * 10, 1); print }' > "$dir/pgfeed.csv"
	for where in "$url" "$pgdb"; do
		i2=$("$bin" --db "$where" open --plan hotline-outage --at "$(iso "$pstart")" "pg bench")
		r=$(run "$bin" --db "$where" metric "$i2" --csv "$dir/pgfeed.csv")
		case $where in postgres*) pg_import=$(ms "$r") ;; *) sq_import=$(ms "$r") ;; esac
	done
	row "PostgreSQL: import of $pgn readings vs the same on SQLite" \
		"$(awk -v v="$pg_import" 'BEGIN { printf "%.1f s", v / 1000 }')" \
		"$(awk -v v="$sq_import" 'BEGIN { printf "%.1f s", v / 1000 }')" \
		"$(ratio "$pg_import" "$sq_import")" "-" "-"
	for what in log status; do
		: > "$dir/pp"; : > "$dir/ps"
		i=0; while [ $i -lt "$RUNS" ]; do
			case $what in
			log) ms "$(run "$bin" --db "$url" log 1 "n $i")" >> "$dir/pp"
			     ms "$(run "$bin" --db "$pgdb" log 1 "n $i")" >> "$dir/ps" ;;
			status) ms "$(run "$bin" --db "$url" status 1 --json)" >> "$dir/pp"
				ms "$(run "$bin" --db "$pgdb" status 1 --json)" >> "$dir/ps" ;;
			esac
			i=$((i + 1))
		done
		a=$(median < "$dir/pp"); b=$(median < "$dir/ps")
		row "PostgreSQL: \`$what\` on $pgn entries vs the same on SQLite" "$a ms" "$b ms" \
			"$(ratio "$a" "$b")" "-" "-"
	done
	sh "$top/tests/pg.sh" stop "$url" >/dev/null 2>&1 || true
fi

echo
echo "sitrep bench, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), SQLite $(sqlite3 --version | cut -d' ' -f1), $N entries, medians of $RUNS runs (replay and verify: 3, import: 1, console: 3)"
echo
echo "| what | sitrep | baseline | ratio | target | |"
echo "|---|---|---|---|---|---|"
cat "$table"
