#!/bin/sh
# make bench's table keeps its form (tests/bench.sh): run on tiny sizes
# (BENCH_QUICK, one run a row, a 64-LP PHOLD, 20,000 customers, two
# replications of tests/data/tiny.yaml, a 7-evaluation fit), it prints how
# long it will take, then a header and a row per benchmark whose last word
# is its verdict; without the reference it says so; an unknown row is a
# usage error. Nothing here is timed: the figures of tiny runs mean nothing.
. "$(dirname "$0")/../lib.sh"

# A build directory of its own: the script builds phold_ref beside the
# binary, and a fake reference must never land in build/.
mkdir -p "$TMP/build"
ln -s "$(cd "$(dirname "$PILOTSIM")" && pwd)/$(basename "$PILOTSIM")" "$TMP/build/pilotsim"
# A stand-in for ../shared/bench/phold_ref.c: prints what the real one
# prints about events, so the ratio path runs wherever the tests run.
cat >"$TMP/ref.c" <<'EOF'
#include <stdio.h>
int main(void)
{
    printf("processed=%d loop_s=0.001\n", 2000);
    return 0;
}
EOF

tiny() {
  env BUILD="$TMP/build" BENCH_QUICK=1 BENCH_RUNS=1 BENCH_SIZES="64 2 20" \
    BENCH_MM8_CUSTOMERS=20000 BENCH_REPS=2 BENCH_FIT_EVALS=7 \
    BENCH_SCENARIO=tests/data/tiny.yaml "$@" sh tests/bench.sh
}

status 0 "the quick table on tiny sizes" tiny BENCH_REF="$TMP/ref.c"
cp "$TMP/out" "$TMP/table"
check "it says how long it will take, first" \
  grep -qE '^pilotsim bench: rows phold mm8 default reps calibrate; about [0-9]+ min' "$TMP/table"
check "the header names the columns" \
  grep -qE '^row +what ran +median +measure +to beat +verdict$' "$TMP/table"
# A row line starts at column 1 (notes are indented) and ends in a verdict.
awk 'h && /^[a-z]/; /^row +what ran/ {h = 1}' "$TMP/table" >"$TMP/rows"
check "a row each: phold-64 mm8 default reps-2 calibrate" \
  test "$(awk '{print $1}' "$TMP/rows" | tr '\n' ' ')" = "phold-64 mm8 default reps-2 calibrate "
check "every row ends in PASS, MISS or -" \
  test "$(grep -cvE ' (PASS|MISS|-)$' "$TMP/rows")" = 0
check "PHOLD as a multiple of the reference" grep -qE '^phold-64 .* [0-9.]+x phold_ref ' "$TMP/rows"
check "the default scenario as a multiple of the reference" \
  grep -qE '^default .* [0-9.]+x phold_ref +>= [0-9.]+x +(PASS|MISS)$' "$TMP/rows"
check "the M/M/8 figure scaled to the customers run" grep -qE '^mm8 .* <= 0\.0036 s ' "$TMP/rows"
check "replications: two workers as a fraction of one" grep -qE '^reps-2 .* [0-9.]+ of J=1 ' "$TMP/rows"
check "calibrate: the time per evaluation" grep -qE '^calibrate .* [0-9]+ ms/evaluation +<= [0-9]+ ms ' "$TMP/rows"
check "no run failed" test "$(grep -c 'failed:' "$TMP/table")" = 0

status 0 "without the reference" tiny BENCH_REF="$TMP/none.c" BENCH_ROWS=phold
check "  says so above the table" grep -q "^no phold_ref: $TMP/none.c not found" "$TMP/out"
check "  and the PHOLD row has no verdict" grep -qE '^phold-64 .* -$' "$TMP/out"

status 0 "a design-peak row without its scenario is skipped, with the reason" \
  tiny BENCH_ROWS=design-peak BENCH_PEAK="$TMP/none.yaml"
check "  SKIP, and why" sh -c "grep -qE '^design-peak .* SKIP$' '$TMP/out' && grep -q 'none.yaml is not' '$TMP/out'"

status 2 "an unknown row is a usage error" tiny BENCH_ROWS="phold nope"
check "  which names it and the rows there are" grep -q "unknown row 'nope' in BENCH_ROWS (expected phold" "$TMP/err"

done_testing
