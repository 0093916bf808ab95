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

# run_replay SCRIPT DATA [extra args...]: runs the kiosk on the script; the
# log goes to $DATA/log
run_replay() {
  local script=$1 data=$2; shift 2
  timeout 120 "$SAYSO" --replay "$script" --data "$data" --shots "$data" "$@" >"$data/log" 2>&1
}

# sql DATA QUERY: one query against the kiosk database
sql() { sqlite3 -batch -noheader "$1/sayso.db" "$2"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected: $3" "actual:   $2"; fi
}

finish() { [ "$failures" -eq 0 ]; }
