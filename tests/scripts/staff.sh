# Staff mode (issue 5): the way in with the PIN and its lock, each mode's
# tags on the responses, results, export to a folder, safeguarding and
# misuse flags, the Welcome messages. Replays in tests/replay/staff drive
# the real kiosk; the database and the export files are then checked.
. tests/scripts/lib.sh
. tests/scripts/sync_lib.sh
trap 'stop_all' EXIT

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

finish
