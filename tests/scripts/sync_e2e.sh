# End to end, on both storage backends: the kiosk answers questionnaires by
# replay, `sayso sync` sends them to sayso-central on 127.0.0.1, and
# central's export lists exactly those responses with the same answers.
# A second sync sends nothing new. Also checks central's own rules: tokens,
# revocation, identical re-sends, conflicts kept aside, limits, bad input.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/pg.sh
trap 'stop_all; pg_stop' EXIT

N=4

# run_backend NAME STORAGE-ARGS...
run_backend() {
  local name=$1; shift
  local dir="$TEST_TMP/e2e-$name" data token
  mkdir -p "$dir"
  token=$("$CENTRAL" "$@" device add ward-kiosk --site "Demo ward" 2>/dev/null)
  start_central "$dir" "$@" || { fail "$name: central starts"; return; }
  kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token"
  data=$(fresh_data "e2e-$name")
  answer_fft "$data" "$N" --config "$dir/config"
  expect_eq "$name: kiosk stored $N" "$(sql "$data" 'SELECT count(*) FROM responses')" "$N"

  "$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync.log" 2>&1
  expect_eq "$name: sayso sync exits 0" "$?" 0
  expect_eq "$name: nothing left unsent" \
    "$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NULL')" 0
  "$CENTRAL" "$@" export --format csv >"$dir/export.csv"
  expect_eq "$name: central exports exactly $N" "$(central_count "$dir/export.csv")" "$N"
  expect_eq "$name: same answers, id by id" "$(central_answers "$dir/export.csv")" \
    "$(kiosk_answers "$data")"

  # A second pass after forgetting what was sent: everything is re-sent,
  # acknowledged again, and stored once.
  sql "$data" 'UPDATE responses SET sent_at = NULL'
  "$SAYSO" sync --config "$dir/config" --data "$data" >>"$dir/sync.log" 2>&1
  expect_eq "$name: a full re-send is acknowledged" "$?" 0
  "$CENTRAL" "$@" export --format csv >"$dir/export2.csv"
  expect_eq "$name: a re-send does not duplicate" "$(central_count "$dir/export2.csv")" "$N"
  expect_eq "$name: no conflicts from identical re-sends" "$("$CENTRAL" "$@" conflicts | wc -l)" 0

  # Same id, different content: 409, kept aside, the stored one unchanged.
  local id
  id=$(sql "$data" 'SELECT id FROM responses LIMIT 1')
  sql "$data" "UPDATE responses SET sent_at = NULL, body = json_set(body, '\$.answers.fft', 'poor') WHERE id = '$id'"
  "$SAYSO" sync --config "$dir/config" --data "$data" >>"$dir/sync.log" 2>&1
  expect_eq "$name: conflict is held on the kiosk, not retried" \
    "$(sql "$data" "SELECT held_reason LIKE 'conflict%' FROM responses WHERE id = '$id'")" 1
  expect_eq "$name: conflict kept aside on central" "$("$CENTRAL" "$@" conflicts | grep -c "$id")" 1
  "$CENTRAL" "$@" export --format json >"$dir/export.json"
  expect_eq "$name: the first content stays" "$(grep -c '"fft":"poor"' "$dir/export.json")" 0

  # Export filters and the admin endpoint.
  local admin today
  admin=$("$CENTRAL" "$@" admin add reporter 2>/dev/null)
  today=$(date -u +%Y-%m-%d)
  curl -s -H "Authorization: Bearer $admin" \
    "http://127.0.0.1:$CENTRAL_PORT/v1/export?format=csv&site=Demo%20ward&from=$today&to=$today" \
    >"$dir/http.csv"
  expect_eq "$name: HTTP export with admin token" "$(central_count "$dir/http.csv")" "$N"
  expect_eq "$name: export --site of another site is empty" \
    "$("$CENTRAL" "$@" export --format csv --site Elsewhere | wc -l)" 1
  expect_eq "$name: export --to before today is empty" \
    "$("$CENTRAL" "$@" export --format csv --to 2000-01-01 | wc -l)" 1
  "$CENTRAL" "$@" export --format csv --from 2026-02-30 >/dev/null 2>&1
  expect_eq "$name: impossible date refused" "$?" 1
  expect_eq "$name: device token cannot export" "$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$CENTRAL_PORT/v1/export")" 403

  # Revocation: 401, the kiosk stops and keeps its responses.
  "$CENTRAL" "$@" device revoke ward-kiosk 2>/dev/null
  answer_fft "$data" 1 --config "$dir/config"
  "$SAYSO" sync --config "$dir/config" --data "$data" >>"$dir/sync.log" 2>&1
  expect_eq "$name: revoked device's sync fails" "$?" 1
  expect_eq "$name: after revocation the response waits" \
    "$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NULL AND held_reason IS NULL')" 1
  "$SAYSO" status --data "$data" >"$dir/status"
  if grep -q "last error: .*refused this device.*401" "$dir/status"; then
    pass "$name: status shows why (401)"
  else
    fail "$name: status shows why (401)" "$(cat "$dir/status")"
  fi
  if grep -q "$token" "$dir"/*.log "$dir/status"; then
    fail "$name: the token never appears in logs"
  else
    pass "$name: the token never appears in logs"
  fi
  stop_all
}

run_backend sqlite --data "$TEST_TMP/central-sqlite"
if pg_start "$TEST_TMP/pg" 2>"$TEST_TMP/pg.err"; then
  run_backend postgresql --db "$PG_URL"
else
  fail "postgresql: test server starts" "$(cat "$TEST_TMP/pg.err")"
fi
finish
