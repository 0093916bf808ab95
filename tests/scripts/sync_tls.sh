# TLS between kiosk and central with a CA made at test time: a certificate
# from the trusted CA works; one from an unknown CA, or for another host
# name, is refused and nothing is marked sent; a public-key pin must match.
# Plain http to anything but loopback is refused before any connection.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
. tests/scripts/tls.sh
trap 'stop_all' EXIT

tls="$TEST_TMP/tls"
tls_make "$tls" || { fail "test CA is made"; finish; exit; }

# tls_case NAME CERT EXPECT(ok|refused) [extra sync.json members]
tls_case() {
  local name=$1 cert=$2 expect=$3 extra=${4:-}
  local dir="$TEST_TMP/tls-$name" data token rc
  mkdir -p "$dir"
  token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
  start_central "$dir" --data "$dir/central" --tls-cert "$tls/$cert.pem" --tls-key "$tls/$cert.key" \
    || { fail "$name: central starts with TLS"; return; }
  kiosk_config "$dir/config" "https://127.0.0.1:$CENTRAL_PORT" "$token" 5 \
    ", \"ca_bundle\": \"$tls/ca.pem\"$extra"
  data=$(fresh_data "tls-$name")
  answer_fft "$data" 2 --config "$dir/config"
  "$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync.log" 2>&1
  rc=$?
  "$CENTRAL" --data "$dir/central" export --format csv >"$dir/export.csv"
  if [ "$expect" = ok ]; then
    expect_eq "$name: sync works" "$rc" 0
    expect_eq "$name: central has both" "$(central_count "$dir/export.csv")" 2
  else
    expect_eq "$name: sync is refused" "$rc" 1
    expect_eq "$name: nothing marked sent" \
      "$(sql "$data" 'SELECT count(*) FROM responses WHERE sent_at IS NOT NULL')" 0
    expect_eq "$name: central received nothing" "$(central_count "$dir/export.csv")" 0
    if grep -qi "certificate\|SSL\|pinned\|public key" "$dir/sync.log"; then
      pass "$name: the reason names the certificate"
    else
      fail "$name: the reason names the certificate" "$(cat "$dir/sync.log")"
    fi
  fi
  stop_all
}

tls_case trusted server ok
tls_case unknown-ca untrusted refused
tls_case wrong-host wronghost refused
tls_case pin-matches server ok ", \"pinned_public_key\": \"$(cat "$tls/server.pin")\""
tls_case pin-differs server refused ", \"pinned_public_key\": \"$(cat "$tls/other.pin")\""

# No CA bundle: the system store does not know the test CA either.
dir="$TEST_TMP/tls-system"; mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add k1 --site Ward 2>/dev/null)
start_central "$dir" --data "$dir/central" --tls-cert "$tls/server.pem" --tls-key "$tls/server.key"
kiosk_config "$dir/config" "https://127.0.0.1:$CENTRAL_PORT" "$token"
data=$(fresh_data tls-system)
answer_fft "$data" 1 --config "$dir/config"
"$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync.log" 2>&1
expect_eq "system CAs only: the test CA is not trusted" "$?" 1
stop_all

# Plain http beyond loopback: refused by `sayso check` and by `sayso sync`.
mkdir -p "$TEST_TMP/plain"
printf '{"format": 1, "server": "http://192.0.2.10:8470", "token_file": "t"}\n' \
  >"$TEST_TMP/plain/sync.json"
out=$("$SAYSO" check "$TEST_TMP/plain/sync.json" 2>&1)
if [ $? -eq 1 ] && echo "$out" | grep -q "sync.json:1:25: plain http is allowed only to this machine"; then
  pass "plain http to another host: sayso check says where and why"
else
  fail "plain http to another host: sayso check says where and why" "$out"
fi
out=$("$SAYSO" sync --config "$TEST_TMP/plain" --data "$(fresh_data plain)" 2>&1)
expect_eq "plain http to another host: sayso sync refuses" "$?" 1
finish
