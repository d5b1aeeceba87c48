#!/bin/sh
# End to end: the MPI back end. build/pilotsim-mpi under `mpirun -np 1` and
# `-np 2` writes the same bytes as the serial run (run, compare, sweep),
# records each rank's work, and refuses bad input with exit 2. Skipped (TAP
# skip) where mpirun or mpicc is missing. The binary is $PILOTSIM_MPI, else
# built beside $PILOTSIM with `make mpi` (incremental, normal flags).
. "$(dirname "$0")/../lib.sh"

# OpenMPI's plugins (loaded with dlopen) leak at exit, which LeakSanitizer
# reports in a sanitizer build: leaks are checked on the serial binary (the
# same code) by the other tests and by valgrind, not here.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
command -v mpirun >/dev/null 2>&1 || skip_all "mpirun not installed (make mpi installs OpenMPI)"
command -v mpicc >/dev/null 2>&1 || skip_all "mpicc not installed (make mpi installs OpenMPI)"

bin=${PILOTSIM_MPI:-}
if [ -z "$bin" ]; then
  build=$(dirname "$PILOTSIM")
  # The parent make's variables (SAN=1, ...) are for the normal build only;
  # make passes them on both in MAKEFLAGS and as environment variables.
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u SAN -u BUILD -u CC -u CFLAGS \
    -u LDFLAGS make -s BUILD="$build" mpi >"$TMP/make.log" 2>&1 ||
    skip_all "make mpi failed: $(tail -1 "$TMP/make.log")"
  bin=$build/pilotsim-mpi
fi
[ -x "$bin" ] || skip_all "no MPI binary at $bin"

# OpenMPI refuses root without these, and more ranks than cores without
# --oversubscribe; MPICH needs neither.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
flags=""
mpirun --version 2>&1 | grep -q "Open MPI" && flags="--oversubscribe"
mpi() {
  n=$1; shift
  timeout 120 mpirun $flags -np "$n" "$bin" "$@"
}

q="--set sample=2000 --quiet --no-charts"
quick=tests/data/quick.yaml

status 0 "pilotsim-mpi --version says MPI" mpi 1 --version
check "  (MPI)" grep -q "(MPI)" "$TMP/out"

"$PILOTSIM" run $quick -o "$TMP/serial" --replications 6 --jobs 1 $q
summary_core "$TMP/serial/summary.json" >"$TMP/serial.core"
for n in 1 2; do
  status 0 "run --replications 6 on $n rank(s)" mpi $n run $quick -o "$TMP/np$n" --replications 6 $q
  for f in timeseries.csv replications.csv scenario.yaml; do
    check "  $f identical to the serial run" cmp "$TMP/serial/$f" "$TMP/np$n/$f"
  done
  summary_core "$TMP/np$n/summary.json" >"$TMP/np$n.core"
  check "  summary.json identical outside run" cmp "$TMP/serial.core" "$TMP/np$n.core"
  check "  the run section lists $n rank(s)" test \
    "$(json_get "$TMP/np$n/summary.json" 'scalar @{$j->{run}{workers}}')" = $n
  check "  whose replications add up to 6" test "$(json_get "$TMP/np$n/summary.json" \
    'my $t = 0; $t += $_->{replications} for @{$j->{run}{workers}}; $t')" = 6
  check "  back end mpi" test "$(json_get "$TMP/np$n/summary.json" '$j->{run}{backend}')" = mpi
done
check "rank 0 works too" test "$(json_get "$TMP/np2/summary.json" '$j->{run}{workers}[0]{replications}')" -gt 0

root=$PWD
printf 'extends: %s/tests/data/quick.yaml\ndescription: A larger lottery.\ninterventions:\n  - {id: suzhou-2020-12, kind: lottery, city: suzhou, envelopes: 200000, amount: 200, registration: {from: 2020-12-05T00:00, until: 2020-12-07T00:00}, spending: {from: 2020-12-11T20:00, until: 2020-12-28T00:00}}\n' \
  "$root" >"$TMP/bigger.yaml"
"$PILOTSIM" compare $quick "$TMP/bigger.yaml" -o "$TMP/cs" --replications 4 --jobs 1 $q
status 0 "compare on 2 ranks" mpi 2 compare $quick "$TMP/bigger.yaml" -o "$TMP/cm" --replications 4 $q
# compare.md less its provenance footer: the serial and MPI binaries are two
# builds (a tree edited between them is dirty in one only), and the command
# lines differ.
for d in cs cm; do grep -v ' · commit ' "$TMP/$d/compare.md" >"$TMP/$d/compare.body"; done
for f in compare.csv compare.body plans/bigger/timeseries.csv plans/quick/replications.csv; do
  check "  $f identical to the serial compare" cmp "$TMP/cs/$f" "$TMP/cm/$f"
done

"$PILOTSIM" sweep $quick --vary adoption.imitation=0.2,0.5 --vary sample=1000,2000 \
  --replications 3 --jobs 1 -o "$TMP/ss" --quiet --no-charts
status 0 "sweep on 2 ranks" mpi 2 sweep $quick --vary adoption.imitation=0.2,0.5 \
  --vary sample=1000,2000 --replications 3 -o "$TMP/sm" --quiet --no-charts
check "  sweep.csv identical to the serial sweep" cmp "$TMP/ss/sweep.csv" "$TMP/sm/sweep.csv"

status 0 "a single run on 2 ranks" mpi 2 run $quick -o "$TMP/one" $q
"$PILOTSIM" run $quick -o "$TMP/one-serial" $q
check "  is the single run" cmp "$TMP/one/timeseries.csv" "$TMP/one-serial/timeseries.csv"

status 2 "bad input on 2 ranks exits 2" mpi 2 run "$TMP/nope.yaml" -o "$TMP/bad" --replications 4
check "  and writes nothing" test ! -e "$TMP/bad"
status 2 "refused plans on 2 ranks exit 2" mpi 2 compare $quick "$TMP/nope.yaml" -o "$TMP/bad"
done_testing
