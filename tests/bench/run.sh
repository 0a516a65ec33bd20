#!/bin/sh
# Benchmarks (make bench): never part of `make test`. Prints timings; no
# pass/fail thresholds, so a slow shared machine cannot fail it.
#  1. a 72 h metrics feed every 10 s (26k readings) imported in one transaction
#  2. status with the checkpoint vs a full replay (SITREP_NO_CHECKPOINT=1)
#  3. 200 single-action commits (each a durable BEGIN IMMEDIATE..COMMIT)
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export SITREP_DB="$dir/bench.db" SITREP_PLANS="$top/plans" TZ=UTC
ms() { date +%s%N | cut -c1-13; }
start=1700000000
export SITREP_NOW=$(date -u -d "@$((start + 72*3600 + 60))" +%Y-%m-%dT%H:%M:%SZ)
id=$("$bin" open --plan hotline-outage --at "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" "bench")
awk -v s=$start 'BEGIN { for (i = 1; i <= 25920; i++) { t = s + i * 10;
  printf "%s,availability_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), 99.95 } }' > "$dir/feed.csv"
t0=$(ms); "$bin" metric "$id" --csv "$dir/feed.csv" >/dev/null; t1=$(ms)
echo "bench: import 25920 readings in one transaction: $((t1 - t0)) ms"
"$bin" status "$id" --json >/dev/null
t0=$(ms); for i in 1 2 3 4 5; do "$bin" status "$id" --json >/dev/null; done; t1=$(ms)
echo "bench: status with checkpoint: $(( (t1 - t0) / 5 )) ms per call"
t0=$(ms); for i in 1 2 3 4 5; do SITREP_NO_CHECKPOINT=1 "$bin" status "$id" --json >/dev/null; done; t1=$(ms)
echo "bench: status by full replay of 25920 readings: $(( (t1 - t0) / 5 )) ms per call"
t0=$(ms); i=0; while [ $i -lt 200 ]; do "$bin" log "$id" "note $i" >/dev/null; i=$((i+1)); done; t1=$(ms)
echo "bench: 200 log commands (process start + durable commit each): $(( (t1 - t0) / 200 )) ms per command"
t0=$(ms); "$bin" verify "$id" >/dev/null; t1=$(ms)
echo "bench: verify the chain of $((25920 / 1 + 201)) entries: $((t1 - t0)) ms"
