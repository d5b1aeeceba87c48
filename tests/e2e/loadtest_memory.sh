#!/bin/sh
# End to end: a load test's memory does not grow with the length of its
# run. scenarios/design-peak.yaml (thousands of servers, one-minute
# intervals) at a low rate for one hour and for four: the four-hour run's
# peak resident memory (summary.json's run.max_rss_bytes) is within 10% of
# the one-hour run's, for one replication, for two in one process and for
# two on two workers. Before intervals' histograms went to a temporary
# file as they closed, the four hours took 3.4 times the hour's memory (90
# MB against 26 MB). Also: two workers write one job's rows, the two runs'
# first hour is the same, and the four-hour run has its 240 rows.
. "$(dirname "$0")/../lib.sh"

# Under AddressSanitizer (make SAN=1 test) freed memory waits in a
# quarantine and every allocation has shadow memory: resident memory then
# grows with the number of allocations, not with what the run keeps.
if [ "${SAN:-}" = 1 ] || grep -q __asan_init "$PILOTSIM"; then
  skip_all "resident memory means nothing under AddressSanitizer"
fi

peak=scenarios/design-peak.yaml
# hours NAME WHAT [OPTIONS]: the design peak at 100 payments/s for one
# hour and for four (into $TMP/NAME1 and $TMP/NAME4), then their peak
# resident memory compared: four hours within 10% of one.
hours() {
  name=$1 what=$2; shift 2
  for h in 1 4; do
    status 0 "$what: ${h} h at 100 payments/s" "$PILOTSIM" loadtest $peak --profile soak:100:${h}h \
      "$@" -o "$TMP/$name$h" -q --no-charts
  done
  m1=$(json_get "$TMP/${name}1/summary.json" '$j->{run}{max_rss_bytes}')
  m4=$(json_get "$TMP/${name}4/summary.json" '$j->{run}{max_rss_bytes}')
  echo "# $what: peak resident memory 1 h $m1 bytes, 4 h $m4 bytes"
  if [ -z "$m1" ] || [ -z "$m4" ]; then
    skip_all "run.max_rss_bytes is null: no getrusage here"
  fi
  check "$what: the memory is measured" test "$m1" -gt 1000000
  check "$what: four hours within 10% of one hour's memory ($m4 vs $m1 bytes)" \
    test "$m4" -le $((m1 + m1 / 10))
}
hours h "one replication"
# Replications run here (--jobs 1) merge interval by interval through the
# temporary files: two replications hold two results and a merge buffer,
# a constant more than one, and still nothing that grows with the hours.
hours r "two replications, one job" --replications 2 --jobs 1
# Two workers: a replication's result travels through a file and the
# parent reads it interval by interval into its own temporary file,
# keeping only the counts. Before, it travelled as bytes and the parent
# held every interval's histograms: 54 MB for an hour, 198 MB for four.
hours j "two replications, two jobs" --replications 2 --jobs 2
check "two jobs: the same rows as one job" cmp "$TMP/r4/loadtest.csv" "$TMP/j4/loadtest.csv"
check "the four hours have 240 rows" test "$(wc -l <"$TMP/h4/loadtest.csv")" = 241
check "their first hour is the hour's run" \
  cmp "$TMP/h1/loadtest.csv" "$(head -61 "$TMP/h4/loadtest.csv" >"$TMP/first"; echo "$TMP/first")"
done_testing
