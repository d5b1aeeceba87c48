#!/bin/sh
# End to end: the default scenario runs and writes every output, well formed;
# the same seed gives the same bytes; another seed gives other results; the
# resolved scenario reproduces the run; money is conserved.
. "$(dirname "$0")/../lib.sh"

out=$TMP/pilot
status 0 "the default scenario runs" "$PILOTSIM" run scenarios/pilot-2020.yaml -o "$out" --quiet
for f in summary.json timeseries.csv scenario.yaml; do
  check "$f is written" test -s "$out/$f"
done
for c in adoption throughput latency; do
  check "charts/$c.png is a PNG" sh -c "head -c 8 '$out/charts/$c.png' | od -An -c | grep -q 'P   N   G'"
  check "charts/$c.svg is an SVG" grep -q '<svg' "$out/charts/$c.svg"
done
check "no temporary file is left" sh -c "! ls -A '$out' | grep -q '\\.tmp'"
check "summary.json is valid JSON" perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' <"$out/summary.json"
for k in schema_version scenario seed rng horizon complete events run cities interventions money; do
  check "summary.json has $k" test -n "$(json_get "$out/summary.json" "exists \$j->{$k} ? 1 : undef")"
done
for c in shenzhen xiongan chengdu suzhou; do
  check "summary.json has city $c with latency_ms.p99" \
    test -n "$(json_get "$out/summary.json" "\$j->{cities}{$c}{latency_ms}{p99}")"
done
check "the run section has events_per_s" test -n "$(json_get "$out/summary.json" '$j->{run}{events_per_s}')"
check "every intervention is reported" test "$(json_get "$out/summary.json" 'scalar @{$j->{interventions}}')" = 7
check "the five lotteries among them" test \
  "$(json_get "$out/summary.json" 'scalar grep { $_->{kind} eq "lottery" } @{$j->{interventions}}')" = 5
check "wallets were opened" test "$(json_get "$out/summary.json" '$j->{cities}{shenzhen}{wallets}')" -gt 0
check "payments were made" test "$(json_get "$out/summary.json" '$j->{cities}{suzhou}{payments}')" -gt 0
check "money: circulation equals the wallets' sum" test \
  "$(json_get "$out/summary.json" '$j->{money}{circulation_fen} == $j->{money}{wallets_fen} ? 1 : 0')" = 1
check "money: circulation = issued - redeemed - reclaimed" test \
  "$(json_get "$out/summary.json" 'my $m = $j->{money}; $m->{circulation_fen} == $m->{issued_fen} - $m->{redeemed_fen} - $m->{reclaimed_fen} ? 1 : 0')" = 1

head -1 "$out/timeseries.csv" >"$TMP/header"
check "timeseries.csv has the contract's columns" grep -q \
  '^time,city,wallets,active_users,adoption,merchants_accepting,payments,payments_failed,value_fen,tps_mean,tps_peak,latency_p50_ms,latency_p99_ms' "$TMP/header"
check "timeseries.csv has a row per day and city" test "$(wc -l <"$out/timeseries.csv")" -eq $((365 * 4 + 1))
check "times are ISO 8601 at the end of the bucket" grep -q '^2020-04-02T00:00:00+08:00,shenzhen,' "$out/timeseries.csv"
check "every row has 21 fields" sh -c "awk -F, 'NF != 21 { bad = 1 } END { exit bad }' '$out/timeseries.csv'"

# Determinism: a shorter run twice with the same seed, once with another.
short="--no-charts --quiet"
"$PILOTSIM" run tests/data/quick.yaml $short -o "$TMP/a" --seed 7
"$PILOTSIM" run tests/data/quick.yaml $short -o "$TMP/b" --seed 7
"$PILOTSIM" run tests/data/quick.yaml $short -o "$TMP/c" --seed 8
check "same seed: identical timeseries.csv" cmp "$TMP/a/timeseries.csv" "$TMP/b/timeseries.csv"
summary_core "$TMP/a/summary.json" >"$TMP/a.core"
summary_core "$TMP/b/summary.json" >"$TMP/b.core"
summary_core "$TMP/c/summary.json" >"$TMP/c.core"
check "same seed: identical summary.json outside run" cmp "$TMP/a.core" "$TMP/b.core"
check "another seed: different timeseries.csv" sh -c "! cmp -s '$TMP/a/timeseries.csv' '$TMP/c/timeseries.csv'"
check "another seed: different summary" sh -c "! cmp -s '$TMP/a.core' '$TMP/c.core'"
check "--seed is recorded" test "$(json_get "$TMP/c/summary.json" '$j->{seed}')" = 8

# The resolved scenario reproduces the run byte for byte.
"$PILOTSIM" run "$TMP/a/scenario.yaml" --no-charts --quiet -o "$TMP/d"
check "scenario.yaml reruns to identical timeseries.csv" cmp "$TMP/a/timeseries.csv" "$TMP/d/timeseries.csv"
summary_core "$TMP/d/summary.json" >"$TMP/d.core"
check "scenario.yaml reruns to an identical summary" cmp "$TMP/a.core" "$TMP/d.core"

# `plot` redraws the charts of a finished run.
rm -rf "$TMP/a/charts"
status 0 "plot redraws a finished run's charts" "$PILOTSIM" plot "$TMP/a"
check "plot wrote the adoption chart" test -s "$TMP/a/charts/adoption.png"
done_testing
