# The benchmark harness (bench/run.sh): which part scripts `make bench`
# runs, PASS and FAIL on each side of every budget form, the browser ratio,
# the summary line, exit status 0 even on FAIL and for a failed part, and
# bench/results.json read back with sqlite3's JSON functions. The part
# script is bench/_example.sh; it measures nothing, so this takes a second.
. tests/scripts/lib.sh

out="$TEST_TMP/bench-harness.out"
json="$TEST_TMP/bench-harness.json"
BENCH_RESULTS=$json BENCH_EXAMPLE_EXIT=3 BENCH_QUICK=1 bench/run.sh _example >"$out" 2>&1
expect_eq "bench: run.sh exits 0 although measures and a part failed" "$?" 0

parts=$(bench/run.sh --list)
expect_eq "bench: make bench runs no run.sh and no _helper" \
  "$(grep -cE '/(run|_[^/]*)\.sh$' <<<"$parts")" 0
expect_eq "bench: make bench runs the browser comparison" "$(grep -cx bench/browser.sh <<<"$parts")" 1

# row LABEL: the table row of a measure, cells trimmed, joined by |
row() { L=$1 awk -F' *[|] *' '$1 == ENVIRON["L"] { $1 = $1; sub(/ *$/, ""); print }' OFS='|' "$out"; }
expect_eq "bench: <N passes below" "$(row 'less than, inside')" "less than, inside|99.5 ms|<100|PASS|-|-"
expect_eq "bench: <N fails on N" "$(row 'less than, on the bound')" "less than, on the bound|100 ms|<100|FAIL|-|-"
expect_eq "bench: <=N passes on N" "$(row 'at most, on the bound')" "at most, on the bound|40 MB|<=40|PASS|-|-"
expect_eq "bench: <=N fails above" "$(row 'at most, over')" "at most, over|40.01 MB|<=40|FAIL|-|-"
expect_eq "bench: >=N passes on N" "$(row 'at least, on the bound')" \
  "at least, on the bound|5000 responses/s|>=5000|PASS|-|-"
expect_eq "bench: >=N fails below" "$(row 'at least, under')" "at least, under|4999.9 responses/s|>=5000|FAIL|-|-"
expect_eq "bench: >N fails on N" "$(row 'more than, on the bound')" "more than, on the bound|0 x|>0|FAIL|-|-"
expect_eq "bench: - is reported" "$(row 'reported "quoted" \ label')" 'reported "quoted" \ label|812 bytes|-|reported|-|-'
expect_eq "bench: a value that is not a number fails" "$(row 'not a number')" "not a number|n/a ms|<8|FAIL|-|-"
expect_eq "bench: browser figure and ratio" "$(row compared)" "compared|50 ms|<100|PASS|735 ms|15x"
expect_eq "bench: no ratio to a zero" "$(row 'compared with zero')" "compared with zero|0 %|<0.2|PASS|0.4 %|-"
expect_eq "bench: a browser figure alone gets a row" "$(row browser_only)" "browser_only|-|-|-|1030.2 MB|-"
expect_eq "bench: summary line" "$(tail -1 "$out")" "5 PASS, 5 FAIL, 1 reported"
expect_eq "bench: a failed part is named" "$(grep -c '^bench/_example.sh failed (exit 3)$' "$out")" 1

# q SQL-EXPRESSION-ON-j: one value read from results.json
q() { sqlite3 -batch -noheader :memory: "SELECT $1 FROM (SELECT readfile('$json') AS j)"; }
expect_eq "bench: results.json is valid JSON" "$(q 'json_valid(j)')" 1
expect_eq "bench: results.json summary" "$(q "json_extract(j, '\$.summary.pass') || ' ' ||
  json_extract(j, '\$.summary.fail') || ' ' || json_extract(j, '\$.summary.reported')")" "5 5 1"
expect_eq "bench: results.json machine" "$(q "json_extract(j, '\$.machine.cores') > 0 AND
  json_extract(j, '\$.machine.ram_mb') > 0 AND length(json_extract(j, '\$.machine.kernel')) > 0 AND
  length(json_extract(j, '\$.commit')) > 0 AND json_extract(j, '\$.quick')")" 1
expect_eq "bench: results.json measure" "$(q "json_extract(j, '\$.measures[9].key') || ' ' ||
  json_extract(j, '\$.measures[9].value') || ' ' || json_extract(j, '\$.measures[9].budget') || ' ' ||
  json_extract(j, '\$.measures[9].status') || ' ' || json_extract(j, '\$.measures[9].browser.value') || ' ' ||
  json_extract(j, '\$.measures[9].browser.ratio')")" "cmp 50 <100 PASS 735 15"
expect_eq "bench: results.json escapes a label" "$(q "json_extract(j, '\$.measures[7].label')")" \
  'reported "quoted" \ label'
expect_eq "bench: results.json keeps a broken value as text" \
  "$(q "json_type(j, '\$.measures[8].value') || ' ' || json_extract(j, '\$.measures[8].value')")" "text n/a"
expect_eq "bench: results.json part exit and info" "$(q "json_extract(j, '\$.scripts[0].exit') || ' ' ||
  json_extract(j, '\$.info.example_info')")" "3 text with spaces"
finish
