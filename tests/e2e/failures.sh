#!/bin/sh
# End to end, issue 17: a run that fails says so.
# - The engine out of memory: PILOTSIM_FAULT_SCHEDULE=N makes a
#   simulation's Nth event schedule fail as if memory had run out; every
#   command that simulates must then exit 1 with a message and write no
#   summary.json (before, the failure was dropped and the run reported
#   complete: true).
. "$(dirname "$0")/../lib.sh"

nc="--no-charts --quiet"
faults=tests/data/faults.yaml

# ---- the engine out of memory ----
"$PILOTSIM" run $faults -o "$TMP/ref" $nc
for n in 1 5 100 250; do
  PILOTSIM_FAULT_SCHEDULE=$n status 1 "run: schedule $n fails: exit 1" "$PILOTSIM" run $faults -o "$TMP/f$n" $nc
  check "run: schedule $n fails: says out of memory" grep -q "out of memory" "$TMP/err"
  check "run: schedule $n fails: no summary.json" test ! -e "$TMP/f$n/summary.json"
done
PILOTSIM_FAULT_SCHEDULE=1000000 status 0 "a fault past the run's last schedule: exit 0" \
  "$PILOTSIM" run $faults -o "$TMP/late" $nc
check "and the same rows" cmp "$TMP/ref/timeseries.csv" "$TMP/late/timeseries.csv"
PILOTSIM_FAULT_SCHEDULE=100 status 1 "replications in worker processes: exit 1" \
  "$PILOTSIM" run $faults -o "$TMP/rj" --replications 2 --jobs 2 $nc
check "and say out of memory" grep -q "out of memory" "$TMP/err"
PILOTSIM_FAULT_SCHEDULE=100 status 1 "replications in this process: exit 1" \
  "$PILOTSIM" run $faults -o "$TMP/r1" --replications 2 --jobs 1 $nc
check "and say out of memory" grep -q "out of memory" "$TMP/err"
check "no summary.json" test ! -e "$TMP/r1/summary.json"
PILOTSIM_FAULT_SCHEDULE=100 status 1 "compare: exit 1" \
  "$PILOTSIM" compare $faults $faults -o "$TMP/c" --replications 2 $nc
PILOTSIM_FAULT_SCHEDULE=100 status 1 "sweep: exit 1" \
  "$PILOTSIM" sweep $faults --vary adoption.imitation=0.5,1 -o "$TMP/s" $nc

done_testing
