#!/bin/sh
# report.sh: the validation report, docs/validation.md and its charts in
# docs/validation/ (`make validate` runs it from the repository root).
#
# Three parts, every figure from a run made here, none typed in:
# 1. Closed forms. The unit tests that check the model against theory
#    (tests/unit/test_model.c: Bass; tests/unit/test_queueing.c: Erlang C,
#    Pollaczek-Khinchine, Little's law) run with PILOTSIM_VALIDATION set,
#    so each of their comparisons also writes a row (test_row in
#    tests/test.h): the report shows the checks the tests make, not a copy.
# 2. The lottery fits: each lottery scenario evaluated by `pilotsim
#    calibrate` (no --fit) against the targets, the targets it measures.
# 3. The pilot: each pilot scenario against every target, fit and check.
# A target that misses is reported as a miss, never dropped or refitted.
#
# The report depends on nothing but the commit: no date, no wall time, no
# path, so two runs write the same bytes. Exit status 0 when everything
# ran and every closed-form check held (a target's miss is a finding, not
# a failure); 1 when a test, a run or a closed-form check failed (the
# report is still written, saying what); 2 on a bad invocation.
#
# Settings (environment), with their defaults:
#   PILOTSIM  build/pilotsim           BUILD  build (its tests/ binaries)
#   VALIDATE_DOC          docs/validation.md (charts: the same name less .md)
#   VALIDATE_WORK         $BUILD/validate (the runs' outputs)
#   VALIDATE_TARGETS      tests/validation/targets.yaml
#   VALIDATE_LOTTERIES    scenarios/futian-2021.yaml scenarios/suzhou-2020.yaml
#   VALIDATE_PILOTS       scenarios/pilot-national.yaml scenarios/pilot-2020.yaml
#   VALIDATE_REPLICATIONS 10               VALIDATE_JOBS  2
#   VALIDATE_CLOSED       yes (no: leave out part 1, for the tests of parts 2-3)
set -u
cd "$(dirname "$0")/../.." || exit 2
here=tests/validation
: "${PILOTSIM:=build/pilotsim}" "${BUILD:=build}"
: "${VALIDATE_DOC:=docs/validation.md}" "${VALIDATE_WORK:=$BUILD/validate}"
: "${VALIDATE_TARGETS:=tests/validation/targets.yaml}"
: "${VALIDATE_LOTTERIES=scenarios/futian-2021.yaml scenarios/suzhou-2020.yaml}"
: "${VALIDATE_PILOTS=scenarios/pilot-national.yaml scenarios/pilot-2020.yaml}"
: "${VALIDATE_REPLICATIONS:=10}" "${VALIDATE_JOBS:=2}" "${VALIDATE_CLOSED:=yes}"

case $VALIDATE_DOC in
  *.md) ;;
  *) echo "report.sh: VALIDATE_DOC must end in .md: $VALIDATE_DOC" >&2; exit 2 ;;
esac
case $VALIDATE_REPLICATIONS$VALIDATE_JOBS in
  *[!0-9]*) echo "report.sh: VALIDATE_REPLICATIONS and VALIDATE_JOBS are counts" >&2; exit 2 ;;
esac
charts=${VALIDATE_DOC%.md}        # the charts' folder
link=$(basename "$charts")         # and how the document names it
W=$VALIDATE_WORK
rm -rf "$W" && mkdir -p "$W/charts" || exit 2
doc=$W/validation.md
failed=0
: >"$W/misses"

say() { printf '%s\n' "$@" >>"$doc"; }
fail() { echo "report.sh: $*" >&2; failed=1; }

# A chart: rendered into the work folder; $W/charts/ holds what the
# document links, and replaces the charts' folder at the end.
chart() { # NAME SCRIPT ARGS...: gnuplot -c SCRIPT OUT ...
  name=$1 script=$2; shift 2
  if gnuplot -c "$here/$script" "$@" 2>"$W/$name.gnuplot.err" && [ -s "$W/$name.png" ]; then
    cp "$W/$name.png" "$W/charts/$name.png"
    say "" "![$name]($link/$name.png)"
  else
    fail "the chart $name.png was not drawn ($W/$name.gnuplot.err)"
    say "" "(The chart $name.png could not be drawn.)"
  fi
}

# ---- 1. Closed forms -------------------------------------------------------
rows=$W/closed.tsv # the unit tests' rows (test_row in tests/test.h)

# One block of rows as a table, and a sentence saying how many held.
closed_block() { # BLOCK
  perl "$here/tables.pl" closed "$1" "$rows" >>"$doc" 2>"$W/count" || fail "tables.pl closed $1"
  read -r n miss <"$W/count" || { n=0 miss=0; }
  if [ "$n" = 0 ]; then
    fail "no rows for the closed-form block $1"
    say "" "**No row was measured** (the unit test did not run to this check)."
  elif [ "$miss" = 0 ]; then
    say "" "All $n rows within tolerance."
  else
    fail "$miss closed-form rows of $1 miss"
    say "" "**$miss of $n rows miss their tolerance.**"
    awk -F'\t' -v b="$1" '$1 == b && $7 != "yes" { print "closed\t- " $2 }' "$rows" >>"$W/misses"
  fi
}

# Part 1: the unit tests' rows, block by block, and two charts.
closed_forms() {
  : >"$rows"
  for t in test_model test_queueing; do
    if ! PILOTSIM_VALIDATION=$rows "$BUILD/tests/$t" >"$W/$t.tap" 2>&1; then
      fail "$BUILD/tests/$t failed: see $W/$t.tap"
      printf 'run\t- the unit test %s failed (its rows may be incomplete)\n' "$t" >>"$W/misses"
    fi
  done

  say "" "## 1. Closed forms" "" \
    "The rows are the comparisons the unit tests make (tests/unit/test_model.c," \
    "tests/unit/test_queueing.c), written out by them when \`PILOTSIM_VALIDATION\`" \
    "names a file: closed form, the model's value, the gap (model minus closed" \
    "form) and the tolerance the test allows."

  say "" "### Bass diffusion" "" \
    "One city of 200,000 people, all able to adopt, no interventions, no" \
    "payments (tests/validation/bass.yaml): the share holding a wallet, day by day" \
    "over ten years, against Bass's F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})" \
    "for Bass's median p = 0.03, q = 0.38, and for a fast (p = 0.01, q = 0.9) and" \
    "a slow (p = 0.1, q = 0.1) diffusion. Tolerance: one percentage point on every" \
    "day (the worst day is a row), well above the noise of 200,000 people's draws" \
    "(a standard deviation of at most 0.11 points) and the daily step's error." ""
  closed_block bass
  p=$(awk -F'\t' '$1 == "bass" { sub(/^p=/, "", $2); split($2, a, /[ :]/); print a[1]; exit }' "$rows")
  q=$(awk -F'\t' '$1 == "bass" { split($2, a, /q=/); split(a[2], b, ":"); print b[1]; exit }' "$rows")
  if "$PILOTSIM" run tests/validation/bass.yaml -o "$W/bass" --quiet --no-charts >"$W/bass.log" 2>&1; then
    chart bass bass.gp "$W/bass/timeseries.csv" "$W/bass.png" "${p:-0.03}" "${q:-0.38}"
    say "" "The chart is a run of the same scenario through the command line" \
      "(\`pilotsim run tests/validation/bass.yaml\`), the gap below in points."
  else
    fail "pilotsim run tests/validation/bass.yaml failed: see $W/bass.log"
  fi

  say "" "### M/M/c against Erlang C" "" \
    "One resource of four servers, Poisson arrivals and exponential service" \
    "(mean 1), at utilization 0.5, 0.8 and 0.95: the mean wait before service (in" \
    "mean service times) and the share of customers who wait, against Erlang C." \
    "Tolerance: the 99.9% interval of 20 batch means after a warm-up, derived" \
    "from the run's own variance, not guessed." ""
  closed_block erlang

  say "" "### M/D/1 against Pollaczek-Khinchine" "" \
    "One server, Poisson arrivals, a fixed 10 ms service, utilization 0.8: the" \
    "mean wait against Wq = rho s / (2 (1 - rho)), and the share who wait against" \
    "rho. Tolerance as for Erlang C." ""
  closed_block pk
  awk -F'\t' 'BEGIN { OFS = "\t" } $1 == "erlang" || $1 == "pk" {
      split($2, a, ": "); sub(/ at rho /, " rho ", a[1])
      $8 = a[1] (a[2] ~ /^mean wait/ ? " wait" : " P(wait)"); print }' "$rows" >"$W/queues.tsv"
  chart queues queues.gp "$W/queues.tsv" "$W/queues.png"
  say "" "Each point is the model's value over the closed form, with the tolerance" \
    "as its bar: a bar across 1 agrees with theory."

  say "" "### Little's law" "" \
    "A load test of scenarios/double11.yaml ramped into overload (2,000 to 16,000" \
    "payments/s over 60 s): on each resource the time-average queue length L," \
    "measured from the queue itself, against the arrival rate times the mean wait" \
    "(lambda W, waits of dropped payments included). An identity on every sample" \
    "path, so the tolerance is rounding: a millionth of (L + 1)." ""
  closed_block little
}

say "# Validation" "" \
  "Written by \`make validate\` (tests/validation/report.sh); do not edit by hand:" \
  "every figure below comes from a run made by that command, and a rerun on the" \
  "same commit writes the same bytes. Three parts: the model against closed-form" \
  "results of theory, the lotteries against their published outcomes, and the" \
  "pilot scenarios against every published target (fit and check). Targets that" \
  "miss are listed at the end, as they are: nothing is hidden or refitted here."
if [ "$VALIDATE_CLOSED" = no ]; then
  say "" "## 1. Closed forms" "" "Left out of this run (VALIDATE_CLOSED=no)."
else
  closed_forms
fi

# ---- 2 and 3. Scenarios against the targets ---------------------------------
have_calibrate=0
"$PILOTSIM" calibrate --help >/dev/null 2>&1 && have_calibrate=1

# One scenario's block: calibrate without --fit, its table, its charts, and
# the misses into $W/misses. SCOPE: in-scope (the lotteries) or all.
scenario_block() { # SCENARIO SCOPE
  sc=$1 scope=$2 name=$(basename "$1" .yaml)
  say "" "### $name" ""
  if [ ! -f "$sc" ]; then
    fail "$sc: no such scenario"
    say "**Not evaluated: $sc is not in the repository.**"
    printf 'run\t- %s: not evaluated (%s missing)\n' "$name" "$sc" >>"$W/misses"
    return
  fi
  if [ "$have_calibrate" = 0 ]; then
    fail "$PILOTSIM has no calibrate command"
    say "**Not evaluated: this build has no \`pilotsim calibrate\`.**"
    printf 'run\t- %s: not evaluated (no calibrate command)\n' "$name" >>"$W/misses"
    return
  fi
  out=$W/$name
  cmd="pilotsim calibrate $sc --targets $VALIDATE_TARGETS --replications $VALIDATE_REPLICATIONS"
  if ! "$PILOTSIM" calibrate "$sc" --targets "$VALIDATE_TARGETS" -o "$out" --quiet \
      --replications "$VALIDATE_REPLICATIONS" --jobs "$VALIDATE_JOBS" >"$W/$name.log" 2>&1; then
    fail "$cmd failed: see $W/$name.log"
    say "**Not evaluated: \`$cmd\` failed**, saying first:" "" \
      "    $(head -n 1 "$W/$name.log")"
    printf 'run\t- %s: not evaluated (calibrate failed)\n' "$name" >>"$W/misses"
    return
  fi
  title=$(perl -MJSON::PP -e 'local $/; my $j = decode_json(<>); print $j->{scenario} // ""' \
    "$out/calibrate.json" 2>/dev/null)
  say "$title ($sc), $VALIDATE_REPLICATIONS replications: \`$cmd\`." ""
  sel=$([ "$scope" = in-scope ] && echo in-scope)
  perl "$here/tables.pl" targets "$out/calibrate.json" "$W/$name.points" $sel >>"$doc" \
    2>"$W/$name.verdicts" || { fail "tables.pl targets $out/calibrate.json"; return; }
  # A blank line before the count, unless the table was empty (one is there).
  sep=$([ -n "$(tail -n 1 "$doc")" ] && echo x)
  awk -F'\t' -v name="$name" -v doc="$doc" -v sep="$sep" '
    $2 == "-" { out++; next }
    { n[$1]++; if ($2 == "yes") ok[$1]++; else miss = miss $1 "\t- " name ", " $3 \
        " (error " $4 " tolerances)\n" }
    END {
      s = ""
      for (r = 1; r <= 2; r++) { role = r == 1 ? "fit" : "check"
        if (n[role]) s = s sprintf("%s%d of %d %s targets within tolerance", s == "" ? "" : "; ",
                                   ok[role] + 0, n[role], role) }
      if (s == "") s = "No target measured"
      if (out) s = s sprintf("; %d target%s out of the scenario%s scope or horizon (not measured)",
                             out, out == 1 ? "" : "s", "\047s")
      printf "%s%s.\n", sep == "" ? "" : "\n", s >>doc
      printf "%s", miss >>(ENVIRON["W"] "/misses")
    }' W="$W" "$W/$name.verdicts"
  if [ -s "$W/$name.points" ]; then
    cp "$W/$name.points" "$W/$name-targets.tsv"
    chart "$name-targets" targets.gp "$W/$name-targets.tsv" "$W/$name-targets.png" \
      "$name: each target's error in tolerances (model - observed) / tolerance"
    say "" "Each target's error in tolerances with its 95% interval: inside the band" \
      "it is within its tolerance; an error beyond 5 is drawn at the edge, its value" \
      "beside it."
  fi
  if [ -s "$out/calibrate.png" ]; then
    cp "$out/calibrate.png" "$W/charts/$name-trajectory.png"
    say "" "![$name trajectory]($link/$name-trajectory.png)" "" \
      "The model's trajectory against the published points (calibrate.png)."
  fi
}
export W

say "" "## 2. Lottery fits" "" \
  "The red-envelope lotteries of Futian (January 2021) and Suzhou (December" \
  "2020) against their published outcomes ($VALIDATE_TARGETS): claims," \
  "payments, share spent, own money, the online share and the double-offline" \
  "users. Both scenarios extend the one shared behaviour" \
  "(scenarios/base/pilot-behaviour.yaml); Futian's targets are fit targets," \
  "Suzhou's check the fit out of sample. Only the targets each scenario" \
  "measures are shown; error is the model's mean minus the observed value, in" \
  "tolerances, and within means |error| <= 1."
for sc in $VALIDATE_LOTTERIES; do scenario_block "$sc" in-scope; done

say "" "## 3. The pilot against every target" "" \
  "Each pilot scenario against every target of $VALIDATE_TARGETS, fit and" \
  "check. A target outside a scenario's cities or horizon is listed as out of" \
  "scope rather than refused: pilot-2020.yaml covers the four first cities to" \
  "April 2021, so it measures few of the national figures."
for sc in $VALIDATE_PILOTS; do scenario_block "$sc" all; done

# The misses by kind (tab-tagged lines of $W/misses), each list in the
# order the blocks ran.
misses() { # TAG HEADING
  if grep -q "^$1	" "$W/misses"; then
    say "" "$2" ""
    sed -n "s/^$1	//p" "$W/misses" >>"$doc"
  fi
}
say "" "## Targets that miss" ""
if [ -s "$W/misses" ]; then
  say "Reported as they are, not refitted."
  misses check "Check targets that miss (the model's verdict on figures it was not fitted to):"
  misses fit "Fit targets that miss (the fit has not reached them):"
  misses closed "Closed-form checks that miss (a fault in the model's machinery):"
  misses run "Not evaluated:"
else
  say "None: every row and every measured target is within its tolerance."
fi

# The charts' folder is the report's own: old charts go, so that none is
# left that the document no longer links.
mkdir -p "$charts" && rm -f "$charts"/*.png || exit 2
for f in "$W"/charts/*.png; do
  [ ! -f "$f" ] || cp "$f" "$charts"/ || exit 2
done
mv "$doc" "$VALIDATE_DOC" || exit 2
echo "report.sh: wrote $VALIDATE_DOC and $charts/" >&2
exit "$failed"
