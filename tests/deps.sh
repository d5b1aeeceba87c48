#!/bin/sh
# Install the Debian packages named as arguments when any is missing.
# Cheap when all are present (one dpkg-query, no apt). As root it runs apt-get,
# otherwise through sudo when sudo works without a password; failing both it
# prints the exact command and stops.
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run="sudo"
else
  echo "pilotsim: missing packages:$missing" >&2
  echo "run: sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "pilotsim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq && $run $cmd
