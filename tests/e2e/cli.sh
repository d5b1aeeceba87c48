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
