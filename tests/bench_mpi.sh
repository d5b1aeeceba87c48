#!/bin/sh
# bench_mpi.sh: the MPI back end's speed-up. Replications per second of
# build/pilotsim-mpi on 1 rank, then on 2, 4, 8 and 16 (RANKS) where this
# machine has that many cores; a count above the cores is skipped with a
# note (BENCH_MPI_OVERSUBSCRIBE=1 runs it anyway: its figure then describes
# the oversubscription, not the code). ROUNDS rounds, each running every
# rank count once in turn (alternating, so all see the same background
# load); the median per count, the speed-up over one rank and the
# efficiency (speed-up / ranks). Charts off; the rate is summary.json's
# run.replications_per_s (the farm's wall time, not MPI start-up or
# writing). Build first with `make mpi` (it installs OpenMPI). On a
# cluster, set MPIRUN (e.g. "mpirun --hostfile hosts" or "srun --mpi=pmix")
# and CORES (the cores the ranks may use; default: this machine's).
#   BUILD=build SCENARIO=scenarios/rollout-phased.yaml R=128 RANKS="2 4 8 16" \
#     ROUNDS=3 sh tests/bench_mpi.sh
set -eu
: "${BUILD:=build}" "${SCENARIO:=scenarios/rollout-phased.yaml}" "${R:=128}" "${ROUNDS:=3}"
: "${RANKS:=2 4 8 16}" "${CORES:=$(getconf _NPROCESSORS_ONLN)}"
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
# The counts this machine can run, 1 first: the baseline of every speed-up.
counts=1
skipped=""
for n in $RANKS; do
  [ "$n" != 1 ] || continue
  if [ "$n" -le "$CORES" ] || [ "${BENCH_MPI_OVERSUBSCRIBE:-0}" = 1 ]; then
    counts="$counts $n"
  else
    skipped="$skipped $n"
  fi
done
echo "bench_mpi.sh: ranks $counts, $ROUNDS rounds of $R replications of $SCENARIO" \
  "${skipped:+(skipped, above the $CORES cores:$skipped)}" >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
round=0
while [ $round -lt "$ROUNDS" ]; do
  for n in $counts; do
    # The scenario's warnings once, not once a run; all of stderr on a failure.
    $MPIRUN -np "$n" "$bin" run "$SCENARIO" -o "$out/r$n" --replications "$R" --no-charts \
      --quiet 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
    [ -f "$out/warned" ] || { sort -u "$out/err" >&2; : >"$out/warned"; }
    perl -MJSON::PP -e 'local $/; print decode_json(<STDIN>)->{run}{replications_per_s}, "\n"' \
      <"$out/r$n/summary.json" >>"$out/rate$n"
  done
  round=$((round + 1))
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "scenario $SCENARIO, $R replications, $ROUNDS rounds, $CORES cores"
base=""
for n in $counts; do
  m=$(median <"$out/rate$n")
  [ -n "$base" ] || base=$m
  awk -v n="$n" -v m="$m" -v b="$base" -v all="$(tr '\n' ' ' <"$out/rate$n")" \
    'BEGIN { printf "%3d ranks: %8.3f replications/s (runs: %s) speed-up %.2fx, efficiency %.0f%%\n",
      n, m, all, m / b, 100 * m / b / n }'
done
for n in $skipped; do
  printf '%3d ranks: skipped: %d cores here (BENCH_MPI_OVERSUBSCRIBE=1 runs it anyway)\n' "$n" "$CORES"
done
