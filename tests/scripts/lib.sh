# Shared helpers for the shell tests: run a replay on a fresh data folder,
# query its database, and report a case as "ok NAME" / "not ok NAME".
# Sourced, not run. Needs SAYSO and TEST_TMP from tests/run.sh.
: "${SAYSO:=build/sayso}"
: "${TEST_TMP:=$(mktemp -d)}"
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
failures=0

pass() { echo "ok $1"; }
fail() { echo "not ok $1"; shift; printf '    %s\n' "$@"; failures=$((failures + 1)); }

# fresh_data NAME: prints a new empty data folder
fresh_data() { local d="$TEST_TMP/data-$1-$RANDOM$RANDOM"; mkdir -p "$d"; echo "$d"; }

# The staff PIN of every test kiosk. A kiosk with no PIN asks staff to choose
# one at first start, so the replays run on a copy of the shipped config with
# this PIN's hash added, as IT would provision a real device.
TEST_PIN=2468

# staff_config DIR: the shipped config in DIR, with the test PIN's hash
staff_config() {
  local dir=$1 hash
  rm -rf "$dir"; cp -r config "$dir"
  hash=$(echo "$TEST_PIN" | "$SAYSO" hash-pin) || return 1
  sed -i "s|\"format\": 1,|\"format\": 1,\n  \"staff\": {\"pin_hash\": \"$hash\"},|" "$dir/device.json"
}

: "${STAFF_CONFIG:=$TEST_TMP/config-with-pin}"
[ -f "$STAFF_CONFIG/device.json" ] || staff_config "$STAFF_CONFIG"

# run_replay SCRIPT DATA [extra args...]: runs the kiosk on the script (on
# $STAFF_CONFIG unless the args give another --config); the log goes to
# $DATA/log
run_replay() {
  local script=$1 data=$2; shift 2
  timeout 120 "$SAYSO" --replay "$script" --data "$data" --shots "$data" \
    --config "$STAFF_CONFIG" "$@" >"$data/log" 2>&1
}

# sql DATA QUERY: one query against the kiosk database
sql() { sqlite3 -batch -noheader "$1/sayso.db" "$2"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $3" "actual:   $2"; fi
}

finish() { [ "$failures" -eq 0 ]; }
