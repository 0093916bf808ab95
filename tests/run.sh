#!/usr/bin/env bash
# Runs every test against one build folder (build or build/asan) and prints
# "N passed, N failed". Each test prints "ok NAME" or "not ok NAME"; a test
# binary or script that exits non-zero without saying so counts as failed.
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.."
export SAYSO="$BUILD/sayso" SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
export TEST_TMP=$(mktemp -d)
trap 'rm -rf "$TEST_TMP"' EXIT

passed=0 failed=0
record() { # name status output-file
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok $1"
  else failed=$((failed + 1)); echo "not ok $1"; sed 's/^/    /' "$3" | tail -n 40; fi
}

for bin in "$BUILD"/tests/test_*; do
  [ -x "$bin" ] || continue
  out="$TEST_TMP/out"
  timeout 300 "$bin" >"$out" 2>&1
  record "unit $(basename "$bin")" $? "$out"
done

for script in tests/scripts/*.sh; do
  out="$TEST_TMP/out"
  timeout 600 bash "$script" >"$out" 2>&1
  status=$?
  # scripts report each case as "ok NAME" / "not ok NAME"
  while IFS= read -r line; do
    case "$line" in
      "ok "*) passed=$((passed + 1)); echo "$line" ;;
      "not ok "*) failed=$((failed + 1)); echo "$line" ;;
    esac
  done <"$out"
  if [ $status -ne 0 ]; then
    failed=$((failed + 1)); echo "not ok $(basename "$script") exited $status"
    grep -v -E '^(not )?ok ' "$out" | tail -n 40 | sed 's/^/    /'
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
