#!/bin/sh
# End to end: a command owns its output directory. A second command on the
# same DIR is refused while the first runs (also two --set variants sharing
# the default out/NAME), temporaries never follow a link, an earlier run's
# outputs do not stay beside the new ones (the user's own files do), an
# input inside DIR is never overwritten, and an interrupted command (SIGTERM,
# SIGINT, SIGKILL) leaves no worker or gnuplot running and nothing
# half-written.
. "$(dirname "$0")/../lib.sh"

quick=$PWD/tests/data/quick.yaml
q="--set sample=2000 --quiet"
# A run that lasts until killed: long, but small in memory.
long="--set sample=50 --set duration=20000d --quiet --no-charts"

# wait_children PID N: print PID's children once it has N, or nothing
# (status 1) after 20 s.
wait_children() {
  i=0
  while [ $i -lt 200 ]; do
    kids=$(pgrep -P "$1" 2>/dev/null | tr '\n' ' ')
    if [ "$(echo $kids | wc -w)" -ge "$2" ]; then echo $kids; return 0; fi
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# wait_file PATH: until it exists (20 s at most).
wait_file() {
  i=0
  while [ $i -lt 200 ] && [ ! -e "$1" ]; do sleep 0.1; i=$((i + 1)); done
  [ -e "$1" ]
}

# all_gone PID...: every one has ended (a zombie waiting for init counts as
# ended), within 5 s.
all_gone() {
  i=0
  while [ $i -lt 50 ]; do
    left=0
    for p in "$@"; do
      st=$(ps -o stat= -p "$p" 2>/dev/null)
      case "$st" in ""|Z*) ;; *) left=1 ;; esac
    done
    [ $left = 0 ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# only DIR NAME...: DIR holds exactly these entries (hidden ones included).
only() {
  d=$1; shift
  [ "$(ls -A "$d" | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}

# ---- two commands, one directory ----
"$PILOTSIM" run "$quick" $long -o "$TMP/busy" & first=$!
check "the first run takes the directory" wait_file "$TMP/busy/.pilotsim.lock"
status 1 "a second run on the same -o is refused (exit 1)" "$PILOTSIM" run "$quick" $q -o "$TMP/busy"
check "the message says the directory is in use, and by whom" \
  grep -q "busy is in use by another pilotsim command (pid $first)" "$TMP/err"
check "the second wrote nothing" only "$TMP/busy" .pilotsim.lock
status 1 "a replicated run too" "$PILOTSIM" run "$quick" $q --replications 2 -o "$TMP/busy"
status 1 "a sweep too" "$PILOTSIM" sweep "$quick" $q --vary seed=1,2 -o "$TMP/busy"
status 1 "a compare too" "$PILOTSIM" compare "$quick" "$quick" $q -o "$TMP/busy"
status 1 "a load test too" "$PILOTSIM" loadtest scenarios/double11.yaml --quiet \
  --profile step:100:100:1:10s -o "$TMP/busy"
status 1 "a redraw too" "$PILOTSIM" plot "$TMP/busy"
check "still nothing but the first run's lock" only "$TMP/busy" .pilotsim.lock
kill -TERM $first
wait $first
check "the interrupted first run exits 128+SIGTERM" test $? = 143
check "and leaves nothing: it made the directory, it removes it" test ! -e "$TMP/busy"

# Two --set variants of one scenario share out/quick (the default).
mkdir -p "$TMP/cwd"
# sh starts a background command with SIGINT ignored: perl restores it.
(cd "$TMP/cwd" && exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$PILOTSIM" run "$quick" $long) &
first=$!
check "a variant runs into the default out/quick" wait_file "$TMP/cwd/out/quick/.pilotsim.lock"
(cd "$TMP/cwd" && "$PILOTSIM" run "$quick" $q --set seed=2 >/dev/null 2>"$TMP/err2")
check "the other variant is refused, not interleaved" test $? = 1
check "and told to choose another -o" grep -q "choose another -o DIR" "$TMP/err2"
kill -INT $first
wait $first
check "SIGINT: exit 128+SIGINT" test $? = 130
check "nothing is left of either" test ! -e "$TMP/cwd/out/quick"

# ---- temporaries never follow a link ----
mkdir -p "$TMP/link"
echo precious >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/link/.summary.json.tmp"
ln -s "$TMP/victim" "$TMP/link/timeseries.csv"
status 0 "a run beside links at its temporary's and an output's names" \
  "$PILOTSIM" run "$quick" $q --no-charts -o "$TMP/link"
check "the links' target is untouched" test "$(cat "$TMP/victim")" = precious
check "timeseries.csv is now the run's own file" sh -c "test ! -L '$TMP/link/timeseries.csv' && grep -q '^time,city' '$TMP/link/timeseries.csv'"
check "no temporary or lock is left" sh -c "! ls -A '$TMP/link' | grep -q '\\.tmp\\|lock'"
ln -s "$TMP/victim" "$TMP/link/.pilotsim.lock"
status 1 "a link as the lock file is refused" "$PILOTSIM" run "$quick" $q -o "$TMP/link"
check "and not followed" test "$(cat "$TMP/victim")" = precious
rm "$TMP/link/.pilotsim.lock"

# ---- an earlier run's outputs go; the user's files stay ----
d="$TMP/again"
mkdir -p "$d/charts"
echo mine >"$d/notes.txt"
echo mine >"$d/charts/mine.png"
status 0 "a replicated run" "$PILOTSIM" run "$quick" $q --replications 2 -o "$d"
status 0 "then a single run in the same directory" "$PILOTSIM" run "$quick" $q --no-charts -o "$d"
check "the replicated run's replications.csv is gone" test ! -e "$d/replications.csv"
check "its charts are gone" test ! -e "$d/charts/adoption.png"
check "the user's files stay" sh -c "grep -q mine '$d/notes.txt' && grep -q mine '$d/charts/mine.png'"
check "the directory holds the run's files and the user's" \
  only "$d" charts notes.txt report.html scenario.yaml summary.json timeseries.csv
status 0 "a compare in it" "$PILOTSIM" compare "$quick" "$quick" $q --no-charts -o "$d"
check "leaves no run's timeseries.csv beside compare.csv" test ! -e "$d/timeseries.csv"
check "its summary.json is the comparison's" grep -q '"kind": "compare"' "$d/summary.json"
status 0 "a sweep in it" "$PILOTSIM" sweep "$quick" $q --vary seed=1,2 --replications 1 -o "$d"
check "leaves no compare's plans/ or compare.csv" sh -c "test ! -e '$d/plans' && test ! -e '$d/compare.csv'"
check "the sweep drew its charts" test -s "$d/charts/sweep-total.adoption.svg"
status 0 "a load test in it" "$PILOTSIM" loadtest scenarios/double11.yaml --quiet --no-charts \
  --profile step:100:100:1:10s -o "$d"
check "leaves no sweep.csv or sweep charts" sh -c "test ! -e '$d/sweep.csv' && ! ls '$d/charts' | grep -q sweep"
check "only the load test's files and the user's" \
  only "$d" charts loadtest.csv loadtest_resources.csv notes.txt report.html summary.json
check "and charts/ keeps only the user's file" only "$d/charts" mine.png

# ---- an input inside DIR is never overwritten ----
mkdir -p "$TMP/own"
cp "$quick" "$TMP/own/scenario.yaml"
sed -i 's#\.\./\.\./scenarios#'"$PWD"'/scenarios#' "$TMP/own/scenario.yaml"
cp "$TMP/own/scenario.yaml" "$TMP/own.orig"
status 2 "run own/scenario.yaml -o own is refused (exit 2)" \
  "$PILOTSIM" run "$TMP/own/scenario.yaml" $q -o "$TMP/own"
check "with a message naming the file" grep -q "own/scenario.yaml is an input of this command" "$TMP/err"
check "the user's file survives byte for byte" cmp "$TMP/own/scenario.yaml" "$TMP/own.orig"
check "and nothing is written" only "$TMP/own" scenario.yaml
status 2 "so are sweep" "$PILOTSIM" sweep "$TMP/own/scenario.yaml" $q --vary seed=1,2 -o "$TMP/own"
status 2 "and loadtest" "$PILOTSIM" loadtest "$TMP/own/scenario.yaml" --quiet -o "$TMP/own"
mkdir -p "$TMP/own/plans/a"
mv "$TMP/own/scenario.yaml" "$TMP/own/plans/a/scenario.yaml"
status 2 "and compare, with a plan where a plan's outputs go" \
  "$PILOTSIM" compare "$TMP/own/plans/a/scenario.yaml" "$quick" $q -o "$TMP/own"
check "which survives too" cmp "$TMP/own/plans/a/scenario.yaml" "$TMP/own.orig"
mv "$TMP/own/plans/a/scenario.yaml" "$TMP/own/mine.yaml"
status 0 "an input beside the outputs under its own name is fine" \
  "$PILOTSIM" run "$TMP/own/mine.yaml" $q --no-charts -o "$TMP/own"
check "and kept" cmp "$TMP/own/mine.yaml" "$TMP/own.orig"
echo x >"$TMP/afile"
status 1 "-o naming a file is a runtime error" "$PILOTSIM" run "$quick" $q -o "$TMP/afile"

# ---- interrupted experiments leave no orphans and nothing half-written ----
d="$TMP/int"
mkdir -p "$d"
echo mine >"$d/notes.txt"
"$PILOTSIM" run "$quick" $long --replications 2 -j 2 -o "$d" & pid=$!
kids=$(wait_children $pid 2)
check "run --replications 2 -j 2 starts two workers" test -n "$kids"
kill -TERM $pid
wait $pid
check "SIGTERM: the run exits 143" test $? = 143
check "both workers die with it" all_gone $kids
check "the directory holds only the user's file" only "$d" notes.txt

"$PILOTSIM" run "$quick" $long --replications 2 -j 2 -o "$d" & pid=$!
kids=$(wait_children $pid 2)
kill -KILL $pid
wait $pid
check "SIGKILL: the workers still die with the run" all_gone $kids
check "and no output was written (the lock file may stay)" \
  test "$(ls -A "$d" | grep -v '^\.pilotsim\.lock$')" = notes.txt
status 0 "the next run takes the directory a killed run left" \
  "$PILOTSIM" run "$quick" $q --no-charts -o "$d"
check "and removes the stale lock when done" test ! -e "$d/.pilotsim.lock"

"$PILOTSIM" sweep "$quick" $long --vary seed=1,2 --replications 1 -j 2 -o "$TMP/sw" & pid=$!
kids=$(wait_children $pid 2)
check "a sweep starts two workers" test -n "$kids"
kill -TERM $pid
wait $pid
check "SIGTERM: the sweep exits 143" test $? = 143
check "its workers die with it" all_gone $kids
check "and it leaves nothing" test ! -e "$TMP/sw"

# gnuplot stands in for a slow one: a program that waits.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexec sleep 60\n' >"$TMP/bin/gnuplot"
chmod +x "$TMP/bin/gnuplot"
PATH="$TMP/bin:$PATH" "$PILOTSIM" run "$quick" $q -o "$TMP/gp" & pid=$!
kids=$(wait_children $pid 1)
check "the run starts gnuplot" test -n "$kids"
check "after writing its data" test -s "$TMP/gp/summary.json"
kill -TERM $pid
wait $pid
check "SIGTERM while drawing: exit 143" test $? = 143
check "gnuplot dies with it" all_gone $kids
check "and the data written before the charts are removed too" test ! -e "$TMP/gp"

done_testing
