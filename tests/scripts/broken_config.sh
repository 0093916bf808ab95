# A broken or missing questionnaire, or a broken device config, never
# crashes the kiosk: it shows the "not ready" message and logs why.
. tests/scripts/lib.sh

not_ready() { # NAME CONFIG_DIR
  local data; data=$(fresh_data "$1")
  printf 'expect-screen not-ready\nexpect-text "This screen is not ready. Please tell a member of staff."\ntap 640 400\nexpect-screen not-ready\n' >"$data/r"
  if run_replay "$data/r" "$data" --config "$2"; then pass "not ready: $1"
  else fail "not ready: $1" "$(tail -n 5 "$data/log")"; fi
  grep -q 'sayso error' "$data/log" && pass "not ready logs why: $1" || fail "not ready logs why: $1" "$(cat "$data/log")"
}

cfg=$TEST_TMP/cfg-missing; mkdir -p "$cfg/questionnaires"
echo '{"format": 1, "questionnaires": ["nope"]}' >"$cfg/device.json"
not_ready "questionnaire file missing" "$cfg"

cfg=$TEST_TMP/cfg-broken; mkdir -p "$cfg/questionnaires"
cp tests/check/syntax-error.json "$cfg/questionnaires/"
not_ready "questionnaire with a syntax error" "$cfg"

cfg=$TEST_TMP/cfg-device; mkdir -p "$cfg"
cp -r config/questionnaires "$cfg/"
printf '{"format": 1, "idle": {"warning_seconds": 1}}' >"$cfg/device.json"
not_ready "device config invalid" "$cfg"

cfg=$TEST_TMP/cfg-garbage; mkdir -p "$cfg/questionnaires"
head -c 3000 /dev/urandom >"$cfg/device.json"
not_ready "device config is random bytes" "$cfg"

# With no PIN in device.json and none set yet, the first start asks staff to
# choose one (twice), then shows the staff menu; leaving it gives Welcome.
choose_pin='expect-screen staff-pin
expect-text "This kiosk has no staff PIN yet."
tap 640 400
expect-screen staff-pin
type "1357"
tap-text "OK"
expect-text "Type the new PIN again"
type "1357"
tap-text "OK"
expect-screen staff
tap-text "Leave staff mode"
expect-screen welcome
'

# One broken questionnaire among good ones: the good ones are still offered.
cfg=$TEST_TMP/cfg-mixed; mkdir -p "$cfg/questionnaires"
cp config/questionnaires/service-feedback.json tests/check/unknown-type.json "$cfg/questionnaires/"
data=$(fresh_data mixed)
printf '%stap 640 300\nexpect-text "Overall, how was your experience of our service?"\n' "$choose_pin" >"$data/r"
run_replay "$data/r" "$data" --config "$cfg" && pass "broken questionnaire skipped, good one used" ||
  fail "broken questionnaire skipped, good one used" "$(tail -n 5 "$data/log")"

# No device.json at all: built-in defaults, every questionnaire in the folder.
cfg=$TEST_TMP/cfg-defaults; mkdir -p "$cfg"
cp -r config/questionnaires "$cfg/"
data=$(fresh_data defaults)
printf '%stap 640 300\nexpect-screen choose\ntap-text "Tell us about our service"\ntap-text "Good"\ntap-text "Next"\ntap-text "Skip"\ntap-text "Skip"\nexpect-screen thanks\n' "$choose_pin" >"$data/r"
run_replay "$data/r" "$data" --config "$cfg" && pass "no device.json uses defaults" ||
  fail "no device.json uses defaults" "$(tail -n 5 "$data/log")"
expect_eq "defaults site name" "$(sql "$data" "SELECT site FROM responses")" "Sayso demo site"

finish
