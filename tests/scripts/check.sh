# `sayso check`: each broken file in tests/check/ gives exactly the problems
# in its .expected file (file:line:col: message) and exit 1; the shipped
# config gives no output and exit 0.
. tests/scripts/lib.sh

for file in tests/check/*.json; do
  name=$(basename "$file" .json)
  actual=$("$SAYSO" check "$file"); status=$?
  expected=$(cat "tests/check/$name.expected")
  if [ $status -eq 1 ] && [ "$actual" = "$expected" ]; then pass "check $name"
  else fail "check $name" "exit $status" "$(diff <(echo "$expected") <(echo "$actual"))"; fi
done

out=$("$SAYSO" check config/device.json config/questionnaires/*.json); status=$?
if [ $status -eq 0 ] && [ -z "$out" ]; then pass "check shipped config is clean"
else fail "check shipped config is clean" "exit $status" "$out"; fi

out=$("$SAYSO" check tests/check/missing-picture.json config/questionnaires/about-you.json)
status=$?
lines=$(printf '%s\n' "$out" | grep -c .)
if [ $status -eq 1 ] && [ "$lines" -eq 1 ]; then pass "check reports only the broken file of several"
else fail "check reports only the broken file of several" "exit $status" "$out"; fi

finish
