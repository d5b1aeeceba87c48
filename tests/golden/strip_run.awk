# strip_run.awk: print a summary.json without its top-level "run" member,
# the one part that may differ between two runs of one seed (the version,
# the clock, the host). POSIX awk only (mawk, gawk, busybox): no jq, perl or
# python is assumed on a bare machine.
#
# The JSON is read whole and scanned character by character, tracking
# strings (with their escapes) and nesting depth, so the member is found by
# structure, not by layout: a "run" key nested deeper, a "run" inside a
# string, or a value spread over several lines are all handled. The member
# goes with its comma (the one after it, or before it when it is last) and,
# when it filled its lines alone, with those lines. Input that is not an
# object with such a member is printed unchanged.
#
#     awk -f tests/golden/strip_run.awk summary.json

{ text = text $0 "\n" }

END {
    n = length(text)
    depth = 0
    instr = 0
    key_at = 0          # where the last string at depth 1 began (0: none)
    for (i = 1; i <= n; i++) {
        c = substr(text, i, 1)
        if (instr) {
            if (c == "\\") i++
            else if (c == "\"") instr = 0
            continue
        }
        if (c == "\"") {
            instr = 1
            if (depth == 1) key_at = i
            continue
        }
        if (c == "{" || c == "[") { depth++; continue }
        if (c == "}" || c == "]") { depth--; continue }
        if (c == ":" && depth == 1 && key_at && substr(text, key_at, 5) == "\"run\"" \
            && only_space(key_at + 5, i - 1)) {
            cut(key_at, value_end(i + 1))
            exit
        }
    }
    printf "%s", text
}

# only_space(a, b): 1 when text[a..b] is blank (or empty).
function only_space(a, b,    k) {
    for (k = a; k <= b; k++)
        if (substr(text, k, 1) !~ /[ \t\r\n]/) return 0
    return 1
}

# value_end(i): the last character of the JSON value that starts at or
# after i (blanks skipped).
function value_end(i,    c, d, s) {
    while (substr(text, i, 1) ~ /[ \t\r\n]/) i++
    d = 0
    s = 0
    for (; i <= n; i++) {
        c = substr(text, i, 1)
        if (s) {
            if (c == "\\") i++
            else if (c == "\"") { s = 0; if (d == 0) return i }
            continue
        }
        if (c == "\"") { s = 1; continue }
        if (c == "{" || c == "[") { d++; continue }
        if (c == "}" || c == "]") { d--; if (d == 0) return i; if (d < 0) return i - 1; continue }
        if (d == 0 && (c == "," || c ~ /[ \t\r\n]/)) return i - 1
    }
    return n
}

# cut(a, b): print text without the member text[a..b], its comma and, when
# the member had its lines to itself, those lines.
function cut(a, b,    k, ls, le) {
    k = b + 1
    while (substr(text, k, 1) ~ /[ \t\r]/) k++
    if (substr(text, k, 1) == ",") {
        b = k
    } else {
        # The last member: the comma before it goes instead.
        k = a - 1
        while (k > 0 && substr(text, k, 1) ~ /[ \t\r\n]/) k--
        if (substr(text, k, 1) == ",") a = k
    }
    # Whole lines when only blanks share them with the member.
    ls = a
    while (ls > 1 && substr(text, ls - 1, 1) ~ /[ \t]/) ls--
    le = b
    while (substr(text, le + 1, 1) ~ /[ \t\r]/) le++
    if ((ls == 1 || substr(text, ls - 1, 1) == "\n") && substr(text, le + 1, 1) == "\n") {
        a = ls
        b = le + 1
    }
    printf "%s%s", substr(text, 1, a - 1), substr(text, b + 1)
}
