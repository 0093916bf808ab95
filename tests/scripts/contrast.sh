# Text contrast measured on rendered screens (issue 4): every piece of text
# on each screenshot, in the standard colours and with "Black background",
# must reach 7:1 against what it is drawn on (WCAG 2.2 1.4.6, AAA).
# tests/tools/contrast reads the pixels; the kiosk writes where each text
# was drawn beside each screenshot.
. tests/scripts/lib.sh

CONTRAST="$(dirname "$SAYSO")/tests/contrast"
out=$(bash tests/tools/contrast_selftest.sh "$CONTRAST" 2>&1)
if [ $? -eq 0 ]; then pass "contrast tool self-test"; else fail "contrast tool self-test" "$out"; fi

data=$(fresh_data contrast)
if run_replay tests/replay/contrast.replay "$data"; then pass "replay contrast"
else fail "replay contrast" "$(tail -n 5 "$data/log")"; fi

for shot in "$data"/*.png; do
  name=$(basename "$shot" .png)
  report=$("$CONTRAST" "$shot" "$data/$name.texts.tsv" 7 2>&1)
  status=$?
  summary=$(printf '%s\n' "$report" | grep '^min ratio')
  if [ $status -eq 0 ]; then pass "contrast $name: $summary"
  else fail "contrast $name" "$report"; fi
done

# The high-contrast screens are far above 7:1: white or yellow on black.
min=$("$CONTRAST" "$data/contrast-question.png" "$data/contrast-question.texts.tsv" 15 | grep '^min ratio')
case $min in "min ratio "1[5-9]* | "min ratio "2[01]*) pass "black background is at least 15:1 ($min)" ;;
  *) fail "black background is at least 15:1" "$min" ;; esac
