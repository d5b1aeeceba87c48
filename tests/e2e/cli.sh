#!/bin/sh
# End to end: the command line. Help and version, every exit status, options
# before or after the scenario, and scenario text that must never run as code.
. "$(dirname "$0")/../lib.sh"

quick="--set sample=2000"

status 0 "--help" "$PILOTSIM" --help
check "--help lists the commands" grep -q "run SCENARIO" "$TMP/out"
status 0 "--version" "$PILOTSIM" --version
check "--version prints the version" grep -q "^pilotsim [0-9]" "$TMP/out"
for c in run check plot; do
  status 0 "$c --help" "$PILOTSIM" $c --help
  check "$c --help shows its usage" grep -q "usage: pilotsim $c" "$TMP/out"
done
status 0 "bench --help" "$PILOTSIM" bench --help

# Exit status 2: usage errors and bad input.
status 2 "no command" "$PILOTSIM"
status 2 "unknown command" "$PILOTSIM" frobnicate
status 2 "unknown option" "$PILOTSIM" run scenarios/pilot-2020.yaml --frobnicate
status 2 "missing scenario argument" "$PILOTSIM" run
status 2 "two scenarios" "$PILOTSIM" run scenarios/pilot-2020.yaml scenarios/pilot-2020.yaml
status 2 "--seed not a number" "$PILOTSIM" run scenarios/pilot-2020.yaml --seed abc
status 2 "--set without =" "$PILOTSIM" run scenarios/pilot-2020.yaml --set sample
status 2 "missing scenario file" "$PILOTSIM" run "$TMP/nope.yaml" -o "$TMP/nope"
check "a missing file says so on one line" test "$(wc -l <"$TMP/err")" -eq 1
check "no output directory for bad input" test ! -e "$TMP/nope"
status 2 "a directory as scenario" "$PILOTSIM" run scenarios -o "$TMP/dir"
check "no output directory for a directory" test ! -e "$TMP/dir"
status 2 "check of a missing file" "$PILOTSIM" check "$TMP/nope.yaml"
status 2 "plot of a directory without a run" "$PILOTSIM" plot "$TMP"
status 2 "bench without a benchmark" "$PILOTSIM" bench

# Every usage error of the option parser, word for word: exit status 2 and
# one line, before anything is read or written. ARGS | MESSAGE.
q=tests/data/quick.yaml
set -f
while IFS='|' read -r args says; do
  # shellcheck disable=SC2086 # ARGS are words
  status 2 "usage error: $args" "$PILOTSIM" $args
  check "  says: $says" test "$(cat "$TMP/err")" = "$says"
done <<EOF
check $q --replications=3|pilotsim check: option '--replications=3' does not apply here (see pilotsim check --help)
plot $q --jobs=2|pilotsim plot: option '--jobs=2' does not apply here (see pilotsim plot --help)
compare $q $q --precision=2%|pilotsim compare: option '--precision=2%' does not apply here (see pilotsim compare --help)
run $q --vary=seed=1,2|pilotsim run: option '--vary=seed=1,2' does not apply here (see pilotsim run --help)
plot|pilotsim plot: missing DIR (see pilotsim plot --help)
run $q --seed -1|pilotsim run: --seed wants a non-negative integer, not '-1' (see pilotsim run --help)
run $q --replications 0|pilotsim run: --replications wants a count from 1 to 100000, not '0' (see pilotsim run --help)
run $q --max-replications 100001|pilotsim run: --max-replications wants a count from 1 to 100000, not '100001' (see pilotsim run --help)
run $q --max-replications 5|pilotsim run: --max-replications needs --precision (see pilotsim run --help)
run $q --precision 2% --max-replications 1|pilotsim run: --max-replications must be at least 2 (an interval needs two replications) (see pilotsim run --help)
run $q -j 0|pilotsim run: --jobs wants a count from 1 to 4096, not '0' (see pilotsim run --help)
run $q --precision 100%|pilotsim run: --precision wants a share such as 2% or 0.02, not '100%' (see pilotsim run --help)
run $q --max-memory 12Q|pilotsim run: --max-memory wants a size like 16G or 512M, not '12Q' (see pilotsim run --help)
compare $q|pilotsim compare: compare needs at least two plans (see pilotsim compare --help)
compare $q $q --replications 1|pilotsim compare: --replications must be at least 2 (a paired interval needs two) (see pilotsim compare --help)
compare a b c d e f g h i j k l m n o p q|pilotsim compare: too many plans (16 at most) (see pilotsim compare --help)
sweep $q|pilotsim sweep: sweep needs at least one --vary KEY=V1,V2,... (see pilotsim sweep --help)
sweep $q --vary|pilotsim sweep: option --vary needs a value (see pilotsim sweep --help)
bench phold --lps x|pilotsim bench: bad number 'x' (see pilotsim bench --help)
bench phold extra|pilotsim bench: unexpected argument 'extra' (see pilotsim bench --help)
bench --frobnicate|pilotsim bench: unknown option '--frobnicate' (see pilotsim bench --help)
EOF
# The caps on repeated options and arguments.
many() { i=0; while [ $i -lt "$2" ]; do printf ' %s%d' "$1" $i; i=$((i + 1)); done; }
status 2 "257 --set options" "$PILOTSIM" run $q $(many --set=seed= 257)
check "  says 256 at most" grep -q "too many --set options (256 at most)" "$TMP/err"
status 2 "65 --vary options" "$PILOTSIM" sweep $q $(many --vary=seed= 65)
check "  says 64 at most" grep -q "too many --vary options (64 at most)" "$TMP/err"
status 2 "65 --metric options" "$PILOTSIM" sweep $q --vary seed=1 $(many --metric=m 65)
check "  says 64 at most" grep -q "too many --metric options (64 at most)" "$TMP/err"
status 2 "65 scenarios" "$PILOTSIM" compare $(many s 65)
check "  says 64 at most" grep -q "too many scenarios (64 at most)" "$TMP/err"
set +f

# Exit status 0 and 1.
status 0 "check of the default scenario" "$PILOTSIM" check scenarios/pilot-2020.yaml
check "check prints a summary" grep -q "shenzhen" "$TMP/out"
status 0 "options after the scenario" "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/after" $quick --quiet --no-charts
status 0 "options before the scenario" "$PILOTSIM" run -o "$TMP/before" $quick --quiet --no-charts tests/data/quick.yaml
check "--no-charts draws no chart" test ! -e "$TMP/before/charts"
# (quick.yaml's coarse sample leaves its banks one server each: the latency
# warning is all a quiet run may print.)
check "a quiet run prints nothing but its warnings" sh -c "! grep -v '^pilotsim: warning: ' '$TMP/err'"
check "  and that warning is the sampled queues'" grep -q "^pilotsim: warning: sample [0-9]*: sampled queues" "$TMP/err"
check "  and summary.json lists it" sh -c "grep -q '\"warnings\": \\[\"sample 2000: sampled queues cannot keep latency' '$TMP/before/summary.json'"
touch "$TMP/file"
status 1 "an output path under a file is a runtime failure" \
  "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/file/out" $quick --quiet
mkdir "$TMP/bin"
ln -s "$(command -v dirname)" "$TMP/bin/dirname"
status 1 "gnuplot missing is a runtime failure" \
  env PATH="$TMP/bin" "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/nognuplot" $quick --quiet
check "and it says so" grep -q gnuplot "$TMP/err"
check "the data computed is kept" test -s "$TMP/nognuplot/timeseries.csv"

# --jobs defaults to the CPUs this process may use (cpus.h; the parsers are
# tested with fake files in tests/unit/test_cpus.c): SLURM's allocation and
# the affinity mask count, not the machine's cores.
status 0 "SLURM_CPUS_PER_TASK=1: a replicated run" env SLURM_CPUS_PER_TASK=1 \
  "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/slurm" $quick --replications 2 --no-charts --quiet
check "  runs one worker (serial), whatever the cores" \
  test "$(json_get "$TMP/slurm/summary.json" '$j->{run}{backend}')" = serial
if command -v taskset >/dev/null 2>&1; then
  status 0 "one CPU in the affinity mask: a replicated run" taskset -c 0 \
    "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/one" $quick --replications 2 --no-charts --quiet
  check "  runs one worker (serial)" \
    test "$(json_get "$TMP/one/summary.json" '$j->{run}{backend}')" = serial
fi
check "--help names the default of --jobs" sh -c "'$PILOTSIM' run --help | grep -q 'SLURM_CPUS_PER_TASK'"

# Hostile names, in the scenario and in a city: shown as text, never run.
root=$PWD
cd "$TMP" || exit 1
n=0
for name in '`touch pwned1`' 'x"; system("touch pwned2"); "' "system('touch pwned3')" '@ARG1 $(touch pwned4)'; do
  n=$((n + 1))
  quoted=$(printf '%s' "$name" | sed "s/'/''/g")
  printf "extends: '%s'\nname: '%s'\ncities:\n  xiongan: {name: '%s'}\n" \
    "$root/tests/data/quick.yaml" "$quoted" "$quoted" >"$TMP/hostile$n.yaml"
  status 0 "a hostile name runs as text: $name" "$PILOTSIM" run "$TMP/hostile$n.yaml" \
    -o "$TMP/hostile$n" $quick --quiet
done
check "no hostile command ran" sh -c '! ls pwned* 2>/dev/null | grep -q .'
check "the hostile name is in the SVG title as text" grep -q 'touch pwned4' "$TMP/hostile4/charts/adoption.svg"
cd "$root" || exit 1
done_testing
