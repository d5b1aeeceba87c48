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

done_testing
