# The layering in docs/architecture.md, checked on the source: each layer's
# files may include only the headers of the layers and libraries below it.
# The Makefile's per-layer flags catch SDL (its headers are not on the
# default path); this catches the libraries whose headers always are
# (sqlite3.h, curl/curl.h, microhttpd.h, libpq-fe.h).
. tests/scripts/lib.sh

# check LAYER FORBIDDEN-REGEX
check() {
  local layer=$1 forbidden=$2 hits
  hits=$(grep -nE "^#include [<\"]($forbidden)" src/"$layer"/*.[ch] 2>/dev/null)
  if [ -z "$hits" ]; then pass "layers: src/$layer includes nothing above it"
  else fail "layers: src/$layer includes nothing above it" "$hits"; fi
}

# libsodium is pure computation (hashes, no I/O), so every layer may use it:
# the core hashes the staff PIN, the store checksums exports.
ALL_LIBS='SDL|sqlite3|curl/|microhttpd|libpq'
check core "$ALL_LIBS|store/|sync/|ui/|app/|central/"
check store 'SDL|curl/|microhttpd|libpq|sync/|ui/|app/|central/'
check sync 'SDL|microhttpd|libpq|ui/|app/|central/'
check ui 'microhttpd|libpq|curl/|app/|central/'
check central 'SDL|curl/|store/|sync/|ui/|app/'
finish
