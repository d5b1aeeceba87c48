#!/bin/sh
# calibrate --fit recovers known parameters (issue 19's "Done when"): the
# targets are made by the model itself at adoption coefficients chosen
# here (innovation 0.2, imitation 2 a year), the fit starts elsewhere (the
# scenario's 0.05 and 0.5), and must find them within their intervals,
# with calibrated.yaml reproducing the fit. Then a key the targets do not
# see (a payment's ticket in yuan, against wallet counts) must be reported as not
# identified, and malformed --fit arguments refused with one line, exit 2.
# tests/data/fit.yaml is one city at a coarse sample: an evaluation of 4
# replications takes tens of milliseconds (--jobs 1: no worker to start).
. "$(dirname "$0")/../lib.sh"

S=tests/data/fit.yaml
R=4
truth="--set adoption.innovation=0.2 --set adoption.imitation=2"

# The targets' shape; their values come from the model at the truth.
shape() { # shape V1 V2 V3
  cat <<EOF
targets:
  - {id: wallets-q1, role: fit, series: wallets, city: total, at: 2020-03-31, value: $1, tolerance: 3%}
  - {id: wallets-h1, role: fit, series: wallets, city: xiongan, at: 2020-06-29, value: $2, tolerance: 3%}
  - {id: wallets-y1, role: fit, series: wallets, city: total, at: 2020-12-20, value: $3, tolerance: 3%}
EOF
}
shape 1 1 1 >"$TMP/shape.yaml"
status 0 "the model at the truth, evaluated" \
  "$PILOTSIM" calibrate $S --targets "$TMP/shape.yaml" --replications $R $truth \
  -o "$TMP/truth" --quiet --no-charts
mean() { json_get "$TMP/truth/calibrate.json" "\$j->{targets}[$1]{model}{mean}"; }
shape "$(mean 0)" "$(mean 1)" "$(mean 2)" >"$TMP/targets.yaml"

status 0 "the fit runs" \
  "$PILOTSIM" calibrate $S --targets "$TMP/targets.yaml" --replications $R \
  --fit adoption.innovation=0.01:0.5 --fit adoption.imitation=0.1:4 --max-evaluations 60 \
  --jobs 1 -o "$TMP/fit" --quiet
J=$TMP/fit/calibrate.json
for k in "adoption.innovation 0.2" "adoption.imitation 2"; do
  set -- $k
  check "$1: identified, the truth $2 within its interval" test "$(json_get "$J" \
    "my \$f = \$j->{fitted}{'$1'}; \$f->{identified} && \$f->{ci_lo} <= $2 && $2 <= \$f->{ci_hi} ? 1 : 0")" = 1
done
check "the fit moved from where it started" test "$(json_get "$J" \
  "abs(\$j->{fitted}{'adoption.innovation'}{value} - 0.05) > 0.05 ? 1 : 0")" = 1
check "every fit target within its tolerance" test "$(json_get "$J" \
  "(grep { \$_->{within} } @{\$j->{targets}}) == 3 ? 1 : 0")" = 1
check "calibrate.csv: a row per evaluation, keys, objective, fit means" test \
  "$(head -1 "$TMP/fit/calibrate.csv")" = \
  "evaluation,phase,adoption.innovation,adoption.imitation,objective,wallets-q1,wallets-h1,wallets-y1"
check "calibrate.csv has every evaluation" test \
  "$(($(wc -l <"$TMP/fit/calibrate.csv") - 1))" = "$(json_get "$J" '$j->{evaluations}')"
check "calibrated.yaml extends the scenario by a relative path" \
  grep -q "^extends: \.\./.*tests/data/fit.yaml$" "$TMP/fit/calibrated.yaml"
status 0 "calibrated.yaml runs" \
  "$PILOTSIM" calibrate "$TMP/fit/calibrated.yaml" --targets "$TMP/targets.yaml" \
  --replications $R --jobs 1 -o "$TMP/again" --quiet --no-charts
check "calibrated.yaml reproduces the fit's objective" test \
  "$(json_get "$TMP/again/calibrate.json" '$j->{objective}')" = "$(json_get "$J" '$j->{objective}')"
check "report.html: where the best point's scenario is" grep -q 'calibrated.yaml</code>' "$TMP/fit/report.html"
check "report.html: the fitted values, identified" sh -c "grep -q 'Fitted values' '$TMP/fit/report.html' && \
  test \"\$(grep -c ': identified by the targets' '$TMP/fit/report.html')\" -eq 2"
if command -v gnuplot >/dev/null 2>&1; then
  check "the trajectory chart is drawn" test -s "$TMP/fit/charts/calibrate.png"
  check "  and inline in the report, numbered" sh -c "grep -q 'data:image/svg' '$TMP/fit/report.html' && \
    grep -q 'Figure 1\.' '$TMP/fit/report.html'"
  report_pdf_check "$TMP/fit" 1
else
  check "no gnuplot: the trajectory's CSV still" test -s "$TMP/fit/calibrate-trajectory.csv"
fi

# Series targets outside the scenario (a city it lacks, a date past its
# horizon) draw no panel of their own, and no gnuplot error.
cat >"$TMP/outside.yaml" <<EOF
targets:
  - {id: q1, role: fit, series: wallets, city: total, at: 2020-03-31, value: $(mean 0), tolerance: 3%}
  - {id: away, role: check, series: payments, city: total, at: 2020-03-31, value: 1, tolerance: 3%, scope: [xiongan, atlantis]}
  - {id: late, role: check, series: merchants_accepting, city: total, at: 2031-01-01, value: 1, tolerance: 3%}
  - {id: paid, role: check, series: payments, city: total, at: 2020-03-31, cumulative: true, value: 1, tolerance: 50%}
EOF
status 0 "a fit beside targets outside the scenario runs" \
  "$PILOTSIM" calibrate $S --targets "$TMP/outside.yaml" --replications 2 \
  --fit adoption.innovation=0.01:0.5 --max-evaluations 4 --jobs 1 -o "$TMP/outside" --quiet
check "no chart error on stderr" sh -c "! grep -q 'cannot draw' '$TMP/err'"
check "only the panels with a published point in reach, labels without commas" test \
  "$(cut -d, -f1 "$TMP/outside/calibrate-trajectory.csv" | sort -u | tr '\n' ' ')" = \
  "group payments in total (cumulative) wallets in total "
if command -v gnuplot >/dev/null 2>&1; then
  check "  and their chart is drawn" test -s "$TMP/outside/charts/calibrate.png"
fi

# A key the targets do not see: flat, not identified, said on stderr.
status 0 "a fit with a key the targets do not see runs" \
  "$PILOTSIM" calibrate $S --targets "$TMP/targets.yaml" --replications $R \
  --fit adoption.innovation=0.01:0.5 --fit payments.ticket.median=10:200 --max-evaluations 30 \
  --jobs 1 -o "$TMP/flat" --quiet --no-charts
check "stderr names the key not identified" \
  grep -q "not identified by the targets.*payments.ticket.median" "$TMP/err"
check "calibrate.json: identified false, no interval" test "$(json_get "$TMP/flat/calibrate.json" \
  "my \$f = \$j->{fitted}{'payments.ticket.median'}; !\$f->{identified} && !defined \$f->{ci_lo} ? 1 : 0")" = 1
check "report.html says so, and what it means" grep -q \
  'payments.ticket.median</code> = .*: not identified: the targets do not pin it down' "$TMP/flat/report.html"

# Malformed arguments: one line, exit 2.
refuse() { # refuse MESSAGE EXPECTED ARGS... (status sets $want: another name)
  what=$1 expect=$2; shift 2
  status 2 "$what" "$PILOTSIM" calibrate $S --targets "$TMP/targets.yaml" "$@" -o "$TMP/bad" --quiet
  check "  one line: $expect" sh -c "test \$(wc -l <'$TMP/err') = 1 && grep -q -- '$expect' '$TMP/err'"
}
refuse "--fit without bounds" "no bounds (expected --fit KEY=LO:HI)" --fit adoption.innovation
refuse "--fit with one bound" "expected LO:HI" --fit adoption.innovation=0.1
refuse "--fit with reversed bounds" "expected LO < HI" --fit adoption.innovation=0.5:0.1
refuse "--fit with a word for a bound" "two numbers" --fit adoption.innovation=low:0.5
refuse "--fit of an unknown key" "^--fit:1:10: adoption: unknown key" --fit adoption.innovaton=0.1:0.5
refuse "--fit with a bound the scenario refuses" "^--fit:1:" --fit adoption.innovation=-1:0.5
refuse "--fit of a key twice" "given twice" --fit adoption.innovation=0.1:0.5 \
  --fit adoption.innovation=0.1:0.4
refuse "--fit through a list other than interventions" "other than interventions" \
  --fit payments.hourly.3=0.1:2
refuse "--max-evaluations too small" "too few" --fit adoption.innovation=0.1:0.5 \
  --max-evaluations 3
refuse "--max-evaluations not a count" "--max-evaluations" --fit adoption.innovation=0.1:0.5 \
  --max-evaluations x

done_testing
