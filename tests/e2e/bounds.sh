#!/bin/sh
# End to end: bounds (issue 17, classes 7 and 12). Runs that would never end
# or would eat the machine are refused before they start (exit 2, nothing
# written, a message naming the cause and the way out); inputs that the run
# would trim are refused when impossible and reported (stderr and summary.json's
# `warnings`) when trimmed; `w`, `y` and `end:` give a horizon as meant.
. "$(dirname "$0")/../lib.sh"

# A small city: runs in a blink.
cat >"$TMP/city.yaml" <<'EOF'
name: city
start: 2020-04-01
duration: 30d
sample: 100
operators:
  icbc: {}
  abc: {}
cities:
  chengdu: {population: 2100000, merchants: 50000, initial_wallets: 10%}
EOF

# refused WHAT CAUSE COMMAND...: exit 2, the cause on stderr, no output.
refused() {
  what=$1 cause=$2; shift 2
  rm -rf "$TMP/o"
  status 2 "$what: exit 2" "$@" -o "$TMP/o"
  check "$what: says '$cause'" grep -q -- "$cause" "$TMP/err"
  check "$what: one line" test "$(wc -l <"$TMP/err")" -eq 1
  check "$what: nothing written" test ! -e "$TMP/o"
}

# --- class 7: never-ending runs --------------------------------------------
refused "duration=1e300d" "duration: 1e300d is out of range" \
  "$PILOTSIM" run "$TMP/city.yaml" --set duration=1e300d
refused "per_user_per_day=1e300" "per_user_per_day: 1e300 is out of range" \
  "$PILOTSIM" run "$TMP/city.yaml" --set payments.per_user_per_day=1e300
refused "step: 1us" "step: 1us is out of range" \
  "$PILOTSIM" run "$TMP/city.yaml" --set step=1us
refused "a century at a one-second step" "a longer step" \
  "$PILOTSIM" run "$TMP/city.yaml" --set duration=100y --set step=1s --max-memory 64G
refused "a year of 100 e-CNY payments a person a day at sample 1" "would handle about" \
  "$PILOTSIM" run "$TMP/city.yaml" --set duration=1y --set sample=1 \
  --set payments.per_user_per_day=100 --set payments.ecny_preference=1 \
  --set cities.chengdu.initial_wallets=1 --set cities.chengdu.initial_accepting=1 --max-memory 1T
check "... and the cause is the payments, the way out raise sample" \
  grep -q "e-CNY payments over 1y at sample 1; raise sample" "$TMP/err"
refused "--replications 2000 of a century by the hour" "fewer --replications" \
  "$PILOTSIM" run "$TMP/city.yaml" --set duration=100y --set step=1h --replications 2000 -j 1 \
  --max-memory 8G
refused "--jobs 64 of a large run" "fewer --jobs" \
  "$PILOTSIM" run "$TMP/city.yaml" --set sample=1 --replications 64 -j 64 --max-memory 1G
refused "compare: 2000 replications of two plans" "fewer --replications" \
  "$PILOTSIM" compare "$TMP/city.yaml" "$TMP/city.yaml" --set duration=100y --set step=1h \
  --replications 2000 -j 1 --max-memory 8G
refused "sweep: a century at a one-second step" "a longer step" \
  "$PILOTSIM" sweep "$TMP/city.yaml" --vary sample=100,200 --set duration=100y \
  --set step=1s -j 1 --max-memory 64G
refused "loadtest --profile soak:1e12:1s" "lower the profile's rates" \
  "$PILOTSIM" loadtest "$TMP/city.yaml" --profile soak:1e12:1s --max-memory 1P
refused "loadtest --profile soak:1:1e300s" "the profile lasts more than 100y" \
  "$PILOTSIM" loadtest "$TMP/city.yaml" --profile soak:1:1e300s
refused "loadtest --warmup 1e300s" "--warmup wants a duration from 0 to 100y" \
  "$PILOTSIM" loadtest "$TMP/city.yaml" --warmup 1e300s
refused "loadtest --warmup 100y" "shorten --warmup" \
  "$PILOTSIM" loadtest "$TMP/city.yaml" --warmup 100y --max-memory 16G
refused "loadtest --find-capacity over 1:1e12" "a narrower --capacity-range" \
  "$PILOTSIM" loadtest "$TMP/city.yaml" --find-capacity --slo 'p99<500ms' \
  --capacity-range 1:1e12 --max-memory 1P
status 2 "bench phold --end 1e300: exit 2" "$PILOTSIM" bench phold --end 1e300
check "bench phold --end 1e300: says 'lower --end'" grep -q -- "lower --end" "$TMP/err"
status 2 "bench phold past the memory: exit 2" "$PILOTSIM" bench phold --lps 100000 \
  --population 40000 --max-memory 16G
check "bench phold past the memory: says 'lower --lps or --population'" \
  grep -q -- "lower --lps or --population" "$TMP/err"
status 2 "--max-memory wants a size" "$PILOTSIM" run "$TMP/city.yaml" --max-memory lots
check "--max-memory's message shows a size" grep -q "like 16G" "$TMP/err"
status 2 "--max-memory 0 is refused" "$PILOTSIM" run "$TMP/city.yaml" --max-memory 0
status 2 "check takes no --max-memory" "$PILOTSIM" check "$TMP/city.yaml" --max-memory 1G

# A run that runs out of memory after all (here under ulimit -v, past an
# explicit --max-memory) names what a run needs and where it goes, not a
# guess (it used to say "try a larger `sample`" whatever the cause).
# Sanitizer builds reserve terabytes of address space: not under ulimit.
case $PILOTSIM in
*/san/*) ;;
*)
  for mode in "" "--replications 2 -j 1" "--replications 2 -j 2"; do
    # shellcheck disable=SC2086 # mode is words on purpose
    (ulimit -v 400000; "$PILOTSIM" run "$TMP/city.yaml" --set sample=1 \
      --set cities.chengdu.population=100000000 --max-memory 1T -q --no-charts \
      -o "$TMP/oom" $mode) >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check "out of memory ${mode:-(one run)}: exit 1" test "$rc" = 1
    check "out of memory ${mode:-(one run)}: names the people and raise sample" \
      grep -q "most of it for 1e+08 people.*raise sample" "$TMP/err"
  done
  (ulimit -v 400000; "$PILOTSIM" run "$TMP/city.yaml" --set step=1s --set duration=1y \
    --max-memory 1T -q --no-charts -o "$TMP/oom") >"$TMP/out" 2>"$TMP/err"
  check "out of memory in the time series: names it and a longer step" \
    grep -q "most of it for the time series.*a longer step" "$TMP/err"
  ;;
esac

# What fits runs: the same city with room to spare, and a modest limit.
status 0 "a small run fits in 256M" "$PILOTSIM" run "$TMP/city.yaml" -o "$TMP/fits" -q \
  --no-charts --max-memory 256M
status 0 "loadtest of a short soak fits in 1G" "$PILOTSIM" loadtest "$TMP/city.yaml" \
  --profile soak:100:20s --warmup 5s -o "$TMP/lt" -q --no-charts --max-memory 1G
status 0 "check prints an estimate" "$PILOTSIM" check "$TMP/city.yaml"
check "the estimate gives memory and events" grep -q "estimate: *about .* of memory and .* events" \
  "$TMP/out"

# --- class 12: inputs quietly cut down ------------------------------------
cat >"$TMP/trim.yaml" <<'EOF'
name: trim
start: 2020-04-01
duration: 30d
sample: 100
operators:
  icbc: {}
cities:
  chengdu: {population: 2100000, merchants: 50000, initial_accepting: 50%}
interventions:
  - id: envelopes
    kind: lottery
    city: chengdu
    envelopes: 1000000
    amount: 10
    registration: {from: 2020-04-02, until: 2020-04-04}
    spending: {from: 2020-04-05, until: 2020-04-10}
  - id: onboard
    kind: merchant_campaign
    city: chengdu
    merchants: 40000
    window: {from: 2020-04-02, until: 2020-04-20}
  - id: pay
    kind: salary
    city: chengdu
    at: 2020-04-02
    recipients: 2000000
    amount: 100
EOF
status 0 "trimmed inputs: check accepts them" "$PILOTSIM" check "$TMP/trim.yaml"
check "envelopes past the registrants are reported" \
  grep -q "warning: interventions.envelopes.envelopes: 1000000 envelopes, but about 231000 people register" "$TMP/err"
check "a campaign past the merchants not accepting is reported" \
  grep -q "warning: interventions.onboard.merchants: 40000 merchants, but about 25000 .* do not accept" "$TMP/err"
check "recipients past the smartphone owners are reported" \
  grep -q "warning: interventions.pay.recipients: 2000000 recipients, but only the city's about 1806000 smartphone owners" "$TMP/err"
status 0 "trimmed inputs: the run goes on" "$PILOTSIM" run "$TMP/trim.yaml" -o "$TMP/trim" -q --no-charts
check "summary.json lists the three trims" test "$(json_get "$TMP/trim/summary.json" \
  'scalar grep { /envelopes, but|do not accept|smartphone owners/ } @{$j->{warnings}}')" = 3
check "the run prints each once" test "$(grep -c "warning: interventions" "$TMP/err")" = 3
# sweep and compare load the same scenarios: they say the same, each line
# once however many points or plans share it.
status 0 "trimmed inputs: a sweep goes on" "$PILOTSIM" sweep "$TMP/trim.yaml" --vary seed=1,2 \
  --replications 2 -o "$TMP/trim-sweep" -q --no-charts
check "the sweep prints each once" test "$(grep -c "warning: interventions" "$TMP/err")" = 3
cp "$TMP/trim.yaml" "$TMP/trim2.yaml"
status 0 "trimmed inputs: a compare goes on" "$PILOTSIM" compare "$TMP/trim.yaml" "$TMP/trim2.yaml" \
  --replications 2 -o "$TMP/trim-compare" -q --no-charts
check "the compare prints each once" test "$(grep -c "warning: interventions" "$TMP/err")" = 3

cat >"$TMP/two.yaml" <<'EOF'
name: two campaigns
start: 2020-04-01
duration: 30d
sample: 100
operators:
  icbc: {}
cities:
  chengdu: {population: 2100000, merchants: 50000}
interventions:
  - {id: one, kind: merchant_campaign, city: chengdu, merchants: 30000,
     window: {from: 2020-04-02, until: 2020-04-10}}
  - {id: two, kind: merchant_campaign, city: chengdu, merchants: 30000,
     window: {from: 2020-04-12, until: 2020-04-20}}
EOF
status 0 "two campaigns that overfill a city: accepted" "$PILOTSIM" check "$TMP/two.yaml"
check "their sum is reported" grep -q "cities.chengdu: its 2 merchant campaigns onboard 60000" "$TMP/err"

# --- units and the horizon ------------------------------------------------
status 0 "duration: 6m runs" "$PILOTSIM" run "$TMP/city.yaml" --set duration=6m -o "$TMP/six" -q \
  --no-charts
check "a horizon shorter than a day is reported" \
  grep -q "warning: duration: the horizon is 6m, shorter than a day (the unit m is minutes" "$TMP/err"
check "and listed in summary.json" test -n "$(json_get "$TMP/six/summary.json" \
  'join "", grep { /shorter than a day/ } @{$j->{warnings}}')"
status 0 "duration: 2w" "$PILOTSIM" check "$TMP/city.yaml" --set duration=2w
check "2w is 14 days" grep -q "period: *14 days" "$TMP/out"
status 0 "duration: 1y" "$PILOTSIM" check "$TMP/city.yaml" --set duration=1y
check "1y is 365 days" grep -q "period: *365 days" "$TMP/out"
# (city.yaml's sample 100 draws the sampled-latency warning: not this one.)
check "no warning for a horizon of a year" sh -c "! grep -q 'horizon' '$TMP/err'"

sed 's/^duration: 30d$/end: 2020-05-01/' "$TMP/city.yaml" >"$TMP/end.yaml"
status 0 "end: runs" "$PILOTSIM" run "$TMP/end.yaml" -o "$TMP/end" -q --no-charts
status 0 "duration: 30d runs" "$PILOTSIM" run "$TMP/city.yaml" -o "$TMP/dur" -q --no-charts
check "end: 2020-05-01 is duration: 30d, row for row" cmp "$TMP/end/timeseries.csv" \
  "$TMP/dur/timeseries.csv"
check "the resolved scenario of end: has the duration" grep -q "^duration: 2592000s" \
  "$TMP/end/scenario.yaml"
status 0 "the resolved scenario of end: loads" "$PILOTSIM" check "$TMP/end/scenario.yaml"
# An end: the same day: warned of, without the hint on duration units.
sed 's/^duration: 30d$/end: 2020-04-01T06:00/' "$TMP/city.yaml" >"$TMP/end6h.yaml"
status 0 "end: six hours after start" "$PILOTSIM" check "$TMP/end6h.yaml"
check "  a horizon shorter than a day is reported" \
  grep -q "warning: end: the horizon is 6h, shorter than a day (end: 2020-04-01T06:00:00" "$TMP/err"
check "  without the hint on the unit m, which end: has not" test "$(grep -c "unit m" "$TMP/err")" = 0
status 2 "end: with duration" "$PILOTSIM" check "$TMP/city.yaml" --set end=2020-05-01
status 2 "end: before start" "$PILOTSIM" check "$TMP/end.yaml" --set end=2020-03-01

done_testing
