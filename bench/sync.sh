#!/usr/bin/env bash
# Sync and central benchmarks of issue 7, as BENCH lines for bench/run.sh.
# (1) Backlog drain: a kiosk backlog of 10 000, 100 000 and 1 000 000 unsent
# responses (5 000 / 20 000 / 50 000 with BENCH_QUICK=1), generated in SQL
# with bodies shaped like the kiosk's, is drained by `sayso sync` (the sync
# worker's own code, headless) into a fresh sayso-central on 127.0.0.1 on
# SQLite; it reports responses/s and the sender's peak RSS for each size.
# "Flat" means the peak RSS of the three differs by less than 2 MB. (2)
# Central ingest: tests/tools/loadgen plays 1 and then 50 devices posting
# batches of 100 new responses for 15 s (3 s quick), on SQLite and, when
# tests/scripts/pg.sh can start one, PostgreSQL. (3) Bytes on disk per
# response in central's SQLite database after the largest drain, and in the
# drained kiosk database. Everything runs in a folder under BENCH_DIR
# (default /var/tmp, a real disk rather than tmpfs; its filesystem is
# printed), every step is under a timeout, and the folder and servers go
# when it ends. The two smaller drains run three times (BENCH_REPEAT) and
# report the median. Options (environment): BENCH_QUICK=1, BENCH_BATCH (the
# kiosk's batch_size, default 100 as shipped), BENCH_SIZES ("10000 100000"),
# BENCH_REPEAT.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
make --no-print-directory BUILD="$BUILD" all >/dev/null || { echo "sync.sh: build failed"; exit 1; }
bench_root=${BENCH_DIR:-/var/tmp}
export SAYSO=$BUILD/sayso SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
TEST_TMP=$(mktemp -d "$bench_root/sayso-bench-sync.XXXXXX") || exit 1
export TEST_TMP
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/pg.sh
LOADGEN=$BUILD/tests/loadgen
trap 'stop_all; pg_stop; rm -rf "$TEST_TMP"' EXIT

batch=${BENCH_BATCH:-100}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  # Not smaller: a drain of 1 000 takes about 0.14 s, of which the
  # command's start and end (loading, questionnaire fetch, counts) are
  # 0.04 s, so the rate would measure start-up rather than draining.
  sizes=${BENCH_SIZES:-"5000 20000 50000"}; ingest_seconds=3
else
  sizes=${BENCH_SIZES:-"10000 100000 1000000"}; ingest_seconds=15
fi
keys=(10k 100k 1m)

# bench KEY LABEL VALUE UNIT BUDGET: one result line
bench() { printf 'BENCH\t%s\t%s\t%s\t%s\t%s\n' "$@"; }
# mb KB: kilobytes as megabytes, one decimal
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

echo "sync bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), folder on" \
  "$(df --output=fstype "$TEST_TMP" | tail -n 1) ($(df --output=source "$TEST_TMP" | tail -n 1)), batch_size $batch"

# backlog DATA N: N unsent responses in a fresh kiosk database, made in SQL
# in one transaction. The bodies are what response_build writes (sorted
# keys, compact) for service-feedback: an FFT answer and zero to two
# comments of varied length and script.
backlog() {
  "$SAYSO" status --data "$1" >/dev/null 2>&1 # creates the schema
  timeout 900 sqlite3 -batch "$1/sayso.db" <<SQL
PRAGMA cache_size = -65536;
BEGIN;
CREATE TEMP TABLE comments (k INTEGER PRIMARY KEY, t TEXT);
INSERT INTO comments VALUES (0, 'Kind staff'),
  (1, 'The nurse listened to me and explained my medication clearly.'),
  (2, 'Waiting room was too noisy and the wait was long.'),
  (3, 'Everyone was friendly. The food could be better, and there should be more to do in the evenings on the ward. I liked the art group on Tuesdays a lot.'),
  (4, 'Ok'), (5, 'كان الموظفون لطفاء جدا'),
  (6, 'Czekałem za długo na wizytę, ale lekarz był bardzo pomocny.'),
  (7, 'More information about my care plan, please. I did not always know what was happening next or who to ask, and the leaflets were hard to read.');
CREATE TEMP TABLE options (k INTEGER PRIMARY KEY, t TEXT);
INSERT INTO options VALUES (0, 'very-good'), (1, 'good'), (2, 'neither'), (3, 'poor'),
  (4, 'very-poor'), (5, 'dont-know');
CREATE TEMP TABLE made AS
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
SELECT i, lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) AS u,
  abs(random()) % 6 AS f, abs(random()) % 16 AS g, abs(random()) % 16 AS b FROM n;
CREATE TEMP TABLE shaped AS
SELECT i, u, '{' ||
  CASE WHEN b < 8 THEN '"better":' || json_quote((SELECT t FROM comments WHERE k = b)) || ',' ELSE '' END ||
  '"fft":' || json_quote((SELECT t FROM options WHERE k = f)) ||
  CASE WHEN g < 8 THEN ',"good":' || json_quote((SELECT t FROM comments WHERE k = g)) ELSE '' END ||
  '}' AS a FROM made;
INSERT INTO responses (id, questionnaire_id, questionnaire_version, language, site, device,
  collection_mode, submitted_at, answers, body)
SELECT u, 'service-feedback', 1, 'en', 'Bench ward', 'bench-1', 'self', '2026-11-23T10:00Z', a,
  '{"answers":' || a || ',"device":"bench-1","id":"' || u || '","language":"en","mode":"self",' ||
  '"questionnaire":{"id":"service-feedback","version":1},"site":"Bench ward",' ||
  '"submitted_at":"2026-11-23T10:00Z","venue":"kiosk"}'
FROM shaped ORDER BY i;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

# measure SECONDS CMD...: runs CMD under a timeout, sampling its VmHWM;
# sets ELAPSED_MS, PEAK_KB (the program's own getrusage line when it prints
# one, as sampling can miss the peak) and MEASURE_RC.
measure() {
  local secs=$1 start pid own hwm; shift
  start=$(date +%s%N)
  timeout "$secs" "$@" >"$TEST_TMP/measure.log" 2>&1 &
  pid=$!
  PEAK_KB=0
  while kill -0 "$pid" 2>/dev/null; do
    local child
    child=$(pgrep -P "$pid" | head -1)
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/${child:-$pid}/status" 2>/dev/null)
    [ -n "$hwm" ] && [ "$hwm" -gt "$PEAK_KB" ] && PEAK_KB=$hwm
    sleep 0.2
  done
  wait "$pid"
  MEASURE_RC=$?
  ELAPSED_MS=$((($(date +%s%N) - start) / 1000000))
  own=$(sed -n 's/.*peak RSS \([0-9]*\) kB.*/\1/p' "$TEST_TMP/measure.log" | tail -1)
  [ -n "$own" ] && PEAK_KB=$own
}

# cpu_ticks PID: user + system CPU ticks used so far by a process
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# db_bytes FILE: size of an SQLite database with its WAL checkpointed in
db_bytes() {
  sqlite3 -batch "$1" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1
  echo $(($(stat -c %s "$1") + $(stat -c %s "$1-wal" 2>/dev/null || echo 0)))
}

# ---- (1) backlog drain ----
# median VALUES...: the middle value (the lower middle for an even count)
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# drain KEY N LAST: one drain of a fresh backlog of N into a fresh central;
# sets RATE (0 when not all of it arrived) and PEAK_KB. LAST: also report
# bytes on disk per response.
drain() {
  local key=$1 n=$2 last=$3 dir data start made_ms token central_pid before central_cpu sent stored
  dir="$TEST_TMP/drain-$key"; data="$dir/kiosk"; RATE=0; PEAK_KB=0
  rm -rf "$dir"; mkdir -p "$data"
  start=$(date +%s%N)
  if ! backlog "$data" "$n" >"$dir/backlog.log" 2>&1; then
    echo "drain $key: cannot make the backlog: $(tail -n 2 "$dir/backlog.log")"; return 1
  fi
  made_ms=$((($(date +%s%N) - start) / 1000000))
  token=$(timeout 60 "$CENTRAL" --data "$dir/central" device add bench-1 --site "Bench ward" 2>/dev/null)
  start_central "$dir" --data "$dir/central" || { echo "drain $key: central did not start"; return 1; }
  central_pid=$(pgrep -P "${CENTRAL_PIDS[-1]}" | head -n 1)
  kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token" 60
  sed -i "s/\"batch_size\": 2,/\"batch_size\": $batch,/" "$dir/config/sync.json"
  before=$(cpu_ticks "$central_pid")
  # 1M at the budget's 5 000/s is 200 s; anything much slower is cut off
  # (start_central gives central 300 s).
  measure $((30 + n / 4000)) "$SAYSO" sync --config "$dir/config" --data "$data"
  central_cpu=$(awk -v t="$(($(cpu_ticks "$central_pid") - before))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.1f", t / hz}')
  stop_all
  sent=$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NOT NULL')
  stored=$(sqlite3 -batch "$dir/central/central.db" 'SELECT count(*) FROM responses')
  if [ "$MEASURE_RC" -eq 0 ] && [ "$sent" = "$n" ] && [ "$stored" = "$n" ]; then
    RATE=$(awk -v s="$sent" -v ms="$ELAPSED_MS" 'BEGIN {printf "%.0f", s * 1000 / ms}')
  else
    echo "drain $key: incomplete (exit $MEASURE_RC, sent $sent, central holds $stored):"
    tail -n 3 "$TEST_TMP/measure.log"
  fi
  printf 'drain %-4s backlog %7d made in %5.1f s; sent %7d in %6.1f s = %6s responses/s; sender peak RSS %s MB; central used %s s CPU and holds %d\n' \
    "$key" "$n" "$(awk -v m="$made_ms" 'BEGIN {print m / 1000}')" "$sent" \
    "$(awk -v m="$ELAPSED_MS" 'BEGIN {print m / 1000}')" "$RATE" "$(mb "$PEAK_KB")" "$central_cpu" "$stored"
  if [ "$last" = 1 ]; then
    bench bytes_per_response_central "central SQLite bytes on disk per response ($n)" \
      $(($(db_bytes "$dir/central/central.db") / n)) bytes -
    bench bytes_per_response_kiosk_sent "kiosk bytes on disk per response ($n, all sent)" \
      $(($(db_bytes "$data/sayso.db") / n)) bytes -
  fi
  rm -rf "$dir"
}

# The two smaller sizes run BENCH_REPEAT times (default 3) and report the
# median; the largest runs once.
repeat=${BENCH_REPEAT:-3}
set -- $sizes
peaks=()
for ((k = 0; k < $#; k++)); do
  n=${*:k+1:1}; key=${keys[$k]}; last=$((k == $# - 1))
  runs=$repeat; [ "$last" = 1 ] && runs=1
  rates=() kbs=()
  for ((r = 0; r < runs; r++)); do
    drain "$key" "$n" "$((last && r == runs - 1))"
    rates+=("$RATE"); kbs+=("$PEAK_KB")
  done
  rate=$(median "${rates[@]}"); kb=$(median "${kbs[@]}")
  [ "$runs" -gt 1 ] && echo "drain $key: rates ${rates[*]} responses/s, median $rate"
  bench "drain_rate_$key" "drain $n responses to central (sayso sync, SQLite, batch $batch)" \
    "$rate" responses/s '>=5000'
  bench "drain_rss_${key}_mb" "sender peak RSS, backlog $n" "$(mb "$kb")" MB -
  peaks+=("$kb")
done
if [ "${#peaks[@]}" -gt 1 ]; then
  growth=$(printf '%s\n' "${peaks[@]}" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.1f", (hi - lo) / 1024}')
  bench drain_rss_growth_mb "sender peak RSS, largest minus smallest backlog" "$growth" MB '<2'
fi

# ---- (2) central ingest under loadgen ----
# ingest NAME DEVICES STORAGE-ARGS...: a fresh central, DEVICES tokens, then
# loadgen for $ingest_seconds; prints the rate
ingest() {
  local name=$1 devices=$2 dir; shift 2
  dir="$TEST_TMP/ingest-$name-$devices"; mkdir -p "$dir"
  timeout 60 "$CENTRAL" "$@" device list >/dev/null 2>&1 || return 1
  seq "$devices" | timeout 120 xargs -P 4 -I{} "$CENTRAL" "$@" device add "load-$devices-{}" \
    --site Load 2>/dev/null >"$dir/tokens"
  start_central "$dir" "$@" || return 1
  timeout $((ingest_seconds + 60)) "$LOADGEN" --url "http://127.0.0.1:$CENTRAL_PORT/v1/responses" \
    --tokens "$dir/tokens" --seconds "$ingest_seconds" --batch 100 --resend-percent 0 \
    --sent "$dir/sent" --acked "$dir/acked" >"$dir/out" 2>"$dir/err"
  local rc=$?
  stop_all
  echo "ingest $name, $devices device(s): $(tail -n 1 "$dir/out") (exit $rc)" >&2
  [ "$rc" -eq 0 ] && awk '{print $NF}' "$dir/out" | tail -n 1
}
for devices in 1 50; do
  rate=$(ingest sqlite "$devices" --data "$TEST_TMP/ingest-central-$devices") || rate=0
  bench "central_ingest_sqlite_$devices" "central ingest, SQLite, $devices device(s), batches of 100" \
    "${rate:-0}" responses/s -
done
if pg_start "$TEST_TMP/pg" 2>"$TEST_TMP/pg.err"; then
  for devices in 1 50; do
    # One database for both runs: loadgen's ids never repeat.
    rate=$(ingest pg "$devices" --db "$PG_URL") || rate=0
    bench "central_ingest_pg_$devices" "central ingest, PostgreSQL, $devices device(s), batches of 100" \
      "${rate:-0}" responses/s -
  done
  pg_stop
else
  echo "PostgreSQL not available: $(head -n 1 "$TEST_TMP/pg.err")"
fi
