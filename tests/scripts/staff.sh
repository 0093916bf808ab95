# Staff mode (issue 5): the way in with the PIN and its lock, each mode's
# tags on the responses, results, export to a folder, safeguarding and
# misuse flags, the Welcome messages. Replays in tests/replay/staff drive
# the real kiosk; the database and the export files are then checked.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
ro_mount=""
trap 'stop_all; [ -n "$ro_mount" ] && umount "$ro_mount"' EXIT

# staff_case NAME [args...]: runs tests/replay/staff/NAME.replay on fresh data
staff_case() {
  local name=$1; shift
  data=$(fresh_data "staff-$name")
  if run_replay "tests/replay/staff/$name.replay" "$data" "$@"; then pass "staff replay $name"
  else fail "staff replay $name" "$(tail -n 5 "$data/log")"; fi
}
rows() { sql "$data" "SELECT $1 FROM responses ORDER BY seq"; }

staff_case pin-entry
grep -q "staff mode entered" "$data/log" && pass "staff entry is logged" ||
  fail "staff entry is logged" "$(cat "$data/log")"
expect_eq "the PIN is never logged" "$(grep -c 2468 "$data/log")" 0

staff_case pin-lockout
expect_eq "a right PIN after the lock clears the count" \
  "$(sql "$data" "SELECT value FROM sync_state WHERE key = 'staff_pin_guard'")" "0 0"

# The lock is saved: a restart does not give five more tries.
data=$(fresh_data staff-restart)
run_replay tests/replay/staff/lock-then-quit.replay "$data" &&
  run_replay tests/replay/staff/lock-survives-restart.replay "$data" &&
  pass "the PIN lock survives a restart" ||
  fail "the PIN lock survives a restart" "$(tail -n 5 "$data/log")"

staff_case event-mode
expect_eq "event responses carry venue, event, session and collection mode" \
  "$(rows "venue, event_name, event_session, collection_mode")" "event|Carers forum|Morning|self"
expect_eq "the event is in the record that is sent" \
  "$(rows "json_extract(body, '\$.venue') || '/' || json_extract(body, '\$.event.name') || '/' || json_extract(body, '\$.event.session')")" \
  "event/Carers forum/Morning"
expect_eq "the mode is kept for the next start" \
  "$(sql "$data" "SELECT json_extract(value, '\$.kind') FROM sync_state WHERE key = 'venue'")" "event"

staff_case survey-mode
expect_eq "survey responses: paper, then assisted, then a ward kiosk again" \
  "$(rows "venue || ':' || collection_mode || ':' || coalesce(event_name, '-')" | tr '\n' ' ')" \
  "survey:paper:- survey:assisted:- kiosk:self:- "

staff_case results
for shot in results-chart results-comments show-room; do
  [ -s "$data/$shot.png" ] && pass "screenshot $shot" || fail "screenshot $shot"
done
expect_eq "four responses at the event, none flagged" \
  "$(sql "$data" "SELECT count(*), sum(flags != '') FROM responses WHERE event_name = 'Open day'")" "4|0"

staff_case misuse
expect_eq "misuse: every response kept, quick repeats flagged" \
  "$(rows "'[' || flags || ']'" | tr '\n' ' ')" "[] [too-soon,repeat] [repeat] [] "

# --- safeguarding, on the kiosk and at central ---
dir="$TEST_TMP/staff-central"; rm -rf "$dir"
mkdir -p "$dir"
token=$("$CENTRAL" --data "$dir/central" device add ward-kiosk --site "Demo ward" 2>/dev/null)
if start_central "$dir" --data "$dir/central"; then
  kiosk_config "$dir/config" "http://127.0.0.1:$CENTRAL_PORT" "$token"
  staff_case safeguarding --config "$dir/config"
  expect_eq "safeguarding: the response is saved and flagged on the kiosk" \
    "$(rows "flags || ' ' || json_extract(answers, '\$.better')")" \
    "risk-words Some nights I want to END MY LIFE"
  grep -q "flagged: risk-words" "$data/log" && pass "safeguarding: the flag is logged" ||
    fail "safeguarding: the flag is logged" "$(tail -n 5 "$data/log")"
  expect_eq "safeguarding: the words are not in the log" "$(grep -ci "end my life" "$data/log")" 0
  "$SAYSO" sync --config "$dir/config" --data "$data" >"$dir/sync.log" 2>&1
  expect_eq "safeguarding: sent to central" "$?" 0
  flagged=$("$CENTRAL" --data "$dir/central" flagged 2>&1)
  id=$(rows id)
  case "$flagged" in
    *"$id"*risk-words*) pass "safeguarding: central lists the response as flagged" ;;
    *) fail "safeguarding: central lists the response as flagged" "$flagged" ;;
  esac
else
  fail "safeguarding: central starts"
fi

# --- export to a folder ---
usb="$TEST_TMP/usb"; missing="$TEST_TMP/no-stick-here"; ro="$TEST_TMP/read-only"
rm -rf "$usb" "$missing"; mkdir -p "$usb" "$ro"
if [ "$(id -u)" -ne 0 ]; then chmod 555 "$ro"
elif mount -t tmpfs -o ro,size=1m tmpfs "$ro" 2>/dev/null; then ro_mount=$ro
else ro=/sys; fi # root ignores file modes; sysfs refuses new folders
export_config="$TEST_TMP/export-config"
staff_config "$export_config"
sed -i "s|\"pin_hash\"|\"export_folders\": [\"$usb\", \"$missing\", \"$ro\"], \"pin_hash\"|" \
  "$export_config/device.json"
data=$(fresh_data staff-export)
run_replay tests/replay/fft.replay "$data" --config "$export_config"
run_replay tests/replay/staff/safeguarding.replay "$data" --config "$export_config"
before=$(sql "$data" "SELECT group_concat(id) FROM responses")
cat >"$data/export.replay" <<EOF
press 20 20
wait 3100
release 20 20
type "2468"
tap-text "OK"
tap-text "Sending and saving to USB"
expect-text "Stored on this kiosk: 2."
shot staff-sync
tap-text "Save to $missing"
pause 300
expect-text "Not saved. The folder $missing is not there."
expect-text "Nothing was lost"
tap-text "Save to $ro"
pause 300
expect-text "Not saved."
tap-text "Save to $usb"
pause 500
expect-text "Saved 2 responses to $usb/sayso-kiosk-1-"
shot staff-export-done
EOF
if run_replay "$data/export.replay" "$data" --config "$export_config"; then pass "export replay"
else fail "export replay" "$(tail -n 5 "$data/log")"; fi
out=$(ls -d "$usb"/sayso-kiosk-1-* 2>/dev/null | head -1)
if [ -n "$out" ] && (cd "$out" && sha256sum -c --quiet SHA256SUMS); then
  pass "export: SHA256SUMS checks both files"
else fail "export: SHA256SUMS checks both files" "$(ls -la "$out" 2>&1)"; fi
"$SAYSO" export --format csv --data "$data" >"$TEST_TMP/db.csv"
"$SAYSO" export --format json --data "$data" >"$TEST_TMP/db.json"
cmp -s "$out/responses.csv" "$TEST_TMP/db.csv" && pass "export: the CSV matches the database" ||
  fail "export: the CSV matches the database" "$(diff "$out/responses.csv" "$TEST_TMP/db.csv" | head)"
cmp -s "$out/responses.json" "$TEST_TMP/db.json" && pass "export: the JSON matches the database" ||
  fail "export: the JSON matches the database"
expect_eq "export: the database has two responses" "$(sql "$data" "SELECT count(*) FROM responses")" 2
expect_eq "export: failed exports lose nothing" "$(sql "$data" "SELECT group_concat(id) FROM responses")" "$before"
expect_eq "export: nothing left in the missing or read-only folder" \
  "$(ls -A "$missing" "$ro" 2>/dev/null | grep -c sayso)" 0

staff_case questionnaires
expect_eq "turned-off questionnaires are remembered" \
  "$(sql "$data" "SELECT value FROM sync_state WHERE key = 'hidden_questionnaires'")" \
  ",end-of-involvement,event-feedback,"

# No PIN in device.json: chosen at first start, then changed on the device;
# the site name and text size staff set are kept over a restart.
nopin="$TEST_TMP/config-no-pin"; rm -rf "$nopin"; cp -r config "$nopin"
staff_case device-settings --config "$nopin"
expect_eq "responses carry the site name staff set" "$(rows site)" "Demo 7"
expect_eq "the chosen PIN is stored only as an Argon2id hash" \
  "$(sql "$data" "SELECT substr(value, 1, 10), instr(value, '8642') FROM sync_state WHERE key = 'staff_pin_hash'")" \
  '$argon2id$|0'
run_replay tests/replay/staff/after-restart.replay "$data" --config "$nopin" &&
  pass "staff settings and PIN survive a restart" ||
  fail "staff settings and PIN survive a restart" "$(tail -n 5 "$data/log")"
"$SAYSO" forget-pin --data "$data" 2>/dev/null
printf 'expect-screen staff-pin\nexpect-text "Choose a staff PIN"\n' >"$data/forgot.replay"
run_replay "$data/forgot.replay" "$data" --config "$nopin" &&
  pass "forget-pin: staff choose a new PIN at the next start" ||
  fail "forget-pin: staff choose a new PIN at the next start" "$(tail -n 5 "$data/log")"

# Quitting to the desktop only where the config allows it.
quit_config="$TEST_TMP/config-quit"
staff_config "$quit_config"
sed -i 's|"staff": {|"staff": {"allow_quit": true, |' "$quit_config/device.json"
staff_case quit --config "$quit_config"
grep -q "staff quit the kiosk" "$data/log" && pass "staff can quit where config allows" ||
  fail "staff can quit where config allows" "$(tail -n 5 "$data/log")"

# "You said, we did" and how to get involved take turns on Welcome.
msg_config="$TEST_TMP/config-messages"
staff_config "$msg_config"
sed -i 's|"format": 1,|"format": 1,\n  "messages": {"seconds": 8, "you_said_we_did": [{"text": {"en": "You said the ward was noisy at night. We now have quiet time after 10 pm.", "ar": "قلتم إن الجناح كان صاخبًا في الليل. لدينا الآن وقت هادئ بعد الساعة العاشرة مساءً."}}], "get_involved": [{"text": "Join our patient panel. Ask a member of staff."}]},|' \
  "$msg_config/device.json"
data=$(fresh_data staff-messages)
cat >"$data/r" <<'EOF'
expect-text "You said, we did"
expect-text "You said the ward was noisy at night."
shot welcome-messages
wait 8000
expect-text "Get involved"
expect-text "Join our patient panel."
wait 8000
expect-text "You said the ward was noisy at night."
tap-text "العربية"
expect-text "قلتم إن الجناح كان صاخبًا في الليل."
shot welcome-messages-ar
EOF
run_replay "$data/r" "$data" --config "$msg_config" && pass "Welcome messages take turns" ||
  fail "Welcome messages take turns" "$(tail -n 5 "$data/log")"

finish
