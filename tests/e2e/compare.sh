#!/bin/sh
# End to end: compare's memo and summaries (docs/experiments.md, Compare;
# docs/outputs.md, compare). The memo (compare.md, report.html) is built
# from the directory's files; verdicts follow the
# practical threshold (--practical) as stated; spending and cost per wallet
# add up against the plans' summary.json; every difference of a plan from
# the baseline is listed, old -> new; a hostile plan name is escaped in
# the HTML and the Markdown; the charts are drawn without --no-charts.
. "$(dirname "$0")/../lib.sh"

q="--set sample=2000 --quiet"
quick=tests/data/quick.yaml
root=$PWD

# Plan B: quick.yaml with a late Shenzhen lottery, ten merchant campaigns
# (more differences than the old memo listed) and a hostile name.
{
  printf 'extends: %s/tests/data/quick.yaml\n' "$root"
  printf 'name: "<script>alert(1)</script> & *bold* | `tick`"\n'
  printf 'description: "Plan <b>B</b>: a late lottery & ten campaigns."\n'
  printf 'interventions:\n'
  printf '  - {id: suzhou-2020-12, kind: lottery, city: suzhou, envelopes: 100000, amount: 200,\n'
  printf '     registration: {from: 2020-12-05T00:00, until: 2020-12-07T00:00},\n'
  printf '     spending: {from: 2020-12-11T20:00, until: 2020-12-28T00:00}}\n'
  printf '  - {id: sz-late, kind: lottery, city: shenzhen, envelopes: 200000, amount: 200,\n'
  printf '     registration: {from: 2020-12-20T00:00, until: 2020-12-22T00:00},\n'
  printf '     spending: {from: 2020-12-24T00:00, until: 2021-01-10T00:00}}\n'
  for k in 1 2 3 4 5 6 7 8 9 10; do
    printf '  - {id: camp-%s, kind: merchant_campaign, city: chengdu, merchants: %s000,\n' $k $k
    printf '     subsidy: 100, window: {from: 2020-12-0%sT00:00, until: 2021-01-20T00:00}}\n' $((k % 9 + 1))
  done
} >"$TMP/plan-b.yaml"

status 0 "compare with a hostile plan name" "$PILOTSIM" compare $quick "$TMP/plan-b.yaml" \
  -o "$TMP/c" --replications 3 --jobs 2 $q
d=$TMP/c
for f in compare.md report.html summary.json compare.csv charts/adoption.png \
         charts/throughput.svg charts/latency.png; do
  check "compare writes $f" test -s "$d/$f"
done

# ---- the memo ----
m=$d/compare.md
check "compare.md opens with its title" sh -c "head -1 '$m' | grep -q '^# Rollout plans compared'"
check "the bottom line comes first, then the figures and spending, then the caveats" sh -c \
  "grep -n -e '^## Bottom line' -e '^## Headline figures and spending' -e '^\*\*Caveats' '$m' |
   cut -d: -f2 | cut -c1-6 | tr '\n' '|' | grep -qx '## Bot|## Hea|\*\*Cave|'"
check "the bottom line names the adoption leader with its interval" grep -q \
  'reaches the highest wallet adoption, [0-9.]*%: +[0-9.]* pp \\\[' "$m"
check "plans are named by their scenario name, the file stem only in paths" sh -c \
  "grep -q 'quick test' '$m' && ! grep -v -e 'plans/plan-b/' -e '^pilotsim ' '$m' | grep -q 'plan-b'"
check "no negative zero anywhere" sh -c "! grep -q -e '-0\.0*\( \|%\|$\)' -e '-0 ' '$m'"
check "the table has the plans as columns" grep -q '^|  | quick test (baseline) | ' "$m"
check "it says what the plans spend, per wallet and per active user" sh -c \
  "grep -q '^| Paid out | ' '$m' && grep -q '^| Per wallet | ' '$m' && grep -q '^| Per active user | ' '$m'"
check "the practical threshold is stated" grep -q 'at least 1% of the baseline' "$m"
check "the caveats: sampling, multiple comparisons, randomness, what is left out" sh -c \
  "grep -q 'Sampling:' '$m' && grep -q 'Bonferroni' '$m' && grep -q 'Randomness only' '$m' &&
   grep -q 'Left out' '$m'"
check "the figures are numbered" sh -c "grep -q 'Figure 1\.' '$m' && grep -q 'Figure 2\.' '$m'"
check "every difference is listed: ten campaigns added" test \
  "$(grep -c '^- added: merchant campaign camp-' "$m")" = 10
check "and the late lottery" grep -q '^- added: lottery sz-late in Shenzhen' "$m"
check "none is cut off" sh -c "! grep -q 'more differences' '$m'"
check "every metric, city by city" sh -c "grep -q '^### Shenzhen' '$m' && grep -q '^### Suzhou' '$m'"
check "no raw markup from the plan's name in the Markdown" sh -c "! grep -q '<script>' '$m'"

# ---- report.html ----
h=$d/report.html
check "report.html escapes the plan's name" sh -c \
  "grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; \*bold\*' '$h' && ! grep -q '<script>' '$h'"
check "and its description" sh -c "grep -q 'Plan &lt;b&gt;B&lt;/b&gt;' '$h' && ! grep -q '<b>B' '$h'"
check "the memo page ends before the appendix" grep -q 'class="appendix"' "$h"
check "the memo ends with the provenance line" sh -c \
  "tail -1 '$m' | grep -q '^pilotsim .* · commit .* · pilotsim compare '"

# ---- summary.json ----
s=$d/summary.json
check "summary.json is valid JSON" perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' <"$s"
check "it says compare, the baseline and the threshold" test \
  "$(json_get "$s" '"$j->{kind} $j->{baseline} $j->{practical}"')" = "compare quick 0.01"
check "the bottom line in one sentence" sh -c \
  "grep -q '\"bottom_line\": \".* reaches the highest wallet adoption, [0-9.]*% (+' '$s'"
check "plans keep their labels and names" test \
  "$(json_get "$s" 'join "|", map { $_->{label} } @{$j->{plans}}')" = "quick|plan-b"
check "spending is the plan's lottery and campaign money (its summary.json)" test "$(json_get "$s" '
  open my $f, "<", "'"$d"'/plans/plan-b/summary.json" or die; local $/; my $p = decode_json(<$f>);
  my $sum = 0;
  for my $i (@{$p->{interventions}}) {
    my $k = $i->{kind} eq "lottery" ? "spent_fen" : $i->{kind} eq "merchant_campaign" ? "subsidy_fen" : "";
    next unless $k; my $v = $i->{$k}; $sum += ref $v ? $v->{mean} : $v;
  }
  abs($j->{plans}[1]{spending_fen} - $sum) <= 1e-6 * $sum ? 1 : 0')" = 1
check "cost per wallet = spending / wallets (the plan's summary.json)" test "$(json_get "$s" '
  open my $f, "<", "'"$d"'/plans/plan-b/summary.json" or die; local $/; my $p = decode_json(<$f>);
  my $w = $p->{total}{wallets}; $w = $w->{mean} if ref $w; my $x = $j->{plans}[1];
  abs($x->{cost_per_wallet_fen} - $x->{spending_fen} / $w) <= 1e-6 * $x->{cost_per_wallet_fen}
    && $x->{subsidy_fen} > 0 ? 1 : 0')" = 1
check "every headline metric has each plan's mean, difference and verdict" test "$(json_get "$s" '
  my $n = 0; for my $m (values %{$j->{headline}}) { $n++ if exists $m->{plans}{"plan-b"}{diff}
    && $m->{plans}{quick}{verdict} eq "baseline" } $n')" = 7

# ---- the practical threshold ----
status 0 "compare --practical 30%" "$PILOTSIM" compare $quick "$TMP/plan-b.yaml" \
  -o "$TMP/p" --replications 3 --jobs 2 --no-charts --practical 30% $q
check "verdicts follow it: beyond 30% of the baseline, a direction; below, no practical difference" \
  awk -F, 'NR == 1 { next } $2 == "quick" { base[$1] = $4; next }
    { b = base[$1]; a = b < 0 ? -b : b; d = $7 < 0 ? -$7 : $7
      sig = $8 != "" && $9 != "" && ($8 > 0 || $9 < 0) }
    $10 == "no practical difference" { np++; if (!sig || d >= 0.3 * a) bad = 1 }
    $10 ~ /^(better|worse|higher|lower)$/ { if (!sig || d < 0.3 * a) bad = 1 }
    $10 == "no significant difference" && sig { bad = 1 }
    END { exit bad || np == 0 }' "$TMP/p/compare.csv"
check "summary.json records it" test "$(json_get "$TMP/p/summary.json" '$j->{practical}')" = 0.3
check "and the memo states it" grep -q 'at least 30% of the baseline' "$TMP/p/compare.md"
status 0 "--practical 0 turns the threshold off" "$PILOTSIM" compare $quick "$TMP/plan-b.yaml" \
  -o "$TMP/p0" --replications 3 --jobs 2 --no-charts --practical 0 $q
check "  summary.json says 0" test "$(json_get "$TMP/p0/summary.json" '$j->{practical}')" = 0
check "  and no verdict reads no practical difference" sh -c \
  "! grep -q 'no practical difference' '$TMP/p0/compare.csv'"
status 2 "--practical wants a share" "$PILOTSIM" compare $quick "$TMP/plan-b.yaml" --practical 2 \
  -o "$TMP/bad"
check "  said in one line" grep -q "^pilotsim compare: --practical wants a share" "$TMP/err"
status 2 "--practical is compare's only" "$PILOTSIM" run $quick --practical 0.1 -o "$TMP/bad"
check "no output for bad input" test ! -e "$TMP/bad"

done_testing
