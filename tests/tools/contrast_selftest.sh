#!/usr/bin/env bash
# Self-test for tests/tools/contrast: draws known colour pairs with the tool's
# own --make-test-image (no ImageMagick on the test machines), then checks the
# measured WCAG ratios against published values and against the formula
# recomputed here in awk, and that every kind of failure and bad input gives
# the documented exit status. Usage: contrast_selftest.sh PATH/TO/contrast
# Prints "ok - ..." / "not ok - ..." per case; exits 1 if any failed.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH/TO/contrast" >&2
  exit 2
fi
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; printf '    %s\n' "$@"; failures=$((failures + 1)); }

# run ARGS...: runs the tool, leaving stdout, stderr and exit status in
# $out, $err and $status; a non-zero exit is data here, not a reason to stop.
run() {
  status=0
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" || status=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

# check NAME WANT_STATUS GREP_PATTERN: the last run exited WANT_STATUS and
# its stdout+stderr match the extended regular expression.
check() {
  if [ "$status" -eq "$2" ] && printf '%s\n%s\n' "$out" "$err" | grep -Eq -- "$3"; then
    pass "$1"
  else
    fail "$1" "want exit $2 and /$3/; got exit $status" "stdout: $out" "stderr: $err"
  fi
}

# expected_ratio BG INK: the WCAG 2.x ratio to two decimals, computed
# independently of the C code so a shared mistake cannot hide.
expected_ratio() {
  awk -v a="$1" -v b="$2" '
    function lin(v) { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ^ 2.4 }
    function hex(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 - 17 + index("0123456789abcdef", substr(s, 2, 1)) }
    function lum(c) { return 0.2126 * lin(hex(substr(c, 1, 2))) + 0.7152 * lin(hex(substr(c, 3, 2))) + 0.0722 * lin(hex(substr(c, 5, 2))) }
    BEGIN { x = lum(a); y = lum(b); if (x < y) { t = x; x = y; y = t }; printf "%.2f", (x + 0.05) / (y + 0.05) }'
}

# Glyphs fill the left half (x < 100) of a 200x48 image; the right half is
# pure background.
TEXT=$TMP/text.tsv
printf '# one line of block glyphs\n0\t0\t100\t48\tsample text\n' >"$TEXT"
make_image() { # NAME BG INK
  "$BIN" --make-test-image "$TMP/$1.png" 200 48 "#$2" "#$3"
}

ratio_case() { # NAME BG INK WANT_RATIO
  if ! make_image "$1" "$2" "$3"; then
    fail "#$3 on #$2 measures $4" "--make-test-image failed"
    return
  fi
  run "$TMP/$1.png" "$TEXT" 1
  local want="$4	ink #$3	background #$2	0 0 100 48	sample text"
  if [ "$status" -eq 0 ] && [ "$(head -n 1 <<<"$out")" = "$want" ] &&
    [ "$(tail -n 1 <<<"$out")" = "min ratio $4 over 1 texts" ]; then
    pass "#$3 on #$2 measures $4"
  else
    fail "#$3 on #$2 measures $4" "exit $status" "stdout: $out" "stderr: $err"
  fi
}

ratio_case black-white ffffff 000000 21.00
ratio_case grey-white ffffff 767676 4.54
ratio_case yellow-black 000000 ffff00 19.56
nhs=$(expected_ratio ffffff 003087)
ratio_case nhs-blue-white ffffff 003087 "$nhs"
ratio_case white-nhs-blue 003087 ffffff "$nhs"
if [ "$(expected_ratio ffffff 767676)" = 4.54 ]; then pass "awk formula agrees on #767676 (4.54)"
else fail "awk formula agrees on #767676 (4.54)" "got $(expected_ratio ffffff 767676)"; fi

run "$TMP/grey-white.png" "$TEXT" 4.5
check "4.54 passes MIN_RATIO 4.5 (exit 0)" 0 '^4\.54	'

run "$TMP/grey-white.png" "$TEXT" 7
check "MIN_RATIO above the measured ratio fails (exit 1)" 1 \
  'text\.tsv:2: ratio 4\.54[0-9]* below 7: sample text'

printf '0\t0\t100\t48\tglyphs\n120\t8\t60\t32\tinvisible label\n' >"$TMP/two.tsv"
run "$TMP/black-white.png" "$TMP/two.tsv" 4.5
check "a rectangle of pure background is no-ink (exit 1)" 1 \
  '^no-ink	ink none	background #ffffff	120 8 60 32	invisible label$'
check "no-ink texts are named on stderr" 1 'two\.tsv:2: no ink'
check "min ratio counts every text" 1 '^min ratio 21\.00 over 2 texts$'

make_image same ffffff ffffff || true
run "$TMP/same.png" "$TEXT" 1
check "text drawn in the background colour is no-ink" 1 '^no-ink	'

printf -- '-10\t-4\t60\t40\tpartly off screen\n' >"$TMP/clip.tsv"
run "$TMP/black-white.png" "$TMP/clip.tsv" 4.5
check "a rectangle partly outside is clipped and measured" 0 '^21\.00	.*	0 0 50 36	partly off screen$'

printf '0\t0\t100\t48\tfine\n0\t0\tten\t48\tbroken\n' >"$TMP/bad.tsv"
run "$TMP/black-white.png" "$TMP/bad.tsv" 4.5
check "a malformed tsv line gives file:line (exit 2)" 2 'bad\.tsv:2: width is not a whole number'
if [ -z "$out" ]; then pass "nothing is reported when the tsv is bad"
else fail "nothing is reported when the tsv is bad" "stdout: $out"; fi

printf '0\t0\t100\n' >"$TMP/short.tsv"
run "$TMP/black-white.png" "$TMP/short.tsv" 4.5
check "a line with too few fields (exit 2)" 2 'short\.tsv:1: expected x<TAB>y<TAB>w<TAB>h<TAB>label'

printf '0\t0\t-5\t48\tnegative\n' >"$TMP/neg.tsv"
run "$TMP/black-white.png" "$TMP/neg.tsv" 4.5
check "a negative size (exit 2)" 2 'neg\.tsv:1: width must be positive'

printf '300\t0\t10\t10\tgone\n' >"$TMP/out.tsv"
run "$TMP/black-white.png" "$TMP/out.tsv" 4.5
check "a rectangle fully outside the image (exit 2)" 2 'out\.tsv:1: rectangle 300 0 10 10 lies outside'

printf '# nothing here\n\n' >"$TMP/empty.tsv"
run "$TMP/black-white.png" "$TMP/empty.tsv" 4.5
check "a tsv with no texts (exit 2)" 2 'empty\.tsv: no texts'

run "$TMP/missing.png" "$TEXT" 4.5
check "a missing PNG (exit 2)" 2 'missing\.png: cannot read image'

run "$TMP/black-white.png" "$TMP/missing.tsv" 4.5
check "a missing tsv (exit 2)" 2 'missing\.tsv: No such file'

run "$TEXT" "$TEXT" 4.5
check "a file that is not an image (exit 2)" 2 'cannot read image'

run "$TMP/black-white.png" "$TEXT" seven
check "a MIN_RATIO that is not a number (exit 2)" 2 'MIN_RATIO must be a number'

run "$TMP/black-white.png" "$TEXT"
check "a missing argument (exit 2)" 2 '^usage: contrast'

run --make-test-image "$TMP/x.png" 200 48 "#fffff" "#000000"
check "the generator refuses a bad colour (exit 2)" 2 'colours must be #rrggbb'

[ "$failures" -eq 0 ]
