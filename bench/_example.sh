#!/usr/bin/env bash
# An example part script for bench/run.sh, and the fixture of its test
# (tests/scripts/bench_harness.sh): one line of each kind, every budget form
# on both sides of its bound, a broken value, a browser pair whose ratio
# cannot be taken, a browser figure with no Sayso measure, and log text.
# The leading _ keeps `make bench` from running it; run it with
# `bench/run.sh _example`. BENCH_QUICK changes nothing here (a real part
# script shortens its runs). BENCH_EXAMPLE_EXIT makes it exit with that code.
set -u
t=$'\t'
echo "example: a log line, shown as it comes"
echo "BENCH${t}lt_pass${t}less than, inside${t}99.5${t}ms${t}<100"
echo "BENCH${t}lt_fail${t}less than, on the bound${t}100${t}ms${t}<100"
echo "BENCH${t}le_pass${t}at most, on the bound${t}40${t}MB${t}<=40"
echo "BENCH${t}le_fail${t}at most, over${t}40.01${t}MB${t}<=40"
echo "BENCH${t}ge_pass${t}at least, on the bound${t}5000${t}responses/s${t}>=5000"
echo "BENCH${t}ge_fail${t}at least, under${t}4999.9${t}responses/s${t}>=5000"
echo "BENCH${t}gt_fail${t}more than, on the bound${t}0${t}x${t}>0"
echo "BENCH${t}reported${t}reported \"quoted\" \\ label${t}812${t}bytes${t}-"
echo "BENCH${t}broken${t}not a number${t}n/a${t}ms${t}<8"
echo "BENCH${t}cmp${t}compared${t}50${t}ms${t}<100"
echo "BROWSER${t}cmp${t}735${t}ms"
echo "BENCH${t}cmp_zero${t}compared with zero${t}0${t}%${t}<0.2"
echo "BROWSER${t}cmp_zero${t}0.4${t}%"
echo "BROWSER${t}browser_only${t}1030.2${t}MB"
echo "INFO${t}example_info${t}text with spaces"
echo "BROWSER${t}bad${t}not-a-number${t}ms"
exit "${BENCH_EXAMPLE_EXIT:-0}"
