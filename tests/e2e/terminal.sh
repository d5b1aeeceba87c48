#!/bin/sh
# End to end: what the terminal shows. The progress bar on a terminal
# (script(1) gives the command one): the set-up phase, the simulated date,
# n/N replications and plans or points, the elapsed time; never under
# --quiet, never into a pipe or a log.
. "$(dirname "$0")/../lib.sh"

q=tests/data/quick.yaml
quick="--set sample=2000 --no-charts"

# A pipe or a file: no carriage return, no bar.
status 0 "a run into a pipe" "$PILOTSIM" run $q -o "$TMP/pipe" $quick
check "no bar in a pipe" sh -c "! grep -q \"\$(printf '\\r')\" '$TMP/err'"
check "no 'building the population' in a pipe" sh -c "! grep -q 'building the population' '$TMP/err'"

command -v script >/dev/null 2>&1 || {
  echo "# script(1) (bsdutils) is missing: the terminal checks are skipped"
  done_testing
  exit
}

# tty NAME COMMAND: run COMMAND on a terminal 120 columns wide; what it
# showed, every redraw on its own line, goes to $TMP/NAME.
tty() {
  name=$1; shift
  script -q -e -c "stty cols 120 2>/dev/null; $*" /dev/null </dev/null >"$TMP/$name.tty.raw" 2>&1
  rc=$?
  tr "\r" "\n" <"$TMP/$name.tty.raw" >"$TMP/$name.tty"
  return $rc
}

check "a run on a terminal" tty run "$PILOTSIM" run $q -o "$TMP/run" $quick
check "  the set-up phase says so, with its elapsed time" \
  grep -q '^simulating: building the population\.\.\. [0-9.]* s' "$TMP/run.tty"
check "  the bar shows the simulated date and the end date" \
  grep -Eq '^simulating \[[#.]{20}\] 20[0-9]{2}-[0-9]{2}-[0-9]{2} of 20[0-9]{2}-[0-9]{2}-[0-9]{2}, [0-9.]+ s' "$TMP/run.tty"
check "  and finishes on the last day" grep -Eq '\[#{20}\] ([0-9-]{10}) of \1' "$TMP/run.tty"
check "  the bar is cleared before the closing lines" grep -q '^ *$' "$TMP/run.tty"

check "replications on a terminal" tty reps "$PILOTSIM" run $q -o "$TMP/reps" $quick \
  --replications 3 --jobs 2
check "  n/N replications" grep -Eq '\] [0-3]/3 replications, [0-9.]+ s' "$TMP/reps.tty"
check "  3/3 at the end" grep -q '\] 3/3 replications' "$TMP/reps.tty"

check "serial replications on a terminal" tty serial "$PILOTSIM" run $q -o "$TMP/serial" \
  $quick --replications 2 --jobs 1
check "  n/N replications" grep -q '\] 2/2 replications' "$TMP/serial.tty"

check "a compare on a terminal" tty compare "$PILOTSIM" compare $q $q --set seed=7 \
  -o "$TMP/compare" $quick --replications 2 --jobs 2
check "  n/N plans and replications" grep -Eq '^comparing \[[#.]{20}\] [0-2]/2 plans, [0-4]/4 replications' "$TMP/compare.tty"
check "  2/2 plans, 4/4 replications at the end" grep -q '2/2 plans, 4/4 replications' "$TMP/compare.tty"

check "a sweep on a terminal" tty sweep "$PILOTSIM" sweep $q --vary seed=1,2,3 \
  -o "$TMP/sweep" $quick --replications 2 --jobs 2
check "  n/N points" grep -q '^sweeping \[#*\] 3/3 points, 6/6 replications' "$TMP/sweep.tty"

check "--quiet on a terminal" tty quiet "$PILOTSIM" run $q -o "$TMP/quiet" $quick --quiet
check "  no bar under --quiet" sh -c "! grep -q '\\[' '$TMP/quiet.tty'"
check "  nothing but the scenario's warnings under --quiet" \
  sh -c "! grep -v '^pilotsim: warning:' '$TMP/quiet.tty' | grep -q '[^[:space:]]'"

done_testing
