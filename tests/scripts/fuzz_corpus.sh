#!/usr/bin/env bash
# Replays each fuzz target's seed corpus and its regressions (inputs that
# once crashed it) through the target built without libFuzzer
# (tests/fuzz/replay_main.c), so every build, asan included, checks that
# none of them crashes, leaks or trips a sanitizer again. docs/fuzzing.md.
cd "$(dirname "$0")/../.."
source tests/scripts/lib.sh
BUILD=$(dirname "$SAYSO")

for target in questionnaire replay_script sync_reply central_request; do
  bin="$BUILD/tests/fuzz_$target"
  dirs=(tests/fuzz/corpus/$target)
  [ -d tests/fuzz/regressions/$target ] && dirs+=(tests/fuzz/regressions/$target)
  expected=$(find "${dirs[@]}" -maxdepth 1 -type f | wc -l)
  out="$TEST_TMP/fuzz-$target.out"
  if [ ! -x "$bin" ]; then
    fail "fuzz corpus $target" "$bin is not built (make units)"
  elif ! TMPDIR="$TEST_TMP" timeout 300 "$bin" "${dirs[@]}" >"$out" 2>"$out.err"; then
    fail "fuzz corpus $target" "exit status $?" "$(grep -v '^replay ' "$out.err" | tail -n 20)" \
      "last input: $(grep '^replay ' "$out.err" | tail -n 1)"
  elif [ "$(cat "$out")" != "$expected inputs" ] || [ "$expected" -lt 5 ]; then
    fail "fuzz corpus $target" "ran: $(cat "$out"); files: $expected"
  else
    pass "fuzz corpus $target ($expected inputs)"
  fi
done
finish
