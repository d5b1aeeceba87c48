#!/bin/sh
# bench_jobs.sh: replications per second with --jobs 1 and --jobs J on this
# machine: ROUNDS alternating runs of each (so both see the same background
# load), the median of each, and the speed-up. Charts off; the rate is
# summary.json's run.replications_per_s (simulation only, no writing).
#   BUILD=build SCENARIO=scenarios/rollout-phased.yaml R=16 J=2 ROUNDS=5 sh tests/bench_jobs.sh
set -eu
: "${BUILD:=build}" "${SCENARIO:=scenarios/rollout-phased.yaml}" "${R:=16}" "${ROUNDS:=5}"
: "${J:=$(getconf _NPROCESSORS_ONLN)}"
bin=$BUILD/pilotsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rate() {
  "$bin" run "$SCENARIO" -o "$out/r" --replications "$R" --jobs "$1" --no-charts --quiet
  perl -MJSON::PP -e 'local $/; print decode_json(<STDIN>)->{run}{replications_per_s}' <"$out/r/summary.json"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$out/one"
: >"$out/many"
i=0
while [ $i -lt "$ROUNDS" ]; do
  rate 1 >>"$out/one"; echo >>"$out/one"
  rate "$J" >>"$out/many"; echo >>"$out/many"
  i=$((i + 1))
done
one=$(median <"$out/one")
many=$(median <"$out/many")
echo "scenario $SCENARIO, $R replications, $ROUNDS alternating rounds, $(getconf _NPROCESSORS_ONLN) cores"
echo "jobs 1: $(tr '\n' ' ' <"$out/one")-> median $one replications/s"
echo "jobs $J: $(tr '\n' ' ' <"$out/many")-> median $many replications/s"
awk -v a="$one" -v b="$many" -v j="$J" 'BEGIN { printf "speed-up with %d jobs: %.2fx\n", j, b / a }'
