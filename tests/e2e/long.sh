#!/bin/sh
# End to end: --long writes long.csv for run (R = 1 and R = 3), compare and
# sweep (docs/outputs.md, long.csv): one row per replication (of each plan
# or point), city or total, and metric; a unit on every row; values that
# agree with summary.json and replications.csv; the commands it does not
# apply to refuse it.
. "$(dirname "$0")/../lib.sh"

sc=tests/golden/pilot-weeks.yaml
q="--no-charts --quiet"

# metrics_of FILE: "CITY TOTAL": the metrics of one city and of total in a
# summary.json, counted as the keys that have an _sd beside them.
metrics_of() {
  json_get "$1" 'sub n { my ($v) = @_; my $k = 0; for (keys %$v) {
      $k += n($v->{$_}) if ref $v->{$_} eq "HASH"; $k++ if exists $v->{"${_}_sd"} } $k }
    my @c = values %{$j->{cities}}; n($c[0]) . " " . n($j->{total})'
}
# rows_expected FILE REPS GROUPS: reps x groups x (cities x city metrics + total's).
rows_expected() {
  set -- "$1" "$2" "$3" $(metrics_of "$1") \
    "$(json_get "$1" 'scalar keys %{$j->{cities}}')"
  echo $(($2 * $3 * ($6 * $4 + $5)))
}
# field FILE COLUMN: the values of a named column.
field() {
  awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}
# value FILE REP CITY METRIC: a run's long.csv value.
value() {
  awk -F, -v r="$2" -v c="$3" -v m="$4" '$1 == r && $2 == c && $3 == m { print $4 }' "$1"
}

# run, one replication.
status 0 "run --long" "$PILOTSIM" run "$sc" -o "$TMP/r1" --long $q
L=$TMP/r1/long.csv
check "long.csv is written" test -s "$L"
check "its header" test "$(head -1 "$L")" = "replication,city,metric,value,unit"
n=$(($(wc -l <"$L") - 1))
check "one row per city (or total) and metric: $n = $(rows_expected "$TMP/r1/summary.json" 1 1)" \
  test "$n" = "$(rows_expected "$TMP/r1/summary.json" 1 1)"
check "every row has a unit and five fields" sh -c \
  "awk -F, 'NR > 1 && (NF != 5 || \$5 == \"\") { bad = 1 } END { exit bad }' '$L'"
check "units from the catalog: payments in payments, latency in ms" test \
  "$(awk -F, '$2 == "suzhou" && ($3 == "payments" || $3 == "latency_ms.p99") { print $5 }' "$L" | tr '\n' ' ')" = "payments ms "
check "cities and total: $(field "$L" city | sort -u | tr '\n' ' ')" test \
  "$(field "$L" city | sort -u | tr '\n' ' ')" = "chengdu shenzhen suzhou total xiongan "
check "a value as in summary.json: Shenzhen's payments" test \
  "$(value "$L" 0 shenzhen payments)" = "$(json_get "$TMP/r1/summary.json" '$j->{cities}{shenzhen}{payments}')"
check "and total adoption" test \
  "$(value "$L" 0 total adoption)" = "$(json_get "$TMP/r1/summary.json" '$j->{total}{adoption}')"
status 0 "run without --long" "$PILOTSIM" run "$sc" -o "$TMP/r1" $q
check "... removes the earlier long.csv" test ! -e "$L"

# run, three replications: every replication's rows, as replications.csv.
status 0 "run --long --replications 3" "$PILOTSIM" run "$sc" -o "$TMP/r3" --long \
  --replications 3 --jobs 2 $q
L=$TMP/r3/long.csv
check "reps x rows: $(($(wc -l <"$L") - 1))" test "$(($(wc -l <"$L") - 1))" = \
  "$(rows_expected "$TMP/r3/summary.json" 3 1)"
check "replications 0, 1 and 2" test "$(field "$L" replication | sort -u | tr '\n' ' ')" = "0 1 2 "
check "replication 2's total payments as in replications.csv" test "$(value "$L" 2 total payments)" = \
  "$(sed -n 4p "$TMP/r3/replications.csv" | cut -d, -f"$(head -1 "$TMP/r3/replications.csv" | tr , '\n' | grep -nx total.payments | cut -d: -f1)")"
check "the mean of the three is summary.json's" test "$(awk -F, '$2 == "total" && $3 == "wallets" { s += $4; n++ } END { printf "%.0f", s / n }' "$L")" = \
  "$(json_get "$TMP/r3/summary.json" 'sprintf "%.0f", $j->{total}{wallets}')"

# compare: the plan first.
status 0 "compare --long" "$PILOTSIM" compare "$sc" "$sc" -o "$TMP/cmp" --replications 2 \
  --jobs 2 --long $q
L=$TMP/cmp/long.csv
check "compare: its header" test "$(head -1 "$L")" = "plan,replication,city,metric,value,unit"
check "compare: plans x reps x rows" test "$(($(wc -l <"$L") - 1))" = \
  "$(rows_expected "$TMP/cmp/plans/pilot-weeks/summary.json" 2 2)"
check "compare: the plans' labels" test "$(field "$L" plan | sort -u | tr '\n' ' ')" = \
  "$(ls "$TMP/cmp/plans" | sort | tr '\n' ' ')"

# sweep: the point and its values first.
status 0 "sweep --long" "$PILOTSIM" sweep "$sc" --vary payments.ecny_preference=0.2,0.4 \
  -o "$TMP/sw" --replications 2 --jobs 2 --long $q
L=$TMP/sw/long.csv
check "sweep: its header" test "$(head -1 "$L")" = \
  "point,payments.ecny_preference,replication,city,metric,value,unit"
check "sweep: points x reps x rows" test "$(($(wc -l <"$L") - 1))" = \
  "$(rows_expected "$TMP/sw/points/0/summary.json" 2 2)"
check "sweep: point 1 is ecny_preference 0.4" test \
  "$(awk -F, '$1 == 1 { print $2 }' "$L" | sort -u)" = 0.4

# Where it does not apply.
status 2 "calibrate refuses --long" "$PILOTSIM" calibrate "$sc" --targets tests/data/tiny-targets.yaml \
  -o "$TMP/cal" --long $q
check "  saying it does not apply" grep -q "'--long' does not apply here" "$TMP/err"
status 2 "loadtest refuses --long" "$PILOTSIM" loadtest tests/validation/capacity.yaml -o "$TMP/lt" --long $q

done_testing
