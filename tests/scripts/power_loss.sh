# Power loss: POWER_LOSS_ROUNDS (default 200) rounds of start the kiosk,
# answer by replay, SIGKILL at a chosen or random moment, restart. Each
# round kills at one of four kinds of moment, in turn:
#   answering  a random time while someone is between taps;
#   write      inside the Nth fsync/fdatasync (tests/tools/crashpoint.c), N
#              random, before or after the real call: a commit, or the sync
#              thread marking responses sent;
#   sync       just after central logs an upload from the kiosk, before the
#              kiosk can mark it sent (so central already has it);
#   random     any time in the run.
# Central itself is SIGKILLed and restarted every 25 rounds. After every
# round: integrity_check is ok and every response whose "response committed"
# line was printed is on the device exactly once. At the end the outbox is
# drained and each is at central exactly once. The seed is printed, and
# POWER_LOSS_SEED repeats a run.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
trap 'stop_all' EXIT

rounds=${POWER_LOSS_ROUNDS:-200}
seed=${POWER_LOSS_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "power loss: seed $seed, $rounds rounds"
crashpoint="$(dirname "$SAYSO")/tests/crashpoint.so"
# An ASan build must let the (unsanitized) crashpoint load first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

dir="$TEST_TMP/power"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
start_central "$dir" --data "$dir/central"
kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token" 5
data=$(fresh_data power)
all_committed="$dir/committed"; : >"$all_committed"
kinds=(answering write sync random)
declare -A killed=([answering]=0 [write]=0 [sync]=0 [random]=0)
in_write=0 unprinted=0 bad_integrity=0 missing=0 central_kills=0 clean_exits=0

# wait_grep FILE TEXT COUNT: until FILE has COUNT lines with TEXT (5 s at most)
wait_grep() {
  local n
  for _ in $(seq 500); do
    n=$(grep -c -- "$2" "$1" 2>/dev/null)
    [ "${n:-0}" -ge "$3" ] && return 0
    sleep 0.01
  done
  return 1
}

for round in $(seq "$rounds"); do
  kind=${kinds[$(( (round - 1) % 4 ))]}
  log="$dir/log-$round"; points="$dir/points-$round"
  if [ $((round % 25)) -eq 0 ]; then
    # The server loses power too; it comes back on a new port. (CENTRAL_PIDS
    # holds the timeout wrappers: the server is their child.)
    pkill -9 -P "${CENTRAL_PIDS[0]}"; wait "${CENTRAL_PIDS[@]}" 2>/dev/null
    CENTRAL_PIDS=(); central_kills=$((central_kills + 1))
    start_central "$dir" --data "$dir/central"
    sed -i "s|http://127.0.0.1:[0-9]*|http://127.0.0.1:$CENTRAL_PORT|" "$dir/config/sync.json"
  fi
  env_extra=()
  if [ "$kind" = write ]; then
    when=before; [ $((RANDOM % 2)) -eq 0 ] && when=after
    env_extra=(LD_PRELOAD="$crashpoint" CRASHPOINT_SYNC=$((1 + RANDOM % 10))
               CRASHPOINT_WHEN=$when CRASHPOINT_LOG="$points")
  fi
  posts_before=$(grep -c 'POST /v1/responses' "$dir/central.log")
  # env execs the kiosk, so $pid is the kiosk itself (a wrapper such as
  # timeout would be killed instead and leave the kiosk running).
  env "${env_extra[@]}" "$SAYSO" --replay tests/replay/power/three.replay \
    --data "$data" --config "$dir/config" >"$log" 2>&1 &
  pid=$!
  (sleep 60; kill -9 "$pid" 2>/dev/null) &
  watchdog=$!
  case $kind in
    answering)
      # the 1st, 2nd or 3rd person, 0 to 150 ms into their answers
      wait_grep "$log" 'questionnaire service-feedback started' $((1 + RANDOM % 3))
      sleep "0.$(printf '%03d' $((RANDOM % 150)))" ;;
    sync)
      wait_grep "$dir/central.log" 'POST /v1/responses' $((posts_before + 1 + RANDOM % 2)) ;;
    random)
      sleep "$((RANDOM % 2)).$(printf '%03d' $((RANDOM % 1000)))" ;;
    write) ;;
  esac
  [ "$kind" = write ] || kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; status=$?
  kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
  if [ "$status" -eq 137 ]; then killed[$kind]=$(( ${killed[$kind]} + 1 ))
  else clean_exits=$((clean_exits + 1)); fi
  grep -q '^killed-' "$points" 2>/dev/null && in_write=$((in_write + 1))
  sed -n 's/^response committed id=//p' "$log" >"$dir/new"
  cat "$dir/new" >>"$all_committed"
  [ "$(sql "$data" "PRAGMA integrity_check")" = ok ] || bad_integrity=$((bad_integrity + 1))
  # every id printed in this round is stored exactly once
  while read -r id; do
    [ "$(sql "$data" "SELECT count(*) FROM responses WHERE id='$id'")" = 1 ] || missing=$((missing + 1))
  done <"$dir/new"
done

summary="answering ${killed[answering]}, inside a write ${killed[write]}, sync ${killed[sync]}, random ${killed[random]}"
echo "power loss: kills: $summary; $in_write inside an fsync; central killed $central_kills times; $clean_exits rounds ended before the kill"
expect_eq "power loss: integrity_check ok after all $rounds rounds" "$bad_integrity" 0
expect_eq "power loss: every printed commit on the device exactly once after its round" "$missing" 0
if [ "${killed[answering]}" -gt 0 ] && [ "${killed[write]}" -gt 0 ] && [ "${killed[sync]}" -gt 0 ]; then
  pass "power loss: kills landed while answering, inside writes and during sync ($summary)"
else
  fail "power loss: kills landed while answering, inside writes and during sync" "$summary"
fi

printed=$(sort -u "$all_committed" | wc -l)
expect_eq "power loss: no id printed twice" "$(wc -l <"$all_committed")" "$printed"
device_total=$(sql "$data" "SELECT count(*) FROM responses")
device_unique=$(sql "$data" "SELECT count(DISTINCT id) FROM responses")
expect_eq "power loss: no duplicate on the device ($device_total responses)" "$device_unique" "$device_total"
# A kill between the commit and its line leaves a stored response with no
# line; the reverse (a line with nothing stored) must never happen.
sort -u "$all_committed" >"$dir/printed"
sql "$data" "SELECT id FROM responses" | sort >"$dir/device-ids"
expect_eq "power loss: every printed id is on the device" \
  "$(comm -23 "$dir/printed" "$dir/device-ids" | wc -l)" 0
echo "power loss: $printed printed, $device_total stored ($((device_total - printed)) committed just before a kill, unprinted)"

# Drain what is left, then compare with central.
timeout 120 "$SAYSO" sync --data "$data" --config "$dir/config" >"$dir/sync.log" 2>&1
expect_eq "power loss: the outbox drains" "$(sql "$data" "SELECT count(*) FROM responses WHERE sent_at IS NULL")" 0
central_db="$dir/central/central.db"
central_total=$(sqlite3 -batch -noheader "$central_db" "SELECT count(*) FROM responses")
sqlite3 -batch -noheader "$central_db" "SELECT id FROM responses" | sort >"$dir/central-ids"
expect_eq "power loss: central has each device response exactly once ($central_total)" \
  "$(uniq -d "$dir/central-ids" | wc -l) $(comm -3 "$dir/device-ids" "$dir/central-ids" | wc -l)" "0 0"
expect_eq "power loss: every printed id is at central" \
  "$(comm -23 "$dir/printed" "$dir/central-ids" | wc -l)" 0
finish
