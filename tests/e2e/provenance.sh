#!/bin/sh
# End to end: every summary.json records its provenance in its run section
# (docs/outputs.md, Provenance): the scenario's hash is SHA-256 of the
# scenario.yaml beside it, the command line pastes back into a shell and
# makes the same outputs, the commit and the build are filled in.
. "$(dirname "$0")/../lib.sh"

sc=tests/golden/pilot-weeks.yaml
prov() { json_get "$1/summary.json" "\$j->{run}{provenance}{$2}"; }

# An output directory whose name needs quoting: a space and a quote.
out="$TMP/it's a run"
status 0 "a run with a name that needs quoting" "$PILOTSIM" run "$sc" -o "$out" --no-charts --quiet
check "run.provenance is an object" \
  test "$(json_get "$out/summary.json" 'ref $j->{run}{provenance}')" = HASH
check "its version is pilotsim's" test "pilotsim $(prov "$out" version)" = "$("$PILOTSIM" --version)"
check "its scenario_sha256 is sha256sum of scenario.yaml" \
  test "$(prov "$out" scenario_sha256)" = "$(sha256sum <"$out/scenario.yaml" | cut -c1-64)"
check "a commit (hex or unknown)" sh -c "echo '$(prov "$out" commit)' | grep -Eq '^([0-9a-f]{40}|unknown)\$'"
check "dirty is true, false or null" test -n "$(json_get "$out/summary.json" \
  'my $d = $j->{run}{provenance}{dirty}; !defined $d || JSON::PP::is_bool($d) ? 1 : undef')"
check "the build names the compiler and -std=c11" sh -c "echo '$(prov "$out" build)' | grep -q -- -std=c11"
cmd=$(prov "$out" command)
check "the command line, quoted" test "$cmd" = \
  "pilotsim run $sc -o '$TMP/it'\\''s a run' --no-charts --quiet"

# Pasted back (pilotsim being this binary), the command writes the same.
rm -rf "$out"
pasted=$(printf '%s' "$cmd" | sed "s|^pilotsim |\"\$PILOTSIM\" |")
status 0 "the command pasted into a shell runs" env PILOTSIM="$PILOTSIM" sh -c "$pasted"
check "... and writes the summary again" test -s "$out/summary.json"

# Replications: the same object; a --set changes the scenario's hash.
status 0 "a replicated run" "$PILOTSIM" run "$sc" -o "$TMP/r3" --replications 3 --jobs 2 \
  --no-charts --quiet --set seed=9
check "R = 3: run.provenance with the scenario's hash" \
  test "$(prov "$TMP/r3" scenario_sha256)" = "$(sha256sum <"$TMP/r3/scenario.yaml" | cut -c1-64)"
check "another scenario, another hash" test "$(prov "$TMP/r3" scenario_sha256)" != "$(prov "$out" scenario_sha256)"

# compare: each plan's summary.json hashes its own scenario.yaml.
status 0 "compare" "$PILOTSIM" compare "$sc" "$sc" -o "$TMP/cmp" --set seed=3 \
  --replications 2 --jobs 2 --no-charts --quiet
check "compare wrote two plans" test "$(ls "$TMP/cmp/plans" | wc -l)" = 2
for d in "$TMP"/cmp/plans/*/; do
  check "compare plan $(basename "$d"): its scenario's hash" \
    test "$(prov "$d" scenario_sha256)" = "$(sha256sum <"$d/scenario.yaml" | cut -c1-64)"
  check "compare plan $(basename "$d"): the compare command" sh -c \
    "echo '$(prov "$d" command)' | grep -q '^pilotsim compare '"
done

# loadtest: run.provenance, the scenario's hash as run would write it.
status 0 "a load test" "$PILOTSIM" loadtest tests/validation/capacity.yaml -o "$TMP/lt" \
  --profile step:100:200:2:5s --warmup 1s --interval 5s --no-charts --quiet
check "loadtest: run.provenance with its command" sh -c \
  "echo '$(prov "$TMP/lt" command)' | grep -q '^pilotsim loadtest tests/validation/capacity.yaml '"
"$PILOTSIM" run tests/validation/capacity.yaml -o "$TMP/lt-run" --no-charts --quiet >/dev/null 2>&1
check "loadtest: the hash of the resolved scenario, as run writes it" \
  test "$(prov "$TMP/lt" scenario_sha256)" = "$(sha256sum <"$TMP/lt-run/scenario.yaml" | cut -c1-64)"

# sweep: the sweep's summary hashes the base's scenario.yaml, each point its own.
status 0 "a sweep" "$PILOTSIM" sweep "$sc" --vary payments.ecny_preference=0.2,0.4 -o "$TMP/sw" \
  --replications 2 --jobs 2 --no-charts --quiet
check "sweep: run.provenance hashes its scenario.yaml" \
  test "$(prov "$TMP/sw" scenario_sha256)" = "$(sha256sum <"$TMP/sw/scenario.yaml" | cut -c1-64)"
n=0
for d in "$TMP"/sw/points/*/; do
  n=$((n + 1))
  check "sweep point $(basename "$d"): its own scenario's hash" \
    test "$(prov "$d" scenario_sha256)" = "$(sha256sum <"$d/scenario.yaml" | cut -c1-64)"
done
check "sweep: two points checked" test "$n" = 2

# calibrate: calibrate.json's run.provenance, read back by provenance_read's
# rule (no summary.json there).
status 0 "a calibration" "$PILOTSIM" calibrate "$sc" --targets tests/data/tiny-targets.yaml \
  -o "$TMP/cal" --replications 2 --jobs 2 --quiet
check "calibrate.json: run.provenance with the calibrate command" test -n "$(json_get \
  "$TMP/cal/calibrate.json" '$j->{run}{provenance}{command} =~ /^pilotsim calibrate / ? 1 : undef')"
check "calibrate.json: the hash of the scenario evaluated" test \
  "$(json_get "$TMP/cal/calibrate.json" '$j->{run}{provenance}{scenario_sha256}')" = \
  "$(sha256sum <"$out/scenario.yaml" | cut -c1-64)"

done_testing
