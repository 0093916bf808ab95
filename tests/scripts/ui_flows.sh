# UI flow tests: each replay in tests/replay drives the real kiosk headless
# (SDL dummy driver, virtual clock); then the database must hold exactly
# what the person gave, or nothing when they walked away.
. tests/scripts/lib.sh

# replay_case NAME: runs tests/replay/NAME.replay on fresh data; sets $data
replay_case() {
  data=$(fresh_data "$1")
  if run_replay "tests/replay/$1.replay" "$data"; then pass "replay $1"
  else fail "replay $1" "$(tail -n 5 "$data/log")"; fi
}

answers() { sql "$data" "SELECT answers FROM responses ORDER BY seq"; }
count() { sql "$data" "SELECT count(*) FROM responses"; }

replay_case fft
expect_eq "fft lands one response" "$(count)" 1
expect_eq "fft answers" "$(answers)" '{"fft":"good","good":"Kind staff, Tea"}'
expect_eq "fft record fields" \
  "$(sql "$data" "SELECT questionnaire_id, questionnaire_version, language, site, device, collection_mode FROM responses")" \
  "service-feedback|1|en|Demo ward|kiosk-1|self"
when=$(sql "$data" "SELECT submitted_at FROM responses")
if [[ $when =~ ^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:00Z$ ]]; then pass "fft time rounded to the hour"
else fail "fft time rounded to the hour" "$when"; fi
id=$(sql "$data" "SELECT id FROM responses")
if grep -q "^response committed id=$id\$" "$data/log"; then pass "fft commit logged with its id"
else fail "fft commit logged with its id" "$(cat "$data/log")"; fi
expect_eq "fft body is the stored record" \
  "$(sql "$data" "SELECT json_extract(body,'\$.id') = id AND json_extract(body,'\$.answers.fft') = 'good' FROM responses")" 1
expect_eq "database integrity" "$(sql "$data" "PRAGMA integrity_check")" ok
expect_eq "database in WAL mode" "$(sql "$data" "PRAGMA journal_mode")" wal

replay_case walk-away
expect_eq "walk-away lands nothing" "$(count)" 0
grep -q "unfinished answers discarded" "$data/log" && pass "walk-away logs the reset" ||
  fail "walk-away logs the reset" "$(cat "$data/log")"

replay_case still-here
expect_eq "still-here keeps the answer" "$(answers)" '{"fft":"very-poor"}'

replay_case involvement
expect_eq "involvement answers" "$(answers)" \
  '{"again":"yes","difference":"yes","feeling":"happy","information-in-time":"yes","level":"deciding-together","listened":"yes","payment":"not-paid","purpose":"yes","respect":"yes","support":"not-sure","support-help":"A buddy"}'

replay_case event
expect_eq "event answers" "$(answers)" \
  '{"accessible":"not-sure","accessible-problem":"Lift was broken","again":"yes","best":"Meeting people","easy-to-take-part":"yes","had-your-say":"yes","learned":"yes","overall":"very-good"}'

replay_case about-you-none
expect_eq "about-you can be declined whole" "$(answers)" '{"answer-questions":"no"}'

replay_case about-you-some
expect_eq "about-you prefer not to say" "$(answers)" \
  '{"age":"prefer-not-to-say","answer-questions":"yes","disability":"prefer-not-to-say","ethnic-group":"white","gender":"prefer-not-to-say","gender-same-as-birth":"prefer-not-to-say","religion":"prefer-not-to-say","sexual-orientation":"prefer-not-to-say"}'

replay_case kiosk-keys
replay_case zero-width-text
expect_eq "zero-width typed text: no render errors" "$(grep -c "cannot render" "$data/log")" 0
expect_eq "zero-width typed text is kept" \
  "$(sql "$data" "SELECT hex(json_extract(answers, '\$.good')) FROM responses")" \
  "E2808FE2808BE2808D6F6B20E2808FD98B"
replay_case back-first
replay_case language-kept
expect_eq "back-first lands nothing" "$(count)" 0

# Several people in a row: each lands once, with a distinct id.
data=$(fresh_data many)
{ for i in 1 2 3 4 5; do
    printf 'tap 640 300\ntap-text "Tell us about our service"\ntap-text "Very good"\n'
    printf 'tap-text "Next"\ntap-text "Skip"\ntap-text "Skip"\nexpect-screen thanks\n'
    printf 'tap-text "Touch to finish"\nexpect-screen welcome\n'
  done; } >"$data/many.replay"
run_replay "$data/many.replay" "$data" && pass "replay five people" || fail "replay five people" "$(tail -n 5 "$data/log")"
expect_eq "five people, five responses" "$(sql "$data" "SELECT count(DISTINCT id) FROM responses")" 5

# A check that does not hold must fail the replay, naming the line.
data=$(fresh_data negative)
printf 'expect-screen welcome\nexpect-text "No such words"\n' >"$data/bad.replay"
if run_replay "$data/bad.replay" "$data"; then fail "failing check fails the replay" "exit 0"
elif grep -q 'bad.replay:2: replay check failed' "$data/log"; then pass "failing check fails the replay"
else fail "failing check fails the replay" "$(cat "$data/log")"; fi

# A script with a bad line is refused before anything runs.
printf 'tap 1\n' >"$data/syntax.replay"
run_replay "$data/syntax.replay" "$data"; status=$?
expect_eq "bad replay line is refused" "$status:$(grep -c 'syntax.replay:1:' "$data/log")" "2:1"

# Export: CSV and JSON hold what the database holds.
data=$(fresh_data export)
run_replay tests/replay/fft.replay "$data" && run_replay tests/replay/event.replay "$data"
"$SAYSO" export --format json --data "$data" >"$data/out.json"
expect_eq "export json has both" "$(sqlite3 :memory: "SELECT json_array_length(readfile('$data/out.json'))")" 2
expect_eq "export json answers" \
  "$(sqlite3 :memory: "SELECT json_extract(readfile('$data/out.json'), '\$[1].answers.best')")" "Meeting people"
"$SAYSO" export --format csv --data "$data" >"$data/out.csv"
expect_eq "export csv rows" "$(grep -c $'\r$' "$data/out.csv")" 3
grep -q '"{""fft"":""good"",""good"":""Kind staff, Tea""}"' "$data/out.csv" &&
  pass "export csv quotes answers" || fail "export csv quotes answers" "$(cat "$data/out.csv")"

finish

# Keyboard and switch access (issue 4): each completes a questionnaire.
replay_case keyboard-only
expect_eq "keyboard-only answers" "$(answers)" '{"fft":"good","good":"Kind staff and tea"}'

scan_config="$TEST_TMP/scan-config"
staff_config "$scan_config"
sed -i 's/"kiosk": true/"kiosk": true,\n  "access": {"switch_scanning": true}/' "$scan_config/device.json"
data=$(fresh_data switch-scanning)
if run_replay tests/replay/switch-scanning.replay "$data" --config "$scan_config"; then
  pass "replay switch-scanning"
else fail "replay switch-scanning" "$(tail -n 5 "$data/log")"; fi
expect_eq "switch-scanning answers" "$(answers)" '{"fft":"good","good":"t"}'

# Right-to-left and Indic scripts, answered by tapping the translated words.
replay_case arabic
expect_eq "arabic answers and language" \
  "$(sql "$data" "SELECT language || ' ' || answers FROM responses")" \
  'ar {"fft":"very-good","good":"شكرا لكم"}'
# The keyboard in its own panel when it has no room under the question.
replay_case keyboard-biggest-ar
expect_eq "keyboard panel answers" \
  "$(sql "$data" "SELECT language || ' ' || answers FROM responses")" \
  'ar {"fft":"very-good","good":"شكرا لكم"}'
for size in 1280x800 1920x1080 800x1280; do
  data=$(fresh_data "keyboard-$size")
  if run_replay tests/replay/keyboard-default.replay "$data" --size "$size"; then
    pass "keyboard fits under the question at $size"
  else fail "keyboard fits under the question at $size" "$(tail -n 3 "$data/log")"; fi
done
replay_case bengali
expect_eq "bengali answers and language" \
  "$(sql "$data" "SELECT language || ' ' || answers FROM responses")" \
  'bn {"fft":"good","good":"ভালো"}'

# Text size steps up to a capital H of 6 mm or more, nothing out of reach.
replay_case text-sizes
expect_eq "text-sizes answers" "$(answers)" '{"fft":"dont-know"}'
