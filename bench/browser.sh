#!/usr/bin/env bash
# The browser comparison: the Friends and Family Test question as a static
# page (bench/browser/fft.html, from file://) in Debian's Chromium, full
# screen in kiosk mode under Xvfb at 1280x800, measured the way bench/kiosk.sh
# measures Sayso. It prints BROWSER lines (bench/run.sh pairs them with
# Sayso's BENCH lines of the same key):
#   first_frame_xvfb_ms  median over RUNS starts of the time from just before
#                        exec to the page's first-contentful-paint entry
#   rss_peak_mb          the largest total RSS of all Chromium's processes,
#                        sampled while the page stays on screen
#   idle_cpu_percent     CPU time (user + system) of all of them over IDLE
#                        seconds with the page shown, in % of one core
# PSS (shared pages counted once), Chromium's version and the share of its
# launcher script in the start come as INFO lines.
# The profile lives in a temporary folder and persists across the starts,
# as on a kiosk that has booted before; a first start that creates it is not
# counted. Without chromium or xvfb-run it says so and prints no BROWSER line.
# BENCH_QUICK=1: 3 starts and 10 s idle instead of 5 and 60.
# Usage: bench/browser.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

RUNS=5 IDLE=60 SETTLE=5
if [ "${BENCH_QUICK:-0}" = 1 ]; then RUNS=3 IDLE=10 SETTLE=3; fi

# Flags: full screen with no browser UI, no sandbox (we run as root in a
# container), and none of the first-run, update, sync, translate or metrics
# work that would make the browser busy or talk to the network.
# shellcheck disable=SC2054 # the commas are inside flag values
FLAGS=(--kiosk --no-sandbox --window-size=1280,800 --window-position=0,0
  --no-first-run --no-default-browser-check --disable-background-networking
  --disable-component-update --disable-sync --disable-default-apps --disable-extensions
  --disable-component-extensions-with-background-pages --disable-client-side-phishing-detection
  --disable-domain-reliability --no-pings --metrics-recording-only --password-store=basic
  --disable-features=Translate,MediaRouter,OptimizationHints --enable-logging=stderr --v=0)

# ---- inside Xvfb -------------------------------------------------------------

# chrome_pids TMP SID: every process of the browser: its session (zygotes,
# renderers, GPU and utility processes) and any process naming our temporary
# folder (the crash handlers, which leave the session). The pattern is a
# regular expression so that grep does not match its own command line.
chrome_pids() {
  {
    awk -v s="$2" '$6 == s && $3 != "Z" { print $1 }' /proc/[0-9]*/stat 2>/dev/null
    grep -laE "$1/(home|profile)" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
  } | sort -un
}

# sum_kb FIELD FILE-NAME PIDS...: sum of FIELD (kB) in /proc/PID/FILE-NAME
sum_kb() {
  local field=$1 file=$2 p files=()
  shift 2
  for p in "$@"; do [ -r "/proc/$p/$file" ] && files+=("/proc/$p/$file"); done
  [ ${#files[@]} -gt 0 ] || { echo 0; return; }
  awk -v f="$field:" '$1 == f { s += $2 } END { print s + 0 }' "${files[@]}" 2>/dev/null
}

# ticks PIDS...: "pid utime+stime" per live process (fields after the comm)
ticks() {
  local p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && sed 's/^\([0-9]*\) .*) . \(.*\)$/\1 \2/' "/proc/$p/stat"
  done 2>/dev/null | awk '{ print $1, $12 + $13 }'
}

# start_chrome TMP: starts Chromium on the page in its own session; sets
# CHROME_PID (also its session id); TMP/t0 holds the wall clock just before
# exec, in seconds since the epoch
start_chrome() {
  local tmp=$1
  : >"$tmp/chrome.log"
  (
    printf '%s\n' "$EPOCHREALTIME" >"$tmp/t0"
    HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_CACHE_HOME=$tmp/home/.cache \
      exec setsid chromium "${FLAGS[@]}" --user-data-dir="$tmp/profile" \
      "file://$PWD/bench/browser/fft.html" 2>>"$tmp/chrome.log" >/dev/null </dev/null
  ) &
  CHROME_PID=$!
}

# wait_paint TMP: prints the first paint's time in ms after T0, or fails
# after 60 s
wait_paint() {
  local tmp=$1 i fp t0
  for ((i = 0; i < 1200; i++)); do
    fp=$(sed -n 's/.*"sayso-bench first-paint \([0-9.]*\)".*/\1/p' "$tmp/chrome.log" | head -1)
    if [ -n "$fp" ]; then
      t0=$(cat "$tmp/t0")
      awk -v fp="$fp" -v t0="$t0" 'BEGIN { printf "%.1f\n", fp - t0 * 1000 }'
      return 0
    fi
    kill -0 "$CHROME_PID" 2>/dev/null || break
    sleep 0.05
  done
  return 1
}

# stop_chrome TMP: TERM to the whole session, then KILL what is left
stop_chrome() {
  local tmp=$1 i pids
  [ "${CHROME_PID:-0}" -gt 1 ] || return 0
  kill -TERM -- -"$CHROME_PID" 2>/dev/null
  for ((i = 0; i < 100; i++)); do
    pids=$(chrome_pids "$tmp" "$CHROME_PID")
    [ -z "$pids" ] && break
    sleep 0.1
  done
  pids=$(chrome_pids "$tmp" "$CHROME_PID")
  # shellcheck disable=SC2086 # one PID per word
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  wait "$CHROME_PID" 2>/dev/null
  return 0
}

inside() {
  local tmp=$1 run ms times=() pids rss pss peak_rss=0 peak_pss=0 hz before after i
  trap 'stop_chrome "$tmp"' EXIT
  # A first start creates the profile; it is not counted.
  for ((run = 0; run <= RUNS; run++)); do
    start_chrome "$tmp"
    if ! ms=$(wait_paint "$tmp"); then
      echo "browser.sh: no first paint from Chromium within 60 s; its log ends:" >&2
      tail -5 "$tmp/chrome.log" >&2
      return 1
    fi
    if [ "$run" -gt 0 ]; then
      times+=("$ms")
      echo "browser: start $run of $RUNS: first paint after $ms ms"
    else
      echo "browser: first start (new profile, not counted): first paint after $ms ms"
    fi
    [ "$run" -lt "$RUNS" ] && stop_chrome "$tmp"
  done
  printf 'BROWSER\tfirst_frame_xvfb_ms\t%s\tms\n' \
    "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 }
      END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"

  # The last start stays on screen: settle, then idle CPU and RSS samples.
  sleep "$SETTLE"
  echo "browser: page laid out at $(sed -n 's/.*"sayso-bench viewport \([0-9x]*\)".*/\1/p' \
    "$tmp/chrome.log" | head -1) (the screen is 1280x800)"
  hz=$(getconf CLK_TCK)
  # shellcheck disable=SC2046 # one PID per word
  before=$(ticks $(chrome_pids "$tmp" "$CHROME_PID"))
  for ((i = 0; i < IDLE; i += 5)); do
    pids=$(chrome_pids "$tmp" "$CHROME_PID")
    # shellcheck disable=SC2086
    rss=$(sum_kb VmRSS status $pids)
    # shellcheck disable=SC2086
    pss=$(sum_kb Pss smaps_rollup $pids)
    [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
    [ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
    sleep $((IDLE - i < 5 ? IDLE - i : 5))
  done
  pids=$(chrome_pids "$tmp" "$CHROME_PID")
  # shellcheck disable=SC2086
  after=$(ticks $pids)
  echo "browser: $(wc -w <<<"$pids") processes; total RSS peak $((peak_rss / 1024)) MB, PSS peak $((peak_pss / 1024)) MB"
  # Processes that started during the window count from zero.
  awk -v hz="$hz" -v s="$IDLE" 'NR == FNR { b[$1] = $2; next } { t += $2 - ($1 in b ? b[$1] : 0) }
    END { printf "BROWSER\tidle_cpu_percent\t%.3f\t%%\n", 100 * t / hz / s }' \
    <(printf '%s\n' "$before") <(printf '%s\n' "$after")
  awk -v k="$peak_rss" 'BEGIN { printf "BROWSER\trss_peak_mb\t%.1f\tMB\n", k / 1024 }'
  awk -v k="$peak_pss" 'BEGIN { printf "INFO\tbrowser_pss_peak_mb\t%.1f\n", k / 1024 }'
  stop_chrome "$tmp"
  trap - EXIT
}

if [ "${1:-}" = --inside ]; then
  inside "$2"
  exit
fi

# ---- outside: check, start Xvfb, clean up ------------------------------------

for tool in chromium xvfb-run xauth; do
  if ! command -v "$tool" >/dev/null; then
    echo "browser.sh: $tool is not installed (scripts/install-deps.sh bench installs it); no browser comparison"
    exit 0
  fi
done
version=$(chromium --version 2>/dev/null | head -1)
echo "browser: $version, $RUNS starts, ${IDLE} s idle"
printf 'INFO\tbrowser_version\t%s\n' "$version"
# Debian's chromium is a shell script that sets flags and then execs the
# binary; its share of the start is the difference of `--version` through
# the script and straight from the binary (medians of 3).
binary=/usr/lib/chromium/chromium
if [ -x "$binary" ]; then
  launcher=$(for i in 1 2 3; do
    a=$EPOCHREALTIME; chromium --version >/dev/null 2>&1
    b=$EPOCHREALTIME; "$binary" --version >/dev/null 2>&1
    c=$EPOCHREALTIME; echo "$a $b $c"
  done | awk '{ w[NR] = $2 - $1; d[NR] = $3 - $2 }
    function med(v,  x, y, z) { x = v[1]; y = v[2]; z = v[3]
      return x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y)) }
    END { printf "%.0f", 1000 * (med(w) - med(d)) }')
  echo "browser: the launcher script takes about $launcher ms of each start"
  printf 'INFO\tbrowser_launcher_ms\t%s\n' "$launcher"
fi
tmp=$(mktemp -d)
# cleanup: anything of Chromium's still running (its own sessions escape
# timeout's process group), then the temporary folder
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local pids
  pids=$(grep -laE "$tmp/(home|profile)" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3)
  # shellcheck disable=SC2086 # one PID per word
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/home"
# Bounded: the starts take seconds each; Xvfb goes when its command ends.
timeout -k 10 $((IDLE + SETTLE + 60 * (RUNS + 1) + 30)) \
  xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" --inside "$tmp" </dev/null
rc=$?
[ "$rc" -eq 0 ] || echo "browser.sh: the measurement stopped (exit $rc)"
exit 0
