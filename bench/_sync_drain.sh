#!/usr/bin/env bash
# Drains a kiosk backlog into sayso-central on 127.0.0.1 and prints the
# rate, the sender's peak RSS, and central's ingest rate, for central on
# SQLite and on PostgreSQL. The sender is measured twice: `sayso sync` (the
# same worker code, headless) and the full kiosk (SDL dummy driver) running
# its sync thread; peak RSS is also taken with a backlog ten times smaller,
# to show it does not grow with the backlog.
# Usage: bench/sync_drain.sh [COUNT] [BATCH]     (defaults 100000 and 500)
set -uo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
batch=${2:-500}
make --no-print-directory all >/dev/null
export SAYSO=build/sayso SDL_VIDEODRIVER=dummy TEST_TMP=$(mktemp -d)
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/pg.sh
trap 'stop_all; pg_stop; rm -rf "$TEST_TMP"' EXIT

# backlog DATA N: N unsent responses, generated in SQL (UUID v4 shaped)
backlog() {
  "$SAYSO" status --data "$1" >/dev/null # creates the schema
  sqlite3 -batch "$1/sayso.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2),
ids(u) AS MATERIALIZED (SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) FROM n)
INSERT INTO responses (id, questionnaire_id, questionnaire_version, language, site, device,
  collection_mode, submitted_at, answers, body)
SELECT u, 'service-feedback', 1, 'en', 'Bench ward', 'bench-1', 'self', '2026-11-23T10:00Z',
  '{"fft":"good","good":"Kind staff, quiet room"}',
  json_object('id', u, 'questionnaire', json_object('id', 'service-feedback', 'version', 1),
    'language', 'en', 'site', 'Bench ward', 'device', 'bench-1', 'mode', 'self',
    'submitted_at', '2026-11-23T10:00Z',
    'answers', json('{"fft":"good","good":"Kind staff, quiet room"}'))
FROM ids;
SQL
}

# cpu_ticks PID: user + system CPU ticks used so far by a process
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure CMD...: runs it, samples VmHWM; sets ELAPSED_MS and PEAK_KB
measure() {
  local start pid
  start=$(date +%s%N)
  "$@" >"$TEST_TMP/measure.log" 2>&1 &
  pid=$!
  PEAK_KB=0
  while kill -0 "$pid" 2>/dev/null; do
    local hwm
    hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ -n "$hwm" ] && [ "$hwm" -gt "$PEAK_KB" ] && PEAK_KB=$hwm
    sleep 0.1
  done
  wait "$pid"
  MEASURE_RC=$?
  # The program's own getrusage figure is exact; sampling can miss the peak.
  local own
  own=$(sed -n 's/.*peak RSS \([0-9]*\) kB.*/\1/p' "$TEST_TMP/measure.log" | tail -1)
  [ -n "$own" ] && PEAK_KB=$own
  ELAPSED_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}

# run_one LABEL STORAGE-ARGS...
run_one() {
  local label=$1; shift
  local dir="$TEST_TMP/$label" data token sent
  mkdir -p "$dir"
  token=$("$CENTRAL" "$@" device add bench-1 --site "Bench ward" 2>/dev/null)
  start_central "$dir" "$@"
  kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token" 60
  sed -i "s/\"batch_size\": 2,/\"batch_size\": $batch,/" "$dir/config/sync.json"

  local central_pid hz before
  # start_central runs it under timeout(1); the server is its child.
  central_pid=$(pgrep -P "${CENTRAL_PIDS[-1]}" | head -1)
  hz=$(getconf CLK_TCK)
  for n in $((count / 10)) "$count"; do
    data="$dir/cli-$n"; mkdir -p "$data"; backlog "$data" "$n"
    before=$(cpu_ticks "$central_pid")
    measure "$SAYSO" sync --config "$dir/config" --data "$data"
    CENTRAL_CPU_S=$(awk "BEGIN {print ($(cpu_ticks "$central_pid") - $before) / $hz}")
    sent=$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NOT NULL')
    [ "$MEASURE_RC" -eq 0 ] || tail -3 "$TEST_TMP/measure.log"
    printf '%-11s sayso sync   backlog %6d: sent %6d in %6.1f s = %6.0f responses/s, peak RSS %5.1f MB (exit %d); central used %.1f s CPU\n' \
      "$label" "$n" "$sent" "$(awk "BEGIN {print $ELAPSED_MS / 1000}")" \
      "$(awk "BEGIN {print $sent * 1000 / $ELAPSED_MS}")" "$(awk "BEGIN {print $PEAK_KB / 1024}")" \
      "$MEASURE_RC" "$CENTRAL_CPU_S"
  done

  # The kiosk itself, draining while it shows Welcome.
  printf 'expect-synced 60000\n' >"$dir/drain.replay"
  data="$dir/kiosk"; mkdir -p "$data"; backlog "$data" "$count"
  measure "$SAYSO" --replay "$dir/drain.replay" --config "$dir/config" --data "$data"
  sent=$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NOT NULL')
  printf '%-11s kiosk (SDL)  backlog %6d: sent %6d in %6.1f s = %6.0f responses/s, peak RSS %5.1f MB (exit %d)\n' \
    "$label" "$count" "$sent" "$(awk "BEGIN {print $ELAPSED_MS / 1000}")" \
    "$(awk "BEGIN {print $sent * 1000 / $ELAPSED_MS}")" "$(awk "BEGIN {print $PEAK_KB / 1024}")" \
    "$MEASURE_RC"

  "$CENTRAL" "$@" export --format csv >"$dir/export.csv"
  printf '%-11s central holds %d responses (expected %d)\n' "$label" \
    "$(( $(wc -l <"$dir/export.csv") - 1 ))" $((count / 10 + count + count))
  stop_all
}

echo "backlog $count, batch $batch, $(nproc) cores"
run_one sqlite --data "$TEST_TMP/central-sqlite"
if pg_start "$TEST_TMP/pg"; then
  run_one postgresql --db "$PG_URL"
fi
