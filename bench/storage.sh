#!/usr/bin/env bash
# Storage benchmark of issue 7, as BENCH lines for bench/run.sh: the
# kiosk's durable commit of one response (store_commit: one INSERT, WAL,
# synchronous=FULL), timed by bench/commit over N responses answered on the
# shipped service-feedback questionnaire (N = 2 000, or 300 with
# BENCH_QUICK=1), three runs each in a fresh data folder, medians of the
# runs' p50, p99 and max reported; then the kiosk's bytes on disk per
# response (sayso.db with its WAL checkpointed in, over N). The folder is
# under BENCH_DIR (default /var/tmp, a real disk: a commit on tmpfs never
# waits for storage); its filesystem is printed, and it is removed at the
# end. Options (environment): BENCH_QUICK=1, BENCH_COMMITS=N, BENCH_REPEAT.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
make --no-print-directory BUILD="$BUILD" "$BUILD/bench/commit" >/dev/null ||
  { echo "storage.sh: build failed"; exit 1; }
dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/sayso-bench-storage.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

if [ "${BENCH_QUICK:-0}" = 1 ]; then count=${BENCH_COMMITS:-300}; else count=${BENCH_COMMITS:-2000}; fi
repeat=${BENCH_REPEAT:-3}
fstype=$(df --output=fstype "$dir" | tail -n 1)
echo "storage bench: $count commits x $repeat runs, $(nproc) cores, load" \
  "$(cut -d' ' -f1-3 /proc/loadavg), folder on $fstype ($(df --output=source "$dir" | tail -n 1))"
[ "$fstype" = tmpfs ] && echo "storage bench: warning: tmpfs is memory; set BENCH_DIR to a real disk"

bench() { printf 'BENCH\t%s\t%s\t%s\t%s\t%s\n' "$@"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# field NAME LINE: the value after NAME in commit's summary line
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<<"$2"; }

p50s=() p99s=() maxes=()
for ((r = 1; r <= repeat; r++)); do
  data="$dir/run-$r"
  # The store logs one "response committed" line per commit, as on a kiosk.
  line=$(timeout 300 "$BUILD/bench/commit" --data "$data" --count "$count" 2>/dev/null | tail -n 1)
  case $line in
    "commit count $count "*) ;;
    *) echo "storage bench: run $r failed: ${line:-no output}"; continue ;;
  esac
  echo "run $r: $line"
  p50s+=("$(field p50_ms "$line")"); p99s+=("$(field p99_ms "$line")"); maxes+=("$(field max_ms "$line")")
  if [ "$r" = "$repeat" ]; then
    sqlite3 -batch "$data/sayso.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    bytes=$(($(stat -c %s "$data/sayso.db") + $(stat -c %s "$data/sayso.db-wal" 2>/dev/null || echo 0)))
    echo "kiosk database after $count commits: $bytes bytes; mean JSON body $(field body_bytes "$line") bytes"
    bench bytes_per_response_kiosk "kiosk bytes on disk per response ($count committed)" \
      $((bytes / count)) bytes -
  fi
  rm -rf "$data"
done
if [ "${#p99s[@]}" -gt 0 ]; then
  bench commit_p50_ms "durable commit of one response, p50 ($fstype)" "$(median "${p50s[@]}")" ms -
  bench commit_p99_ms "durable commit of one response, p99 ($fstype)" "$(median "${p99s[@]}")" ms '<25'
  bench commit_max_ms "durable commit of one response, max ($fstype)" "$(median "${maxes[@]}")" ms -
else
  bench commit_p99_ms "durable commit of one response, p99 (no run finished)" 0 ms '<25'
fi
