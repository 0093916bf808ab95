# Helpers for the sync tests: start sayso-central on a free port, give a
# kiosk config a sync.json and a token, answer questionnaires by replay, and
# compare what the kiosk stored with what central exports. Sourced, not run
# (it prints nothing on its own). Needs lib.sh first.
: "${CENTRAL:=$(dirname "$SAYSO")/sayso-central}"
: "${FAULTPROXY:=$(dirname "$SAYSO")/tests/faultproxy}"
CENTRAL_PIDS=()
PROXY_PIDS=()

# stop_all: every central and proxy this test started (an EXIT trap).
stop_all() {
  local pid
  for pid in "${CENTRAL_PIDS[@]}" "${PROXY_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${CENTRAL_PIDS[@]}" "${PROXY_PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  CENTRAL_PIDS=()
  PROXY_PIDS=()
}

# wait_file FILE: up to 10 s for a port file to appear
wait_file() {
  local i
  for i in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "timed out waiting for $1" >&2
  return 1
}

# start_central DIR STORAGE-ARGS... : serves in the background; sets
# CENTRAL_PORT. STORAGE-ARGS is "--data DIR" or "--db URL" plus any options.
start_central() {
  local dir=$1; shift
  mkdir -p "$dir"
  rm -f "$dir/port"
  timeout 300 "$CENTRAL" "$@" --port 0 --port-file "$dir/port" 2>>"$dir/central.log" &
  CENTRAL_PIDS+=($!)
  wait_file "$dir/port" || return 1
  CENTRAL_PORT=$(cat "$dir/port")
}

# start_proxy DIR MODE [options...]: a fault proxy in front of central;
# sets PROXY_PORT. Its request log is DIR/proxy.log.
start_proxy() {
  local dir=$1 mode=$2; shift 2
  mkdir -p "$dir"
  rm -f "$dir/proxy-port"
  "$FAULTPROXY" --listen-port 0 --port-file "$dir/proxy-port" --upstream-port "$CENTRAL_PORT" \
    --mode "$mode" --log "$dir/proxy.log" --lifetime 120 "$@" 2>>"$dir/proxy.err" &
  PROXY_PIDS+=($!)
  wait_file "$dir/proxy-port" || return 1
  PROXY_PORT=$(cat "$dir/proxy-port")
}

# kiosk_config DIR URL TOKEN [TIMEOUT-SECONDS [extra JSON members]]: a copy
# of the shipped config with a sync.json pointing at URL and a 0600 token.
kiosk_config() {
  local dir=$1 url=$2 token=$3 timeout=${4:-5} extra=${5:-}
  staff_config "$dir"
  (umask 077; printf '%s\n' "$token" >"$dir/sync-token")
  printf '{"format": 1, "server": "%s", "token_file": "sync-token", "batch_size": 2,\n "timeout_seconds": %s, "backoff": {"base_seconds": 1, "cap_seconds": 2}%s}\n' \
    "$url" "$timeout" "$extra" >"$dir/sync.json"
}

# answer_fft DATA COUNT [kiosk args...]: COUNT Friends and Family Test
# responses, each from its own kiosk run, on the shipped replay.
answer_fft() {
  local data=$1 count=$2 i; shift 2
  for i in $(seq "$count"); do
    run_replay tests/replay/fft.replay "$data" "$@" || return 1
  done
}

# kiosk_answers DATA: "id key value" lines of every stored answer, sorted
kiosk_answers() {
  sqlite3 -batch -noheader "$1/sayso.db" \
    "SELECT r.id || ' ' || j.key || ' ' || j.value FROM responses r, json_each(r.answers) j ORDER BY 1"
}

# central_answers CSV-FILE: the same from a `sayso-central export` CSV
central_answers() {
  sqlite3 -batch -noheader :memory: ".import --csv $1 t" \
    "SELECT t.id || ' ' || j.key || ' ' || j.value FROM t, json_each(t.answers) j ORDER BY 1"
}

# central_count CSV-FILE: data rows in an export
central_count() { sqlite3 -batch -noheader :memory: ".import --csv $1 t" "SELECT count(*) FROM t"; }
