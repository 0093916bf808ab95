# Read aloud (issue 4): the question screen is spoken in each language that
# has an espeak-ng voice, through SDL's dummy audio driver; the kiosk checks
# that sound reached the device (expect-spoken). Somali has no voice and
# offers no Read aloud button.
. tests/scripts/lib.sh

for lang in en ar bn pl tr ur so; do
  data=$(fresh_data "speech-$lang")
  if run_replay "tests/replay/speech/$lang.replay" "$data"; then
    pass "read aloud $lang: $(grep -o 'spoken: .*' "$data/log" || echo 'no button, as expected')"
  else fail "read aloud $lang" "$(tail -n 5 "$data/log")"; fi
  # The whole English screen: the question, "Choose one answer.", the
  # progress, six numbered answers and Next: ten texts, in one go.
  if [ "$lang" = en ]; then
    if grep -q "read aloud: 10 texts in voice en-gb" "$data/log"; then
      pass "read aloud speaks the ten texts of the screen"
    else fail "read aloud speaks the ten texts of the screen" "$(grep 'read aloud' "$data/log")"; fi
  fi
done

data=$(fresh_data speech-always)
if run_replay tests/replay/speech/always.replay "$data"; then
  pass "read every screen aloud, then the next person starts with the defaults"
else fail "read every screen aloud, then the next person starts with the defaults" "$(tail -n 5 "$data/log")"; fi
