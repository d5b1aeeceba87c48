#!/bin/sh
# End to end: a load test's memory does not grow with the length of its
# run. scenarios/design-peak.yaml (thousands of servers, one-minute
# intervals) at a low rate for one hour and for four: the four-hour run's
# peak resident memory (summary.json's run.max_rss_bytes) is within 10% of
# the one-hour run's. Before intervals' histograms went to a temporary file
# as they closed, the four hours took 3.4 times the hour's memory (90 MB
# against 26 MB). Also: the two runs' first hour is the same, and the
# four-hour run has its 240 rows.
. "$(dirname "$0")/../lib.sh"

# Under AddressSanitizer (make SAN=1 test) freed memory waits in a
# quarantine and every allocation has shadow memory: resident memory then
# grows with the number of allocations, not with what the run keeps.
if [ "${SAN:-}" = 1 ] || grep -q __asan_init "$PILOTSIM"; then
  skip_all "resident memory means nothing under AddressSanitizer"
fi

peak=scenarios/design-peak.yaml
status 0 "an hour at 100 payments/s" "$PILOTSIM" loadtest $peak --profile soak:100:1h \
  -o "$TMP/h1" -q --no-charts
status 0 "four hours at 100 payments/s" "$PILOTSIM" loadtest $peak --profile soak:100:4h \
  -o "$TMP/h4" -q --no-charts
m1=$(json_get "$TMP/h1/summary.json" '$j->{run}{max_rss_bytes}')
m4=$(json_get "$TMP/h4/summary.json" '$j->{run}{max_rss_bytes}')
echo "# peak resident memory: 1 h $m1 bytes, 4 h $m4 bytes"
if [ -z "$m1" ] || [ -z "$m4" ]; then
  skip_all "run.max_rss_bytes is null: no getrusage here"
fi
check "the memory is measured" test "$m1" -gt 1000000
check "four hours within 10% of one hour's memory ($m4 vs $m1 bytes)" \
  test "$m4" -le $((m1 + m1 / 10))
# Replications run here (--jobs 1) merge interval by interval through the
# temporary files: two replications hold two results and a merge buffer,
# a constant more than one, and still nothing that grows with the hours.
status 0 "an hour, two replications, one job" "$PILOTSIM" loadtest $peak \
  --profile soak:100:1h --replications 2 --jobs 1 -o "$TMP/h1r2" -q --no-charts
status 0 "four hours, two replications, one job" "$PILOTSIM" loadtest $peak \
  --profile soak:100:4h --replications 2 --jobs 1 -o "$TMP/h4r2" -q --no-charts
m1r2=$(json_get "$TMP/h1r2/summary.json" '$j->{run}{max_rss_bytes}')
m4r2=$(json_get "$TMP/h4r2/summary.json" '$j->{run}{max_rss_bytes}')
check "two replications: four hours within 10% of one hour's memory ($m4r2 vs $m1r2 bytes)" \
  test "$m4r2" -le $((m1r2 + m1r2 / 10))
# Two workers: a replication's result travels through a file and the
# parent reads it interval by interval into its own temporary file,
# keeping only the counts. Before, it travelled as bytes and the parent
# held every interval's histograms: 54 MB for an hour, 198 MB for four.
status 0 "an hour, two replications, two jobs" "$PILOTSIM" loadtest $peak \
  --profile soak:100:1h --replications 2 --jobs 2 -o "$TMP/h1j2" -q --no-charts
status 0 "four hours, two replications, two jobs" "$PILOTSIM" loadtest $peak \
  --profile soak:100:4h --replications 2 --jobs 2 -o "$TMP/h4j2" -q --no-charts
m1j2=$(json_get "$TMP/h1j2/summary.json" '$j->{run}{max_rss_bytes}')
m4j2=$(json_get "$TMP/h4j2/summary.json" '$j->{run}{max_rss_bytes}')
echo "# two jobs: 1 h $m1j2 bytes, 4 h $m4j2 bytes"
check "two jobs: four hours within 10% of one hour's memory ($m4j2 vs $m1j2 bytes)" \
  test "$m4j2" -le $((m1j2 + m1j2 / 10))
check "two jobs: the same rows as one job" cmp "$TMP/h4r2/loadtest.csv" "$TMP/h4j2/loadtest.csv"
check "the four hours have 240 rows" test "$(wc -l <"$TMP/h4/loadtest.csv")" = 241
check "their first hour is the hour's run" \
  cmp "$TMP/h1/loadtest.csv" "$(head -61 "$TMP/h4/loadtest.csv" >"$TMP/first"; echo "$TMP/first")"
done_testing
