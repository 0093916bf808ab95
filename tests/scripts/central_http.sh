# sayso-central against bad input: unknown routes, wrong methods, missing or
# wrong tokens, malformed and oversized bodies, random bytes. Every reply is
# a clear JSON error with the right status, and the server is still healthy
# afterwards. Also: publishing checks the questionnaire like `sayso check`;
# ETag / If-None-Match; a set that a kiosk cannot use is refused whole and
# the last good one stays.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
trap 'stop_all' EXIT

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
auth=(-H "Authorization: Bearer $token")
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
finish
