#!/bin/sh
# End to end: `make install` into a DESTDIR (the binary under test, not
# rebuilt), then: the files are there; `man pilotsim` renders the page
# generated from the help texts; the installed binary runs an installed
# scenario with the installed chart scripts; the bash completion proposes
# the commands and each command's options, and the parser takes every
# option the help (so the completion and the man page) names; PREFIX is
# honoured; `make uninstall` leaves the DESTDIR empty.
. "$(dirname "$0")/../lib.sh"

command -v make >/dev/null 2>&1 || skip_all "make is missing"
bin=$(cd "$(dirname "$PILOTSIM")" && pwd)/$(basename "$PILOTSIM")
build=$(dirname "$bin")
dest=$TMP/dest
root=$dest/usr/local

# mk GOAL...: make with the binary under test taken as it is (-o: never
# rebuilt), outside any make that runs this test.
mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -o "$bin" BUILD="$build" "$@"
}

status 0 "make install DESTDIR PREFIX=/usr/local" mk install DESTDIR="$dest" PREFIX=/usr/local
for f in bin/pilotsim share/pilotsim/plots/adoption.gp share/pilotsim/plots/common.gp \
  share/pilotsim/scenarios/pilot-2020.yaml share/pilotsim/scenarios/base/pilot-behaviour.yaml \
  share/doc/pilotsim/README.md share/doc/pilotsim/docs/outputs.md share/man/man1/pilotsim.1 \
  share/bash-completion/completions/pilotsim share/pilotsim/installed.txt; do
  check "installed: $f" test -s "$root/$f"
done
check "the binary is executable" test -x "$root/bin/pilotsim"
check "every shipped scenario is installed" \
  test "$(ls scenarios/*.yaml | wc -l)" = "$(ls "$root"/share/pilotsim/scenarios/*.yaml | wc -l)"
check "installed.txt lists every file installed" \
  test "$(find "$dest" -type f | wc -l)" = "$(wc -l <"$root/share/pilotsim/installed.txt")"

# The man page: `man pilotsim` where man-db is, else groff or nroff.
page=$root/share/man/man1/pilotsim.1
if command -v man >/dev/null 2>&1; then
  MANPATH=$root/share/man MANWIDTH=100 man pilotsim >"$TMP/man.txt" 2>"$TMP/man.err"
  check "man pilotsim renders the installed page" grep -q '^PILOTSIM(1)' "$TMP/man.txt"
  check "man -l renders it too" sh -c "MANWIDTH=100 man -l '$page' | grep -q 'pilotsim run'"
elif command -v groff >/dev/null 2>&1; then
  groff -man -Tutf8 "$page" >"$TMP/man.txt" 2>"$TMP/man.err"
elif command -v nroff >/dev/null 2>&1; then
  nroff -man "$page" >"$TMP/man.txt" 2>"$TMP/man.err"
else
  echo "# no man, groff or nroff: the page is not rendered"
  "$PILOTSIM" --help >"$TMP/man.txt"
fi
check "the page has every command's section" sh -c \
  "for c in run compare sweep calibrate check plot bench loadtest; do grep -q \"pilotsim \$c\" '$TMP/man.txt' || exit 1; done"
check "the page has run's options from its help" grep -q -- '--replications R' "$TMP/man.txt"
check "the page has loadtest's --jobs" grep -q 'worker processes for the replications and the capacity probes' "$page"
check "the page names the installed scenarios" grep -q '/usr/local/share/pilotsim/scenarios' "$TMP/man.txt"
if command -v groff >/dev/null 2>&1; then
  groff -man -Tutf8 -ww -z "$page" 2>"$TMP/groff.err"
  check "groff finds nothing to warn about" test ! -s "$TMP/groff.err"
fi

# The installed binary, an installed scenario, the installed chart scripts
# (from elsewhere, with no PILOTSIM_PLOTS: found beside the binary).
(cd "$TMP" && env -u PILOTSIM_PLOTS "$root/bin/pilotsim" run \
  "$root/share/pilotsim/scenarios/suzhou-2020.yaml" -o "$TMP/inst" --set sample=200 --quiet 2>"$TMP/inst.err")
check "the installed binary runs an installed scenario" test -s "$TMP/inst/summary.json"
check "  and draws its charts with the installed scripts" test -s "$TMP/inst/charts/adoption.png"

# The completion, in bash, against the installed binary.
if command -v bash >/dev/null 2>&1; then
  comp() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pilotsim
      [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' sh "$root/share/bash-completion/completions/pilotsim" \
      "$root/bin/pilotsim" "$@"
  }
  comp "" >"$TMP/c-cmds"
  check "completion: the commands" sh -c \
    "for c in run compare sweep calibrate check plot bench loadtest; do grep -qx \$c '$TMP/c-cmds' || exit 1; done"
  comp ru >"$TMP/c-ru"
  check "completion: 'ru' is run" test "$(cat "$TMP/c-ru")" = run
  comp run - >"$TMP/c-run"
  for o in --replications --jobs -j --output -o --seed --set --quiet --no-charts --max-memory; do
    check "completion: run $o" grep -qx -- "$o" "$TMP/c-run"
  done
  comp loadtest --f >"$TMP/c-lt"
  check "completion: loadtest --f is --fault and --find-capacity" \
    test "$(sort "$TMP/c-lt" | tr '\n' ' ')" = "--fault --find-capacity "
  comp loadtest --j >"$TMP/c-ltj"
  check "completion: loadtest --j is --jobs" test "$(cat "$TMP/c-ltj")" = --jobs
  comp run --seed "" >"$TMP/c-seed"
  check "completion: nothing after --seed (a number)" test ! -s "$TMP/c-seed"
  (cd "$root/share/pilotsim" && comp run scenarios/s) >"$TMP/c-yaml"
  check "completion: scenario files" grep -qx scenarios/suzhou-2020.yaml "$TMP/c-yaml"
  # The help names no option the parser refuses (help, man page and
  # completion all come from the help).
  for c in run compare sweep calibrate check plot loadtest bench; do
    for o in $(comp "$c" -); do
      "$root/bin/pilotsim" "$c" "$o" --help >"$TMP/o.out" 2>"$TMP/o.err"
      grep -q 'unknown option' "$TMP/o.err" && echo "# $c $o: unknown" >>"$TMP/unknown"
    done
  done
  check "every option the help names is one the parser takes" test ! -e "$TMP/unknown"
  [ -e "$TMP/unknown" ] && cat "$TMP/unknown"
fi

status 0 "make uninstall" mk uninstall DESTDIR="$dest" PREFIX=/usr/local
check "uninstall leaves the DESTDIR empty" test -z "$(find "$dest" -mindepth 1)"
status 2 "uninstall again: nothing to uninstall" mk uninstall DESTDIR="$dest" PREFIX=/usr/local
check "  says so" grep -q 'nothing to uninstall' "$TMP/err"

mkdir -p "$TMP/d2/opt/other"
status 0 "PREFIX=/opt/pilotsim" mk install DESTDIR="$TMP/d2" PREFIX=/opt/pilotsim
check "the binary under the PREFIX" test -x "$TMP/d2/opt/pilotsim/bin/pilotsim"
check "the man page names the PREFIX" grep -q '/opt/pilotsim/share/pilotsim/plots' \
  "$TMP/d2/opt/pilotsim/share/man/man1/pilotsim.1"
status 0 "uninstall PREFIX=/opt/pilotsim" mk uninstall DESTDIR="$TMP/d2" PREFIX=/opt/pilotsim
check "what was there before stays" test -d "$TMP/d2/opt/other"
check "only that" test "$(find "$TMP/d2" -mindepth 1 | wc -l)" = 2
done_testing
