#!/bin/sh
# End to end: the validation report's generator (tests/validation/report.sh,
# which `make validate` runs for a few minutes) on small inputs: the
# closed-form blocks carry the unit tests' rows (every one within its
# tolerance) with their charts, a second run writes the same bytes, and a
# scenario that cannot be evaluated is reported as such, with a failing
# status, not left out.
. "$(dirname "$0")/../lib.sh"

build=$(dirname "$PILOTSIM")
# report DIR CLOSED SCENARIOS: the report into DIR/v.md and DIR/v/, with
# the closed forms or not (yes, no) and SCENARIOS as pilot blocks (every
# target).
report() {
  PILOTSIM=$PILOTSIM BUILD=$build VALIDATE_DOC=$1/v.md VALIDATE_WORK=$1/work \
    VALIDATE_CLOSED=$2 VALIDATE_LOTTERIES= VALIDATE_PILOTS=$3 VALIDATE_REPLICATIONS=2 \
    VALIDATE_JOBS=1 sh tests/validation/report.sh
}

status 0 "the closed forms alone: the report is written" report "$TMP/a" yes ""
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

status 0 "a second run" report "$TMP/b" yes ""
check "the same bytes twice: validation.md" cmp "$doc" "$TMP/b/v.md"
check "the same bytes twice: the charts" sh -c \
  "cmp '$TMP/a/v/bass.png' '$TMP/b/v/bass.png' && cmp '$TMP/a/v/queues.png' '$TMP/b/v/queues.png'"
check "no path of this machine in the report" sh -c "! grep -q '$TMP' '$doc'"

status 1 "a scenario that is not there fails the report" report "$TMP/c" no tests/data/no-such.yaml
check "it is reported in its block" grep -q '^\*\*Not evaluated: tests/data/no-such.yaml' "$TMP/c/v.md"
check "and among the misses" grep -q '^- no-such: not evaluated' "$TMP/c/v.md"

done_testing
