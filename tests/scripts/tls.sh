# A test certificate authority, made fresh by each test run with the openssl
# CLI, so no key or certificate is ever committed and none outlives the run
# by more than two days. Sourced, not run:
#
#   . tests/scripts/tls.sh
#   tls_make "$TEST_TMP/tls" || exit 1
#
# tls_make DIR writes, in DIR:
#   ca.pem ca.key                the CA the client trusts ("Sayso Test CA")
#   server.pem server.key        leaf for localhost and 127.0.0.1, from ca
#   other-ca.pem other-ca.key    an unrelated CA the client must NOT trust
#   untrusted.pem untrusted.key  leaf for localhost and 127.0.0.1, from other-ca
#   wronghost.pem wronghost.key  leaf from ca, but only for wrong-host.invalid
#   server.pin other.pin         "sha256//BASE64" of server's / untrusted's
#                                public key, as CURLOPT_PINNEDPUBLICKEY takes it
# Keys are EC P-256: the server side is libmicrohttpd on GnuTLS and the client
# libcurl on OpenSSL, and both take P-256 in PEM (PKCS#8) without fuss; it is
# also quick to generate, unlike RSA. Keys have no passphrase, mode 600.
# Prints nothing on success; on failure says why on stderr and returns 1.
# Safe under `set -euo pipefail`.

tls_make() {
  local dir=${1:-} tmp rc=0
  [ -n "$dir" ] || { echo "tls.sh: usage: tls_make DIR" >&2; return 1; }
  command -v openssl >/dev/null || {
    echo "tls.sh: openssl not found (install openssl)" >&2; return 1; }
  mkdir -p "$dir" || { echo "tls.sh: cannot create $dir" >&2; return 1; }
  tmp=$(mktemp -d) || { echo "tls.sh: cannot make a temporary directory" >&2; return 1; }
  _tls_make_in "$dir" "$tmp" || rc=1
  rm -rf "$tmp"
  return "$rc"
}

_tls_make_in() {
  local dir=$1 tmp=$2
  # Our own config rather than the system openssl.cnf, whose defaults (and
  # default extensions) differ between distributions and OpenSSL versions.
  cat >"$tmp/openssl.cnf" <<'EOF' || return 1
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[wronghost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong-host.invalid
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  _tls_ca "$dir" "$tmp" ca "Sayso Test CA" &&
  _tls_ca "$dir" "$tmp" other-ca "Sayso Other Test CA" &&
  _tls_leaf "$dir" "$tmp" server ca server localhost &&
  _tls_leaf "$dir" "$tmp" untrusted other-ca server localhost &&
  _tls_leaf "$dir" "$tmp" wronghost ca wronghost wrong-host.invalid &&
  _tls_pin "$dir" "$tmp" server server.pin &&
  _tls_pin "$dir" "$tmp" untrusted other.pin
}

# _tls_key DIR TMP NAME: a new P-256 key in DIR/NAME.key.
_tls_key() {
  # Removed first because openssl keeps the mode of a file it overwrites,
  # and the umask only applies to new files.
  rm -f "$1/$3.key" &&
  (umask 077 && _tls_run "$2" "key $3.key" openssl genpkey -algorithm EC \
    -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve \
    -out "$1/$3.key") &&
  chmod 600 "$1/$3.key"
}

# _tls_ca DIR TMP NAME CN: a self-signed CA in DIR/NAME.pem and NAME.key.
_tls_ca() {
  _tls_key "$1" "$2" "$3" &&
  _tls_run "$2" "certificate $3.pem" openssl req -new -x509 -config "$2/openssl.cnf" \
    -extensions ca -key "$1/$3.key" -subj "/CN=$4" -days 2 -sha256 \
    -set_serial "0x$(openssl rand -hex 16)" -out "$1/$3.pem"
}

# _tls_leaf DIR TMP NAME CA SECTION CN: a leaf from CA with the extensions of
# SECTION in the config.
_tls_leaf() {
  _tls_key "$1" "$2" "$3" &&
  _tls_run "$2" "request for $3.pem" openssl req -new -config "$2/openssl.cnf" \
    -key "$1/$3.key" -subj "/CN=$6" -out "$2/$3.csr" &&
  # A random serial, not a .srl file, so DIR holds only what the tests use.
  _tls_run "$2" "certificate $3.pem" openssl x509 -req -in "$2/$3.csr" \
    -CA "$1/$4.pem" -CAkey "$1/$4.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 2 -sha256 -extfile "$2/openssl.cnf" -extensions "$5" -out "$1/$3.pem"
}

# _tls_pin DIR TMP NAME FILE: the pin of DIR/NAME.pem's key in DIR/FILE.
_tls_pin() {
  local b64
  _tls_run "$2" "public key of $3.pem" openssl x509 -in "$1/$3.pem" -noout \
    -pubkey -out "$2/$3.pub" &&
  _tls_run "$2" "DER key of $3.pem" openssl pkey -pubin -in "$2/$3.pub" \
    -outform DER -out "$2/$3.der" &&
  _tls_run "$2" "digest of $3.pem" openssl dgst -sha256 -binary \
    -out "$2/$3.sha256" "$2/$3.der" &&
  b64=$(openssl base64 -A -in "$2/$3.sha256") && [ -n "$b64" ] || {
    echo "tls.sh: cannot make the pin for $3.pem" >&2; return 1; }
  # No newline: a test that reads the file straight into
  # CURLOPT_PINNEDPUBLICKEY would otherwise pass it along and never match.
  printf 'sha256//%s' "$b64" >"$1/$4"
}

# _tls_run TMP WHAT COMMAND...: run quietly, but show openssl's own words
# when it fails, since they are the only clue to what went wrong.
_tls_run() {
  local tmp=$1 what=$2; shift 2
  if timeout 60 "$@" >"$tmp/out" 2>&1; then return 0; fi
  echo "tls.sh: cannot make $what:" >&2
  sed 's/^/    /' "$tmp/out" >&2
  return 1
}
