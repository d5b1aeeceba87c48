# lib.sh: TAP helpers for the end-to-end tests. Source it; then checks via
# `check` and `status`, and `done_testing` at the end, which prints the plan.
# A script that exits before done_testing (an `exit`, a failed `cd`, a
# crash of the shell) fails: the EXIT trap adds a "not ok" and the plan,
# so prove never takes a test cut short for a passing one. `skip_all`
# skips the whole script, for a missing tool, never a missing fixture.
# $PILOTSIM is the binary under test (make test sets it).
set -u
: "${PILOTSIM:=build/pilotsim}"
cd "$(dirname "$0")/../.." || exit 1
T=0
FAILED=0
DONE=0
TMP=$(mktemp -d)
trap 'lib_exit' EXIT

lib_exit() {
  rc=$?
  rm -rf "$TMP"
  if [ "$DONE" = 0 ]; then
    T=$((T + 1))
    echo "not ok $T - the script exited (status $rc) before done_testing"
    echo "1..$T"
    exit 1
  fi
}

# check MESSAGE COMMAND...: ok when the command succeeds.
check() {
  msg=$1; shift
  T=$((T + 1))
  if "$@" >/dev/null 2>&1; then
    echo "ok $T - $msg"
  else
    echo "not ok $T - $msg"
    FAILED=$((FAILED + 1))
  fi
}

# status WANT MESSAGE COMMAND...: ok when the command exits with WANT.
status() {
  want=$1 msg=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  got=$?
  T=$((T + 1))
  if [ "$got" = "$want" ]; then
    echo "ok $T - $msg"
  else
    echo "not ok $T - $msg (exit $got, want $want)"
    sed 's/^/#   /' "$TMP/err" | head -5
    FAILED=$((FAILED + 1))
  fi
}

# summary.json without its `run` section, canonical: what must be identical
# between two runs of the same seed.
summary_core() {
  perl -MJSON::PP -e 'local $/; my $j = decode_json(<>); delete $j->{run};
    print JSON::PP->new->canonical->encode($j)' "$1"
}

# json_get FILE PERL-EXPR: print a value, e.g. json_get f '$j->{money}{issued_fen}'
json_get() {
  perl -MJSON::PP -e 'open my $f, "<", $ARGV[0] or die; local $/; my $j = decode_json(<$f>);
    my $v = eval $ARGV[1]; print defined $v ? $v : ""' "$1" "$2"
}

done_testing() {
  DONE=1
  echo "1..$T"
  [ "$FAILED" = 0 ]
}

# skip_all REASON: skip the whole script (TAP "1..0 # SKIP").
skip_all() {
  DONE=1
  echo "1..0 # SKIP $1"
  exit 0
}
