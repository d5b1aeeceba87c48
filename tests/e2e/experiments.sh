#!/bin/sh
# End to end: experiments. Replications with intervals (and --precision),
# outputs identical whatever --jobs, replication 0 equal to the single run;
# compare with common random numbers (identical plans differ by exactly
# zero, plans agreeing until a date have identical rows before it, plans on
# other calendars are refused); sweeps; the usage errors of each.
. "$(dirname "$0")/../lib.sh"

q="--set sample=2000 --quiet"
nc="--no-charts"
quick=tests/data/quick.yaml

# ---- run --replications ----
status 0 "run --replications 5" "$PILOTSIM" run $quick -o "$TMP/r" --replications 5 --jobs 2 $q
for f in summary.json timeseries.csv replications.csv scenario.yaml; do
  check "a replicated run writes $f" test -s "$TMP/r/$f"
done
for c in adoption throughput latency; do
  check "charts/$c.png is drawn with bands" test -s "$TMP/r/charts/$c.png"
done
check "no temporary file is left" sh -c "! ls -A '$TMP/r' | grep -q '\\.tmp'"
s="$TMP/r/summary.json"
check "summary.json is valid JSON" perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' <"$s"
check "summary.json says 5 replications" test "$(json_get "$s" '$j->{replications}')" = 5
check "and the confidence level" test "$(json_get "$s" '$j->{confidence}')" = 0.95
check "a metric is its mean, with sd and interval beside it" test "$(json_get "$s" \
  'my $c = $j->{cities}{suzhou}; join ",", map { ref $c->{$_} ? "obj" : "num" } qw(wallets wallets_sd wallets_ci_lo wallets_ci_hi)')" = "num,num,num,num"
check "the interval holds the mean" test "$(json_get "$s" \
  'my $m = $j->{total}; $m->{payments_ci_lo} <= $m->{payments} && $m->{payments} <= $m->{payments_ci_hi} ? 1 : 0')" = 1
check "latency percentiles are nested" test -n "$(json_get "$s" '$j->{cities}{suzhou}{latency_ms}{p99_ci_hi}')"
check "interventions keep id, kind and city" test "$(json_get "$s" \
  'my $i = $j->{interventions}[0]; "$i->{id} $i->{kind} $i->{city}"')" = "suzhou-2020-12 lottery suzhou"
check "the run section says who did the work" test "$(json_get "$s" \
  'my $n = 0; $n += $_->{replications} for @{$j->{run}{workers}}; $n')" = 5
check "and the back end" test "$(json_get "$s" '$j->{run}{backend}')" = fork
check "replications.csv: a header and a row per replication" test "$(wc -l <"$TMP/r/replications.csv")" = 6
check "replications.csv starts with replication,events" grep -q '^replication,events,total\.wallets,' "$TMP/r/replications.csv"
head -1 "$TMP/r/timeseries.csv" >"$TMP/header"
check "timeseries.csv keeps the single run's columns first" grep -q \
  '^time,city,wallets,active_users,adoption,' "$TMP/header"
check "and gains _ci_lo and _ci_hi columns" grep -q ',adoption_ci_lo,adoption_ci_hi,' "$TMP/header"
check "every row has as many fields as the header" sh -c \
  "awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' '$TMP/r/timeseries.csv'"

# A bucket without payments has no latency: its replicated mean and
# interval are empty, not 0 (bass.yaml makes no payments at all), and the
# city's latency percentiles are null; counts stay 0.
"$PILOTSIM" run tests/validation/bass.yaml -o "$TMP/nopay" --replications 3 --set duration=5d \
  --quiet $nc
check "no payments: latency_p50_ms's mean and interval are empty" sh -c "
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
    { if (\$c[\"latency_p50_ms\"] != \"\" || \$c[\"latency_p99_ms_ci_hi\"] != \"\" || \$c[\"payments\"] != \"0\") bad = 1 }
    END { exit bad || NR < 6 }' '$TMP/nopay/timeseries.csv'"
check "and the city's latency_ms.p50 is null" test \
  "$(json_get "$TMP/nopay/summary.json" 'defined $j->{cities}{town}{latency_ms}{p50} ? "x" : "null"')" = null

# Replication 0 is the single run.
"$PILOTSIM" run $quick -o "$TMP/single" $q $nc
check "replication 0 is the single run" test \
  "$(sed -n 2p "$TMP/r/replications.csv" | cut -d, -f2)" = "$(json_get "$TMP/single/summary.json" '$j->{events}')"
check "a single run has the same layout: replications 1, siblings null" test "$(json_get \
  "$TMP/single/summary.json" '$j->{replications} == 1 && exists $j->{events_sd} && !defined $j->{events_sd} ? 1 : 0')" = 1

# The same bytes whatever --jobs.
for j in 1 2 3; do
  "$PILOTSIM" run $quick -o "$TMP/j$j" --replications 6 --jobs $j $q $nc
  summary_core "$TMP/j$j/summary.json" >"$TMP/j$j.core"
done
for j in 2 3; do
  check "--jobs $j: timeseries.csv identical to --jobs 1" cmp "$TMP/j1/timeseries.csv" "$TMP/j$j/timeseries.csv"
  check "--jobs $j: replications.csv identical" cmp "$TMP/j1/replications.csv" "$TMP/j$j/replications.csv"
  check "--jobs $j: summary.json identical outside run" cmp "$TMP/j1.core" "$TMP/j$j.core"
done
check "the serial back end is named" test "$(json_get "$TMP/j1/summary.json" '$j->{run}{backend}')" = serial
status 0 "plot redraws a replicated run" "$PILOTSIM" plot "$TMP/j1"
check "with its bands" test -s "$TMP/j1/charts/adoption.svg"

# --precision: replicate until the headline metrics are within 10%.
status 0 "--precision 10%" "$PILOTSIM" run $quick -o "$TMP/p1" --precision 10% --jobs 1 --set sample=1000 $nc
check "it says how many replications it took" grep -q 'replications brought the 95% half-width' "$TMP/err"
n=$(json_get "$TMP/p1/summary.json" '$j->{replications}')
check "summary.json records the precision reached" test \
  "$(json_get "$TMP/p1/summary.json" '$j->{precision}{reached} ? 1 : 0')" = 1
check "replications.csv holds exactly those replications" test "$(wc -l <"$TMP/p1/replications.csv")" = $((n + 1))
"$PILOTSIM" run $quick -o "$TMP/p2" --precision 10% --jobs 2 --set sample=1000 --quiet $nc
check "--precision stops at the same count whatever --jobs" cmp "$TMP/p1/replications.csv" "$TMP/p2/replications.csv"
"$PILOTSIM" run $quick -o "$TMP/p3" --precision 0.1% --max-replications 4 $q $nc
check "a cap stops it, and says the target was missed" test \
  "$(json_get "$TMP/p3/summary.json" '($j->{precision}{reached} ? 1 : 0) . $j->{replications}')" = 04

# ---- compare ----
# Plan B agrees with quick.yaml until its extra Shenzhen lottery draws its
# winners at 2020-12-22 00:00.
root=$PWD
cat >"$TMP/late.yaml" <<EOF
# quick.yaml plus a Shenzhen lottery late in December
extends: $root/tests/data/quick.yaml
description: The quick test with a Shenzhen lottery in late December.
interventions:
  - {id: suzhou-2020-12, kind: lottery, city: suzhou, envelopes: 100000, amount: 200,
     registration: {from: 2020-12-05T00:00, until: 2020-12-07T00:00},
     spending: {from: 2020-12-11T20:00, until: 2020-12-28T00:00}}
  - {id: sz-late, kind: lottery, city: shenzhen, envelopes: 200000, amount: 200,
     registration: {from: 2020-12-20T00:00, until: 2020-12-22T00:00},
     spending: {from: 2020-12-24T00:00, until: 2021-01-10T00:00}}
EOF
cp $quick "$TMP/same.yaml"
sed -i "s|^extends: ../../|extends: $root/|" "$TMP/same.yaml"

status 0 "compare two identical plans" "$PILOTSIM" compare $quick "$TMP/same.yaml" -o "$TMP/c0" --replications 4 $q $nc
# (A latency is undefined where a city had no payment at this sample, in
# a replication or in all: its difference and interval are then empty.)
check "identical plans: every paired difference is exactly 0" sh -c \
  "awk -F, 'function z(x) { return x == \"0\" || x == \"\" }
    NR > 1 && \$2 == \"same\" && !(z(\$7) && z(\$8) && z(\$9)) { bad = 1 }
    NR > 1 && \$2 == \"same\" && \$9 == \"0\" { zero++ } END { exit bad || zero < 50 }' '$TMP/c0/compare.csv'"
check "and no verdict but no significant difference" sh -c \
  "! awk -F, 'NR > 1 && \$2 == \"same\"' '$TMP/c0/compare.csv' | grep -q -e ',better\$' -e ',worse\$' -e ',higher\$' -e ',lower\$'"

status 0 "compare plans that agree until a date" "$PILOTSIM" compare $quick "$TMP/late.yaml" \
  -o "$TMP/c1" --replications 4 --jobs 2 $q
for f in compare.csv compare.md charts/adoption.png charts/throughput.svg charts/latency.png \
         plans/quick/summary.json plans/late/timeseries.csv plans/late/replications.csv; do
  check "compare writes $f" test -s "$TMP/c1/$f"
done
awk '$0 < "2020-12-22"' "$TMP/c1/plans/quick/timeseries.csv" >"$TMP/a.rows"
awk '$0 < "2020-12-22"' "$TMP/c1/plans/late/timeseries.csv" >"$TMP/b.rows"
check "rows before the plans part are byte-identical" cmp "$TMP/a.rows" "$TMP/b.rows"
check "and there are such rows" test "$(wc -l <"$TMP/a.rows")" -gt 50
check "rows after it differ" sh -c "! cmp -s '$TMP/c1/plans/quick/timeseries.csv' '$TMP/c1/plans/late/timeseries.csv'"
check "compare.csv has its header" grep -q \
  '^metric,plan,better,mean,ci_lo,ci_hi,diff,diff_ci_lo,diff_ci_hi,verdict$' "$TMP/c1/compare.csv"
check "the extra lottery raises Shenzhen's wallets: better" grep -q \
  '^cities\.shenzhen\.wallets,late,higher,.*,better$' "$TMP/c1/compare.csv"
check "the baseline is marked" grep -q '^total\.payments,quick,higher,.*,,,,baseline$' "$TMP/c1/compare.csv"
check "compare.md opens with the bottom line" grep -q '^## Bottom line' "$TMP/c1/compare.md"
check "compare.md says how the plan differs" grep -q '^- added: lottery sz-late in Shenzhen' "$TMP/c1/compare.md"
check "plans of one name are told apart by their file" grep -q \
  '^|  | quick test (quick) (baseline) | quick test (late) |' "$TMP/c1/compare.md"
check "compare.md shows the charts" grep -q '](charts/adoption.png)' "$TMP/c1/compare.md"
check "compare.md warns of multiple comparisons" grep -q 'Bonferroni' "$TMP/c1/compare.md"
report_pdf_check "$TMP/c1" 3
"$PILOTSIM" compare $quick "$TMP/late.yaml" -o "$TMP/c2" --replications 4 --jobs 1 $q
for f in compare.csv compare.md report.html plans/late/timeseries.csv plans/late/replications.csv \
         charts/adoption.svg; do
  check "compare --jobs 1 and 2: identical $f" cmp "$TMP/c1/$f" "$TMP/c2/$f"
done

# Plans on other calendars or cities are refused, and nothing is written.
for what in "start: 2020-12-02" "duration: 59d" "step: 12h" \
            "cities: {hangzhou: {population: 1000}}"; do
  key=${what%%:*}
  printf 'extends: %s/tests/data/quick.yaml\n%s\n' "$root" "$what" >"$TMP/other.yaml"
  status 2 "compare refuses a plan with other $key" \
    "$PILOTSIM" compare $quick "$TMP/other.yaml" -o "$TMP/bad" --replications 2 $q
  check "  naming what differs, in one line" sh -c \
    "grep -q 'its $key differ' '$TMP/err' && test \$(wc -l <'$TMP/err') -eq 1"
  check "  and writing nothing" test ! -e "$TMP/bad"
done
status 2 "compare of one plan" "$PILOTSIM" compare $quick -o "$TMP/bad"
status 2 "compare --replications 1" "$PILOTSIM" compare $quick "$TMP/late.yaml" --replications 1 -o "$TMP/bad"
status 2 "compare of a missing plan" "$PILOTSIM" compare $quick "$TMP/nope.yaml" -o "$TMP/bad"
check "no output for bad input" test ! -e "$TMP/bad"

# ---- sweep ----
status 0 "sweep a 3 x 2 grid" "$PILOTSIM" sweep $quick --vary adoption.imitation=0.2,0.35,0.5 \
  --vary payments.ecny_preference=10%,30% --replications 3 --jobs 2 -o "$TMP/s1" $q
check "sweep.csv: a header and a row per point" test "$(wc -l <"$TMP/s1/sweep.csv")" = 7
check "sweep.csv starts with the point and the keys" grep -q \
  '^point,adoption.imitation,payments.ecny_preference,events,events_ci_lo,events_ci_hi,' "$TMP/s1/sweep.csv"
check "the first key varies slowest" test "$(cut -d, -f1-3 "$TMP/s1/sweep.csv" | sed -n 3p)" = "1,0.2,30%"
check "sweep writes the base scenario" test -s "$TMP/s1/scenario.yaml"
for m in total.adoption total.payments total.latency_ms.p99; do
  check "sweep charts $m" test -s "$TMP/s1/charts/sweep-$m.png"
done
"$PILOTSIM" sweep $quick --vary adoption.imitation=0.2,0.35,0.5 --vary payments.ecny_preference=10%,30% \
  --replications 3 --jobs 1 -o "$TMP/s2" $q $nc
check "sweep --jobs 1 and 2: identical sweep.csv" cmp "$TMP/s1/sweep.csv" "$TMP/s2/sweep.csv"
# Each point keeps a replicated run's outputs, numbered in grid order.
for p in 0 1 2 3 4 5; do
  for f in summary.json timeseries.csv replications.csv scenario.yaml; do
    check "points/$p/$f" test -s "$TMP/s1/points/$p/$f"
  done
done
check "  point 5 is the grid's last" sh -c "grep -q '^  imitation: 0.5$' '$TMP/s1/points/5/scenario.yaml' && \
  grep -q '^  ecny_preference: 0.3$' '$TMP/s1/points/5/scenario.yaml'"
check "  a point's replications.csv has a row per replication" \
  test "$(wc -l <"$TMP/s1/points/3/replications.csv")" = 4
check "  and its time series the intervals" grep -q '^time,city,wallets,.*wallets_ci_lo' \
  "$TMP/s1/points/3/timeseries.csv"
for d in s1 s2; do
  awk -f tests/golden/strip_run.awk "$TMP/$d/summary.json" >"$TMP/$d.json"
done
check "sweep --jobs 1 and 2: identical summary.json (run aside)" cmp "$TMP/s1.json" "$TMP/s2.json"
check "  and identical points" diff -r "$TMP/s1/points" "$TMP/s2/points" -x summary.json
s="$TMP/s1/summary.json"
check "summary.json: a sweep" grep -q '^  "kind": "sweep",$' "$s"
check "  its keys, labels and values" grep -q '{"key": "payments.ecny_preference", "label": "e-CNY preference (payments)", "values": \["10%", "30%"\], "numeric": false}' "$s"
check "  a point's values as numbers where they are" grep -q \
  '{"point": 1, "dir": "points/1", "values": {"adoption.imitation": 0.2, "payments.ecny_preference": "30%"},' "$s"
check "  each point's metrics as numbers" grep -q '"total.adoption": 0\.[0-9]*, "total.adoption_sd": [0-9.e-]*, "total.adoption_ci_lo": [0-9.e-]*, "total.adoption_ci_hi": [0-9.e-]*' "$s"
check "  the charted metrics labelled" grep -q '{"name": "total.latency_ms.p99", "label": "p99 latency", "where": "all cities", "unit": "ms", "type": "latency", "better": "lower", "charted": true}' "$s"
check "  six points" test "$(grep -c '^    {"point": ' "$s")" = 6
check "  and a run section with the provenance" grep -q \
  '^  "run": {"version": .*, "provenance": {"version": .*"command": "pilotsim sweep ' "$s"
check "  its scenario hash names the base scenario.yaml" grep -q \
  "\"scenario_sha256\": \"$(sha256sum "$TMP/s1/scenario.yaml" | cut -c1-64)\"" "$s"
check "  a point's, its own" grep -q \
  "\"scenario_sha256\": \"$(sha256sum "$TMP/s1/points/4/scenario.yaml" | cut -c1-64)\"" \
  "$TMP/s1/points/4/summary.json"
check "  the report's footer" grep -q ' · scenario sha256 [0-9a-f]* · pilotsim sweep ' "$TMP/s1/report.html"
# The charts speak the catalog's words, not key paths; numbers read 5 M.
c="$TMP/s1/charts"
check "chart titles from the catalog" grep -q '>Adoption in all cities by imitation (adoption)<' "$c/sweep-total.adoption.svg"
check "  a share in percent" grep -q '>adoption (% of the population)<' "$c/sweep-total.adoption.svg"
check "  counts in millions" grep -q '>e-CNY payments (million payments)<' "$c/sweep-total.payments.svg"
check "  the legend names the other key" grep -q '>e-CNY preference (payments)<' "$c/sweep-total.payments.svg"
check "  no 1e+06 anywhere" sh -c "! grep -q 'e+0' '$c/sweep-total.payments.svg'"
# The report: the answer first, the charts inline, built from the files.
h="$TMP/s1/report.html"
check "sweep writes report.html" test -s "$h"
check "  the answer first, each charted metric's best point" sh -c \
  "test \"\$(grep -c 'Best at ' '$h')\" -eq 3 && grep -q '<p class=\"answer\">Across the 6 points:' '$h'"
check "  how each responds" grep -q 'most sensitive to e-CNY preference (payments)' "$h"
check "  its three charts inline, numbered" sh -c \
  "test \"\$(grep -c 'data:image/svg' '$h')\" -eq 3 && grep -q 'Figure 3\.' '$h'"
check "  no script, no network" sh -c "! grep -Eqi '<script|https?://' '$h'"
check "  with --no-charts: how to draw them" grep -q 'pilotsim plot' "$TMP/s2/report.html"
report_pdf_check "$TMP/s1" 3
report_pdf_check "$TMP/s2"
status 0 "sweep with one replication and a chosen metric" "$PILOTSIM" sweep $quick \
  --vary sample=1000,2000 --metric cities.suzhou.wallets --replications 1 -o "$TMP/s3" --quiet
check "  charts the chosen metric" test -s "$TMP/s3/charts/sweep-cities.suzhou.wallets.svg"
check "  in its city" grep -q '>Wallets opened in Suzhou by people per simulated person (sample)<' \
  "$TMP/s3/charts/sweep-cities.suzhou.wallets.svg"
check "  its values read 1,000 as 1000" grep -q '>1000<' "$TMP/s3/charts/sweep-cities.suzhou.wallets.svg"
check "  one replication: no sd, no interval" grep -q '"total.adoption_sd": null, "total.adoption_ci_lo": null' \
  "$TMP/s3/summary.json"
check "  points/0 is a single run" sh -c "! test -e '$TMP/s3/points/0/replications.csv'"
status 0 "a sweep of large values" "$PILOTSIM" sweep $quick --vary interventions.suzhou-2020-12.amount=5000000,10000000 \
  --replications 1 -o "$TMP/s4" --quiet --metric total.payments
check "  reads them 5 M and 10 M" sh -c "grep -q '>5 M<' '$TMP/s4/charts/sweep-total.payments.svg' && \
  grep -q '>10 M<' '$TMP/s4/charts/sweep-total.payments.svg'"
check "  names the intervention" grep -q '>amount (lottery suzhou-2020-12)<' "$TMP/s4/charts/sweep-total.payments.svg"
# A first key with one value would be a lone point on an empty axis.
status 2 "a first --vary key with one value is refused" "$PILOTSIM" sweep $quick --vary sample=1000 \
  --vary adoption.imitation=0.2,0.5 -o "$TMP/one"
check "  in one line" test "$(wc -l <"$TMP/err")" -eq 1
check "  saying why and what to do" grep -q "^pilotsim sweep: --vary sample has one value; the first --vary key needs two or more (it is the charts' x axis; for a fixed value use --set sample=1000)$" "$TMP/err"
check "  writing nothing" test ! -e "$TMP/one"
cp -R "$TMP/s1" "$TMP/s6"
status 0 "a smaller sweep over a larger one" "$PILOTSIM" sweep $quick --vary adoption.imitation=0.2,0.5 \
  --replications 1 -o "$TMP/s6" --quiet $nc
check "  leaves none of its points behind" sh -c "test -d '$TMP/s6/points/1' && ! test -e '$TMP/s6/points/2'"
check "  nor its charts" test ! -e "$TMP/s6/charts"
status 0 "a later key with one value is fine" "$PILOTSIM" sweep $quick --vary adoption.imitation=0.2,0.5 \
  --vary sample=1000 --replications 1 -o "$TMP/s5" --quiet $nc

# ---- usage errors: one line, exit 2, nothing written ----
status 2 "--replications 0" "$PILOTSIM" run $quick --replications 0 -o "$TMP/bad"
status 2 "--replications not a number" "$PILOTSIM" run $quick --replications x -o "$TMP/bad"
status 2 "--jobs 0" "$PILOTSIM" run $quick --jobs 0 -o "$TMP/bad"
status 2 "--precision 0%" "$PILOTSIM" run $quick --precision 0% -o "$TMP/bad"
status 2 "--precision 150%" "$PILOTSIM" run $quick --precision 150% -o "$TMP/bad"
status 2 "--max-replications without --precision" "$PILOTSIM" run $quick --max-replications 9 -o "$TMP/bad"
status 2 "--max-replications 1" "$PILOTSIM" run $quick --precision 2% --max-replications 1 -o "$TMP/bad"
status 2 "--vary on run" "$PILOTSIM" run $quick --vary sample=1,2 -o "$TMP/bad"
status 2 "--precision on compare" "$PILOTSIM" compare $quick $quick --precision 2% -o "$TMP/bad"
status 2 "sweep without --vary" "$PILOTSIM" sweep $quick -o "$TMP/bad"
status 2 "--vary without =" "$PILOTSIM" sweep $quick --vary sample -o "$TMP/bad"
status 2 "--vary with an empty value" "$PILOTSIM" sweep $quick --vary sample=1,,2 -o "$TMP/bad"
status 2 "--vary of a key twice" "$PILOTSIM" sweep $quick --vary sample=1 --vary sample=2 -o "$TMP/bad"
status 2 "--vary of an unknown key" "$PILOTSIM" sweep $quick --vary adoption.imitaton=0.1 -o "$TMP/bad"
status 2 "--vary of a bad value" "$PILOTSIM" sweep $quick --vary sample=0.5 -o "$TMP/bad"
status 2 "an unknown --metric" "$PILOTSIM" sweep $quick --vary sample=1000 --metric total.adoptoin -o "$TMP/bad"
check "  suggests the closest" grep -q "did you mean 'total.adoption'" "$TMP/err"
check "  in one line" test "$(wc -l <"$TMP/err")" -eq 1
check "nothing was written for any of them" test ! -e "$TMP/bad"
for c in compare sweep; do
  status 0 "$c --help" "$PILOTSIM" $c --help
  check "$c --help shows its usage" grep -q "usage: pilotsim $c" "$TMP/out"
done
done_testing
