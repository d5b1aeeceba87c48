#!/bin/sh
# limits: values beyond what the model's integers hold (issue 17, classes 1
# and 6) are refused by `check` and by `run`, exit status 2, nothing
# written, the bound in the message; their neighbours inside the bounds run
# with the money identity to the fen; a lottery far down the interventions
# list keeps its own outcomes; a sum of money that overflows anyway (a test
# hook plants one) fails run and loadtest with exit 1.
. "$(dirname "$0")/../lib.sh"

q=tests/data/quick.yaml
k=tests/data/every-kind.yaml
lot=interventions.suzhou-2020-12
fast="--set sample=2000 --quiet --no-charts"

# refuse NAME BOUND FILE ARGS...: check and run both exit 2 with one
# positioned line that names BOUND; run leaves no output directory.
refuse() {
  name=$1 bound=$2 file=$3; shift 3
  status 2 "check refuses $name" "$PILOTSIM" check "$file" "$@"
  check "  at a position" grep -Eq '^(--set|[^ ]*\.yaml):[0-9]+:[0-9]+: ' "$TMP/err"
  check "  with the bound ($bound)" grep -Fq -- "$bound" "$TMP/err"
  status 2 "run refuses $name" "$PILOTSIM" run "$file" -o "$TMP/refused" --quiet --no-charts "$@"
  check "  and writes nothing" test ! -e "$TMP/refused"
}

# The reproducers of issue 17, class 1: each wrapped a sum to
# -9223372036854775808, or broke the identity, with exit 0.
refuse "an envelope one fen over 32 bits" "<= 21474836.47" $q --set $lot.amount=21474836.48
refuse "a lottery ticket sigma of 30" "100000000000 yuan" $q --set $lot.ticket.sigma=30
refuse "a lottery ticket ratio of 1e20" "a ratio of at most 1.506e+08" $q --set $lot.ticket.ratio=1e20
refuse "a ticket median of 9e16 yuan, class-1 wallets" "<= 1000000000" $q \
  --set payments.ticket.median=90000000000000000 --set wallets.class1.share=1 \
  --set wallets.class4.share=0
refuse "a regular ticket sigma of 30" "sigma at most 2.69" $q --set payments.ticket.sigma=30
refuse "a top-up step of INT64_MAX fen" "<= 1000000000" $q --set payments.topup=92233720368547758.07
refuse "a subsidy of 9e16 yuan" "to 1000000000" $k --set interventions.onboard.subsidy=90000000000000000
refuse "a salary of 9e16 yuan" "<= 1000000000" $k --set interventions.wages.amount=90000000000000000
refuse "a salary in range paying beyond 2^62 fen" "2^62 fen" $k \
  --set interventions.wages.recipients=1200000 --set interventions.wages.amount=1000000000 \
  --set interventions.wages.every=1d
refuse "a daily limit over 32 bits of fen" "<= 21474836.47" $q --set wallets.class4.per_day=21474836.48
refuse "sample 1.5" "not a whole number" $q --set sample=1.5
refuse "sample 2000.5" "not a whole number" $q --set sample=2000.5

# Neighbours inside the bounds run to the end with the identity to the fen.
# runs NAME ARGS...
runs() {
  name=$1; shift
  rm -rf "$TMP/ok"
  status 0 "$name runs" "$PILOTSIM" run $q -o "$TMP/ok" $fast "$@"
  check "  complete, circulation = wallets to the fen" test "$(json_get "$TMP/ok/summary.json" \
    '$j->{complete} && $j->{money}{circulation_fen} == $j->{money}{wallets_fen} ? 1 : 0')" = 1
}
class1="--set wallets.class1.share=1 --set wallets.class4.share=0"
runs "an envelope of 21474836.47 yuan, class-1 wallets" --set $lot.amount=21474836.47 $class1
check "  its envelopes are spent and reclaimed to the fen" test "$(json_get "$TMP/ok/summary.json" \
  'my $l = $j->{interventions}[0]; $l->{spent_fen} > 0 &&
   $l->{spent_fen} + $l->{reclaimed_fen} == $l->{claimed} * 2147483647 ? 1 : 0')" = 1
runs "a median of 1,000,000 yuan, sigma 0.5, class-1 wallets" \
  --set payments.ticket.median=1000000 --set payments.ticket.sigma=0.5 $class1
runs "a top-up step of 10,000,000 yuan" --set payments.topup=10000000 $class1
runs "sample 1999, a whole number that divides nothing" --set sample=1999

# Class 6: the 256th and 257th interventions are lotteries. A wallet named
# its lottery in a byte, so their spending went to no lottery and to the
# first one. Each lottery's envelopes are now spent or reclaimed, to the fen.
{
  echo "extends: $PWD/$q"
  echo "name: late lotteries"
  echo "sample: 2000"
  echo "interventions:"
  echo "  - {id: suzhou-2020-12, remove: true}" # the base's lottery: merged by id
  echo "  - {id: first, kind: lottery, city: suzhou, envelopes: 100000, amount: 200,"
  echo "     registration: {from: 2020-12-05, until: 2020-12-07}, spending: {from: 2020-12-11, until: 2020-12-28}}"
  i=1
  while [ $i -lt 255 ]; do
    echo "  - {id: p$i, kind: peak, multiplier: 1, window: {from: 2020-12-02, until: 2020-12-03}}"
    i=$((i + 1))
  done
  for c in chengdu shenzhen; do
    echo "  - {id: late-$c, kind: lottery, city: $c, envelopes: 100000, amount: 100,"
    echo "     registration: {from: 2020-12-05, until: 2020-12-07}, spending: {from: 2020-12-11, until: 2020-12-28}}"
  done
} >"$TMP/late.yaml"
status 0 "a scenario whose lotteries are interventions 0, 255 and 256 runs" \
  "$PILOTSIM" run "$TMP/late.yaml" -o "$TMP/late" --quiet --no-charts
for n in 0 255 256; do
  check "  lottery $n has payments of its own" test "$(json_get "$TMP/late/summary.json" \
    "\$j->{interventions}[$n]{payments} > 0 ? 1 : 0")" = 1
  check "  lottery $n: spent + reclaimed = claimed x amount" test "$(json_get "$TMP/late/summary.json" \
    "my \$l = \$j->{interventions}[$n]; my \$a = $n ? 10000 : 20000;
     \$l->{spent_fen} + \$l->{reclaimed_fen} == \$l->{claimed} * \$a ? 1 : 0")" = 1
done

# The sums of money are checked as well: PILOTSIM_FAULT_LEAK (a test hook)
# makes every payment add 2^62 fen to its payee's takings, and each command
# stops with exit 1 and says so, instead of reporting wrapped figures.
leak=-4611686018427387904
PILOTSIM_FAULT_LEAK=$leak status 1 "run: an overflowing sum of money: exit 1" \
  "$PILOTSIM" run $q -o "$TMP/ovf" $fast
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"
check "  no summary.json" test ! -e "$TMP/ovf/summary.json"
PILOTSIM_FAULT_LEAK=$leak status 1 "replications in this process: exit 1" \
  "$PILOTSIM" run $q -o "$TMP/ovf1" --replications 2 --jobs 1 $fast
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"
PILOTSIM_FAULT_LEAK=$leak status 1 "replications in worker processes: exit 1" \
  "$PILOTSIM" run $q -o "$TMP/ovf2" --replications 2 --jobs 2 $fast
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"
PILOTSIM_FAULT_LEAK=-1048576 status 0 "a leak that overflows nothing: exit 0" \
  "$PILOTSIM" run $q -o "$TMP/ovf3" $fast
# The load tester's value of payments likewise: within a run, and (about
# 5.4e18 fen a replication) only when two replications are merged.
soak="tests/validation/capacity.yaml --profile soak:100:10s --warmup 0s --no-charts -q"
PILOTSIM_FAULT_LEAK=$leak status 1 "loadtest: an overflowing value of payments: exit 1" \
  "$PILOTSIM" loadtest $soak -o "$TMP/lt1"
check "  says a sum of money overflowed" grep -q "a sum of money overflowed 64-bit fen" "$TMP/err"
check "  no summary.json" test ! -e "$TMP/lt1/summary.json"
PILOTSIM_FAULT_LEAK=-5500000000000000 status 0 "loadtest: 5.4e18 fen in one run: exit 0" \
  "$PILOTSIM" loadtest $soak -o "$TMP/lt2"
PILOTSIM_FAULT_LEAK=-5500000000000000 status 1 "loadtest: twice that over two replications: exit 1" \
  "$PILOTSIM" loadtest $soak --replications 2 -o "$TMP/lt3"
check "  says a sum of money overflowed merging them" grep -q "overflowed 64-bit fen merging" "$TMP/err"
check "  no summary.json" test ! -e "$TMP/lt3/summary.json"

done_testing
