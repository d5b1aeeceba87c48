#!/bin/sh
# End to end: charts are outputs like the CSVs. On a full disk, or when
# gnuplot fails, dies or writes a file it does not finish, the command
# exits 1 with a message naming the chart, and no partial chart or
# temporary is left (run, compare, sweep, loadtest, plot). gnuplot's own
# output reaches the terminal only when it fails, as part of our message.
# A chart with nothing to draw (no e-CNY payments, a load test at rate 0)
# is drawn empty with a note saying why, exit 0.
. "$(dirname "$0")/../lib.sh"

root=$PWD
q="--quiet"
GNUPLOT=$(command -v gnuplot)

# A small run: one city, a month, so that its CSVs fit where its charts do not.
cat >"$TMP/small.yaml" <<'EOF'
name: small
seed: 3
start: 2020-12-01
duration: 30d
step: 1d
sample: 100
operators:
  bank: {servers: 1000}     # 10 at sample 100: no latency warning on stderr
cities:
  town: {population: 1000000, merchants: 10000}
EOF
cp "$TMP/small.yaml" "$TMP/other.yaml"
small=$TMP/small.yaml

# complete FILE: a whole PNG (ends with its IEND chunk) or SVG (ends with </svg>).
complete() {
  case $1 in
    *.png) test "$(tail -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 49454e44ae426082 ;;
    *.svg) tail -c 16 "$1" | grep -q '</svg>' ;;
    *) return 1 ;;
  esac
}
# whole DIR: every file under DIR/charts is a complete chart, none is a temporary.
whole() {
  [ -d "$1/charts" ] || return 0
  for f in "$1"/charts/* "$1"/charts/.*; do
    case $f in */.|*/..|*'/*'|*'/.*') continue ;; esac
    complete "$f" || return 1
  done
}

# The four commands that draw, each a small case; $1 the output directory,
# gnuplot looked up in $GPATH.
GPATH=$PATH
cmd_run()      { env PATH="$GPATH" "$PILOTSIM" run "$small" -o "$1" $q; }
cmd_compare()  { env PATH="$GPATH" "$PILOTSIM" compare "$small" "$TMP/other.yaml" --replications 2 \
                   -o "$1" $q; }
cmd_sweep()    { env PATH="$GPATH" "$PILOTSIM" sweep "$small" --vary sample=100,200 -o "$1" $q; }
cmd_loadtest() { env PATH="$GPATH" "$PILOTSIM" loadtest scenarios/double11.yaml \
                   --profile step:100:300:2:10s --warmup 0s -o "$1" $q; }
first_chart() {
  case $1 in
    run) echo adoption ;; compare) echo adoption ;; sweep) echo 'sweep-' ;; loadtest) echo loadtest-knee ;;
  esac
}

# ---- a full disk: -o on a 96 KB tmpfs ----
# Room for every command's CSVs and JSON (compare's two plans with their
# interval columns take about 60 KB of 4 KB pages), not for its charts.
# Mounted in a private user and mount namespace (unprivileged where user
# namespaces are allowed), or directly when we are root; skipped only when
# neither is possible. The output is copied out before the tmpfs goes.
full_disk() {   # NAME COMMAND: run COMMAND with -o on the tmpfs, keep $TMP/NAME{,.rc,.err}
  mnt=$TMP/mnt-$1
  mkdir -p "$mnt"
  inner='mnt=$1 keep=$2; shift 2
    mount -t tmpfs -o size=96k tmpfs "$mnt" 2>/dev/null || exit 97
    "$@" "$mnt/out" >"$keep.out" 2>"$keep.err"; echo $? >"$keep.rc"
    cp -R "$mnt/out" "$keep" 2>/dev/null
    umount "$mnt" 2>/dev/null; exit 0'
  unshare -rm sh -c "$inner" sh "$mnt" "$TMP/$1" "$2" 2>/dev/null
  rc=$?
  if [ "$rc" != 0 ] && [ "$(id -u)" = 0 ]; then
    sh -c "$inner" sh "$mnt" "$TMP/$1" "$2"
    rc=$?
  fi
  return $rc
}
for cmd in run compare sweep loadtest; do
  # The command line for the inner shell: cmd_* are not exported, so spell it.
  case $cmd in
    run)      line="$PILOTSIM run $small $q -o" ;;
    compare)  line="$PILOTSIM compare $small $TMP/other.yaml --replications 2 $q -o" ;;
    sweep)    line="$PILOTSIM sweep $small --vary sample=100,200 $q -o" ;;
    loadtest) line="$PILOTSIM loadtest $root/scenarios/double11.yaml --profile step:100:300:2:10s --warmup 0s $q -o" ;;
  esac
  printf '#!/bin/sh\nexec %s "$@"\n' "$line" >"$TMP/full-$cmd.sh"
  chmod +x "$TMP/full-$cmd.sh"
  if full_disk "full-$cmd" "$TMP/full-$cmd.sh"; then
    T=$((T + 1))
    if [ "$(cat "$TMP/full-$cmd.rc")" = 1 ]; then
      echo "ok $T - $cmd on a full disk exits 1"
    else
      echo "not ok $T - $cmd on a full disk exits 1 (exit $(cat "$TMP/full-$cmd.rc"))"
      FAILED=$((FAILED + 1))
    fi
    check "  saying which chart failed, and why" \
      grep -q "chart .*/charts/[a-z.-]*: no space left on device" "$TMP/full-$cmd.err"
    # (besides warnings: double11's ICBC outage lies past this short profile)
    check "  in one line" test "$(grep -vc '^pilotsim: warning: ' "$TMP/full-$cmd.err")" = 1
    check "  and leaves no partial chart or temporary" whole "$TMP/full-$cmd"
  else
    T=$((T + 1))
    echo "ok $T # skip $cmd on a full disk: cannot mount a tmpfs here (no user namespaces, not root)"
  fi
done

# ---- gnuplot that cannot write: a file size limit (always available) ----
# A gnuplot on PATH that runs the real one under `ulimit -f` (SIGXFSZ
# ignored, so a write past the limit fails as on a full disk).
mkdir -p "$TMP/limit" "$TMP/cut" "$TMP/hole" "$TMP/fail" "$TMP/killed" "$TMP/chatty"
printf '#!/bin/sh\ntrap "" XFSZ\nulimit -f 16\nexec %s "$@"\n' "$GNUPLOT" >"$TMP/limit/gnuplot"
# One that finishes but leaves its SVG cut at 4 KB ($4 is OUT: -c SCRIPT DATA OUT ...).
printf '#!/bin/sh\n%s "$@" || exit\nhead -c 4096 "$4.svg" >"$4.cut" && cat "$4.cut" >"$4.svg"\nrm -f "$4.cut"\n' \
  "$GNUPLOT" >"$TMP/cut/gnuplot"
# One that finishes but leaves a hole in its PNG: a byte in the middle zeroed.
printf '#!/bin/sh\n%s "$@" || exit\nprintf "\\000\\000\\000\\000" | dd of="$4.png" bs=1 seek=2000 conv=notrunc 2>/dev/null\n' \
  "$GNUPLOT" >"$TMP/hole/gnuplot"
# One that fails with its own message, one killed by a signal, and one that
# succeeds after printing warnings.
printf '#!/bin/sh\necho "line 7: boom, the chart cannot be drawn" >&2\nexit 1\n' >"$TMP/fail/gnuplot"
printf '#!/bin/sh\nkill -KILL $$\n' >"$TMP/killed/gnuplot"
printf '#!/bin/sh\necho "Warning: chatty gnuplot" >&2\necho "on stdout too"\nexec %s "$@"\n' \
  "$GNUPLOT" >"$TMP/chatty/gnuplot"
chmod +x "$TMP"/*/gnuplot

for cmd in run compare sweep loadtest; do
  GPATH=$TMP/limit:$PATH
  status 1 "$cmd: gnuplot unable to write is exit 1" cmd_$cmd "$TMP/l-$cmd"
  check "  naming the chart" grep -q "chart .*/charts/$(first_chart $cmd)" "$TMP/err"
  check "  no partial chart or temporary is left" whole "$TMP/l-$cmd"
  GPATH=$TMP/cut:$PATH
  status 1 "$cmd: a chart gnuplot cut short is exit 1" cmd_$cmd "$TMP/c-$cmd"
  check "  naming the file" grep -q "chart .*/charts/$(first_chart $cmd).*\\.svg: .*incomplete" "$TMP/err"
  check "  no partial chart or temporary is left" whole "$TMP/c-$cmd"
done
GPATH=$TMP/hole:$PATH
status 1 "a PNG with a hole in it is exit 1" cmd_run "$TMP/hole-run"
check "  naming the file" grep -q "chart .*/charts/adoption\\.png: .*incomplete" "$TMP/err"
check "  no partial chart or temporary is left" whole "$TMP/hole-run"
check "  the data is kept" test -s "$TMP/hole-run/timeseries.csv"

GPATH=$TMP/fail:$PATH
status 1 "gnuplot failing is exit 1" cmd_run "$TMP/fail-run"
check "  naming the chart" grep -q "chart .*/charts/adoption: gnuplot failed (exit status 1)" "$TMP/err"
check "  with gnuplot's own message" grep -q "line 7: boom, the chart cannot be drawn" "$TMP/err"
check "  no chart or temporary is left" test -z "$(ls -A "$TMP/fail-run/charts")"
GPATH=$TMP/killed:$PATH
status 1 "gnuplot killed is exit 1" cmd_loadtest "$TMP/killed-lt"
check "  saying so" grep -q "chart .*/charts/loadtest-knee: gnuplot was killed by signal 9" "$TMP/err"
check "  no chart or temporary is left" test -z "$(ls -A "$TMP/killed-lt/charts")"

GPATH=$TMP/chatty:$PATH
status 0 "gnuplot's warnings do not reach the terminal" cmd_run "$TMP/chatty"
check "  stderr is empty" test ! -s "$TMP/err"
check "  stdout is empty" test ! -s "$TMP/out"
check "  the charts are whole" whole "$TMP/chatty"
check "  all six of them" test "$(ls "$TMP/chatty/charts" | wc -l)" = 6
status 1 "plot: a chart cut short is exit 1" env PATH="$TMP/cut:$PATH" "$PILOTSIM" plot "$TMP/chatty"
check "  naming the file" grep -q "chart .*/charts/adoption\\.svg: .*incomplete" "$TMP/err"
check "  the earlier complete charts stay whole" whole "$TMP/chatty"

# ---- paths that would be commands to gnuplot ----
# A relative -o starting with '<' (a command to read from) or '|' (one to
# write to) is a directory name, never run ('#' ends the command there).
cd "$TMP" || exit 1
for name in '<touch pwned1 #' '|touch pwned2 #'; do
  status 0 "an output directory named '$name' draws its charts" "$PILOTSIM" run "$small" -o "$name" $q
  check "  as files" whole "$name"
  check "  all six" test "$(ls "$name/charts" | wc -l)" = 6
done
check "no command ran" sh -c '! ls pwned* 2>/dev/null | grep -q .'
cd "$root" || exit 1

# ---- nothing to draw: an empty chart with a note, exit 0 ----
# note CHART TEXT: the chart's SVG holds the note (as text) and is whole.
note() { whole "$(dirname "$(dirname "$1")")" && grep -q "$2" "$1"; }
status 0 "the Bass validation scenario (no payments) draws its charts" \
  "$PILOTSIM" run tests/validation/bass.yaml -o "$TMP/bass" $q
check "  nothing on stderr (gnuplot's warnings stay with it)" test ! -s "$TMP/err"
check "  all six charts, whole" sh -c "test \$(ls '$TMP/bass/charts' | wc -l) = 6"
check "  latency: an empty chart saying why" note "$TMP/bass/charts/latency.svg" 'no e-CNY payments in this run'
check "  throughput: its zeros, saying why" note "$TMP/bass/charts/throughput.svg" 'no e-CNY payments in this run'
check "  adoption: no note, it has a curve" sh -c "! grep -q 'no e-CNY' '$TMP/bass/charts/adoption.svg'"
check "  the latency PNG is not empty" test "$(wc -c <"$TMP/bass/charts/latency.png")" -gt 5000
status 0 "plot redraws it" "$PILOTSIM" plot "$TMP/bass"
check "  silently" test ! -s "$TMP/err"

status 0 "ecny_preference: 0 draws its charts" "$PILOTSIM" run "$small" --set payments.ecny_preference=0 \
  -o "$TMP/pref0" $q
check "  latency says why it is empty" note "$TMP/pref0/charts/latency.svg" 'no e-CNY payments in this run'
status 0 "a run too short for a payment (1h) draws its charts" "$PILOTSIM" run "$small" \
  --set duration=1h --set step=1h -o "$TMP/hour" $q
check "  latency says why it is empty" note "$TMP/hour/charts/latency.svg" 'no e-CNY payments in this run'
status 0 "a replicated run without payments draws its charts" "$PILOTSIM" run "$small" \
  --set payments.ecny_preference=0 --replications 2 -o "$TMP/rep0" $q
check "  latency says why it is empty" note "$TMP/rep0/charts/latency.svg" 'no e-CNY payments in any replication'
status 0 "a run whose payments all time out draws its charts" "$PILOTSIM" run "$small" \
  --set operators.bank.timeout=1ms -o "$TMP/timeout" $q
check "  none completed" test "$(awk -F, 'NR > 1 { s += $7 } END { print s + 0 }' "$TMP/timeout/timeseries.csv")" = 0
check "  but some failed" test "$(awk -F, 'NR > 1 { s += $8 } END { print (s > 0) }' "$TMP/timeout/timeseries.csv")" = 1
check "  latency says why it is empty" note "$TMP/timeout/charts/latency.svg" 'no e-CNY payment completed in this run: every one timed out'
status 0 "a run with some payments has no note" "$PILOTSIM" run "$small" -o "$TMP/some" $q
check "  none in latency" sh -c "! grep -q 'no e-CNY' '$TMP/some/charts/latency.svg'"
check "  none in throughput" sh -c "! grep -q 'no e-CNY' '$TMP/some/charts/throughput.svg'"

# ---- memo-grade run charts: markers, a percent axis, names as text ----
# A city whose name would be code to gnuplot or a shell opens its pilot on
# day 10; the lottery registers on day 5: both are marked on every chart
# (the label printed as written), and nothing runs.
cat >"$TMP/marked.yaml" <<'EOF'
name: "marked `touch pwned-title` $(touch pwned-dollar)"
seed: 3
start: 2020-12-01
duration: 30d
step: 1d
sample: 100
operators:
  bank: {servers: 1000}
cities:
  town: {name: "Town `touch pwned-name` \"q\" 'q' @x", population: 1000000, merchants: 10000,
         pilot_start: 2020-12-11}
interventions:
  - id: draw-1
    kind: lottery
    city: town
    envelopes: 1000
    amount: 200
    registration: {from: 2020-12-06T00:00, until: 2020-12-07T00:00}
    spending: {from: 2020-12-08T00:00, until: 2020-12-20T00:00}
EOF
cd "$TMP" || exit 1
status 0 "a run with a lottery and a late pilot draws its charts" "$PILOTSIM" run marked.yaml -o marked $q
for c in adoption throughput latency; do
  check "  $c has the provenance line: version, commit, scenario, command" \
    grep -q '>pilotsim [0-9.]* · commit [^ ]*.* · scenario sha256 [0-9a-f]* · pilotsim run marked.yaml -o marked --quiet<' \
    "marked/charts/$c.svg"
  check "  $c marks the lottery" grep -q '>draw-1<' "marked/charts/$c.svg"
  check "  $c marks the pilot's opening, the name as text" \
    grep -qF ">pilot: Town \`touch pwned-name\` \"q\" 'q' @x<" "marked/charts/$c.svg"
done
check "  adoption's axis is in percent" grep -q '>[0-9.]*%<' marked/charts/adoption.svg
check "  no e+ tic labels" sh -c "! grep -q '>[0-9.]*e[+-][0-9]*<' marked/charts/*.svg"
check "  throughput: mean and busiest minute, two panels" sh -c \
  "grep -q '>Mean per day (payments/s)<' marked/charts/throughput.svg && \
   grep -q '>Busiest minute of each day (payments/s)<' marked/charts/throughput.svg"
check "  latency: tics in ms" grep -q '>[0-9.]* ms<' marked/charts/latency.svg
check "nothing ran" sh -c '! ls pwned* 2>/dev/null | grep -q .'
status 0 "  the same with replications" "$PILOTSIM" run marked.yaml --replications 3 -o marked3 $q
check "  the bands are drawn" grep -q 'fill-opacity' marked3/charts/adoption.svg
check "  the markers too" grep -q '>draw-1<' marked3/charts/latency.svg
cd "$root" || exit 1

# ---- plot: every kind of output directory, written with --no-charts ----
# The charts appear; the files the command wrote keep their bytes.
sums() { (cd "$1" && find . -type f ! -path './charts/*' ! -name .pilotsim.lock | sort | xargs md5sum); }
plot_kind() {   # KIND DIR CHART...: plot DIR, then each chart is there, whole
  kind=$1 dir=$2; shift 2
  sums "$dir" >"$TMP/before.sum"
  status 0 "plot redraws a $kind written with --no-charts" "$PILOTSIM" plot "$dir"
  for c in "$@"; do
    check "  $c.png and $c.svg" sh -c "test -s '$dir/charts/$c.png' && test -s '$dir/charts/$c.svg'"
  done
  sums "$dir" >"$TMP/after.sum"
  check "  the $kind's files keep their bytes" cmp -s "$TMP/before.sum" "$TMP/after.sum"
  check "  every chart whole" whole "$dir"
}
"$PILOTSIM" run "$small" --no-charts -o "$TMP/nc-run" $q
check "run --no-charts draws nothing" test ! -e "$TMP/nc-run/charts"
plot_kind run "$TMP/nc-run" adoption throughput latency
"$PILOTSIM" loadtest scenarios/double11.yaml --profile step:100:300:2:10s --warmup 0s --no-charts \
  -o "$TMP/nc-lt" $q 2>/dev/null
plot_kind loadtest "$TMP/nc-lt" loadtest-knee loadtest-latency loadtest-utilization
"$PILOTSIM" compare "$small" "$TMP/other.yaml" --replications 2 --no-charts -o "$TMP/nc-compare" $q
plot_kind compare "$TMP/nc-compare" adoption throughput latency
"$PILOTSIM" sweep "$small" --vary sample=100,200 --metric total.payments --no-charts -o "$TMP/nc-sweep" $q
plot_kind sweep "$TMP/nc-sweep" sweep-total.payments
# calibrate draws its trajectory with --fit: a share (adoption, in percent)
# and a count (wallets), from tests/data/fit.yaml's quick evaluations.
cat >"$TMP/cal-targets.yaml" <<'EOF'
targets:
  - {id: adoption-h1, role: fit, series: adoption, city: xiongan, at: 2020-06-29, value: 0.05, tolerance: 20%}
  - {id: wallets-y1, role: fit, series: wallets, city: total, at: 2020-12-20, value: 150000, tolerance: 20%}
EOF
"$PILOTSIM" calibrate tests/data/fit.yaml --targets "$TMP/cal-targets.yaml" --replications 2 \
  --fit adoption.imitation=0.1:4 --max-evaluations 4 --jobs 1 --no-charts -o "$TMP/nc-cal" $q 2>/dev/null
plot_kind calibrate "$TMP/nc-cal" calibrate
check "  its panels titled for people, the share in percent" sh -c \
  "grep -q '>Adoption in xiongan<' '$TMP/nc-cal/charts/calibrate.svg' && \
   grep -q '>Wallets opened in all cities<' '$TMP/nc-cal/charts/calibrate.svg' && \
   grep -q '>[0-9.]*%<' '$TMP/nc-cal/charts/calibrate.svg'"
"$PILOTSIM" calibrate tests/data/fit.yaml --targets "$TMP/cal-targets.yaml" --replications 2 \
  --no-charts -o "$TMP/nc-cal0" $q 2>/dev/null
status 0 "plot of a calibration without a fit: no chart to draw, saying so" "$PILOTSIM" plot "$TMP/nc-cal0"
check "  on stderr" grep -q "has no chart to draw" "$TMP/err"
status 2 "plot of a directory that holds no output" "$PILOTSIM" plot "$TMP/cal-targets.yaml"
status 2 "plot of a missing directory" "$PILOTSIM" plot "$TMP/nowhere"
check "  creates nothing" test ! -e "$TMP/nowhere"

status 0 "a load test at rate 0 draws its charts" "$PILOTSIM" loadtest scenarios/double11.yaml \
  --profile soak:0:60s -o "$TMP/lt0" $q
# (double11's outage at 240 s, past this profile, is rightly warned of.)
check "  nothing but pilotsim's own lines on stderr" sh -c "! grep -qv '^pilotsim: ' '$TMP/err'"
for c in knee latency utilization; do
  check "  loadtest-$c says why" note "$TMP/lt0/charts/loadtest-$c.svg" 'no payments offered in this load test'
done
status 0 "a load test at rate 0 with replications draws its charts" "$PILOTSIM" loadtest \
  scenarios/double11.yaml --profile soak:0:30s --replications 2 -o "$TMP/lt0r" $q
check "  loadtest-latency says why" note "$TMP/lt0r/charts/loadtest-latency.svg" 'no payments offered in this load test'

status 0 "a sweep of latency without payments draws its chart" "$PILOTSIM" sweep "$small" \
  --set payments.ecny_preference=0 --vary sample=100,200 --metric total.latency_ms.p99 \
  --replications 2 -o "$TMP/sw0" $q
check "  saying why" note "$TMP/sw0/charts/sweep-total.latency_ms.p99.svg" \
  'no e-CNY payment completed at any point of the sweep'
status 0 "  and by category" "$PILOTSIM" sweep "$small" --set payments.ecny_preference=0 \
  --vary operators.bank.timeout=1s,10s --metric total.latency_ms.p99 -o "$TMP/sw1" $q
check "  saying why" note "$TMP/sw1/charts/sweep-total.latency_ms.p99.svg" \
  'no e-CNY payment completed at any point of the sweep'

# A tic label is a format to gnuplot: a value's '%' stays text.
status 0 "a sweep over percentages draws its chart" "$PILOTSIM" sweep "$small" \
  --vary payments.ecny_preference=10%,30% --metric total.payments -o "$TMP/swpct" $q
check "  the values are its tics" sh -c "grep -q '>10%<' '$TMP/swpct/charts/sweep-total.payments.svg' && \
  grep -q '>30%<' '$TMP/swpct/charts/sweep-total.payments.svg'"
check "  whole" whole "$TMP/swpct"

sed 's/^name: small/name: other/' "$small" >"$TMP/other0.yaml"
status 0 "compare of plans without payments draws its charts" "$PILOTSIM" compare "$small" \
  "$TMP/other0.yaml" --set payments.ecny_preference=0 --replications 2 -o "$TMP/cmp0" $q
check "  throughput's panel says why" note "$TMP/cmp0/charts/throughput.svg" 'no e-CNY payments in any plan'
check "  and latency's" note "$TMP/cmp0/charts/latency.svg" 'no e-CNY payments in any plan'
check "  adoption has its curves" sh -c "! grep -q 'in any plan' '$TMP/cmp0/charts/adoption.svg'"

# A time series without rows (a hand-edited run): blank charts, saying so.
mkdir -p "$TMP/norows"
cp "$TMP/bass/scenario.yaml" "$TMP/bass/summary.json" "$TMP/norows/"
head -1 "$TMP/bass/timeseries.csv" >"$TMP/norows/timeseries.csv"
status 0 "plot of a time series without rows draws blank charts" "$PILOTSIM" plot "$TMP/norows"
for c in adoption throughput latency; do
  check "  $c says so" note "$TMP/norows/charts/$c.svg" 'timeseries.csv has no rows'
done
done_testing
