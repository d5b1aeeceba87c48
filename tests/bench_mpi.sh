#!/bin/sh
# bench_mpi.sh: replications per second of build/pilotsim-mpi on 1, 2, 4, 8
# and 16 ranks (RANKS), ROUNDS rounds, each round running every rank count
# once in turn (alternating, so all see the same background load); the
# median per count and the speed-up over one rank. Charts off; the rate is
# summary.json's run.replications_per_s (the farm's wall time, not MPI
# start-up or writing). Build first with `make mpi`. On a cluster, set
# MPIRUN (e.g. "mpirun --hostfile hosts" or "srun --mpi=pmix").
#   BUILD=build SCENARIO=scenarios/rollout-phased.yaml R=128 RANKS="1 2 4 8 16" \
#     ROUNDS=3 sh tests/bench_mpi.sh
set -eu
: "${BUILD:=build}" "${SCENARIO:=scenarios/rollout-phased.yaml}" "${R:=128}" "${ROUNDS:=3}"
: "${RANKS:=1 2 4 8 16}"
bin=$BUILD/pilotsim-mpi
[ -x "$bin" ] || { echo "bench_mpi.sh: no $bin (make mpi)" >&2; exit 1; }
if [ -z "${MPIRUN:-}" ]; then
  MPIRUN=mpirun
  # OpenMPI: allow root (containers) and more ranks than cores (hyper-threads).
  if mpirun --version 2>&1 | grep -q "Open MPI"; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    MPIRUN="mpirun --oversubscribe --bind-to none"
  fi
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
round=0
while [ $round -lt "$ROUNDS" ]; do
  for n in $RANKS; do
    $MPIRUN -np "$n" "$bin" run "$SCENARIO" -o "$out/r$n" --replications "$R" --no-charts --quiet
    perl -MJSON::PP -e 'local $/; print decode_json(<STDIN>)->{run}{replications_per_s}, "\n"' \
      <"$out/r$n/summary.json" >>"$out/rate$n"
  done
  round=$((round + 1))
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "scenario $SCENARIO, $R replications, $ROUNDS rounds, $(getconf _NPROCESSORS_ONLN) cores"
base=""
for n in $RANKS; do
  m=$(median <"$out/rate$n")
  [ -n "$base" ] || base=$m
  awk -v n="$n" -v m="$m" -v b="$base" -v all="$(tr '\n' ' ' <"$out/rate$n")" \
    'BEGIN { printf "%3d ranks: %8.3f replications/s (runs: %s) speed-up %.2fx\n", n, m, all, m / b }'
done
