#!/bin/sh
# End to end, issue 17: a run that fails says so (classes 8 and 10).
# - The engine out of memory: PILOTSIM_FAULT_SCHEDULE=N makes a
#   simulation's Nth event schedule fail as if memory had run out; every
#   command that simulates must then exit 1 with a message and write no
#   summary.json (before, the failure was dropped and the run reported
#   complete: true).
# - Outages in `run`: payments that meet an operator that is down fail
#   when their timeout passes, hour by hour, and the hour after shows no
#   backlog (before: no failures in the outage's hours, all of them and a
#   50-fold tps_peak in the hour after).
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

# ---- outages in run ----
out=$TMP/outage
status 0 "an outage scenario runs" "$PILOTSIM" run tests/data/outage.yaml -o "$out" $nc
row() {   # row TIME COLUMN: a value of Shenzhen's bucket ending at TIME
  awk -F, -v t="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 ~ "^" t { print $col[c] }' "$out/timeseries.csv"
}
for h in 11 12 13 14; do
  check "failures in the hour ending $h:00, inside the outage ($(row 2020-12-02T$h: payments_failed))" \
    test "$(row 2020-12-02T$h: payments_failed)" -gt 10000
done
check "none in the hour after it" test "$(row 2020-12-02T15: payments_failed)" = 0
check "no phantom load after it: $(row 2020-12-02T15: tps_mean)/s, the hour before it $(row 2020-12-02T10: tps_mean)/s" \
  perl -e 'exit !($ARGV[0] < 1.5 * $ARGV[1])' "$(row 2020-12-02T15: tps_mean)" "$(row 2020-12-02T10: tps_mean)"
check "nor a phantom peak: $(row 2020-12-02T15: tps_peak)/s, the hour before it $(row 2020-12-02T10: tps_peak)/s" \
  perl -e 'exit !($ARGV[0] < 2 * $ARGV[1])' "$(row 2020-12-02T15: tps_peak)" "$(row 2020-12-02T10: tps_peak)"
check "summary.json counts the payments in flight at the horizon" \
  test -n "$(json_get "$out/summary.json" '$j->{cities}{shenzhen}{payments_in_flight}')"
check "money balances" test "$(json_get "$out/summary.json" \
  '$j->{money}{circulation_fen} == $j->{money}{wallets_fen} ? 1 : 0')" = 1
status 0 "an outage of the ledger to the end of the run" "$PILOTSIM" run tests/data/outage.yaml -o "$TMP/end" $nc \
  --set interventions.icbc-down.target=ledger \
  --set interventions.icbc-down.window.from=2020-12-03T10:00 \
  --set interventions.icbc-down.window.until=2020-12-04T00:00
check "fails payments to the end (before: none)" \
  test "$(json_get "$TMP/end/summary.json" '$j->{interventions}[0]{window_failed}')" -gt 100000

done_testing
