#!/usr/bin/env bash
# The benchmark harness behind `make bench`: runs the part scripts, collects
# the result lines they print, shows a table with PASS or FAIL against each
# budget and writes bench/results.json with the machine it ran on.
#
# Part scripts are bench/*.sh other than this one and those starting with _
# (helpers, old standalone scripts), in name order; naming parts runs only
# those (a name starting with _ is then allowed, e.g. _example). Each runs
# from the repository root with BUILD (the build folder) and BENCH_QUICK
# (1 for a short smoke run, else 0) in its environment, its input from
# /dev/null, bounded by BENCH_TIMEOUT seconds. Lines it prints, tab-separated:
#   BENCH   key label value unit budget   budget: <N, <=N, >N, >=N or -
#   BROWSER key value unit                the browser's figure for BENCH key
#   INFO    key text                      a fact kept in results.json
# Everything it prints is shown as it comes. Benchmarks are not tests: the
# exit status is 0 whatever the results; the last line counts them.
# Usage: bench/run.sh [PART...]     e.g. bench/run.sh browser
#        bench/run.sh --list       the parts it would run
# Environment: BUILD (default build), BENCH_QUICK, BENCH_TIMEOUT (default
# 1800, 600 quick), BENCH_RESULTS (default bench/results.json)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C
export BUILD=${BUILD:-build}
export BENCH_QUICK=${BENCH_QUICK:-0}
[ "$BENCH_QUICK" = 1 ] || BENCH_QUICK=0
limit=${BENCH_TIMEOUT:-$([ "$BENCH_QUICK" = 1 ] && echo 600 || echo 1800)}
results=${BENCH_RESULTS:-bench/results.json}

list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
parts=()
if [ $# -gt 0 ]; then
  for name in "$@"; do
    name=${name#bench/}
    name=${name%.sh}
    [ -f "bench/$name.sh" ] || { echo "run.sh: no bench/$name.sh" >&2; exit 2; }
    parts+=("bench/$name.sh")
  done
else
  for f in bench/*.sh; do
    case ${f#bench/} in run.sh | _*) continue ;; esac
    parts+=("$f")
  done
fi
if [ $list = 1 ]; then printf '%s\n' "${parts[@]}"; exit 0; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- run the parts -----------------------------------------------------------
script_names=() script_rcs=() script_secs=()
for f in "${parts[@]}"; do
  echo "== $f (BENCH_QUICK=$BENCH_QUICK) =="
  t0=$SECONDS
  timeout -k 10 "$limit" bash "$f" </dev/null 2>&1 | tee "$tmp/out"
  rc=${PIPESTATUS[0]}
  grep -E $'^(BENCH|BROWSER|INFO)\t' "$tmp/out" >>"$tmp/lines"
  script_names+=("${f#bench/}") script_rcs+=("$rc") script_secs+=($((SECONDS - t0)))
  echo "== $f: exit $rc after $((SECONDS - t0)) s =="
done
touch "$tmp/lines"

# ---- parse -------------------------------------------------------------------
is_num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }

# status VALUE BUDGET: PASS, FAIL or reported. A value that is not a number,
# or a budget that cannot be read, is a FAIL: the measurement is broken.
status() {
  local v=$1 b=$2 op n
  [ "$b" = - ] && { echo reported; return; }
  case $b in
    '<='*) op='<=' n=${b#<=} ;;
    '>='*) op='>=' n=${b#>=} ;;
    '<'*) op='<' n=${b#<} ;;
    '>'*) op='>' n=${b#>} ;;
    *) echo FAIL; return ;;
  esac
  if ! is_num "$v" || ! is_num "$n"; then echo FAIL; return; fi
  awk -v v="$v" -v n="$n" -v op="$op" 'BEGIN {
    ok = op == "<" ? v + 0 < n + 0 : op == "<=" ? v + 0 <= n + 0 : op == ">=" ? v + 0 >= n + 0 : v + 0 > n + 0
    print ok ? "PASS" : "FAIL" }'
}

keys=() labels=() values=() units=() budgets=() statuses=()
bkeys=() bvalues=() bunits=()
ikeys=() itexts=()
while IFS= read -r line; do
  IFS=$'\t' read -r -a f <<<"$line"
  case ${f[0]} in
    BENCH)
      if [ ${#f[@]} -ne 6 ]; then
        echo "run.sh: a BENCH line needs 6 tab-separated fields: $line"
        f=(BENCH "${f[1]:-unknown}" "${f[2]:-${f[1]:-unknown}} (malformed line)" "?" "" "?")
      fi
      keys+=("${f[1]}") labels+=("${f[2]}") values+=("${f[3]}") units+=("${f[4]}")
      budgets+=("${f[5]}") statuses+=("$(status "${f[3]}" "${f[5]}")")
      ;;
    BROWSER)
      if [ ${#f[@]} -ne 4 ] || ! is_num "${f[2]}"; then
        echo "run.sh: ignoring a BROWSER line that is not 'BROWSER key number unit': $line"
        continue
      fi
      bkeys+=("${f[1]}") bvalues+=("${f[2]}") bunits+=("${f[3]}")
      ;;
    INFO) ikeys+=("${f[1]}") itexts+=("${f[*]:2}") ;;
  esac
done <"$tmp/lines"

# A browser figure with no Sayso measure of its key still gets a row.
for i in "${!bkeys[@]}"; do
  found=0
  for k in "${keys[@]}"; do [ "$k" = "${bkeys[$i]}" ] && found=1; done
  if [ $found = 0 ]; then
    keys+=("${bkeys[$i]}") labels+=("${bkeys[$i]}") values+=("-") units+=("")
    budgets+=("-") statuses+=("-")
  fi
done

# browser_of KEY: sets BV, BU and RATIO (browser / Sayso) for KEY, or empties
browser_of() {
  local i
  BV='' BU='' RATIO=''
  for i in "${!bkeys[@]}"; do
    if [ "${bkeys[$i]}" = "$1" ]; then BV=${bvalues[$i]} BU=${bunits[$i]}; break; fi
  done
  [ -n "$BV" ] && is_num "$2" &&
    RATIO=$(awk -v b="$BV" -v s="$2" 'BEGIN { if (s + 0 != 0) { r = b / s; printf (r >= 10 ? "%.0f" : "%.2g"), r } }')
}

# ---- the table ---------------------------------------------------------------
h=("measure" "Sayso" "budget" "status" "browser" "browser / Sayso")
rows=()
w=(0 0 0 0 0 0)
npass=0 nfail=0 nrep=0
for i in "${!keys[@]}"; do
  browser_of "${keys[$i]}" "${values[$i]}"
  sayso=${values[$i]}
  [ "$sayso" = - ] || sayso="$sayso ${units[$i]}"
  row=("${labels[$i]}" "$sayso" "${budgets[$i]}" "${statuses[$i]}"
    "${BV:+$BV $BU}" "${RATIO:+${RATIO}x}")
  [ -n "${row[4]}" ] || row[4]=-
  [ -n "${row[5]}" ] || row[5]=-
  case ${statuses[$i]} in PASS) npass=$((npass + 1)) ;; FAIL) nfail=$((nfail + 1)) ;;
    reported) nrep=$((nrep + 1)) ;; esac
  rows+=("$(printf '%s\t' "${row[@]}")")
  for c in 0 1 2 3 4 5; do [ ${#row[$c]} -gt "${w[$c]}" ] && w[c]=${#row[$c]}; done
done
for c in 0 1 2 3 4 5; do [ ${#h[$c]} -gt "${w[$c]}" ] && w[c]=${#h[$c]}; done

line() { printf '%-*s | %*s | %-*s | %-*s | %*s | %*s\n' "${w[0]}" "$1" "${w[1]}" "$2" \
  "${w[2]}" "$3" "${w[3]}" "$4" "${w[4]}" "$5" "${w[5]}" "$6"; }
echo
line "${h[@]}"
line "$(printf '%*s' "${w[0]}" '' | tr ' ' -)" "$(printf '%*s' "${w[1]}" '' | tr ' ' -)" \
  "$(printf '%*s' "${w[2]}" '' | tr ' ' -)" "$(printf '%*s' "${w[3]}" '' | tr ' ' -)" \
  "$(printf '%*s' "${w[4]}" '' | tr ' ' -)" "$(printf '%*s' "${w[5]}" '' | tr ' ' -)"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r -a cells <<<"$r"
  line "${cells[@]}"
done
[ ${#rows[@]} -gt 0 ] || echo "(no measures)"
for i in "${!ikeys[@]}"; do echo "${ikeys[$i]}: ${itexts[$i]}"; done
failed=0
for i in "${!script_names[@]}"; do
  rc=${script_rcs[$i]}
  [ "$rc" = 0 ] && continue
  failed=$((failed + 1))
  note=
  { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && note=", stopped after $limit s"
  echo "bench/${script_names[$i]} failed (exit $rc$note)"
done

# ---- results.json --------------------------------------------------------------
# json_str TEXT: TEXT as a JSON string (backslashes, quotes, control bytes)
json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}
json_num_or_str() { if is_num "$1"; then printf '%s' "$1"; else json_str "$1"; fi; }

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ram_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)
# shellcheck disable=SC1091 # the running system's file
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
debian=$(cat /etc/debian_version 2>/dev/null)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" != unknown ] && ! git diff --quiet HEAD 2>/dev/null && commit="$commit (with uncommitted changes)"

{
  printf '{\n  "machine": {\n'
  printf '    "cpu": %s,\n' "$(json_str "${cpu:-unknown}")"
  printf '    "cores": %s,\n' "$(nproc)"
  printf '    "ram_mb": %s,\n' "${ram_mb:-0}"
  printf '    "kernel": %s,\n' "$(json_str "$(uname -r)")"
  printf '    "os": %s,\n' "$(json_str "$os")"
  printf '    "debian_version": %s,\n' "$(json_str "$debian")"
  printf '    "load_average_at_start": %s\n  },\n' "$(json_str "$load")"
  printf '  "date": %s,\n' "$(json_str "$started")"
  printf '  "commit": %s,\n' "$(json_str "$commit")"
  printf '  "quick": %s,\n' "$([ "$BENCH_QUICK" = 1 ] && echo true || echo false)"
  printf '  "scripts": ['
  sep=
  for i in "${!script_names[@]}"; do
    printf '%s\n    {"name": %s, "exit": %s, "seconds": %s}' "$sep" "$(json_str "${script_names[$i]}")" \
      "${script_rcs[$i]}" "${script_secs[$i]}"
    sep=,
  done
  printf '\n  ],\n  "info": {'
  sep=
  for i in "${!ikeys[@]}"; do
    printf '%s\n    %s: %s' "$sep" "$(json_str "${ikeys[$i]}")" "$(json_str "${itexts[$i]}")"
    sep=,
  done
  printf '\n  },\n  "measures": ['
  sep=
  for i in "${!keys[@]}"; do
    browser_of "${keys[$i]}" "${values[$i]}"
    printf '%s\n    {"key": %s, "label": %s, "value": %s, "unit": %s, "budget": %s, "status": %s' "$sep" \
      "$(json_str "${keys[$i]}")" "$(json_str "${labels[$i]}")" "$(json_num_or_str "${values[$i]}")" \
      "$(json_str "${units[$i]}")" "$(json_str "${budgets[$i]}")" "$(json_str "${statuses[$i]}")"
    if [ -n "$BV" ]; then
      printf ', "browser": {"value": %s, "unit": %s' "$BV" "$(json_str "$BU")"
      [ -n "$RATIO" ] && printf ', "ratio": %s' "$RATIO"
      printf '}'
    fi
    printf '}'
    sep=,
  done
  printf '\n  ],\n  "summary": {"pass": %d, "fail": %d, "reported": %d}\n}\n' "$npass" "$nfail" "$nrep"
} >"$results.tmp" && mv "$results.tmp" "$results"

echo
echo "results: $results"
[ "$failed" = 0 ] || echo "$failed part script(s) failed: their measures may be missing"
echo "$npass PASS, $nfail FAIL, $nrep reported"
exit 0
