#!/usr/bin/env bash
# Runs each libFuzzer target for a while: `tests/fuzz/run.sh BUILD SECONDS
# TARGET...` (make fuzz). Each target starts from a scratch copy of its
# seeds in BUILD/work/<target>, so what the fuzzer finds never lands in the
# repository by itself; crashes go to BUILD/crashes/<target>/. Targets run
# side by side, FUZZ_JOBS at a time (default: the number of cores). Prints
# per target the executions and whether it crashed; exits 1 if any did.
set -u
cd "$(dirname "$0")/../.."
build=$1 seconds=$2
shift 2
jobs=${FUZZ_JOBS:-$(nproc)}
# central's repo is a SQLite file synced on every upload: on tmpfs when
# there is one, so the disk does not set the pace.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=${FUZZ_TMPDIR:-/dev/shm}

run_one() {
  local target=$1 work=$build/work/$1 crashes=$build/crashes/$1/
  rm -rf "$work"; mkdir -p "$work" "$crashes"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  "$build/fuzz_$target" "$work" -max_total_time="$seconds" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes" \
    >"$build/$target.log" 2>&1
  echo $? >"$build/$target.status"
}

mkdir -p "$build"
touch "$build/run.stamp" # crashes from earlier runs are not this run's
for target in "$@"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  run_one "$target" &
done
wait

failed=0
for target in "$@"; do
  log=$build/$target.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  status=$(cat "$build/$target.status")
  found=$(find "$build/crashes/$target" -type f -newer "$build/run.stamp" | wc -l)
  if [ "$status" -eq 0 ] && [ "$found" -eq 0 ]; then
    echo "fuzz $target: ${execs:-?} executions in ${seconds}s, no crash"
  else
    failed=1
    echo "fuzz $target: CRASH after ${execs:-?} executions (exit $status); see $log"
    grep -m 3 -E 'ERROR: |runtime error|SUMMARY|Test unit written' "$log" | sed 's/^/    /'
  fi
done
exit $failed
