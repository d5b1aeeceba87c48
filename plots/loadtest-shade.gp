# loadtest-shade.gp: shades each fault of loadtest-common.gp's FAULTS on a
# time axis in seconds since the profile's start: its window dark grey,
# its aftermath (until latency came back within the SLO, or the profile's
# end) light grey, and its name at the top, inside the frame (right-aligned
# when it starts in the last third, so that no label is clipped).
do for [k = 1:nf] {
    set object 100 + 2 * k rect from first f_from(k), graph 0 to first f_until(k), graph 1 \
        behind fc rgb "#9e9e9e" fs solid 0.45 noborder
    if (f_rec(k) > f_until(k)) {
        set object 101 + 2 * k rect from first f_until(k), graph 0 to first f_rec(k), graph 1 \
            behind fc rgb "#d6d6d6" fs solid 0.45 noborder
    }
    shade_text = f_label(k) . (f_ok(k) ? "" : ", not recovered")
    if (t_end > 0 && f_from(k) > t_end * 0.66) {
        set label 100 + k shade_text at first f_rec(k), graph 1 right offset -0.4, -1.0 * k \
            front noenhanced textcolor rgb "#333333"
    } else {
        set label 100 + k shade_text at first f_from(k), graph 1 left offset 0.4, -1.0 * k \
            front noenhanced textcolor rgb "#333333"
    }
}
