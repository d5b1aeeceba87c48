#!/bin/sh
# Golden outputs: short reference runs of each command, compared byte for
# byte with tests/golden/CASE/. A difference is either a bug or an intended
# change of the outputs; for the latter, `make golden` rewrites the files
# (GOLDEN_UPDATE=1) and the diff goes into the commit with the change.
#
# What is compared: every file a command writes into its -o directory except
# charts (PNG, SVG: they depend on gnuplot's version), HTML and hidden
# files; summary.json without its `run` member (machine and moment), cut by
# tests/golden/strip_run.awk; a Markdown memo without its provenance
# footer. Runs use --no-charts, so this takes seconds.
. "$(dirname "$0")/../lib.sh"

G=tests/golden
: "${GOLDEN_UPDATE:=0}"

# golden NAME STATUS COMMAND ARGS...: run `pilotsim COMMAND ARGS` into a
# fresh directory, expect exit STATUS, and compare (or, updating, store)
# what it wrote.
golden() {
  name=$1 want=$2; shift 2
  got=$TMP/got/$name norm=$TMP/norm/$name
  "$PILOTSIM" "$@" -o "$got" --no-charts --quiet >"$TMP/out" 2>"$TMP/err"
  rc=$?
  T=$((T + 1))
  if [ "$rc" != "$want" ]; then
    echo "not ok $T - golden $name: exit $rc, want $want"
    sed "s/^/# golden $name: /" "$TMP/err" | head -10 >&2
    FAILED=$((FAILED + 1))
    return
  fi
  # The files to compare, in a tree of their own.
  mkdir -p "$norm"
  (cd "$got" && find . -type f ! -name '.*' ! -path './charts/*' \
      ! -name '*.png' ! -name '*.svg' ! -name '*.html' | LC_ALL=C sort) >"$TMP/files"
  while IFS= read -r f; do
    mkdir -p "$norm/$(dirname "$f")"
    case $f in
      */summary.json) awk -f "$G/strip_run.awk" "$got/$f" >"$norm/$f" ;;
      # A memo's provenance footer (after its last "---", a "pilotsim
      # VERSION · commit ..." line) names the build and the command line.
      *.md) awk '{ l[NR] = $0; if ($0 == "---") cut = NR }
                 END { n = cut && l[NR] ~ /^pilotsim / ? cut - 1 : NR
                       for (i = 1; i <= n; i++) print l[i] }' "$got/$f" >"$norm/$f" ;;
      *) cp "$got/$f" "$norm/$f" ;;
    esac
  done <"$TMP/files"
  if [ "$GOLDEN_UPDATE" = 1 ]; then
    rm -rf "${G:?}/$name"
    cp -R "$norm" "$G/$name"
    echo "ok $T - golden $name written ($(wc -l <"$TMP/files") files)"
  elif [ ! -d "$G/$name" ]; then
    echo "not ok $T - golden $name: no $G/$name"
    echo "# golden $name: no reference; run make golden to write it" >&2
    FAILED=$((FAILED + 1))
  elif diff -r -u "$G/$name" "$norm" >"$TMP/diff" 2>&1; then
    echo "ok $T - golden $name: same bytes"
  else
    echo "not ok $T - golden $name: outputs differ from $G/$name"
    {
      echo "# golden $name: pilotsim $*"
      head -40 "$TMP/diff" | cut -c1-300 | sed "s/^/#   /"
      [ "$(wc -l <"$TMP/diff")" -gt 40 ] && echo "#   ... ($(wc -l <"$TMP/diff") lines of diff)"
      echo "# golden $name: run make golden if this change is intended (and commit the diff with it)"
    } >&2
    FAILED=$((FAILED + 1))
  fi
}

# A few weeks of the four-city pilot at its own sample, with a lottery.
golden pilot-weeks 0 run tests/golden/pilot-weeks.yaml
# A shipped lottery scenario, as it ships.
golden lottery 0 run scenarios/suzhou-2020.yaml
# A short Double 11 load test: a spike, a ledger fault, an SLO that fails
# (exit 3) and recovers.
golden loadtest 3 loadtest scenarios/double11.yaml --profile spike:8000:16000:20s:10s \
  --fault ledger:20s:10s:0.5 --slo 'p99<1s,failed<0.1%' --warmup 5s --interval 10s
# A capacity search.
golden capacity 0 loadtest tests/validation/capacity.yaml --find-capacity --slo 'p99<1s' \
  --capacity-range 400:1200 --capacity-duration 20s --replications 1
# Two plans, two replications each, in two worker processes; monthly buckets
# keep the time series short.
golden compare 0 compare scenarios/rollout-phased.yaml scenarios/rollout-bigbang.yaml \
  --replications 2 -j 2 --set step=30d
# A 2 x 2 sweep, two replications a point.
golden sweep 0 sweep scenarios/suzhou-2020.yaml --vary interventions.suzhou-2020-12.amount=100,200 \
  --vary payments.ecny_preference=0.2,0.4 --replications 2 -j 2

# The filter itself: the run member goes wherever it sits and whatever it
# holds, and nothing else does.
printf '{"a": "run\\"", "x": {"run": 1}, "run": {"b": "}{,", "c": [1, {"d": 2}]}}\n' >"$TMP/j1"
check "strip_run.awk: only the top-level run member goes" \
  test "$(awk -f "$G/strip_run.awk" "$TMP/j1")" = '{"a": "run\"", "x": {"run": 1}}'
printf '{\n  "a": 1,\n  "run": {"v": "0"},\n  "b": 2\n}\n' >"$TMP/j2"
check "strip_run.awk: a line of its own goes whole" \
  test "$(awk -f "$G/strip_run.awk" "$TMP/j2")" = "$(printf '{\n  "a": 1,\n  "b": 2\n}')"
printf '{\n  "a": 1,\n  "run"  :\n  {"v": 2}\n}\n' >"$TMP/j3"
check "strip_run.awk: the last member, over lines, takes the comma before it" \
  test "$(awk -f "$G/strip_run.awk" "$TMP/j3")" = "$(printf '{\n  "a": 1\n}')"
printf '{"a": [1, 2], "b": "run"}\n' >"$TMP/j4"
awk -f "$G/strip_run.awk" "$TMP/j4" >"$TMP/j4.out"
check "strip_run.awk: no run member, no change" cmp "$TMP/j4" "$TMP/j4.out"

done_testing
