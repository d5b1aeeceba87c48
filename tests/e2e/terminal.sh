#!/bin/sh
# End to end: what the terminal shows. The closing lines of run, compare,
# sweep and calibrate (the headline figures, then where to look); the
# progress bar on a terminal (script(1) gives the command one): the set-up
# phase, the simulated date, n/N replications and plans or points, the
# elapsed time; neither under --quiet, and no bar into a pipe or a log.
. "$(dirname "$0")/../lib.sh"

q=tests/data/quick.yaml
quick="--set sample=2000 --no-charts"

# lines FILE: the closing lines (what is not a warning).
lines() { grep -v '^pilotsim: warning:' "$1"; }

status 0 "run" "$PILOTSIM" run $q -o "$TMP/h-run" --set sample=2000
lines "$TMP/err" >"$TMP/h-run.txt"
check "run: the title names the scenario, period and sampling" \
  grep -q '^pilotsim: quick test, 2020-12-01 for 60 days, one person in 2000 simulated$' "$TMP/h-run.txt"
for fig in wallets adoption payments 'p99 latency' 'money conserved' 'wall time'; do
  check "run: $fig" grep -q "^  $fig  " "$TMP/h-run.txt"
done
check "run: adoption as a share of the people" grep -Eq '^  adoption +[0-9.]+% of [0-9.]+ million people$' "$TMP/h-run.txt"
check "run: money conserved to the fen" grep -q '^  money conserved   yes, to the fen (' "$TMP/h-run.txt"
check "run: where to look" grep -Eq "^  (report|outputs) +$TMP/h-run/" "$TMP/h-run.txt"
check "run: no events per second any more" sh -c "! grep -q 'events/s' '$TMP/h-run.txt'"
wallets=$(json_get "$TMP/h-run/summary.json" \
  'my $n = 0; $n += $_->{wallets} for values %{$j->{cities}}; sprintf "%.3g million", $n / 1e6')
check "run: the wallets are summary.json's ($wallets)" grep -q "^  wallets  *$wallets\$" "$TMP/h-run.txt"

status 0 "run --replications 3" "$PILOTSIM" run $q -o "$TMP/h-reps" $quick --replications 3
check "replicated: the mean of 3 and an interval" sh -c \
  "grep -q 'mean of 3 replications' '$TMP/err' && grep -q '^  adoption .*(95% interval ' '$TMP/err'"

status 0 "compare" "$PILOTSIM" compare $q $q -o "$TMP/h-cmp" $quick --set seed=5 --replications 2
lines "$TMP/err" >"$TMP/h-cmp.txt"
check "compare: the plans and the baseline" grep -q '^pilotsim compare: ' "$TMP/h-cmp.txt"
check "compare: each plan against the baseline, or the bottom line" \
  grep -Eq '^  (vs the baseline|bottom line) ' "$TMP/h-cmp.txt"
check "compare: where the memo is" grep -Eq "^  (report|outputs) +$TMP/h-cmp/(report.html|compare.md)" "$TMP/h-cmp.txt"

status 0 "sweep" "$PILOTSIM" sweep $q --vary seed=1,2 -o "$TMP/h-sweep" $quick --replications 2
lines "$TMP/err" >"$TMP/h-sweep.txt"
check "sweep: its points and keys" grep -q '^pilotsim sweep: 2 points over seed$' "$TMP/h-sweep.txt"
check "sweep: where adoption is lowest and highest" \
  grep -Eq '^  adoption +lowest [0-9.]+% \(seed=[12]\), highest [0-9.]+% \(seed=[12]\)$' "$TMP/h-sweep.txt"
check "sweep: where to look" grep -Eq "^  (report|outputs) +$TMP/h-sweep/" "$TMP/h-sweep.txt"

status 0 "calibrate" "$PILOTSIM" calibrate scenarios/suzhou-2020.yaml --targets tests/validation/targets.yaml \
  -o "$TMP/h-cal" --replications 2 --set sample=200 --no-charts
lines "$TMP/err" >"$TMP/h-cal.txt"
check "calibrate: the scenario and the targets" grep -q '^pilotsim calibrate: .* against tests/validation/targets.yaml$' "$TMP/h-cal.txt"
check "calibrate: targets within tolerance" grep -Eq '^  check targets +[0-9]+ of [0-9]+ within tolerance' "$TMP/h-cal.txt"
check "calibrate: where to look" grep -Eq "^  (report|outputs) +$TMP/h-cal/" "$TMP/h-cal.txt"

cat >"$TMP/fit-targets.yaml" <<'EOF'
targets:
  - {id: wallets-q1, role: fit, series: wallets, city: total, at: 2020-03-31, value: 30000, tolerance: 3%}
  - {id: wallets-y1, role: fit, series: wallets, city: total, at: 2020-12-20, value: 200000, tolerance: 3%}
EOF
status 0 "calibrate --fit" "$PILOTSIM" calibrate tests/data/fit.yaml --targets "$TMP/fit-targets.yaml" \
  --replications 2 --fit adoption.innovation=0.01:0.5 --max-evaluations 6 --jobs 1 -o "$TMP/h-fit" --no-charts
check "calibrate --fit: the fitted key and its interval" \
  grep -Eq '^  fitted +adoption\.innovation = [0-9.e-]+ \([0-9.e-]+ to [0-9.e-]+\)' "$TMP/err"
check "calibrate --fit: the objective and the evaluations" \
  grep -Eq '^  objective +[0-9.e+-]+ \(sum of squared errors in tolerances\) after [0-9]+ evaluations$' "$TMP/err"
# (calibrate writes report.html, which names calibrated.yaml.)
check "calibrate --fit: where its report is" grep -q "h-fit/report.html (open it in a browser)" "$TMP/err"

for c in "run $q -o $TMP/hq1" "compare $q $q --set seed=5 --replications 2 -o $TMP/hq2" \
  "sweep $q --vary seed=1,2 --replications 2 -o $TMP/hq3"; do
  # shellcheck disable=SC2086 # words
  status 0 "--quiet: $c" "$PILOTSIM" $c $quick --quiet
  check "  no closing lines" test -z "$(lines "$TMP/err")"
done

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

check "the whole pilot on a terminal" tty nat "$PILOTSIM" run scenarios/pilot-national.yaml \
  -o "$TMP/nat" --set sample=5000 --no-charts
check "  the set-up counts the people built" \
  grep -q '^simulating: building the population\.\.\. [0-9.]* of 30787 people, [0-9.]* s' "$TMP/nat.tty"

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

check "a calibration on a terminal" tty cal "$PILOTSIM" calibrate scenarios/suzhou-2020.yaml \
  --targets tests/validation/targets.yaml -o "$TMP/cal" --set sample=200 --no-charts --replications 2
check "  n/N replications" grep -q '^calibrating \[#*\] 2/2 replications' "$TMP/cal.tty"

check "--quiet on a terminal" tty quiet "$PILOTSIM" run $q -o "$TMP/quiet" $quick --quiet
check "  no bar under --quiet" sh -c "! grep -q '\\[' '$TMP/quiet.tty'"
check "  nothing but the scenario's warnings under --quiet" \
  sh -c "! grep -v '^pilotsim: warning:' '$TMP/quiet.tty' | grep -q '[^[:space:]]'"

done_testing
