# sayso-central against bad input: unknown routes, wrong methods, missing or
# wrong tokens, malformed and oversized bodies, random bytes. Every reply is
# a clear JSON error with the right status, and the server is still healthy
# afterwards. Also: publishing checks the questionnaire like `sayso check`;
# ETag / If-None-Match; a set that a kiosk cannot use is refused whole and
# the last good one stays. The optional "venue", "event" and "flags" of a
# response: refused when malformed, stored, exported and listed by
# `flagged`; a version 1 database is brought to version 2 keeping its rows,
# on SQLite and on PostgreSQL.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/pg.sh
trap 'stop_all; pg_stop' EXIT

dir="$TEST_TMP/http"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
admin=$("$CENTRAL" --data "$dir/central" admin add boss 2>/dev/null)
start_central "$dir" --data "$dir/central" --max-body 262144
url="http://127.0.0.1:$CENTRAL_PORT"

# status METHOD PATH [curl args...]: prints the HTTP status
status() {
  local method=$1 path=$2; shift 2
  curl -s -o "$dir/body" -w '%{http_code}' --max-time 10 -X "$method" "$@" "$url$path"
}
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
good='{"id":"6f1c2a3e-1b2c-4d5e-8f90-0123456789ab","questionnaire":{"id":"service-feedback","version":1},"language":"en","site":"Ward","device":"k1","mode":"self","submitted_at":"2026-11-23T13:00Z","answers":{"fft":"good"}}'

expect_eq "health" "$(status GET /v1/health)" 200
expect_eq "unknown route: 404" "$(status GET /v2/responses)" 404
expect_eq "wrong method: 405" "$(status GET /v1/responses "${auth[@]}")" 405
expect_eq "no token: 401" "$(status POST /v1/responses --data-binary "{\"responses\":[$good]}")" 401
expect_eq "not a bearer token: 401" \
  "$(status POST /v1/responses -H "Authorization: Basic eDp5" --data-binary '{}')" 401
expect_eq "a made-up token: 401" "$(status GET /v1/questionnaires \
  -H 'Authorization: Bearer sayso_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')" 401
expect_eq "admin may not upload: 403" "$(status POST /v1/responses \
  -H "Authorization: Bearer $admin" --data-binary "{\"responses\":[$good]}")" 403

# bad_body NAME BODY REASON-FRAGMENT
bad_body() {
  local code
  code=$(status POST /v1/responses "${auth[@]}" --data-binary "$2")
  if [ "$code" = 400 ] && grep -q "\"error\":\".*$3" "$dir/body"; then pass "400 $1"
  else fail "400 $1" "status $code: $(head -c 300 "$dir/body")"; fi
}
bad_body "not JSON" '{"responses": [' "not valid JSON"
bad_body "empty body" '' "not valid JSON"
bad_body "no list" '{"responses": {}}' "at least one"
bad_body "empty list" '{"responses": []}' "at least one"
bad_body "not an object" '{"responses": [42]}' "is not an object"
bad_body "bad id" "{\"responses\":[${good/6f1c2a3e/zzzz}]}" 'valid \\"id\\"'
bad_body "bad mode" "{\"responses\":[${good/\"self\"/\"robot\"}]}" 'mode'
bad_body "bad time" "{\"responses\":[${good/13:00Z/1pm}]}" 'submitted_at'
bad_body "bad version" "{\"responses\":[${good/\"version\":1/\"version\":\"1\"}]}" 'version'
bad_body "no answers" "{\"responses\":[${good/\"answers\"/\"answer\"}]}" 'answers'
bad_body "second of two is bad" "{\"responses\":[$good,${good/\"en\"/\"english language\"}]}" 'responses\[1\]'

# with MEMBERS: a batch of $good plus MEMBERS (',"venue":"x"')
with() { printf '{"responses":[%s%s}]}' "${good%\}}" "$1"; }
long=$(printf 'n%.0s' $(seq 81))
bad_body "unknown venue" "$(with ',"venue":"ward"')" 'responses\[0\] has an invalid \\"venue\\" (kiosk, event or survey)'
bad_body "venue not a string" "$(with ',"venue":1')" 'invalid \\"venue\\"'
bad_body "event without a venue" "$(with ',"event":{"name":"Fair"}')" 'only for venue \\"event\\"'
bad_body "event at a survey" "$(with ',"venue":"survey","event":{"name":"Fair"}')" 'only for venue'
bad_body "event not an object" "$(with ',"venue":"event","event":"Fair"')" 'invalid \\"event\\"'
bad_body "event without a name" "$(with ',"venue":"event","event":{"session":"am"}')" 'event\\".\\"name'
bad_body "event name of 81 characters" "$(with ",\"venue\":\"event\",\"event\":{\"name\":\"$long\"}")" \
  'event\\".\\"name\\" (1 to 80 characters'
bad_body "event name with a line break" "$(with ',"venue":"event","event":{"name":"a\nb"}')" 'event\\".\\"name'
bad_body "event name with a C1 control" "$(with ',"venue":"event","event":{"name":"a\u0085b"}')" 'event\\".\\"name'
bad_body "event session of 81 characters" \
  "$(with ",\"venue\":\"event\",\"event\":{\"name\":\"Fair\",\"session\":\"$long\"}")" 'session'
bad_body "flags not a list" "$(with ',"flags":"risk-words"')" 'invalid \\"flags\\" (a list of 1 to 8'
bad_body "no flags in the list" "$(with ',"flags":[]')" 'a list of 1 to 8'
bad_body "nine flags" "$(with ',"flags":["a","b","c","d","e","f","g","h","i"]')" 'a list of 1 to 8'
bad_body "a flag in capitals" "$(with ',"flags":["risk-words","Repeat"]')" 'invalid \\"flags\\"\[1\]'
bad_body "a flag starting with a digit" "$(with ',"flags":["1st"]')" 'flags\\"\[0\]'
bad_body "a flag of 33 characters" "$(with ",\"flags\":[\"$(printf 'f%.0s' $(seq 33))\"]")" 'flags\\"\[0\]'
bad_body "a flag that is not a string" "$(with ',"flags":[7]')" 'flags\\"\[0\]'
bad_body "the same flag twice" "$(with ',"flags":["repeat","risk-words","repeat"]')" 'flag \\"repeat\\" twice'
expect_eq "a bad batch stores nothing" "$("$CENTRAL" --data "$dir/central" export --format csv | wc -l)" 1

big=$(head -c 270000 /dev/zero | tr '\0' 'x')
expect_eq "body over --max-body: 413" "$(printf '{"x":"%s"}' "$big" | \
  status POST /v1/responses "${auth[@]}" --data-binary @-)" 413
expect_eq "chunked body over --max-body: 413" "$(printf '{"x":"%s"}' "$big" | \
  status POST /v1/responses "${auth[@]}" -H 'Transfer-Encoding: chunked' --data-binary @-)" 413
many=$(for i in $(seq 501); do printf '%s,' "$good"; done)
printf '{"responses":[%s]}' "${many%,}" | curl -s -o "$dir/body" -w '%{http_code}' "${auth[@]}" \
  --data-binary @- "$url/v1/responses" >"$dir/code" 2>/dev/null
expect_eq "501 responses in a batch (under --max-body): 413" "$(cat "$dir/code")" 413
if grep -q "at most 500" "$dir/body"; then pass "501 responses: the reply says the limit"
else fail "501 responses: the reply says the limit" "$(cat "$dir/body")"; fi

survived=0
for i in $(seq 100); do
  head -c $((RANDOM % 3000 + 1)) /dev/urandom >"$dir/random"
  code=$(status POST /v1/responses "${auth[@]}" --data-binary @"$dir/random")
  [ "$code" = 400 ] && survived=$((survived + 1))
done
expect_eq "100 random bodies: each a 400" "$survived" 100
expect_eq "still healthy after all that" "$(status GET /v1/health)" 200

expect_eq "export: bad format 400" \
  "$(status GET '/v1/export?format=xml' -H "Authorization: Bearer $admin")" 400
expect_eq "export: bad date 400" \
  "$(status GET '/v1/export?from=yesterday' -H "Authorization: Bearer $admin")" 400

# Publishing is checked with the same validator as `sayso check`.
mkdir -p "$dir/q"
sed 's/"type": "single"/"type": "slider"/' config/questionnaires/service-feedback.json >"$dir/q/bad.json"
out=$("$CENTRAL" --data "$dir/central" questionnaire publish "$dir/q/bad.json" --site Ward 2>&1)
rc=$?
if [ $rc -eq 1 ] && echo "$out" | grep -qE "bad.json:[0-9]+:[0-9]+: .*slider"; then
  pass "publish refuses a broken questionnaire with file:line:col"
else
  fail "publish refuses a broken questionnaire with file:line:col" "rc=$rc" "$out"
fi
"$CENTRAL" --data "$dir/central" questionnaire publish config/questionnaires/event-feedback.json \
  --site Ward 2>/dev/null
expect_eq "questionnaires: 200 with the set" "$(status GET /v1/questionnaires "${auth[@]}")" 200
etag=$(curl -s -D - -o /dev/null "${auth[@]}" "$url/v1/questionnaires" | sed -n 's/^ETag: //Ip' | tr -d '\r')
expect_eq "questionnaires: If-None-Match gives 304" \
  "$(status GET /v1/questionnaires "${auth[@]}" -H "If-None-Match: $etag")" 304

# The kiosk takes the good set, then refuses a tampered one whole.
kiosk_config "$dir/config" "$url" "$token"
data=$(fresh_data set)
"$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync1.log" 2>&1
first=$(sql "$data" 'SELECT etag FROM questionnaire_set')
sqlite3 "$dir/central/central.db" \
  "UPDATE questionnaires SET body = replace(body, '\"single\"', '\"slider\"')"
"$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync2.log" 2>&1
expect_eq "kiosk refuses a set it cannot use (sync fails)" "$?" 1
expect_eq "kiosk keeps the last good set" "$(sql "$data" 'SELECT etag FROM questionnaire_set')" "$first"
"$SAYSO" status --data "$data" >"$dir/status"
if grep -q "questionnaires from the server are not usable" "$dir/status"; then
  pass "status says why the new set was refused"
else
  fail "status says why the new set was refused" "$(cat "$dir/status")"
fi

# The token file must be private to the kiosk's user.
chmod 644 "$dir/config/sync-token"
"$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync3.log" 2>&1
expect_eq "a token file others can read is refused" "$?" 1
if grep -q "readable by no one else (chmod 600)" "$dir/sync3.log"; then
  pass "the refusal says how to fix it"
else
  fail "the refusal says how to fix it" "$(cat "$dir/sync3.log")"
fi
if grep -q "$token" "$dir"/*.log; then fail "no log holds the token"; else pass "no log holds the token"; fi
expect_eq "central still healthy" "$(status GET /v1/health)" 200

# --- venue, event and flags, over HTTP and in storage ---

# response ID SUBMITTED-AT ANSWERS [MEMBERS]: one response body
response() {
  printf '{"id":"%s","questionnaire":{"id":"service-feedback","version":1},"language":"en",'\
'"site":"Ward","device":"k1","mode":"self","submitted_at":"%s","answers":%s%s}' "$1" "$2" "$3" "${4:-}"
}

# post URL TOKEN RESPONSE...: uploads them as one batch; prints the status
post() {
  local to=$1 bearer=$2; shift 2
  local IFS=,
  curl -s -o "$dir/body" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $bearer" \
    -H "Content-Type: application/json" \
    --data-binary "{\"responses\":[$*]}" "$to/v1/responses"
}

# csv_field CSV-FILE COLUMN ID: one column of one row of an export
csv_field() {
  sqlite3 -batch -noheader :memory: ".import --csv $1 t" "SELECT \"$2\" FROM t WHERE id = '$3'"
}

# venue_cases NAME URL TOKEN SITE DEVICE STORAGE-ARGS...: the new members
# against a running central whose DEVICE (at SITE) has TOKEN.
venue_cases() {
  local name=$1 to=$2 bearer=$3 site=$4 device=$5; shift 5
  local ev=6f1c2a3e-1b2c-4d5e-8f90-0000000000e1 old=6f1c2a3e-1b2c-4d5e-8f90-0000000000e2
  local sv=6f1c2a3e-1b2c-4d5e-8f90-0000000000e3 wide=6f1c2a3e-1b2c-4d5e-8f90-0000000000e4
  local event plain survey eighty wide_event
  event=$(response "$ev" 2026-11-23T14:00Z '{"fft":"poor","worse":"I felt unsafe"}' \
    ',"venue":"event","event":{"name":"Carers café","session":"Morning"},"flags":["risk-words"]')
  plain=$(response "$old" 2026-11-23T15:00Z '{"fft":"good"}')
  survey=$(response "$sv" 2026-11-23T09:00Z '{"fft":"good"}' \
    ',"venue":"survey","flags":["too-soon","repeat","not-known-yet"]')
  eighty=$(printf '\\u00e9%.0s' $(seq 80))
  wide_event=$(response "$wide" 2026-11-23T16:00Z '{"fft":"good"}' \
    ",\"venue\":\"event\",\"event\":{\"name\":\"$eighty\",\"session\":\"\"}")
  expect_eq "$name: event, flagged and old-style responses accepted" \
    "$(post "$to" "$bearer" "$event" "$plain" "$survey" "$wide_event")" 200
  expect_eq "$name: the same batch again is acknowledged" \
    "$(post "$to" "$bearer" "$event" "$plain" "$survey" "$wide_event")" 200
  expect_eq "$name: other flags under the same id are a conflict" \
    "$(post "$to" "$bearer" "${event/risk-words/repeat}")" 409

  "$CENTRAL" "$@" export --format csv >"$dir/venue.csv"
  if head -n 1 "$dir/venue.csv" | grep -q '"collection_mode","venue","event_name","event_session","flags","submitted_at"'; then
    pass "$name: CSV has venue, event_name, event_session and flags after collection_mode"
  else
    fail "$name: CSV has venue, event_name, event_session and flags after collection_mode" \
      "$(head -n 1 "$dir/venue.csv")"
  fi
  expect_eq "$name: CSV row of the event response" \
    "$(sqlite3 -batch -noheader :memory: ".import --csv $dir/venue.csv t" \
      "SELECT venue || '|' || event_name || '|' || event_session || '|' || flags FROM t WHERE id = '$ev'")" \
    "event|Carers café|Morning|risk-words"
  expect_eq "$name: stored once" "$(grep -c "$ev" "$dir/venue.csv")" 1
  expect_eq "$name: no venue is a kiosk, no flags empty" \
    "$(csv_field "$dir/venue.csv" venue "$old")|$(csv_field "$dir/venue.csv" flags "$old")" "kiosk|"
  expect_eq "$name: unknown flags are kept, in order" \
    "$(csv_field "$dir/venue.csv" flags "$sv")" "too-soon,repeat,not-known-yet"
  expect_eq "$name: 80 characters (160 bytes) is a name" \
    "$(csv_field "$dir/venue.csv" event_name "$wide")" "$(printf '\303\251%.0s' $(seq 80))"
  expect_eq "$name: an empty session is stored as none" \
    "$(csv_field "$dir/venue.csv" event_session "$wide")" ""

  "$CENTRAL" "$@" export --format json >"$dir/venue.json"
  if grep -q '"event":{"name":"Carers café","session":"Morning"}' "$dir/venue.json" &&
     grep -q '"flags":\["risk-words"\]' "$dir/venue.json" && grep -q '"venue":"event"' "$dir/venue.json"; then
    pass "$name: JSON export carries venue, event and flags"
  else
    fail "$name: JSON export carries venue, event and flags" "$(grep "$ev" "$dir/venue.json")"
  fi

  "$CENTRAL" "$@" flagged >"$dir/flagged" 2>"$dir/flagged.err"
  expect_eq "$name: flagged exits 0" "$?" 0
  expect_eq "$name: flagged lists flagged responses, oldest first" "$(cat "$dir/flagged")" \
"$sv $site $device 2026-11-23T09:00Z too-soon,repeat,not-known-yet {\"fft\":\"good\"}
$ev $site $device 2026-11-23T14:00Z risk-words {\"fft\":\"poor\",\"worse\":\"I felt unsafe\"}"
  expect_eq "$name: flagged --site SITE" "$("$CENTRAL" "$@" flagged --site "$site" | wc -l)" 2
  expect_eq "$name: flagged --site of another site is empty" \
    "$("$CENTRAL" "$@" flagged --site Elsewhere | wc -c)" 0
}

# The server above started on a fresh database: version 2 straight away.
expect_eq "fresh database: schema version 2" \
  "$(sqlite3 "$dir/central/central.db" "SELECT value FROM meta WHERE key = 'schema_version'")" 2
venue_cases "sqlite" "$url" "$token" Ward k1 --data "$dir/central"

# v1_schema SEQ: central's version 1 tables, as the first release made them,
# with one device and one response.
v1_schema() {
  cat <<SQL
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE devices (name TEXT PRIMARY KEY, site TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('device','admin')),
  token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE responses ($1, id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,
  site TEXT NOT NULL, device TEXT NOT NULL,
  questionnaire_id TEXT NOT NULL, questionnaire_version BIGINT NOT NULL,
  language TEXT NOT NULL, collection_mode TEXT NOT NULL,
  submitted_at TEXT NOT NULL, received_at TEXT NOT NULL,
  answers TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX responses_site_time ON responses (site, submitted_at);
CREATE TABLE conflicts ($1, id TEXT NOT NULL, content_hash TEXT NOT NULL, device TEXT NOT NULL,
  received_at TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (id, content_hash));
CREATE TABLE questionnaires (site TEXT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL,
  position BIGINT NOT NULL, body TEXT NOT NULL, published_at TEXT NOT NULL, PRIMARY KEY (site, id));
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO devices VALUES ('old-k', 'Old ward', 'device', 'not-a-real-hash', '2026-01-05T10:00Z', NULL);
INSERT INTO responses (id, content_hash, site, device, questionnaire_id, questionnaire_version,
  language, collection_mode, submitted_at, received_at, answers, body)
VALUES ('11111111-2222-4333-8444-555555555555', '00000000000000000000000000000000', 'Old ward',
  'old-k', 'service-feedback', 1, 'en', 'self', '2026-01-05T10:00Z', '2026-01-05T10:01Z',
  '{"fft":"good"}', '{"answers":{"fft":"good"},"id":"11111111-2222-4333-8444-555555555555"}');
SQL
}

# migrated NAME STORAGE-ARGS...: a version 1 database is at version 2 after
# any command and still has its response, now a kiosk one with no flags.
migrated() {
  local name=$1; shift
  "$CENTRAL" "$@" export --format csv >"$dir/v1.csv" 2>"$dir/v1.err"
  expect_eq "$name: version 1 database opens" "$?" 0
  if grep -q "database schema brought from version 1 to 2" "$dir/v1.err"; then
    pass "$name: the upgrade is logged"
  else
    fail "$name: the upgrade is logged" "$(cat "$dir/v1.err")"
  fi
  expect_eq "$name: the version 1 response is kept" "$(central_count "$dir/v1.csv")" 1
  expect_eq "$name: ... as a kiosk response with no flags" \
    "$(sqlite3 -batch -noheader :memory: ".import --csv $dir/v1.csv t" \
      "SELECT id || '|' || venue || '|' || event_name || '|' || flags || '|' || answers FROM t")" \
    '11111111-2222-4333-8444-555555555555|kiosk|||{"fft":"good"}'
  expect_eq "$name: a second open has nothing to upgrade" \
    "$("$CENTRAL" "$@" flagged 2>&1 | wc -c)" 0
}

mkdir -p "$dir/v1"
v1_schema "seq INTEGER PRIMARY KEY AUTOINCREMENT" | sqlite3 -batch "$dir/v1/central.db"
migrated "sqlite" --data "$dir/v1"
expect_eq "sqlite: version 2 recorded" \
  "$(sqlite3 "$dir/v1/central.db" "SELECT value FROM meta WHERE key = 'schema_version'")" 2
expect_eq "sqlite: upgraded and fresh databases have the same columns" \
  "$(sqlite3 "$dir/v1/central.db" 'PRAGMA table_info(responses)')" \
  "$(sqlite3 "$dir/central/central.db" 'PRAGMA table_info(responses)')"
v1token=$("$CENTRAL" --data "$dir/v1" device add k2 --site "Old ward" 2>/dev/null)
start_central "$dir/v1" --data "$dir/v1"
expect_eq "sqlite: the upgraded database takes an old-style response" \
  "$(post "http://127.0.0.1:$CENTRAL_PORT" "$v1token" "$good")" 200
"$CENTRAL" --data "$dir/v1" export --format csv >"$dir/v1.csv"
expect_eq "sqlite: ... stored as a kiosk response" \
  "$(csv_field "$dir/v1.csv" venue 6f1c2a3e-1b2c-4d5e-8f90-0123456789ab)" kiosk
sqlite3 "$dir/v1/central.db" "UPDATE meta SET value = '3' WHERE key = 'schema_version'"
out=$("$CENTRAL" --data "$dir/v1" flagged 2>&1)
rc=$?
if [ $rc -eq 1 ] && echo "$out" | grep -q "database schema 3 is newer than this program (2)"; then
  pass "a newer database is refused"
else
  fail "a newer database is refused" "rc=$rc" "$out"
fi

# The same upgrade and cases on PostgreSQL.
if pg_start "$TEST_TMP/pg-http" 2>"$dir/pg.err"; then
  v1_schema "seq BIGSERIAL PRIMARY KEY" |
    psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" >"$dir/psql.log" 2>&1 ||
    fail "postgresql: version 1 schema created" "$(cat "$dir/psql.log")"
  migrated "postgresql" --db "$PG_URL"
  expect_eq "postgresql: version 2 recorded" \
    "$(psql -X -A -t "$PG_URL" -c "SELECT value FROM meta WHERE key = 'schema_version'")" 2
  pgtoken=$("$CENTRAL" --db "$PG_URL" device add k3 --site "PG ward" 2>/dev/null)
  start_central "$dir/pg" --db "$PG_URL"
  venue_cases "postgresql" "http://127.0.0.1:$CENTRAL_PORT" "$pgtoken" "PG ward" k3 --db "$PG_URL"
  # The database stops under a running central: a device must be told to
  # retry (503), not that its token is bad (401), which would make the
  # kiosk stop and ask staff for a new token.
  url="http://127.0.0.1:$CENTRAL_PORT"
  pg_stop
  expect_eq "postgresql down: an upload with a good token gets 503, not 401" \
    "$(post "$url" "$pgtoken" "$(response 6f1c2a3e-1b2c-4d5e-8f90-0000000000f1 2026-11-23T17:00Z '{"fft":"good"}')")" 503
  expect_eq "postgresql down: fetching questionnaires gets 503" \
    "$(status GET /v1/questionnaires -H "Authorization: Bearer $pgtoken")" 503
  expect_eq "postgresql down: health says 503" "$(status GET /v1/health)" 503
else
  fail "postgresql: test server starts" "$(cat "$dir/pg.err")"
fi
finish
