#!/bin/sh
# Rooms: the architecture of docs/architecture.md, checked on the sources
# and on the objects `make` built (nm), so that it cannot drift:
#   - every public symbol of sim/ROOM/M.c starts with `M_` (or is `M`);
#   - no header of sim/ shares its name with a system or library header;
#   - no two files call each other in a circle (the graph of which object
#     uses which object's symbols has no cycle);
#   - rooms depend one way (a room uses only the rooms listed after it in
#     ROOM_ORDER below);
#   - no function of sim/ is longer than 80 lines; main.c is under 300.
. "$(dirname "$0")/../lib.sh"

OBJ=$(dirname "$PILOTSIM")/obj
# The objects of today's sources only (a build tree may keep stale ones).
OBJS=$(cd sim && find . -name '*.c' | sed 's|^\./||; s|\.c$|.o|' | LC_ALL=C sort)
# From the top down: a room may use the rooms after it, never one before.
ROOM_ORDER="main experiment loadtest output model metrics scenario kernel"

# empty_or_fail MESSAGE FILE: ok when FILE is empty, else not ok with its lines.
empty_or_fail() {
  T=$((T + 1))
  if [ -s "$2" ]; then
    echo "not ok $T - $1"
    sed 's/^/#   /' "$2"
    FAILED=$((FAILED + 1))
  else
    echo "ok $T - $1"
  fi
}

# defs: "module symbol" for each global symbol an object defines; uses:
# "module symbol" for each one it takes from elsewhere.
(cd "$OBJ" && for o in $OBJS; do
  m=${o%.o}
  nm -g --defined-only "$o" | awk -v m="$m" 'NF == 3 && $2 ~ /[TDBRC]/ {print m, $3}'
done) >"$TMP/defs"
(cd "$OBJ" && for o in $OBJS; do
  m=${o%.o}
  nm -u "$o" | awk -v m="$m" '{print m, $NF}'
done) >"$TMP/uses"

# 1. Public names say their module.
awk '{ n = split($1, p, "/"); mod = p[n]
       if ($2 != mod && index($2, mod "_") != 1) print $1 ".c defines " $2 }' \
  "$TMP/defs" >"$TMP/prefix"
empty_or_fail "every public name starts with its module" "$TMP/prefix"

# 2. No header named like a system one (an #include <x.h> must never find ours).
: >"$TMP/clash"
for h in $(cd sim && find . -name '*.h' | sed 's|.*/||'); do
  case $h in mpi.h | math.h | time.h | stdio.h | string.h | signal.h | limits.h)
    echo "sim/.../$h" >>"$TMP/clash"; continue ;;
  esac
  for d in /usr/include /usr/include/*-linux-gnu /usr/local/include; do
    [ -e "$d/$h" ] && echo "sim/.../$h shadows $d/$h" >>"$TMP/clash"
  done
done
empty_or_fail "no header shares a name with a system header" "$TMP/clash"

# The module graph: an edge A B when object A uses a symbol object B defines.
awk 'NR == FNR { owner[$2] = $1; next }
     ($2 in owner) && owner[$2] != $1 { e = $1 " " owner[$2]; if (!(e in seen)) { seen[e]; print e } }' \
  "$TMP/defs" "$TMP/uses" | LC_ALL=C sort >"$TMP/edges"

# 3. No circle: the transitive closure (Warshall over some fifty modules)
# has no module that reaches itself; each circle is printed once, by the
# modules on it.
awk '{ a[$1]; a[$2]; r[$1, $2] = 1 }
     END {
       for (k in a) for (i in a) if (r[i, k]) for (j in a) if (r[k, j]) r[i, j] = 1
       for (i in a) if (r[i, i]) {
         n = 0; for (j in a) if (r[i, j] && r[j, i]) c[++n] = j
         # sort the members so that each circle prints once
         for (x = 1; x <= n; x++) for (y = x + 1; y <= n; y++) if (c[y] < c[x]) { t = c[x]; c[x] = c[y]; c[y] = t }
         s = c[1]; for (x = 2; x <= n; x++) s = s " " c[x]
         if (!(s in done)) { done[s]; print "circle: " s }
       }
     }' "$TMP/edges" >"$TMP/circles"
empty_or_fail "no two files call each other in a circle" "$TMP/circles"

# 4. Rooms one way: an edge from room A to room B needs B after A in ROOM_ORDER.
awk -v order="$ROOM_ORDER" '
  function room(m) { return (index(m, "/") ? substr(m, 1, index(m, "/") - 1) : "main") }
  BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
  { a = room($1); b = room($2)
    if (a != b && rank[b] < rank[a]) print $1 " (" a ") uses " $2 " (" b ")" }' \
  "$TMP/edges" >"$TMP/upward"
empty_or_fail "rooms depend one way ($ROOM_ORDER)" "$TMP/upward"

# 5. Short functions: a definition opens with a column-0 line that is not a
# declaration, a table (`=`) or a type, and closes at the next column-0 `}`.
for f in $(find sim -name '*.c' | LC_ALL=C sort); do
  awk -v f="$f" '
    /^[A-Za-z_]/ { if (/=/ || /;$/ || /^(struct|enum|union|typedef)/) start = 0
                   else if (!start) { start = FNR; name = $0 }
                   next }
    /^\}/ && start { len = FNR - start - 1
      if (len > 80) { sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); print f ":" start ": " w[n] " is " len " lines" }
      start = 0 }' "$f"
done >"$TMP/long"
empty_or_fail "no function over 80 lines" "$TMP/long"

lines=$(wc -l <sim/main.c)
T=$((T + 1))
if [ "$lines" -lt 300 ]; then
  echo "ok $T - main.c parses and dispatches ($lines lines)"
else
  echo "not ok $T - main.c parses and dispatches ($lines lines, want under 300)"
  FAILED=$((FAILED + 1))
fi

done_testing
