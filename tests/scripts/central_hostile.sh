# sayso-central under hostile input, beyond central_http.sh: tokens that are
# empty, garbage, overlong or revoked and roles on the wrong route; a lying
# Content-Length and an endless chunked body; clients that drip their body a
# byte a second, and a hundred idle connections, while a real upload goes
# through; malformed bodies (types, UTF-8, NUL, deep nesting, huge numbers,
# duplicate keys), the wrong Content-Type, method or path and garbage
# export parameters; replayed and conflicting batches; injection-looking
# text, which is stored verbatim and exported with formulas disarmed. After
# each refusal the rows in central's database are counted: nothing stored.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
trap 'stop_all' EXIT

dir="$TEST_TMP/hostile"; mkdir -p "$dir"
db="$dir/central/central.db"
IDLE=2 REQUEST=4 MAX_BODY=262144
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
other=$("$CENTRAL" --data "$dir/central" device add k2 --site Ward 2>/dev/null)
formula_site=$("$CENTRAL" --data "$dir/central" device add k3 --site '@SUM(1+1)' 2>/dev/null)
admin=$("$CENTRAL" --data "$dir/central" admin add boss 2>/dev/null)
start_central "$dir" --data "$dir/central" --max-body $MAX_BODY --idle-timeout $IDLE \
  --request-timeout $REQUEST || exit 1
url="http://127.0.0.1:$CENTRAL_PORT"
port=$CENTRAL_PORT

# rows: responses and conflicts kept, "R C"
rows() { sqlite3 -batch -noheader "$db" "SELECT (SELECT count(*) FROM responses) || ' ' || (SELECT count(*) FROM conflicts)"; }
# now_ms: a clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# status METHOD PATH [curl args...]: prints the HTTP status; the body is in $dir/body
status() {
  local method=$1 path=$2; shift 2
  curl -s -o "$dir/body" -w '%{http_code}' --max-time 10 -X "$method" "$@" "$url$path"
}
json=(-H 'Content-Type: application/json')
auth=(-H "Authorization: Bearer $token" "${json[@]}")

# refused NAME EXPECTED-STATUS METHOD PATH [curl args...]: the status, a JSON
# {"error": ...} body, and no row stored or changed
refused() {
  local name=$1 want=$2 before code; shift 2
  before=$(rows)
  code=$(status "$@")
  if [ "$code" != "$want" ]; then fail "$name: $want" "status $code: $(head -c 300 "$dir/body")"
  elif ! grep -q '^{"error":"[^"]' "$dir/body"; then fail "$name: $want" "not a JSON error: $(head -c 300 "$dir/body")"
  elif [ "$(rows)" != "$before" ]; then fail "$name: $want" "rows $before became $(rows)"
  else pass "$name: $want"; fi
}

# body [MEMBER=JSON ...]: one response; each MEMBER given is replaced by
# JSON, or left out when JSON is empty
body() {
  local -A m=([id]="\"$(id 10)\"" [questionnaire]='{"id":"service-feedback","version":1}'
    [language]='"en"' [site]='"Ward"' [device]='"k1"' [mode]='"self"'
    [submitted_at]='"2026-11-23T14:00Z"' [answers]='{"fft":"good"}')
  local kv k out=''
  for kv in "$@"; do m[${kv%%=*}]=${kv#*=}; done
  for k in id questionnaire language site device mode submitted_at answers; do
    [ -n "${m[$k]}" ] && out+="${out:+,}\"$k\":${m[$k]}"
  done
  printf '{%s}' "$out"
}
# response ID [MEMBERS] [ANSWERS]: a good response, with MEMBERS (',"venue":...') added
response() {
  local r; r=$(body id="\"$1\"" answers="${3:-{\"fft\":\"good\"\}}")
  printf '%s' "${r%\}}${2:-}}"
}
# batch RESPONSE...: {"responses":[...]}
batch() { local IFS=,; printf '{"responses":[%s]}' "$*"; }
id() { printf '6f1c2a3e-1b2c-4d5e-8f90-%012d' "$1"; }

# --- unauthenticated ---
good=$(batch "$(response "$(id 1)")")
refused "no Authorization on questionnaires" 401 GET /v1/questionnaires
refused "no Authorization on export" 401 GET /v1/export
refused "scheme Token" 401 POST /v1/responses -H "Authorization: Token $token" "${json[@]}" --data-binary "$good"
refused "Bearer and nothing" 401 POST /v1/responses -H "Authorization: Bearer" "${json[@]}" --data-binary "$good"
refused "Bearer and spaces" 401 POST /v1/responses -H "Authorization: Bearer    " "${json[@]}" --data-binary "$good"
refused "SQL as the token" 401 POST /v1/responses -H "Authorization: Bearer sayso_' OR '1'='1" \
  "${json[@]}" --data-binary "$good"
refused "a real token with more after it" 401 POST /v1/responses \
  -H "Authorization: Bearer $token x" "${json[@]}" --data-binary "$good"
refused "a token of 4000 characters" 401 POST /v1/responses \
  -H "Authorization: Bearer sayso_$(head -c 4000 /dev/zero | tr '\0' A)" "${json[@]}" --data-binary "$good"
before=$(rows)
code=$(status POST /v1/responses -H "Authorization: Bearer $(head -c 40000 /dev/zero | tr '\0' A)" \
  "${json[@]}" --data-binary "$good")
expect_eq "a 40 KB header is refused by libmicrohttpd (431), nothing stored" "$code $(rows)" "431 $before"
refused "device token on export" 403 GET '/v1/export?format=csv' -H "Authorization: Bearer $token"
refused "admin token on questionnaires" 403 GET /v1/questionnaires -H "Authorization: Bearer $admin"
expect_eq "the scheme is case-insensitive (bearer): 200" \
  "$(status POST /v1/responses -H "Authorization: bearer $other" "${json[@]}" --data-binary "$(batch "$(response "$(id 2)")")")" 200
"$CENTRAL" --data "$dir/central" device revoke k2 2>/dev/null
refused "a revoked token" 401 POST /v1/responses -H "Authorization: Bearer $other" "${json[@]}" \
  --data-binary "$(batch "$(response "$(id 3)")")"
expect_eq "unauthenticated: only the one good upload stored" "$(rows)" "1 0"

# --- oversized ---
# raw_request FILE REQUEST: sends REQUEST as is; FILE gets the reply and
# the milliseconds until central closed, on its last line
raw_request() {
  local out=$1 start; start=$(now_ms)
  (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf '%b' "$2" >&3 && timeout 10 cat <&3) >"$out" 2>/dev/null
  printf '\n%s\n' $(($(now_ms) - start)) >>"$out"
}
head_ers="POST /v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $token\r\nContent-Type: application/json\r\n"
raw_request "$dir/lying" "${head_ers}Content-Length: 100000000000\r\n\r\n"
ms=$(tail -n 1 "$dir/lying")
if head -n 1 "$dir/lying" | grep -q '^HTTP/1.1 413' && grep -q '{"error":"request body is too large"}' "$dir/lying" &&
   [ "$ms" -lt 2000 ]; then
  pass "Content-Length of 100 GB and no body: 413 at once (${ms} ms)"
else
  fail "Content-Length of 100 GB and no body: 413 at once" "$(cat "$dir/lying")"
fi
raw_request "$dir/short" "${head_ers}Content-Length: 1000000\r\n\r\n{\"responses\":["
ms=$(tail -n 1 "$dir/short")
if [ "$ms" -ge $((IDLE * 1000 - 500)) ] && [ "$ms" -lt $((IDLE * 1000 + 3000)) ]; then
  pass "Content-Length of 1 MB and 14 bytes sent: closed after the ${IDLE} s idle timeout (${ms} ms)"
else
  fail "Content-Length of 1 MB and 14 bytes sent: closed after the idle timeout" "$ms ms"
fi
raw_request "$dir/long" "${head_ers}Content-Length: 5\r\n\r\n$good"
if head -n 1 "$dir/long" | grep -q '^HTTP/1.1 400' && grep -q 'not valid JSON' "$dir/long"; then
  pass "Content-Length shorter than the body: only that much is read (400)"
else
  fail "Content-Length shorter than the body: only that much is read (400)" "$(head -c 400 "$dir/long")"
fi
central_pid=$(cat "/proc/${CENTRAL_PIDS[0]}/task/${CENTRAL_PIDS[0]}/children" | awk '{print $1}')
hwm() { awk '/VmHWM/ {print $2}' "/proc/$central_pid/status"; }
hwm_before=$(hwm)
start=$(now_ms)
sent=$(head -c $((64 << 20)) /dev/zero | curl -s -o /dev/null -w '%{size_upload}' --max-time 20 \
  -T - -X POST "${auth[@]}" "$url/v1/responses")
ms=$(($(now_ms) - start)) grew=$(($(hwm) - hwm_before))
if [ "${sent%.*}" -lt $((16 << 20)) ] && [ "$grew" -lt 16384 ] && [ "$ms" -lt 10000 ]; then
  pass "endless chunked body: cut off after $((${sent%.*} >> 10)) KiB of 64 MiB in ${ms} ms, peak memory +${grew} KiB"
else
  fail "endless chunked body: cut off early, not buffered" "sent $sent in $ms ms, peak memory +$grew KiB"
fi
expect_eq "oversized: nothing stored" "$(rows)" "1 0"

# --- slow clients ---
# drip_body OUT: headers, then one body byte a second (never the whole body,
# at most 15); OUT gets "STATUS MS": cat's status (124: still open) and when
# central closed
drip_body() {
  (
    trap '' PIPE
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    start=$(now_ms)
    printf '%b' "${head_ers}Content-Length: 1000\r\n\r\n" >&3
    (timeout 20 cat <&3 >/dev/null; echo "$? $(($(now_ms) - start))" >"$1") &
    for _ in $(seq 15); do [ -s "$1" ] && break; printf x >&3 2>/dev/null; sleep 1; done
    wait
  ) &
  DRIPS+=($!)
}
# drip_headers: the request line, then one header byte a second, for 12 s
drip_headers() {
  (
    trap '' PIPE
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'POST /v1/responses HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&3
    for _ in $(seq 12); do printf a >&3 2>/dev/null || break; sleep 1; done
  ) &
  DRIPS+=($!)
}
DRIPS=()
rm -f "$dir"/drip.*
for i in 1 2 3 4; do drip_body "$dir/drip.$i"; done
drip_headers; drip_headers
sleep 1.5
code=$(curl -s -o "$dir/body" -w '%{http_code} %{time_total}' --max-time 10 "${auth[@]}" \
  --data-binary "$(batch "$(response "$(id 4)")")" "$url/v1/responses")
ms=$(awk '{printf "%d", $2 * 1000}' <<<"$code")
if [ "${code%% *}" = 200 ] && [ "$ms" -lt 2000 ]; then
  pass "an upload while 6 clients drip bytes: 200 in ${ms} ms"
else
  fail "an upload while 6 clients drip bytes: 200 quickly" "$code"
fi
wait_drips() { local i; for i in $(seq 200); do [ "$(cat "$dir"/drip.* 2>/dev/null | wc -l)" -ge 4 ] && return; sleep 0.1; done; }
wait_drips
closed=0 worst=0
for f in "$dir"/drip.*; do
  read -r rc ms <"$f"
  [ "$rc" != 124 ] && [ "$ms" -le $(((REQUEST + 3) * 1000)) ] && closed=$((closed + 1))
  [ "$ms" -gt "$worst" ] && worst=$ms
done
expect_eq "4 body drippers closed after the ${REQUEST} s request timeout (last at ${worst} ms)" "$closed" 4
wait "${DRIPS[@]}"
expect_eq "slow clients: nothing stored but the upload" "$(rows)" "2 0"

# 100 connections that send nothing: service goes on, and each is closed
# after the idle timeout.
result=$(
  fds=()
  for _ in $(seq 100); do exec {fd}<>"/dev/tcp/127.0.0.1/$port" && fds+=("$fd"); done
  up=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "${auth[@]}" \
    --data-binary "$(batch "$(response "$(id 5)")")" "$url/v1/responses")
  sleep $((IDLE + 2))
  gone=0
  for fd in "${fds[@]}"; do
    read -r -t 1 -u "$fd" _; [ $? -eq 1 ] && gone=$((gone + 1))
  done
  echo "${#fds[@]} $up $gone"
)
read -r opened code secs gone <<<"$result"
ms=$(awk -v s="$secs" 'BEGIN {printf "%d", s * 1000}')
if [ "$opened" = 100 ] && [ "$code" = 200 ] && [ "$ms" -lt 2000 ]; then
  pass "an upload with 100 idle connections open: 200 in ${ms} ms"
else
  fail "an upload with 100 idle connections open: 200 quickly" "$result"
fi
expect_eq "100 idle connections closed after the ${IDLE} s idle timeout" "$gone" 100

# Over --max-connections a connection waits in the listen queue, and is
# served as soon as an idle one times out: not refused, not lost.
start_central "$dir/limited" --data "$dir/central" --max-connections 4 --idle-timeout $IDLE || exit 1
result=$(
  for _ in $(seq 6); do exec {fd}<>"/dev/tcp/127.0.0.1/$CENTRAL_PORT"; done
  curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "http://127.0.0.1:$CENTRAL_PORT/v1/health"
)
ms=$(awk '{printf "%d", $2 * 1000}' <<<"$result")
if [ "${result%% *}" = 200 ] && [ "$ms" -ge $((IDLE * 1000 - 500)) ] && [ "$ms" -lt $((IDLE * 1000 + 3000)) ]; then
  pass "over --max-connections 4: served once an idle one timed out (${ms} ms)"
else
  fail "over --max-connections 4: served once an idle one timed out" "$result"
fi

# --- malformed ---
good_body=$(response "$(id 10)")
bad() { refused "$1" 400 POST /v1/responses "${auth[@]}" --data-binary "$2"; }
bad "responses is a string" '{"responses":"all of them"}'
bad "id is a number" "$(batch "$(body id=42)")"
bad "answers is a list" "$(batch "$(body answers='["good"]')")"
bad "questionnaire is a string" "$(batch "$(body questionnaire='"service-feedback"')")"
bad "language is a number" "$(batch "$(body language=7)")"
bad "mode is null" "$(batch "$(body mode=null)")"
bad "no id" "$(batch "$(body id=)")"
bad "no submitted_at" "$(batch "$(body submitted_at=)")"
bad "no questionnaire" "$(batch "$(body questionnaire=)")"
bad "invalid UTF-8 in an answer" "$(batch "$(body answers="{\"fft\":\"$(printf 'g\xff\xfeod')\"}")")"
bad "an overlong UTF-8 slash in an answer" "$(batch "$(body answers="{\"fft\":\"$(printf '\xc0\xaf')\"}")")"
printf '{"responses":[%s]}' "$good_body" | sed 's/"fft"/"f\x00t"/' >"$dir/nul.json"
bad "a raw NUL byte" "@$dir/nul.json"
bad "an escaped NUL in an answer" "$(batch "$(body answers='{"fft":"go\u0000od"}')")"
head -c 100000 /dev/zero | tr '\0' '[' >"$dir/deep.json"
bad "100000 nested [" "@$dir/deep.json"
{ printf '{"responses":[%s' "${good_body%\}\}}"; printf ',"deep":'; head -c 100000 /dev/zero | tr '\0' '['; } >"$dir/deep2.json"
bad "100000 nested [ inside answers" "@$dir/deep2.json"
bad "version 1e400" "$(batch "$(body questionnaire='{"id":"service-feedback","version":1e400}')")"
bad "version of 30 digits" "$(batch "$(body questionnaire='{"id":"service-feedback","version":123456789012345678901234567890}')")"
bad "an answer of 1e999" "$(batch "$(body answers='{"fft":1e999}')")"
bad "version 1.5" "$(batch "$(body questionnaire='{"id":"service-feedback","version":1.5}')")"
bad "duplicated key responses" "{\"responses\":[$good_body],\"responses\":[$good_body]}"
bad "duplicated key id" "$(batch "$(body language="\"en\",\"id\":\"$(id 11)\"")")"
refused "no Content-Type" 415 POST /v1/responses -H "Authorization: Bearer $token" \
  -H 'Content-Type:' --data-binary "$(batch "$good_body")"
refused "Content-Type text/plain" 415 POST /v1/responses -H "Authorization: Bearer $token" \
  -H 'Content-Type: text/plain' --data-binary "$(batch "$good_body")"
refused "Content-Type of a form" 415 POST /v1/responses -H "Authorization: Bearer $token" \
  --data-binary "$(batch "$good_body")"
refused "Content-Type application/jsonp" 415 POST /v1/responses -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/jsonp' --data-binary "$(batch "$good_body")"
refused "PUT /v1/responses" 405 PUT /v1/responses "${auth[@]}" --data-binary "$(batch "$good_body")"
refused "DELETE /v1/responses" 405 DELETE /v1/responses "${auth[@]}"
refused "POST /v1/export" 405 POST /v1/export -H "Authorization: Bearer $admin" "${json[@]}" --data-binary '{}'
refused "POST /v1/health" 405 POST /v1/health "${json[@]}" --data-binary '{}'
refused "a trailing slash" 404 POST /v1/responses/ "${auth[@]}" --data-binary "$(batch "$good_body")"
refused "another case" 404 POST /v1/Responses "${auth[@]}" --data-binary "$(batch "$good_body")"
refused "the root" 404 GET /
refused "../ in the path" 404 GET /v1/health/../export --path-as-is -H "Authorization: Bearer $admin"
refused "%2e%2e in the path" 404 GET /v1/%2e%2e/v1/export -H "Authorization: Bearer $admin"
refused "../../ to a file" 404 GET /../../../etc/passwd --path-as-is
exp=(-H "Authorization: Bearer $admin")
refused "export: an unknown parameter (sit=)" 400 GET '/v1/export?format=csv&sit=Ward' "${exp[@]}"
refused "export: format twice" 400 GET '/v1/export?format=csv&format=json' "${exp[@]}"
refused "export: a NUL in site" 400 GET '/v1/export?format=csv&site=Ward%00x' "${exp[@]}"
refused "export: &&==&" 400 GET '/v1/export?&&==&' "${exp[@]}"
refused "export: empty format" 400 GET '/v1/export?format=' "${exp[@]}"
refused "export: format=csv%27;--" 400 GET "/v1/export?format=csv%27;--" "${exp[@]}"
refused "export: a 5000-character parameter" 400 GET "/v1/export?$(head -c 5000 /dev/zero | tr '\0' x)=1" "${exp[@]}"
expect_eq "Content-Type application/json; charset=utf-8 is fine" \
  "$(status POST /v1/responses -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json; charset=utf-8' --data-binary "$(batch "$good_body")")" 200
expect_eq "export: site, from and to together are fine" \
  "$(status GET '/v1/export?format=json&site=Ward&from=2026-01-01&to=2026-12-31' "${exp[@]}")" 200
expect_eq "malformed: only the good upload stored" "$(rows)" "4 0"

# --- replayed ---
# post BATCH: the status and the reply, "STATUS BODY"
post() {
  printf '%s' "$1" >"$dir/batch.json"
  printf '%s %s' "$(status POST /v1/responses "${auth[@]}" --data-binary @"$dir/batch.json")" "$(cat "$dir/body")"
}
a=$(response "$(id 20)") b=$(response "$(id 21)") c=$(response "$(id 22)")
changed() { response "$1" '' '{"fft":"poor"}'; }
expect_eq "a batch of 3: all accepted" "$(post "$(batch "$a" "$b" "$c")")" \
  "200 {\"accepted\":[\"$(id 20)\",\"$(id 21)\",\"$(id 22)\"],\"conflicts\":[]}"
expect_eq "the same batch again: all accepted again" "$(post "$(batch "$a" "$b" "$c")")" \
  "200 {\"accepted\":[\"$(id 20)\",\"$(id 21)\",\"$(id 22)\"],\"conflicts\":[]}"
expect_eq "the same batch again: nothing added" "$(rows)" "7 0"
reply=$(post "$(batch "$(changed "$(id 20)")")")
expect_eq "the same id, other answers: a conflict" "${reply%% *}" 409
if grep -q "\"conflicts\":\[\"$(id 20)\"\]" "$dir/body" && grep -q '"accepted":\[\]' "$dir/body"; then
  pass "the conflict reply names the id"
else
  fail "the conflict reply names the id" "$reply"
fi
expect_eq "the conflict is kept aside, the original unchanged" \
  "$(rows) $(sqlite3 "$db" "SELECT answers FROM responses WHERE id = '$(id 20)'")" '7 1 {"fft":"good"}'
d=$(response "$(id 23)")
reply=$(post "$(batch "$b" "$d" "$(changed "$(id 22)")")")
expect_eq "stored, new and conflicting in one batch" "$reply" \
  "409 {\"accepted\":[\"$(id 21)\",\"$(id 23)\"],\"conflicts\":[\"$(id 22)\"],\"error\":\"some ids were already used for different content; those are kept aside for staff\"}"
expect_eq "... only the new one added, one more conflict" "$(rows)" "8 2"
post "$(batch "$(changed "$(id 20)")")" >/dev/null
expect_eq "the same conflict again is not kept twice" "$(rows)" "8 2"
e=$(response "$(id 24)")
expect_eq "one id twice in a batch: accepted twice" "$(post "$(batch "$e" "$e")")" \
  "200 {\"accepted\":[\"$(id 24)\",\"$(id 24)\"],\"conflicts\":[]}"
expect_eq "... and stored once" "$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE id = '$(id 24)'")" 1

# --- injection-looking ---
tables=$(sqlite3 "$db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master ORDER BY name)")
drop="'; DROP TABLE responses;--"
bad "SQL as the id" "$(batch "$(body id="\"$drop\"")")"
bad "<script> as the venue" "$(batch "$(response "$(id 30)" ',"venue":"<script>"')")"
bad "a path as the questionnaire id" "$(batch "$(body questionnaire='{"id":"../../etc/passwd","version":1}')")"
bad "SQL in the language" "$(batch "$(body language="\"en$drop\"")")"
hyper='=HYPERLINK(\"http://evil.example/\",\"click\")'
event() { response "$1" ",\"venue\":\"event\",\"event\":{\"name\":\"$2\",\"session\":\"$3\"}" "$4"; }
long=$(head -c 200000 /dev/zero | tr '\0' 'L')
answers="{\"good\":\"<script>alert(1)</script>\",\"worse\":\"=1+1\",\"x\":\"%00\",\"y\":\"$drop\",\"z\":\"$long\"}"
reply=$(post "$(batch "$(event "$(id 31)" "$drop" "<script>alert(1)</script>" "$answers")" \
  "$(event "$(id 32)" "$hyper" "+cmd|' /C calc'!A0" '{"fft":"good"}')" \
  "$(event "$(id 33)" "@SUM(1+1)" "-2+3" '{"fft":"good"}')")")
expect_eq "injection-looking event names, sessions and answers: 200" "${reply%% *}" 200
got=$(curl -s --max-time 10 -H "Authorization: Bearer $formula_site" "${json[@]}" -o /dev/null -w '%{http_code}' \
  --data-binary "$(batch "$(response "$(id 34)" '' '{"fft":"=cmd"}')")" "$url/v1/responses")
expect_eq "a device whose site is @SUM(1+1): 200" "$got" 200
expect_eq "tables intact" "$(sqlite3 "$db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master ORDER BY name)")" "$tables"
expect_eq "rows: all stored once" "$(rows)" "13 2"
q() { sqlite3 -batch -noheader "$db" "$1"; }
expect_eq "SQL and <script> stored verbatim" \
  "$(q "SELECT event_name || '|' || event_session FROM responses WHERE id = '$(id 31)'")" \
  "$drop|<script>alert(1)</script>"
expect_eq "answers stored verbatim, 200000 characters too" \
  "$(q "SELECT json_extract(answers, '\$.good') || '|' || json_extract(answers, '\$.worse') || '|' || json_extract(answers, '\$.x') || '|' || json_extract(answers, '\$.y') || '|' || length(json_extract(answers, '\$.z')) FROM responses WHERE id = '$(id 31)'")" \
  "<script>alert(1)</script>|=1+1|%00|$drop|200000"
expect_eq "a formula stored verbatim" \
  "$(q "SELECT event_name || '|' || event_session FROM responses WHERE id = '$(id 32)'")" \
  "=HYPERLINK(\"http://evil.example/\",\"click\")|+cmd|' /C calc'!A0"
status GET '/v1/export?format=csv' "${exp[@]}" >/dev/null
cp "$dir/body" "$dir/export.csv"
csv() { sqlite3 -batch -noheader :memory: ".import --csv $dir/export.csv t" "SELECT $2 FROM t WHERE id = '$1'"; }
expect_eq "CSV export: formulas start with an apostrophe" \
  "$(csv "$(id 32)" "event_name || '|' || event_session")|$(csv "$(id 33)" "event_name || '|' || event_session")|$(csv "$(id 34)" site)" \
  "'=HYPERLINK(\"http://evil.example/\",\"click\")|'+cmd|' /C calc'!A0|'@SUM(1+1)|'-2+3|'@SUM(1+1)"
expect_eq "CSV export: other text as stored" "$(csv "$(id 31)" "event_name")" "$drop"
expect_eq "CSV export: one row per response" "$(sqlite3 -batch -noheader :memory: ".import --csv $dir/export.csv t" 'SELECT count(*) FROM t')" 13
status GET '/v1/export?format=json' "${exp[@]}" >/dev/null
if grep -qF '"event":{"name":"=HYPERLINK(\"http://evil.example/\",\"click\")"' "$dir/body" &&
   grep -qF '"site":"@SUM(1+1)"' "$dir/body"; then
  pass "JSON export: formulas verbatim"
else
  fail "JSON export: formulas verbatim" "$(grep -o '"event":{[^}]*}' "$dir/body" | head -3)"
fi
expect_eq "still healthy after all that" "$(status GET /v1/health)" 200
finish
