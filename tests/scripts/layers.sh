# The layering in docs/architecture.md, checked on the source: each layer's
# files may include only the headers of the layers and libraries below it.
# The Makefile's per-layer flags catch SDL (its headers are not on the
# default path); this catches the libraries whose headers always are
# (sqlite3.h, curl/curl.h, microhttpd.h, libpq-fe.h, sodium.h).
. tests/scripts/lib.sh

# check LAYER FORBIDDEN-REGEX
check() {
  local layer=$1 forbidden=$2 hits
  hits=$(grep -nE "^#include [<\"]($forbidden)" src/"$layer"/*.[ch] 2>/dev/null)
  if [ -z "$hits" ]; then pass "layers: src/$layer includes nothing above it"
  else fail "layers: src/$layer includes nothing above it" "$hits"; fi
}

ALL_LIBS='SDL|sqlite3|curl/|microhttpd|libpq|sodium'
check core "$ALL_LIBS|store/|sync/|ui/|app/|central/"
check store 'SDL|curl/|microhttpd|libpq|sodium|sync/|ui/|app/|central/'
check sync 'SDL|microhttpd|libpq|sodium|ui/|app/|central/'
check ui 'microhttpd|libpq|sodium|curl/|app/|central/'
check central 'SDL|curl/|store/|sync/|ui/|app/'
finish
