#!/bin/sh
# End to end: summary.json has one shape at any number of replications
# (docs/outputs.md, summary.json): the same key paths at R = 1 and R = 3,
# every metric a plain number with its _sd, _ci_lo and _ci_hi beside it
# (null at R = 1, an interval around the mean at R = 3).
. "$(dirname "$0")/../lib.sh"

sc=tests/golden/pilot-weeks.yaml

# key_paths FILE: every key path of a JSON file, one a line, sorted and
# unique; list items as [] (interventions.[].id): how many workers a run
# had is data, not shape.
key_paths() {
  perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>);
    sub walk { my ($v, $p) = @_;
      if (ref $v eq "HASH") { walk($v->{$_}, $p eq "" ? $_ : "$p.$_") for keys %$v; print "$p\n" if !%$v }
      elsif (ref $v eq "ARRAY") { walk($_, "$p.[]") for @$v; print "$p\n" if !@$v }
      else { print "$p\n" } }
    walk($j, "")' <"$1" | LC_ALL=C sort -u
}

status 0 "a single run" "$PILOTSIM" run "$sc" -o "$TMP/r1" --no-charts --quiet
status 0 "three replications" "$PILOTSIM" run "$sc" -o "$TMP/r3" --replications 3 --jobs 2 \
  --no-charts --quiet
key_paths "$TMP/r1/summary.json" >"$TMP/k1"
key_paths "$TMP/r3/summary.json" >"$TMP/k3"
check "the key paths were listed ($(wc -l <"$TMP/k1") at R = 1)" test "$(wc -l <"$TMP/k1")" -gt 400
check "the same key paths at R = 1 and R = 3" cmp "$TMP/k1" "$TMP/k3"
diff "$TMP/k1" "$TMP/k3" | head -5 | sed 's/^/#   /'
for k in replications total.payments total.latency_ms.p99 cities.suzhou.payments_ci_lo \
  events_sd money.issued_fen_ci_hi interventions.[].registrations_sd run.backend run.workers.[].host \
  run.provenance.command; do
  check "R = 1 has $k" grep -Fqx "$k" "$TMP/k1"
done

# The values: numbers; at R = 1 the siblings are null, at R = 3 they hold
# the interval around the mean.
num_metrics() {
  json_get "$1" 'my $n = 0; my $bad = 0;
    sub w { my ($v) = @_; if (ref $v eq "HASH") { for my $k (keys %$v) {
        if (exists $v->{"${k}_sd"}) { $n++; $bad++ if ref $v->{$k} } w($v->{$k}) } }
      elsif (ref $v eq "ARRAY") { w($_) for @$v } }
    w($j); $bad ? "bad $bad" : $n'
}
check "R = 1: every metric a plain number ($(num_metrics "$TMP/r1/summary.json"))" \
  test "$(num_metrics "$TMP/r1/summary.json")" -gt 100
check "R = 3: every metric a plain number" test "$(num_metrics "$TMP/r3/summary.json")" -gt 100
check "R = 1: replications 1, the siblings null" test "$(json_get "$TMP/r1/summary.json" \
  '$j->{replications} == 1 && !defined $j->{total}{payments_sd} && !defined $j->{cities}{suzhou}{latency_ms}{p99_ci_lo} ? 1 : 0')" = 1
check "R = 3: replications 3, ci_lo <= payments <= ci_hi" test "$(json_get "$TMP/r3/summary.json" \
  'my $t = $j->{total}; $j->{replications} == 3 && $t->{payments_sd} > 0 && $t->{payments_ci_lo} <= $t->{payments} && $t->{payments} <= $t->{payments_ci_hi} ? 1 : 0')" = 1
check "R = 1: total.payments is the cities' sum" test "$(json_get "$TMP/r1/summary.json" \
  'my $s = 0; $s += $_->{payments} for values %{$j->{cities}}; $s == $j->{total}{payments} ? 1 : 0')" = 1
check "R = 3: the replication 0 of replications.csv is the single run's" test \
  "$(json_get "$TMP/r1/summary.json" '$j->{total}{payments}')" = \
  "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total.payments") c = i } NR == 2 { print $c }' "$TMP/r3/replications.csv")"

done_testing
