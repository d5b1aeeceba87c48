#!/bin/sh
# End to end: scenarios/pilot-national.yaml, the whole pilot (eleven areas,
# April 2020 to December 2021). It validates at its own sample and at sample
# 1 (154 M people within every limit: 32-bit ids, the cities' limit, the
# money bounds), with an estimate of its payments that measured runs bear
# out, and is refused where it cannot fit; a run at a large sample (the horizon cannot be cut: its
# interventions fall late) reports every area and intervention with money
# conserved; and the five lotteries and four cities it shares with
# pilot-2020.yaml have the same inputs in both, so that the two scenarios
# describe one pilot.
. "$(dirname "$0")/../lib.sh"

nat=scenarios/pilot-national.yaml
p20=scenarios/pilot-2020.yaml

status 0 "pilot-national is valid" "$PILOTSIM" check $nat
status 0 "pilot-national is valid at sample 1 (154 M people)" "$PILOTSIM" check $nat --set sample=1
check "  at sample 1 no limit is passed" sh -c "! grep -qi 'expected at most' '$TMP/err'"

# check's estimate at sample 1 is of the payments a run makes: 3.9 M were
# measured at sample 100 and 7.2e4 at sample 5000 (tests/unit/test_budget.c
# holds the measured comparisons), so about 3.9e8 at sample 1; before the
# boosts and the activity of early adopters were in it, 3.5e7.
"$PILOTSIM" check $nat --set sample=1 >"$TMP/check1" 2>/dev/null
pay=$(sed -n 's/.*about \([0-9.e+]*\) e-CNY payments.*/\1/p' "$TMP/check1")
check "check at sample 1: about 3.9e8 payments, within 25% (${pay:-none})" \
  awk "BEGIN { exit !(\"${pay:-0}\" + 0 > 2.9e8 && \"${pay:-0}\" + 0 < 4.9e8) }"
status 2 "sample 1 within 2 GiB is refused before it starts" "$PILOTSIM" run $nat --set sample=1 \
  --max-memory 2G -o "$TMP/refused" --no-charts --quiet
check "  naming the people and the way out" grep -q 'people .* at sample 1 take .*raise sample' "$TMP/err"
check "  nothing written" test ! -e "$TMP/refused/summary.json"

out=$TMP/nat
status 0 "pilot-national runs (sample 5000)" "$PILOTSIM" run $nat --set sample=5000 \
  -o "$out" --no-charts --quiet
check "it reports the eleven areas" test "$(json_get "$out/summary.json" 'scalar keys %{$j->{cities}}')" = 11
check "  of 153,933,477 people" test \
  "$(json_get "$out/summary.json" 'my $s = 0; $s += $_->{population} for values %{$j->{cities}}; $s')" = 153933477
for c in shenzhen xiongan chengdu suzhou beijing-olympics shanghai hainan changsha xian qingdao dalian; do
  check "  $c opened wallets" test "$(json_get "$out/summary.json" "\$j->{cities}{'$c'}{wallets}")" -gt 0
done
check "it runs to the end of 2021" grep -q '^2022-01-01T00:00:00+08:00,' "$out/timeseries.csv"
for id in luohu-2020-10 suzhou-2020-12 futian-2021-01 suzhou-2021-02 chengdu-2021-03 \
    longhua-2021-02 wangfujing-2021-02 beijing-2021-06 shanghai-2021-06 \
    bocom-joins psbc-joins mybank-joins webank-joins app-opens; do
  check "intervention $id is reported" test -n \
    "$(json_get "$out/summary.json" "(grep { \$_->{id} eq '$id' } @{\$j->{interventions}}) ? 1 : undef")"
done
check "money: circulation = issued - redeemed - reclaimed" test \
  "$(json_get "$out/summary.json" 'my $m = $j->{money}; $m->{circulation_fen} == $m->{issued_fen} - $m->{redeemed_fen} - $m->{reclaimed_fen} ? 1 : 0')" = 1
check "money: circulation equals the wallets' sum" test \
  "$(json_get "$out/summary.json" '$j->{money}{circulation_fen} == $j->{money}{wallets_fen} ? 1 : 0')" = 1

# The shared inputs, from each run's resolved scenario.yaml (defaults
# filled in, so a default changed in one file only shows too).
p20out=$TMP/p20
status 0 "pilot-2020 runs (sample 5000)" "$PILOTSIM" run $p20 --set sample=5000 \
  -o "$p20out" --no-charts --quiet
# item FILE ID: the lines of intervention ID in a resolved scenario.
item() {
  awk -v id="  - id: \"$2\"" '$0 == id {on = 1; print; next}
    on && /^  - id:/ {on = 0} on && /^[^ ]/ {on = 0} on' "$1"
}
# city FILE ID: the city's keys but its operator shares (pilot-national
# has two operators more).
city() {
  awk -v id="  \"$2\":" '$0 == id {on = 1; next}
    on && /^  [^ ]/ {on = 0} on && /^[^ ]/ {on = 0}
    on && !/^    operators:/' "$1"
}
for id in luohu-2020-10 suzhou-2020-12 futian-2021-01 suzhou-2021-02 chengdu-2021-03 \
    bocom-joins psbc-joins; do
  item "$out/scenario.yaml" $id >"$TMP/a"
  item "$p20out/scenario.yaml" $id >"$TMP/b"
  check "$id: the same inputs in both scenarios" sh -c "test -s '$TMP/a' && cmp -s '$TMP/a' '$TMP/b'"
done
for c in shenzhen xiongan chengdu suzhou; do
  city "$out/scenario.yaml" $c >"$TMP/a"
  city "$p20out/scenario.yaml" $c >"$TMP/b"
  check "$c: the same city in both (population, start, merchants, ...)" \
    sh -c "grep -q population '$TMP/a' && cmp -s '$TMP/a' '$TMP/b'"
done

done_testing
