# Power-cut stand-in: SIGKILL the kiosk the moment it prints
# "response committed id=...". Every response whose line was printed must be
# in the database, exactly once, and the database must pass integrity_check.
. tests/scripts/lib.sh

rounds=${KILL_ROUNDS:-10}
data=$(fresh_data kill)
script="$data/answer.replay"
{ printf 'tap 640 300\ntap-text "Tell us about our service"\ntap-text "Poor"\n'
  printf 'tap-text "Next"\ntype "Night noise"\ntap-text "Next"\ntap-text "Finish"\n'
  printf 'pause 10000\n'; } >"$script"

committed=()
for i in $(seq "$rounds"); do
  log="$data/log-$i"
  "$SAYSO" --replay "$script" --data "$data" --config "$STAFF_CONFIG" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do
    grep -q '^response committed id=' "$log" && break
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  id=$(sed -n 's/^response committed id=//p' "$log")
  [ -n "$id" ] && committed+=("$id")
done

expect_eq "kill: every round committed" "${#committed[@]}" "$rounds"
missing=0
for id in "${committed[@]}"; do
  [ "$(sql "$data" "SELECT count(*) FROM responses WHERE id='$id'")" = 1 ] || missing=$((missing + 1))
done
expect_eq "kill: committed responses kept exactly once" "$missing" 0
expect_eq "kill: no extra responses" "$(sql "$data" "SELECT count(*) FROM responses")" "$rounds"
expect_eq "kill: integrity after SIGKILL" "$(sql "$data" "PRAGMA integrity_check")" ok

finish
