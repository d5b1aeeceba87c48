#!/bin/sh
# End to end: `pilotsim loadtest --jobs J`. A bad J exits 2 with one line;
# the replications and the capacity probes run over J workers and every
# file is the same for J = 1, 2 and 3 (summary.json's `run` section and
# report.html's start time aside); the capacity, its probes and their log
# do not depend on J; run.backend and run.jobs say how it ran; a failing
# run, a killed worker or a full disk ends the command with exit 1 and one
# message.
. "$(dirname "$0")/../lib.sh"

cap=tests/validation/capacity.yaml
lt() { "$PILOTSIM" loadtest "$@"; }

# Bad input: exit 2 and one line on stderr naming the problem.
bad() {
  expect=$1; shift
  status 2 "bad input: $*" lt "$@" -o "$TMP/bad" --no-charts -q
  check "  says: $expect" grep -q -- "$expect" "$TMP/err"
  check "  in one line" test "$(wc -l <"$TMP/err")" = 1
}
for j in 0 4097 x -1 2.5 ''; do
  bad "--jobs wants a count from 1 to 4096, not '$j'" $cap --jobs "$j"
done
bad "--jobs wants a count from 1 to 4096, not '0'" $cap -j 0
status 2 "--jobs without its value" lt $cap -o "$TMP/bad" --jobs
check "  says: needs a value" grep -q 'option --jobs needs a value' "$TMP/err"
check "nothing is written on bad input" test ! -e "$TMP/bad"
status 0 "--help names --jobs" lt --help
check "  and its default" grep -q 'the CPUs this process may' "$TMP/out"

# The same bytes for any J: a capacity search of two replications after a
# step profile of two replications with a fault (merged intervals, faults,
# warnings, the probes' log, the charts, the report).
files="loadtest.csv loadtest_resources.csv loadtest_capacity.csv charts/loadtest-knee.svg
charts/loadtest-latency.svg charts/loadtest-utilization.svg"
for j in 1 2 3; do
  status 0 "J=$j: a capacity search and replications" lt $cap -o "$TMP/j$j" -q --find-capacity \
    --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 10s --warmup 5s \
    --replications 2 --profile step:400:1000:3:10s --fault bank:12s:3s --jobs $j
  awk -f tests/golden/strip_run.awk "$TMP/j$j/summary.json" >"$TMP/j$j.summary"
  grep -v 'load test started' "$TMP/j$j/report.html" >"$TMP/j$j.report"
done
check "J=1: run.backend serial, run.jobs 1" test "$(json_get "$TMP/j1/summary.json" '$j->{run}{backend} . $j->{run}{jobs}')" = serial1
check "J=3: run.backend fork, run.jobs 3" test "$(json_get "$TMP/j3/summary.json" '$j->{run}{backend} . $j->{run}{jobs}')" = fork3
c1=$(json_get "$TMP/j1/summary.json" '$j->{loadtest}{capacity_per_s}')
check "a capacity is found ($c1/s)" test -n "$c1"
for j in 2 3; do
  check "J=$j: the same capacity" test "$(json_get "$TMP/j$j/summary.json" '$j->{loadtest}{capacity_per_s}')" = "$c1"
  check "J=$j: the same summary.json, run aside" cmp "$TMP/j1.summary" "$TMP/j$j.summary"
  check "J=$j: the same report.html, its start time aside" cmp "$TMP/j1.report" "$TMP/j$j.report"
  for f in $files; do
    check "J=$j: the same $f" cmp "$TMP/j1/$f" "$TMP/j$j/$f"
  done
done
check "J=3 runs probes ahead: capacity_soaks >= capacity_probes" test "$(json_get "$TMP/j3/summary.json" '$j->{run}{capacity_soaks} >= $j->{loadtest}{capacity_probes} ? 1 : 0')" = 1
check "J=1 runs only the search's: capacity_soaks = capacity_probes" test "$(json_get "$TMP/j1/summary.json" '$j->{run}{capacity_soaks} == $j->{loadtest}{capacity_probes} ? 1 : 0')" = 1

# Replications alone, more of them than workers: merged in order.
for j in 1 2; do
  status 0 "J=$j: five replications" lt $cap -o "$TMP/r$j" -q --no-charts --replications 5 \
    --profile ramp:300:1100:20s --warmup 2s --jobs $j
  awk -f tests/golden/strip_run.awk "$TMP/r$j/summary.json" >"$TMP/r$j.summary"
done
check "  the same loadtest.csv" cmp "$TMP/r1/loadtest.csv" "$TMP/r2/loadtest.csv"
check "  the same summary.json, run aside" cmp "$TMP/r1.summary" "$TMP/r2.summary"

# A replication that fails in a worker: exit 1, said once, nothing written.
PILOTSIM_FAULT_LEAK=-4611686018427387904 status 1 "a failing replication in a worker: exit 1" \
  lt $cap -o "$TMP/fail" -q --no-charts --profile soak:100:10s --warmup 0s --replications 2 --jobs 2
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"
check "  no summary.json" test ! -e "$TMP/fail/summary.json"
PILOTSIM_FAULT_LEAK=-4611686018427387904 status 1 "a failing capacity probe in a worker: exit 1" \
  lt $cap -o "$TMP/failcap" -q --no-charts --profile soak:100:10s --warmup 0s --replications 1 \
  --find-capacity --slo 'p99<1s' --capacity-range 100:200 --capacity-duration 1s --jobs 2
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"

# A worker that dies (the OOM killer's SIGKILL): exit 1, said in one line.
if command -v pgrep >/dev/null 2>&1; then
  "$PILOTSIM" loadtest scenarios/double11.yaml -o "$TMP/killed" -q --no-charts \
    --profile soak:10000:600s --warmup 0s --replications 4 --jobs 2 2>"$TMP/kerr" &
  pid=$!
  child=""
  for i in $(seq 1 100); do
    child=$(pgrep -P $pid | head -1)
    [ -n "$child" ] && break
    sleep 0.1
  done
  [ -n "$child" ] && kill -9 "$child"
  wait $pid
  rc=$?
  check "a worker killed: exit 1 (got $rc)" test "$rc" = 1
  check "  says so in one line" test "$(grep -c 'pilotsim: loadtest: a replication failed: a worker process died' "$TMP/kerr")" = 1
fi

# A full disk: a worker's result goes to the parent through a temporary
# file, and one that cannot be written ends the command (exit 1, one
# line, nothing written). The file-size limit stands in for the disk (its
# signal ignored, so that a write fails with EFBIG instead).
full() { sh -c 'trap "" XFSZ; ulimit -f 100; exec "$0" "$@"' "$PILOTSIM" "$@"; }
status 1 "a full disk under two workers: exit 1" full loadtest scenarios/design-peak.yaml \
  --profile soak:100:10m -o "$TMP/full" -q --no-charts --replications 2 --jobs 2
check "  says the result could not be written" \
  grep -q "a replication failed: cannot write its result to a temporary file: File too large" "$TMP/err"
check "  in one line" test "$(wc -l <"$TMP/err")" = 1
check "  nothing written" test ! -e "$TMP/full"

# The memory estimate counts a run in each worker: too many is refused,
# with the way out.
status 2 "64 workers of a long profile are refused" lt $cap -o "$TMP/big" -q --no-charts \
  --profile soak:100:10000s --interval 1s --replications 64 --jobs 64 --max-memory 4G
check "  the way out: fewer --jobs" grep -q 'fewer --jobs$' "$TMP/err"
check "  in one line" test "$(wc -l <"$TMP/err")" = 1

# The default: the CPUs this process may use (as run's).
if command -v taskset >/dev/null 2>&1; then
  status 0 "one CPU in the affinity mask: --jobs defaults to 1" taskset -c 0 \
    "$PILOTSIM" loadtest $cap -o "$TMP/aff" -q --no-charts --profile soak:100:2s --warmup 0s --replications 2
  check "  run.jobs is 1" test "$(json_get "$TMP/aff/summary.json" '$j->{run}{jobs}')" = 1
fi

done_testing
