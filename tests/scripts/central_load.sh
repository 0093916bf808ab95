# A bounded load test of sayso-central on 127.0.0.1: tests/tools/loadgen
# plays 200 kiosks, each with its own device token, syncing at once for
# LOAD_SECONDS (60, or 20 on the sanitizer build): batches of 20 new
# responses, and one batch in ten sent again as if its acknowledgement had
# been lost. Afterwards central's database must hold every acknowledged id
# exactly once, no id that was never sent, and no conflict: lost 0,
# duplicated 0. The check line carries the throughput. The same runs
# shorter (50 kiosks, 15 s) on PostgreSQL when pg.sh can start one.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/pg.sh
trap 'stop_all; pg_stop' EXIT
: "${LOADGEN:=$(dirname "$SAYSO")/tests/loadgen}"
case $SAYSO in
  *build/asan/*) : "${LOAD_SECONDS:=20}" ;;
  *) : "${LOAD_SECONDS:=60}" ;;
esac

dir="$TEST_TMP/load"; mkdir -p "$dir"

# add_devices N STORAGE-ARGS...: N device tokens, one a line, in $dir/tokens.
# Four `device add` at a time: each waits on its own commit to disk, so one
# after the other takes four times as long. The first makes the tables.
add_devices() {
  local n=$1; shift
  "$CENTRAL" "$@" device list >/dev/null || return 1
  seq "$n" | timeout 120 xargs -P 4 -I{} "$CENTRAL" "$@" device add "load-{}" --site Load \
    2>/dev/null >"$dir/tokens"
  [ "$(sort -u "$dir/tokens" | grep -c '^sayso_')" = "$n" ]
}

# compare NAME DEVICES SECONDS IDS-FILE: one check from loadgen's id lists
# and IDS-FILE (every response id in central, one a line, as stored)
compare() {
  local name=$1 devices=$2 seconds=$3 ids=$4 counts
  counts=$(sqlite3 -batch -noheader :memory: \
    "CREATE TABLE sent (id TEXT); CREATE TABLE acked (id TEXT); CREATE TABLE stored (id TEXT);" \
    ".import $dir/sent sent" ".import $dir/acked acked" ".import $ids stored" \
    "SELECT (SELECT count(*) FROM stored),
            (SELECT count(DISTINCT id) FROM sent),
            (SELECT count(*) FROM (SELECT DISTINCT id FROM acked) WHERE id NOT IN (SELECT id FROM stored)),
            (SELECT count(*) - count(DISTINCT id) FROM stored),
            (SELECT count(*) FROM stored WHERE id NOT IN (SELECT id FROM sent))")
  local total unique lost doubled unknown
  IFS='|' read -r total unique lost doubled unknown <<<"$counts"
  local rate; rate=$(awk -v n="$total" -v s="$(awk '{print $4}' "$dir/loadgen.out")" 'BEGIN {printf "%d", n / s}')
  local line="$name: $devices devices, $seconds s, $total responses, $rate/s, lost $lost, duplicated $doubled"
  if [ "$lost" = 0 ] && [ "$doubled" = 0 ] && [ "$unknown" = 0 ] && [ "$total" = "$unique" ] &&
     [ "$total" -gt 0 ] && [ "$conflicts" = 0 ] && [ "$loadgen_rc" = 0 ]; then
    pass "$line"
  else
    fail "$line" "stored $total, sent $unique, never sent $unknown, conflicts $conflicts" \
      "loadgen exit $loadgen_rc: $(cat "$dir/loadgen.out" "$dir/loadgen.err" | tail -n 5)"
  fi
  local resent; resent=$(awk '{print $10}' "$dir/loadgen.out")
  if [ "${resent:-0}" -gt 0 ] && [ "$conflicts" = 0 ] && [ "$loadgen_rc" = 0 ]; then
    pass "$name: $resent batches sent twice, each acknowledged in full again, no conflict"
  else
    fail "$name: batches sent twice are acknowledged in full again" "resent ${resent:-none}, conflicts $conflicts"
  fi
}

# run_load NAME DEVICES SECONDS STORAGE-ARGS...: tokens, a fresh central,
# then loadgen; sets loadgen_rc
run_load() {
  local name=$1 devices=$2 seconds=$3 start; shift 3
  start=$SECONDS
  add_devices "$devices" "$@" || { fail "$name: $devices devices added"; return 1; }
  echo "# $name: $devices devices added in $((SECONDS - start)) s"
  start_central "$dir/$name" "$@" || { fail "$name: central starts"; return 1; }
  timeout $((seconds + 90)) "$LOADGEN" --url "http://127.0.0.1:$CENTRAL_PORT/v1/responses" \
    --tokens "$dir/tokens" --seconds "$seconds" --batch 20 --resend-percent 10 \
    --sent "$dir/sent" --acked "$dir/acked" >"$dir/loadgen.out" 2>"$dir/loadgen.err"
  loadgen_rc=$?
  echo "# $name: $(tail -n 1 "$dir/loadgen.out")"
  expect_eq "$name: central still healthy after the load" \
    "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$CENTRAL_PORT/v1/health")" 200
  stop_all
}

run_load sqlite 200 "$LOAD_SECONDS" --data "$dir/central"
sqlite3 -batch -noheader "$dir/central/central.db" 'SELECT id FROM responses' >"$dir/stored"
conflicts=$(sqlite3 -batch -noheader "$dir/central/central.db" 'SELECT count(*) FROM conflicts')
compare "central load" 200 "$LOAD_SECONDS" "$dir/stored"

if pg_start "$TEST_TMP/pg-load" 2>"$TEST_TMP/pg-load.err"; then
  run_load postgresql 50 15 --db "$PG_URL"
  "$(_pg_bindir)/psql" -X -q -At "$PG_URL" -c 'SELECT id FROM responses' >"$dir/stored-pg"
  conflicts=$("$(_pg_bindir)/psql" -X -q -At "$PG_URL" -c 'SELECT count(*) FROM conflicts')
  compare "central load on PostgreSQL" 50 15 "$dir/stored-pg"
else
  echo "# PostgreSQL not available, load on SQLite only: $(head -n 1 "$TEST_TMP/pg-load.err")"
fi
finish
