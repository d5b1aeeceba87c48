#!/bin/sh
# End to end: `pilotsim loadtest`. Every bad option exits 2 with one line;
# a run writes loadtest.csv, loadtest_resources.csv, summary.json and the
# charts; SLOs gate the exit status (3 when a step fails); double11.yaml's
# default profile passes `p99<1h` and fails a tight SLO; the capacity search
# on tests/validation/capacity.yaml finds c/s = 800/s within 5%.
. "$(dirname "$0")/../lib.sh"

cap=tests/validation/capacity.yaml
d11=scenarios/double11.yaml
lt() { "$PILOTSIM" loadtest "$@"; }
# Whether stdout's verdict says $1 (its lines joined: it wraps at 78 columns).
said() { tr '\n' ' ' <"$TMP/out" | sed 's/  */ /g' | grep -q -- "$1"; }

# Bad input: exit 2 and one line on stderr naming the problem.
bad() {
  expect=$1; shift
  status 2 "bad input: $*" lt "$@" -o "$TMP/bad" --no-charts -q
  check "  says: $expect" grep -q -- "$expect" "$TMP/err"
  check "  in one line" test "$(wc -l <"$TMP/err")" = 1
}
bad "unknown shape 'wave'" $cap --profile wave:1:2
bad "wrong number of fields" $cap --profile ramp:1:2
bad "bad value" $cap --profile soak:x:10s
bad "unknown metric 'p98'" $cap --slo 'p98<1s'
bad "has no '<'" $cap --slo 'p99=1s'
bad "unknown resource 'nobank'" $cap --fault nobank:1:1
bad "RESOURCE:FROM:LENGTH" $cap --fault bank:1
bad "RESOURCE:FROM:LENGTH" $cap --fault bank
bad "MAX:BACKOFF:JITTER" $cap --retries 2:1s
bad "--interval wants a duration" $cap --interval 0
bad "--warmup wants a duration" $cap --warmup -1s
bad "--target wants a rate in payments/s above 0" $cap --target 0
bad "--target wants a rate in payments/s above 0" $cap --target fast
bad "--capacity-range wants LO:HI" $cap --capacity-range 5:1 --find-capacity --slo 'p99<1s'
bad "--capacity-duration wants" $cap --capacity-duration x
bad "--find-capacity needs an SLO" $cap --find-capacity
bad "--replications wants a count" $cap --replications 0
bad "unknown option '--bogus'" $cap --bogus
bad "missing SCENARIO" --profile soak:1:1s
bad "unexpected argument" $cap $cap
# Issue 17: options that used to be accepted and then crashed, hung or
# reported nonsense.
bad "the profile lasts more than 100y" $cap --profile soak:1:1e300s
bad "take --interval 100s or longer" $cap --profile soak:1:1e6s
bad "makes 100000 intervals" $cap --profile soak:100:10s --interval 100us
bad "finite rates in payments/s, not '1:inf'" $cap --capacity-range 1:inf --find-capacity --slo 'p99<1s'
bad "--capacity-range wants LO:HI" $cap --capacity-range 1:nan --find-capacity --slo 'p99<1s'
bad "--capacity-range wants LO:HI" $cap --capacity-range 0:10 --find-capacity --slo 'p99<1s'
bad "wants a duration of at least 1s" $cap --capacity-duration 1us --find-capacity --slo 'p99<1s'
bad "wants a duration of at least 1s" $cap --capacity-duration 999ms --find-capacity --slo 'p99<1s'
# A profile at one rate leaves the search no bracket: it reported 0/s (a
# profile at 0) or the profile's rate as "the capacity", exit 0.
bad "here 0 to 0 payments/s (expected 0 < LO < HI: give --capacity-range" $cap \
  --profile ramp:0:0:10s --find-capacity --slo 'p99<1s'
bad "here 500 to 500 payments/s" $cap --profile soak:500:10s --find-capacity --slo 'p99<1s'
bad "SLO term 'p99<-5ms': '-5ms' is out of range (expected a duration > 0" $cap --slo 'p99<-5ms'
bad "'0s' is out of range" $cap --slo 'p50<=0s'
bad "SLO term 'failed<0' can never hold" $cap --slo 'failed<0'
bad "service_cv: 1e155 is out of range (expected a number from 0 to 100)" $cap \
  --set operators.bank.service_cv=1e155
status 2 "an option without its value exits 2" lt $cap -o "$TMP/bad" --profile
check "  says: needs a value" grep -q 'needs a value' "$TMP/err"
status 2 "a missing scenario exits 2" lt nowhere.yaml -o "$TMP/bad"
check "nothing is written on bad input" test ! -e "$TMP/bad"
status 0 "--help" lt --help
check "  shows the profiles" grep -q 'spike:BASE:PEAK:AT:LENGTH' "$TMP/out"

# A step profile with an SLO that holds, with charts and replications.
out=$TMP/steps
status 0 "a step profile under capacity passes its SLO" lt $cap -o "$out" -q \
  --profile step:200:600:3:20s --warmup 5s --slo 'p99<500ms,failed<0.1%' --replications 2
for f in loadtest.csv loadtest_resources.csv summary.json; do
  check "$f is written" test -s "$out/$f"
done
for c in knee latency utilization; do
  check "charts/loadtest-$c.png is a PNG" sh -c "head -c 8 '$out/charts/loadtest-$c.png' | od -An -c | grep -q 'P   N   G'"
  check "charts/loadtest-$c.svg is an SVG" grep -q '<svg' "$out/charts/loadtest-$c.svg"
done
check "loadtest.csv: one row per step" test "$(wc -l <"$out/loadtest.csv")" = 4
check "the knee draws the SLO's p99 line" grep -q '<text>SLO: p99 &lt; 500 ms</text>' "$out/charts/loadtest-knee.svg"
check "  with p99's interval over the replications" grep -q "p99 latency (95% interval)" "$out/charts/loadtest-knee.svg"
check "the latency chart draws it too" grep -q '<text>SLO: p99 &lt; 500 ms</text>' "$out/charts/loadtest-latency.svg"
check "utilization in percent" grep -q '<text>100%</text>' "$out/charts/loadtest-utilization.svg"
check "loadtest.csv header" grep -q '^start_s,end_s,offered_per_s,achieved_per_s,payments,completed,failed,timed_out,dropped,retries,p50_ms,p50_ms_ci_lo,p50_ms_ci_hi,' "$out/loadtest.csv"
check "loadtest.csv: utilization and queue per resource" grep -q ',slo,util_bank,queue_max_bank,util_ledger,queue_max_ledger$' "$out/loadtest.csv"
check "every step passes" test "$(grep -c ',pass,' "$out/loadtest.csv")" = 3
report_pdf_check "$out" 3
check "report.html opens with the SLO's verdict" sh -c "grep -o '<p class=\"answer\">.*' '$out/report.html' | head -1 | grep -q 'SLO passed: .*p99&lt;500ms,failed&lt;0.1% held in all 3 steps'"
check "summary.json is valid JSON" perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' <"$out/summary.json"
check "summary: slo_passed" test "$(json_get "$out/summary.json" '$j->{loadtest}{slo_passed} ? 1 : 0')" = 1
check "summary: p99 with an interval" test -n "$(json_get "$out/summary.json" '$j->{loadtest}{latency_ms_ci}{p99}[1]')"
check "summary: per-resource latency" test -n "$(json_get "$out/summary.json" '$j->{loadtest}{resources}{bank}{latency_ms}{p99}')"
status 3 "a verdict per step on stdout" lt $cap -o "$TMP/v" --no-charts \
  --profile step:400:1200:2:10s --warmup 5s --slo 'p99<100ms'
check "  the first step passes" grep -q 'SLO pass$' "$TMP/out"
check "  the second fails" grep -q 'SLO FAIL$' "$TMP/out"
# The verdict at the end, in words: which term failed at which step.
check "  the verdict says the SLO failed, where and why" said ' SLO FAILED: p99<100ms failed in 1 of 2 steps of the profile, first at 10-20 s (offered 1,'
check "  with what p99 was against its limit" said 'p99 was [0-9.]* s against p99<100ms\. '
check "  summary.json: the first failing step" test "$(json_get "$TMP/v/summary.json" 'my $f = $j->{loadtest}{first_failure}; "$f->{start_s}-$f->{end_s} $f->{terms}[0] " . ($f->{observed}[0] > 100 ? "over" : "under")')" = "10-20 p99<100ms over"
status 0 "a passing SLO's verdict" lt $cap -o "$TMP/vp" --no-charts \
  --profile step:200:400:2:10s --warmup 5s --slo 'p99<1s'
check "  says it held in every step" said ' SLO passed: p99<1s held in all 2 steps of the profile\.'

check "  and names the busiest resource" grep -q '^  Busiest resource: bank, ' "$TMP/out"
check "  summary.json: no failing step" test "$(json_get "$TMP/vp/summary.json" 'defined $j->{loadtest}{first_failure} ? 1 : 0')" = 0

# An interval far longer than the profile (over 1e9 times, it overflowed
# the interval array): one row, the whole profile.
for iv in 1h 3e9s; do
  status 0 "--interval $iv on a 1 s profile runs" lt $cap -o "$TMP/long-$iv" -q --no-charts \
    --profile soak:1000:1s --warmup 1s --interval $iv
  check "  one row, 0-1 s" test "$(sed -n '2p' "$TMP/long-$iv/loadtest.csv" | cut -d, -f1,2)" = "0,1"
  check "  and no other" test "$(wc -l <"$TMP/long-$iv/loadtest.csv")" = 2
done

# A lognormal service with the largest cv accepted: figures stay finite.
status 0 "service_cv 100 runs" lt $cap -o "$TMP/cv" -q --no-charts --profile soak:200:10s \
  --warmup 1s --set operators.bank.service_dist=lognormal --set operators.bank.service_cv=100
check "  no NaN or inf in loadtest.csv" sh -c "! grep -qi 'nan\|inf' '$TMP/cv/loadtest.csv'"
status 0 "run with service_cv 100 completes" "$PILOTSIM" run tests/data/quick.yaml -o "$TMP/cvrun" \
  -q --no-charts --set ledger.service_dist=lognormal --set ledger.service_cv=100

# Faults: --fault adds to the scenario's outage (20 of them and the ICBC
# outage: 21, none dropped); one outside the profile is kept, and said.
faults=""
for i in $(seq 1 20); do faults="$faults --fault ledger:${i}s:100ms:0.9"; done
status 0 "20 --fault options and the scenario's outage" lt $d11 -o "$TMP/faults" -q --no-charts \
  --profile soak:2000:30s --warmup 1s $faults
check "  21 faults in summary.json" test "$(json_get "$TMP/faults/summary.json" 'scalar @{$j->{loadtest}{faults}}')" = 21
check "  the scenario's outage is the last" test "$(json_get "$TMP/faults/summary.json" '$j->{loadtest}{faults}[20]{resource}')" = icbc
check "  it lies past the profile: said on stderr" grep -q "warning: outage 'icbc-outage' on icbc from 240 s to 300 s starts after the profile ends at 30 s" "$TMP/err"
check "  once" test "$(grep -c 'icbc-outage' "$TMP/err")" = 1
check "  and in summary.json's warnings" test "$(json_get "$TMP/faults/summary.json" 'scalar grep { /icbc-outage/ } @{$j->{warnings}}')" = 1
status 0 "a --fault that outlasts the profile is kept" lt $cap -o "$TMP/past" -q --no-charts \
  --profile soak:100:10s --warmup 1s --fault bank:5s:1h --replications 2
check "  said once on stderr" test "$(grep -c 'lasts past the end of the profile at 10 s' "$TMP/err")" = 1
check "  listed with no recovery" test "$(json_get "$TMP/past/summary.json" 'defined $j->{loadtest}{faults}[0]{recovery_s} ? 1 : 0')" = 0
check "  one warning in summary.json" test "$(json_get "$TMP/past/summary.json" 'scalar @{$j->{warnings}}')" = 1
status 0 "a fault within the profile: no warning" lt $cap -o "$TMP/within" -q --no-charts \
  --profile soak:100:10s --warmup 1s --fault bank:2s:3s
check "  nothing on stderr" test ! -s "$TMP/err"
check "  an empty warnings list" test "$(json_get "$TMP/within/summary.json" 'scalar @{$j->{warnings}}')" = 0

# mean_wait_ms has a 95% interval over replications, like the latency.
check "mean_wait_ms_ci with replications" test "$(json_get "$TMP/past/summary.json" 'my $r = $j->{loadtest}{resources}{bank}; $r->{mean_wait_ms_ci}[0] <= $r->{mean_wait_ms} && $r->{mean_wait_ms} <= $r->{mean_wait_ms_ci}[1] ? 1 : 0')" = 1
check "  not without them" test "$(json_get "$TMP/within/summary.json" 'exists $j->{loadtest}{resources}{bank}{mean_wait_ms_ci} ? 1 : 0')" = 0

# Determinism: the same seed gives the same loadtest.csv.
lt $cap -o "$TMP/r1" -q --no-charts --profile ramp:100:900:30s --seed 5
lt $cap -o "$TMP/r2" -q --no-charts --profile ramp:100:900:30s --seed 5
check "same seed: identical loadtest.csv" cmp "$TMP/r1/loadtest.csv" "$TMP/r2/loadtest.csv"

# The SLO gates the exit status.
status 3 "past capacity a tight SLO fails: exit 3" lt $cap -o "$TMP/over" -q --no-charts \
  --profile step:400:1200:3:20s --slo 'p99<100ms'
check "  the failing step is marked" grep -q ',fail,' "$TMP/over/loadtest.csv"
status 3 "double11, shortened: p99<500ms,failed<0.1% fails" lt $d11 -o "$TMP/d11t" -q \
  --no-charts --profile ramp:2000:20000:2m --slo 'p99<500ms,failed<0.1%'
status 0 "double11's default profile passes p99<1h" lt $d11 -o "$TMP/d11" --no-charts \
  --slo 'p99<1h'
check "  it starts where the system copes" sh -c "sed -n 2p '$TMP/d11/loadtest.csv' | grep -q ',pass,'"
check "  it reports the ICBC outage" test "$(json_get "$TMP/d11/summary.json" '$j->{loadtest}{faults}[0]{resource}')" = icbc
check "  p99 goes past 500 ms" test "$(json_get "$TMP/d11/summary.json" '$j->{loadtest}{latency_ms}{p99} > 500 ? 1 : 0')" = 1
# Utilization is a share: busy server time within the interval over servers
# x its length. The drain after the profile belongs to no row (the last row
# of double11 said util_icbc 4.08 and counted the drain as achieved).
check "  every util_ column is within 0-1" awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^util_/) u[i] = 1; next }
  { for (i in u) if ($i < 0 || $i > 1) exit 1 }' "$TMP/d11/loadtest.csv"
check "  the last row achieves no more than the row before it" awk -F, 'NR > 1 { prev = last; last = $4 } END { exit !(last <= prev + 1e-9) }' "$TMP/d11/loadtest.csv"
check "  summary.json's utilizations are within 0-1" test "$(json_get "$TMP/d11/summary.json" 'my $r = $j->{loadtest}{resources}; (grep { $_->{utilization} > 1 } values %$r) ? 0 : 1')" = 1

# Capacity search: c/s = 800/s within 5%.
out=$TMP/cap
status 0 "capacity search finds a capacity" lt $cap -o "$out" -q --no-charts --find-capacity \
  --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 120s --warmup 10s \
  --profile soak:800:10s
c=$(json_get "$out/summary.json" '$j->{loadtest}{capacity_per_s}')
check "capacity $c is within 5% of 800/s" perl -e "exit !(abs($c - 800) <= 40)"
check "capacity_ci is [low, high]" test "$(json_get "$out/summary.json" 'my $c = $j->{loadtest}{capacity_ci}; $c->[0] <= $c->[1] ? 1 : 0')" = 1
check "the bottleneck is the operator" test "$(json_get "$out/summary.json" '$j->{loadtest}{bottleneck}{resource}')" = bank
check "loadtest_capacity.csv: one row per probe" test "$(($(wc -l <"$out/loadtest_capacity.csv") - 1))" = "$(($(json_get "$out/summary.json" '$j->{loadtest}{capacity_probes}') - 1))"
check "  its header" grep -q '^replication,offered_per_s,achieved_per_s,payments,failed_share,p99_ms,slo,faulted$' "$out/loadtest_capacity.csv"
# The charts of a capacity search with a fault: the knee from the probes,
# the capacity and the target marked, the fault shaded on the time axes.
status 0 "a capacity search with a fault, charts drawn" lt $cap -o "$TMP/capch" -q --find-capacity \
  --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 10s --warmup 5s --replications 2 \
  --profile step:200:1000:3:20s --fault bank:25s:10s --target 700
check "  the knee is the probes'" grep -q '<text>Capacity probes, a soak at each rate</text>' "$TMP/capch/charts/loadtest-knee.svg"
check "  with the capacity and its interval" grep -q '<text>capacity [0-9,]*/s (95% interval [0-9,]* to [0-9,]*)</text>' "$TMP/capch/charts/loadtest-knee.svg"
check "  and the target" grep -q '<text>target 700/s</text>' "$TMP/capch/charts/loadtest-knee.svg"
for c in latency utilization; do
  check "  loadtest-$c shades the fault, named" grep -q '<text>--fault bank:25s:10s: bank down' "$TMP/capch/charts/loadtest-$c.svg"
done
# report.html, from the files: the verdict first, the charts, the appendix.
r=$TMP/capch/report.html
check "report.html is written" test -s "$r"
check "  it opens with the verdict: the capacity against the target" sh -c "grep -o '<p class=\"answer\">.*' '$r' | head -1 | grep -q 'Capacity:.*above the target of 700 payments/s: the target is met'"
check "  then the bottleneck and the fault" sh -c "grep -q 'Bottleneck:' '$r' && grep -q 'bank down from 25 s to 35 s' '$r'"
check "  three charts inline, numbered" test "$(grep -o 'Figure [0-9]\.' "$r" | sort -u | wc -l)" = 3
report_pdf_check "$TMP/capch" 3
check "  the appendix: every step and every probe" sh -c "grep -q 'Every step' '$r' && grep -q 'Every capacity probe' '$r'"
# Without a search, the knee sets apart the steps the fault bent.
status 3 "a fault's steps on the knee" lt $cap -o "$TMP/kneefault" -q --slo 'p99<1s' \
  --profile step:200:600:3:20s --warmup 5s --fault bank:25s:10s
check "  are labelled as not the knee" grep -q '<text>during or after a fault: not the knee</text>' "$TMP/kneefault/charts/loadtest-knee.svg"

# The verdict against a target: met above it, not met below it.
status 0 "a capacity against a target it meets" lt $cap -o "$TMP/tgt" --no-charts --find-capacity \
  --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 20s --warmup 5s \
  --profile soak:800:10s --replications 2 --target 700
check "  the verdict: capacity, interval, replications" said ' Capacity: [0-9]* payments/s (95% interval [0-9]* to [0-9]* payments/s over 2 replications'
check "  the target is met" said 'above the target of 700 payments/s: the target is met\.'

check "  summary.json: target_per_s" test "$(json_get "$TMP/tgt/summary.json" '$j->{loadtest}{target_per_s}')" = 700
check "  the bottleneck in words" grep -q '^  Bottleneck: bank, ' "$TMP/out"
status 0 "a target above the capacity" lt $cap -o "$TMP/tgt2" --no-charts --find-capacity \
  --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 20s --warmup 5s \
  --profile soak:800:10s --replications 1 --target 1000
check "  is not met" said 'below the target of 1,000 payments/s: the target is NOT met\.'

# A short probe: the bottleneck's utilization is still a share (it was 28
# million at 1us, the drain divided by the soak's length).
status 0 "capacity search with 1 s probes" lt $cap -o "$TMP/cap1" -q --no-charts --find-capacity \
  --slo 'p99<1s' --capacity-range 400:1200 --capacity-duration 1s --warmup 1s --replications 1 \
  --profile soak:800:10s --fault bank:5s:1s
check "  a fault past the probes' soak is said once, as theirs" test "$(grep -c "warning: --fault on bank from 5 s to 6 s starts after a capacity probe's soak ends at 1 s" "$TMP/err")" = 1
check "  the bottleneck's utilization is within 0-1" test "$(json_get "$TMP/cap1/summary.json" 'my $u = $j->{loadtest}{bottleneck}{utilization}{bank}; $u > 0.9 && $u <= 1 ? 1 : 0')" = 1
status 0 "capacity probes that see few payments" lt $cap -o "$TMP/capfew" -q --no-charts \
  --find-capacity --slo 'p99<1s' --capacity-range 1:50 --capacity-duration 1s --warmup 1s \
  --replications 1 --profile soak:10:10s
check "  say so on stderr" grep -q 'its verdict is noise' "$TMP/err"
check "  and in summary.json" test "$(json_get "$TMP/capfew/summary.json" 'scalar grep { /verdict is noise/ } @{$j->{warnings}}')" -ge 1
# The older behaviour: --slo ... --find-capacity on double11 finds a
# capacity, near the nominal 13,700/s where ICBC saturates.
status 0 "double11: --find-capacity finds a capacity" lt $d11 -o "$TMP/d11cap" -q --no-charts \
  --slo 'p99<500ms,failed<0.1%' --find-capacity --replications 1 --capacity-duration 10s \
  --warmup 5s --profile ramp:2000:20000:1m
check "  between 12,000 and 15,500 payments/s" test "$(json_get "$TMP/d11cap/summary.json" 'my $c = $j->{loadtest}{capacity_per_s}; $c > 12000 && $c < 15500 ? 1 : 0')" = 1
check "  the bottleneck is ICBC, utilization within 0-1" test "$(json_get "$TMP/d11cap/summary.json" 'my $b = $j->{loadtest}{bottleneck}; $b->{resource} eq "icbc" && $b->{utilization}{icbc} <= 1 ? 1 : 0')" = 1
status 3 "no capacity when even the lowest rate fails: exit 3" lt $cap -o "$TMP/nocap" \
  --no-charts --find-capacity --slo 'p99<1ms' --capacity-range 700:900 --replications 1 \
  --profile soak:800:10s --capacity-duration 20s
check "  the verdict says none was found" said ' Capacity: none found: the SLO fails even at the lowest rate searched, 700 payments/s\.'


# The scenario's loadtest section: used when the command line is silent,
# overridden by it.
cat >"$TMP/section.yaml" <<EOF
extends: $PWD/tests/data/quick.yaml
loadtest: {profile: "soak:500:40s", interval: 20s, warmup: 0s, slo: "p99<1h", retries: {max: 0}, target: 450}
EOF
status 0 "a scenario's loadtest section runs" lt "$TMP/section.yaml" -o "$TMP/section" -q --no-charts
check "  its target reaches summary.json" test "$(json_get "$TMP/section/summary.json" '$j->{loadtest}{target_per_s}')" = 450
check "its profile and interval: two 20 s rows at 500/s" \
  test "$(awk -F, 'NR > 1 && $3 > 450 && $3 < 550' "$TMP/section/loadtest.csv" | wc -l)" -eq 2
status 3 "the command line's SLO wins over the section's" lt "$TMP/section.yaml" \
  -o "$TMP/section2" -q --no-charts --slo 'p99<1us'

done_testing
