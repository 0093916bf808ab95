#!/usr/bin/env bash
# Starts the kiosk full screen under Xvfb at 1280x800 on the shipped config,
# and prints: start to first frame, CPU used over SECONDS idle on Welcome,
# and peak RSS. Saves a screenshot of the real X screen to OUT (optional).
# Usage: bench/idle.sh [SECONDS] [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=${2:-}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export SECONDS_IDLE=$seconds OUT=$out DATA=$data
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "${BUILD:-build}"/sayso --data "$DATA" 2>"$DATA/log" &
  pid=$!
  sleep 2
  [ -n "$OUT" ] && /usr/bin/import -window root "$OUT"
  t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  sleep "$SECONDS_IDLE"
  t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  hz=$(getconf CLK_TCK)
  rss=$(awk "/VmHWM/ {print \$2}" /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  grep -o "first frame.*" "$DATA/log"
  awk -v t=$((t1 - t0)) -v hz=$hz -v s="$SECONDS_IDLE" -v rss=$rss "BEGIN {
    printf \"idle CPU over %d s: %.2f s of CPU time (%.3f %% of one core)\n\", s, t / hz, 100 * t / hz / s
    printf \"peak RSS: %.1f MB\n\", rss / 1024 }"
'
