#!/bin/sh
# End to end: the validation report's generator (tests/validation/report.sh,
# which `make validate` runs for a few minutes) on small inputs: the
# closed-form blocks carry the unit tests' rows (every one within its
# tolerance) with their charts, a second run writes the same bytes; a
# scenario's block (tests/data/tiny.yaml against
# tests/data/validate-targets.yaml) has a row per target it measures (a
# lottery block) or per target (a pilot block), its chart, and its misses
# listed at the end; a scenario that cannot be evaluated is reported as
# such, with a failing status, not left out.
. "$(dirname "$0")/../lib.sh"

build=$(dirname "$PILOTSIM")
# report DIR CLOSED LOTTERIES PILOTS: the report into DIR/v.md and DIR/v/,
# with the closed forms or not (yes, no), the scenarios LOTTERIES as
# lottery blocks (the targets they measure) and PILOTS as pilot blocks
# (every target).
report() {
  PILOTSIM=$PILOTSIM BUILD=$build VALIDATE_DOC=$1/v.md VALIDATE_WORK=$1/work \
    VALIDATE_CLOSED=$2 VALIDATE_LOTTERIES=$3 VALIDATE_PILOTS=$4 \
    VALIDATE_TARGETS=tests/data/validate-targets.yaml VALIDATE_REPLICATIONS=2 \
    VALIDATE_JOBS=1 sh tests/validation/report.sh
}

status 0 "the closed forms alone: the report is written" report "$TMP/a" yes "" ""
doc=$TMP/a/v.md
check "it is written" test -s "$doc"
# Rows per block: Bass 3 worst days + 5 year ends, Erlang C 3 loads x 2,
# Pollaczek-Khinchine 2, Little one per resource of double11.yaml (7).
rows() { # HEADING: the table rows under a heading, up to the next one
  awk -v h="$1" '/^#/ { on = ($0 == h) } on && /^\| / && !/^\| check/' "$doc" | wc -l
}
check "Bass: 8 rows" test "$(rows '### Bass diffusion')" = 8
check "Erlang C: 6 rows" test "$(rows '### M/M/c against Erlang C')" = 6
check "Pollaczek-Khinchine: 2 rows" test "$(rows '### M/D/1 against Pollaczek-Khinchine')" = 2
check "Little: 7 rows" test "$(rows "### Little's law")" = 7
check "every closed-form row is within its tolerance" sh -c "! grep -q '\\*\\*no\\*\\*' '$doc'"
check "a row shows closed form, model, gap, tolerance" \
  grep -q '^| M/D/1 at rho 0.80: mean wait (s).* | 0.02 | 0.0200.* | yes |$' "$doc"
for c in bass queues; do
  check "chart $c.png is linked" grep -q "^!\\[$c\\](v/$c.png)\$" "$doc"
  check "chart $c.png is a PNG" sh -c "head -c 8 '$TMP/a/v/$c.png' | od -An -c | grep -q 'P   N   G'"
done
check "nothing is missed" grep -q '^None: every row' "$doc"

status 0 "a second run" report "$TMP/b" yes "" ""
check "the same bytes twice: validation.md" cmp "$doc" "$TMP/b/v.md"
check "the same bytes twice: the charts" sh -c \
  "cmp '$TMP/a/v/bass.png' '$TMP/b/v/bass.png' && cmp '$TMP/a/v/queues.png' '$TMP/b/v/queues.png'"
check "no path of this machine in the report" sh -c "! grep -q '$TMP' '$doc'"

status 1 "a scenario that is not there fails the report" report "$TMP/c" no "" tests/data/no-such.yaml
check "it is reported in its block" grep -q '^\*\*Not evaluated: tests/data/no-such.yaml' "$TMP/c/v.md"
check "and among the misses" grep -q '^- no-such: not evaluated' "$TMP/c/v.md"

tiny=tests/data/tiny.yaml
status 0 "a lottery block: the report is written" report "$TMP/d" no "$tiny" ""
doc=$TMP/d/v.md
# The targets' rows of a block: the lines of its table.
targets() { awk '/^### tiny/ { on = 1 } on && /^\| tiny-/' "$doc"; }
check "it shows the 4 targets tiny.yaml measures" test "$(targets | wc -l)" = 4
check "a row: target, role, observed, mean, interval, tolerance, error, within" sh -c \
  "grep -q '^| tiny-wallets | check | 50,000 | [0-9,]* | [0-9,]* to [0-9,]* | 10% | -[0-9.]* | \*\*no\*\* |\$' '$doc'"
check "a figure in yuan says so" grep -q '^| tiny-value | fit | 4,500,000 yuan | [0-9,]* yuan |' "$doc"
check "the block counts its targets" grep -q 'of 2 fit targets within tolerance; [0-9] of 2 check' "$doc"
check "the check target that misses is listed among the check targets" sh -c \
  "sed -n '/^Check targets that miss/,/^[A-Z]/p' '$doc' | grep -q '^- tiny, tiny-wallets (error -[0-9.]* tolerances)\$'"
check "the targets chart is linked" grep -q '^!\[tiny-targets\](v/tiny-targets.png)$' "$doc"
check "and drawn" test -s "$TMP/d/v/tiny-targets.png"

status 0 "a pilot block: the report is written" report "$TMP/e" no "" "$tiny"
doc=$TMP/e/v.md
check "it shows every target" test "$(targets | wc -l)" = 5
check "one beyond the horizon is not measured, and says why" \
  grep -q '^| tiny-beyond | check | 1,000 | not measured |  | 10% |  | n/a: after the horizon' "$doc"
check "the block counts it" grep -q '; 1 target out of the scenario' "$doc"
status 0 "a pilot block again" report "$TMP/f" no "" "$tiny"
check "the same bytes twice" sh -c "cmp '$doc' '$TMP/f/v.md' && cmp '$TMP/e/v/tiny-targets.png' '$TMP/f/v/tiny-targets.png'"

done_testing
