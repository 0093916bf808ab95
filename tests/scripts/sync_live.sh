# The sync thread inside the running kiosk: responses are sent while people
# keep answering; a new questionnaire set from central waits until the
# person answering has finished; a server that hangs never stops the
# screen; a 503 with Retry-After is honoured.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
trap 'stop_all' EXIT

# --- sent while running ---
dir="$TEST_TMP/live"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
start_central "$dir" --data "$dir/central"
kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token"
data=$(fresh_data live)
run_replay tests/replay/sync/two-fft-then-synced.replay "$data" --config "$dir/config"
expect_eq "live: replay passes (both sent while running)" "$?" 0
"$CENTRAL" --data "$dir/central" export --format csv >"$dir/export.csv"
expect_eq "live: central has the same answers" "$(central_answers "$dir/export.csv")" \
  "$(kiosk_answers "$data")"

# --- a new questionnaire set never swaps mid-answer ---
# interval 5 s: the kiosk fetches the set at start (empty), we publish, and
# the next fetch lands while the replay's person is on question 1.
kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token" 5 ', "interval_seconds": 5'
data=$(fresh_data set)
timeout 120 "$SAYSO" --replay tests/replay/sync/set-arrives-mid-answer.replay --data "$data" \
  --config "$dir/config" >"$data/log" 2>&1 &
kiosk=$!
for _ in $(seq 200); do
  grep -q "new questionnaire set from the server (0" "$data/log" && break
  sleep 0.05
done
"$CENTRAL" --data "$dir/central" questionnaire publish config/questionnaires/event-feedback.json \
  --site Ward 2>>"$dir/publish.log"
wait "$kiosk"
expect_eq "set: replay passes (kept mid-answer, new menu after)" "$?" 0
expect_eq "set: the answer in progress was saved under its questionnaire" \
  "$(sql "$data" 'SELECT questionnaire_id FROM responses')" "service-feedback"
"$SAYSO" status --data "$data" >"$data/status"
if grep -q "questionnaires: *the set from the server" "$data/status"; then
  pass "set: status shows the server's set"
else
  fail "set: status shows the server's set" "$(cat "$data/status")"
fi
stop_all

# --- the server hangs: the screen never waits ---
dir="$TEST_TMP/hang"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
start_central "$dir" --data "$dir/central"
start_proxy "$dir" hang
kiosk_config "$dir/config" "http://127.0.0.1:$PROXY_PORT" "$token" 60
data=$(fresh_data hang)
start=$(date +%s%N)
run_replay tests/replay/sync/answer-while-server-hangs.replay "$data" --config "$dir/config"
rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "hang: every screen answered while the server hangs" "$rc" 0
expect_eq "hang: all three committed" "$(sql "$data" 'SELECT count(*) FROM responses')" 3
if [ -s "$dir/proxy.log" ]; then pass "hang: the sync thread was stuck on the server"
else fail "hang: the sync thread was stuck on the server" "no request reached the proxy"; fi
# The replay holds 4.5 s of pauses; a UI waiting on the 60 s request
# timeout would take over a minute.
if [ "$elapsed_ms" -lt 30000 ]; then
  pass "hang: the replay ran in real time (${elapsed_ms} ms), quit did not wait"
else
  fail "hang: the replay ran in real time" "took ${elapsed_ms} ms"
fi
stop_all

# --- 503 with Retry-After: the kiosk waits as long as it is asked ---
dir="$TEST_TMP/retry"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
start_central "$dir" --data "$dir/central"
start_proxy "$dir" status503 --faults 1 --retry-after 3
kiosk_config "$dir/config" "http://127.0.0.1:$PROXY_PORT" "$token"
data=$(fresh_data retry)
run_replay tests/replay/sync/two-fft-then-synced.replay "$data" --config "$dir/config"
expect_eq "retry-after: sent once the server is back" "$?" 0
if grep -q "next try in 3000 ms" "$data/log"; then
  pass "retry-after: waited the 3 s asked (backoff alone is 0.5-1 s)"
else
  fail "retry-after: waited the 3 s asked" "$(grep sync "$data/log" | tail -5)"
fi
"$CENTRAL" --data "$dir/central" export --format csv >"$dir/export.csv"
expect_eq "retry-after: exactly once" "$(central_count "$dir/export.csv")" 2
finish
