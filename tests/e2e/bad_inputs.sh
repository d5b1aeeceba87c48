#!/bin/sh
# bad_inputs: `pilotsim check` refuses every bad scenario with exit status 2
# and one line per error, `file:line:column: message (expected ...)`.
#
# Each tests/bad/NAME.yaml opens with comments: `# expect: L:C: message`
# (the first error line must start with it; a path before L:C: names another
# file, relative to tests/bad, and `--set:N:C:` an override) and, optionally,
# `# args: --set key=value ...` passed to the command. Inputs that cannot be
# committed (too large, UTF-16, a directory, a missing file) are made here.
# Needs PILOTSIM (the binary); run from anywhere.
set -u
cd "$(dirname "$0")/../.." || exit 1
PILOTSIM=${PILOTSIM:-$PWD/build/pilotsim}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bad_inputs.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  shift; for l in "$@"; do echo "#   $l"; done
}

# expect NAME WANT CMD...: exit 2, first stderr line starts with WANT, and
# every stderr line is a positioned error or a "cannot read" line.
expect() {
  name=$1 want=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  first=$(head -n 1 "$TMP/err")
  if [ "$rc" -eq 2 ]; then ok "$name: exit status 2"; else not_ok "$name: exit status 2" "got $rc"; fi
  case "$first" in
    "$want"*) ok "$name: $want" ;;
    *) not_ok "$name: $want" "got: $first" ;;
  esac
  if grep -Evq ':[0-9]+:[0-9]+: .|: cannot read scenario: ' "$TMP/err" || [ ! -s "$TMP/err" ]; then
    not_ok "$name: every error line has a position" "$(cat "$TMP/err")"
  else
    ok "$name: every error line has a position"
  fi
}

if [ ! -x "$PILOTSIM" ]; then
  echo "not ok 1 - no pilotsim binary at $PILOTSIM (make builds it)"
  echo "1..1"
  exit 1
fi

for f in tests/bad/*.yaml; do
  exp=$(sed -n 's/^# expect: //p' "$f" | head -n 1)
  args=$(sed -n 's/^# args: //p' "$f" | head -n 1)
  case "$exp" in
    "") not_ok "$f has an # expect: header"; continue ;;
    [0-9]*) want="$f:$exp" ;;
    --set:*) want=$exp ;;
    *) want="tests/bad/$exp" ;;
  esac
  # shellcheck disable=SC2086 # args are words on purpose
  expect "$f" "$want" "$PILOTSIM" check "$f" $args
done

expect "a missing file" "$TMP/none.yaml: cannot read scenario: No such file or directory" \
  "$PILOTSIM" check "$TMP/none.yaml"
mkdir "$TMP/dir.yaml"
expect "a directory" "$TMP/dir.yaml: cannot read scenario: Is a directory" \
  "$PILOTSIM" check "$TMP/dir.yaml"
head -c 16777217 /dev/zero | tr '\0' '#' >"$TMP/big.yaml"
expect "a file over 16 MiB" "$TMP/big.yaml: cannot read scenario: larger than 16 MiB" \
  "$PILOTSIM" check "$TMP/big.yaml"
printf '\377\376n\000a\000m\000e\000:\000' >"$TMP/utf16.yaml"
expect "UTF-16 text" "$TMP/utf16.yaml:1:1: invalid leading UTF-8 octet" \
  "$PILOTSIM" check "$TMP/utf16.yaml"
head -c 4096 /dev/urandom >"$TMP/random.yaml"
"$PILOTSIM" check "$TMP/random.yaml" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok "random bytes: exit status 2"; else not_ok "random bytes: exit status 2" "got $rc"; fi
awk 'BEGIN { printf "x: ["; for (i = 0; i < 200001; i++) printf "1,"; print "]" }' >"$TMP/nodes.yaml"
expect "more than 200000 values" "$TMP/nodes.yaml:1:" "$PILOTSIM" check "$TMP/nodes.yaml"
awk 'BEGIN { for (i = 0; i < 30; i++) print "k" i ": 1" }' >"$TMP/many.yaml"
"$PILOTSIM" check "$TMP/many.yaml" 2>"$TMP/err" >/dev/null
lines=$(wc -l <"$TMP/err")
if [ "$lines" -eq 20 ]; then ok "at most 20 errors are printed"; else not_ok "at most 20 errors are printed" "got $lines"; fi

echo "1..$n"
[ "$failed" -eq 0 ]
