#!/bin/sh
# End to end: report.html. A run writes it (R = 1, R = 3, --no-charts);
# headless Chromium prints each to PDF with the memo page first and on one
# page (report_pdf_check, tests/lib.sh); `pilotsim report DIR` rebuilds
# the same bytes; scenario text is escaped; a bad DIR gets one line and
# exit 2; the browser check itself fails on a bad page.
. "$(dirname "$0")/../lib.sh"

r1=$TMP/r1
status 0 "a run writes its report" "$PILOTSIM" run scenarios/pilot-2020.yaml -o "$r1" --quiet
check "report.html is written" test -s "$r1/report.html"
check "it opens with the answer" grep -q '<p class="answer">By [0-9]* [A-Z][a-z]* 20[0-9][0-9], <strong>[0-9.]*% of the population held an e-CNY wallet' "$r1/report.html"
check "the answer says money was conserved" grep -q 'Money was conserved to the fen' "$r1/report.html"
check "three charts embedded as SVG" test "$(grep -c '<img alt="Figure [123]\. [^"]*" src="data:image/svg+xml;base64,' "$r1/report.html")" = 3
check "a row for every city, in the memo's table and the settings'" \
  test "$(grep -c '^<tr><td class="l">\(Shenzhen\|Xiong&#39;an\|Chengdu\|Suzhou\)</td>' "$r1/report.html")" = 8
check "the lotteries' outcomes" grep -q 'envelopes claimed' "$r1/report.html"
check "the sampling caveat (sample 20)" grep -q 'one simulated person stands for 20' "$r1/report.html"
check "the appendix after the memo page" grep -q '<section class="appendix">' "$r1/report.html"
check "a provenance footer" grep -q '^<div>pilotsim [0-9][0-9.]* · commit ' "$r1/report.html"
check "every provenance field in the appendix" grep -q 'Made by pilotsim [0-9.]*, built from commit' "$r1/report.html"
report_pdf_check "$r1" 3
cp "$r1/report.html" "$TMP/r1.html"
status 0 "pilotsim report rebuilds it" "$PILOTSIM" report "$r1"
check "with the same bytes" cmp "$r1/report.html" "$TMP/r1.html"
check "and leaves no temporary" sh -c "! ls -A '$r1' | grep -q tmp"

r3=$TMP/r3
status 0 "a run of 3 replications writes its report" \
  "$PILOTSIM" run scenarios/pilot-2020.yaml -o "$r3" --quiet --replications 3 --jobs 2
check "means of 3 replications, said" grep -q 'Means of 3 replications' "$r3/report.html"
check "intervals in the appendix" grep -q ' ± ' "$r3/report.html"
report_pdf_check "$r3" 3
cp "$r3/report.html" "$TMP/r3.html"
status 0 "pilotsim report rebuilds it (R = 3)" "$PILOTSIM" report "$r3"
check "with the same bytes (R = 3)" cmp "$r3/report.html" "$TMP/r3.html"

nc=$TMP/nocharts
status 0 "a run with --no-charts writes its report" \
  "$PILOTSIM" run scenarios/pilot-2020.yaml -o "$nc" --quiet --no-charts \
  --set 'name=<script>alert(1)</script> & "Plan" B'
check "each chart a box saying how to draw it" test "$(grep -c 'class="missing">Chart not drawn (<code>charts/' "$nc/report.html")" = 3
check "the scenario's name escaped" grep -q '<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Plan&quot; B: what the run found</h1>' "$nc/report.html"
check "no script in the page" sh -c "! grep -qi '<script' '$nc/report.html'"
report_pdf_check "$nc" 0

one_line() { test "$(wc -l <"$TMP/err")" = 1 && grep -q "$1" "$TMP/err"; }

# Every kind: pilotsim report gives the bytes the command wrote.
# rebuilt DIR WHAT: report.html is there, and pilotsim report rewrites it
# byte for byte.
rebuilt() {
  cp "$1/report.html" "$TMP/before.html"
  status 0 "pilotsim report on a $2" "$PILOTSIM" report "$1"
  check "rebuilds the $2's page, same bytes" cmp "$1/report.html" "$TMP/before.html"
}
quick=$PWD/tests/data/quick.yaml
status 0 "a compare writes its report" "$PILOTSIM" compare "$quick" "$quick" -o "$TMP/cmp" \
  --replications 2 --set sample=2000 --quiet
rebuilt "$TMP/cmp" compare
status 0 "a sweep writes its report" "$PILOTSIM" sweep "$quick" --vary seed=1,2 \
  --replications 1 --set sample=2000 --quiet -o "$TMP/sw"
rebuilt "$TMP/sw" sweep
status 0 "a calibration writes its report" "$PILOTSIM" calibrate tests/data/tiny.yaml \
  --targets tests/data/tiny-targets.yaml --replications 1 -o "$TMP/cal" --quiet
rebuilt "$TMP/cal" calibration
status 0 "a load test writes its report" "$PILOTSIM" loadtest scenarios/double11.yaml --quiet \
  --no-charts --profile step:100:100:1:10s -o "$TMP/ltr"
rebuilt "$TMP/ltr" "load test"

# A bad DIR: one line, exit 2, nothing written.
status 2 "report of a missing directory" "$PILOTSIM" report "$TMP/absent"
check "says so in one line" one_line 'absent: No such file or directory'
check "and creates nothing" test ! -e "$TMP/absent"
mkdir "$TMP/empty"
status 2 "report of a directory with no output" "$PILOTSIM" report "$TMP/empty"
check "says so in one line" one_line 'holds no pilotsim output'
check "and writes nothing" test -z "$(ls -A "$TMP/empty")"
: >"$TMP/plain"
status 2 "report of a file" "$PILOTSIM" report "$TMP/plain"
check "says so in one line" one_line 'is not a directory'
mkdir "$TMP/broken" && cp "$r1/timeseries.csv" "$r1/scenario.yaml" "$TMP/broken/"
printf '{"schema_version": 1, "cities": [\n' >"$TMP/broken/summary.json"
status 2 "report with an unreadable summary.json" "$PILOTSIM" report "$TMP/broken"
check "says so in one line" one_line 'summary.json'
check "and writes no report" test ! -e "$TMP/broken/report.html"
status 2 "report with no DIR" "$PILOTSIM" report
status 0 "report --help" "$PILOTSIM" report --help
check "the help names DIR" grep -q 'usage: pilotsim report DIR' "$TMP/out"

# The browser check fails on what it must catch.
has() { printf '%s\n' "$1" | grep -q "$2"; }
mkdir "$TMP/bad"
sed 's|</main>|<script>console.error("boom")</script></main>|' "$r1/report.html" >"$TMP/bad/report.html"
problems=$(report_pdf_problems "$TMP/bad" 0)
check "the browser check catches a script" has "$problems" 'holds a script'
check "and the console's error (the page's policy refused it)" has "$problems" 'Content Security Policy'
perl -pe 's{(<section class="appendix">)}{"<p>filler</p>\n" x 60 . $1}e' "$r1/report.html" >"$TMP/bad/report.html"
problems=$(report_pdf_problems "$TMP/bad" 0)
check "the browser check catches a memo page longer than one page" has "$problems" 'more than one page'

done_testing
