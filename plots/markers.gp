# markers.gp: the interventions on a time axis. Load it before `plot`
# (after common.gp, whose `markers` list it draws, and after the x range is
# set: timeaxis.gp). Each marker inside the range is a thin grey dotted
# line at its date with its label beside it, small, rotated to read upwards
# and hanging from the top of the frame. Labels never overlap: one closer
# than a label's height to the one before is moved right, and the last ones
# back left from the frame's right edge (a moved label is still next to
# its line, a few pixels off). The labels are text, printed as given.
# It needs
#   t0, t1   the x range drawn (gnuplot seconds; timeaxis.gp sets them)
#   mk_w     the width of the plot area in pixels (optional: else taken
#            from the last plot drawn, else 700; in a multiplot, give a
#            panel's width, or draw once and load this before drawing again)
# and uses arrow and label tags 1001 on (a second load replaces the first
# load's). Then `plot` as usual; nothing to call afterwards.
if (!exists("mk_w")) {
    mk_w = exists("GPVAL_TERM_XMAX") && GPVAL_TERM_XMAX > GPVAL_TERM_XMIN \
           ? GPVAL_TERM_XMAX - GPVAL_TERM_XMIN : 700
}
# A label's height at 8 points, with a little air: about 12 pixels.
mk_gap = 12.0 * (t1 - t0) / mk_w
if (exists("mk_drawn")) {
    do for [k = 1:mk_drawn] { unset arrow (1000 + k); unset label (1000 + k) }
}
mk_drawn = 0
# A label stays readable over a line: on a faint white ground (75% opaque).
set style textbox opaque fillcolor rgb "#40ffffff" noborder margins 1, 1
if (mk_n > 0) {
    array mk_at[mk_n]
    array mk_pos[mk_n]
    # Forward: each label just right of its line, at least a gap after the
    # previous one; markers outside the range are left out (NaN).
    mk_last = t0 - 2 * mk_gap
    do for [k = 1:mk_n] {
        mk_at[k] = mk_time(k)
        mk_in = mk_at[k] >= t0 && mk_at[k] <= t1
        mk_pos[k] = mk_in ? (mk_at[k] + 0.95 * mk_gap > mk_last + mk_gap \
                             ? mk_at[k] + 0.95 * mk_gap : mk_last + mk_gap) : NaN
        if (mk_in) { mk_last = mk_pos[k] }
    }
    # Backward: none past the right edge, each a gap before the next.
    mk_next = t1 + 0.05 * mk_gap
    do for [k = mk_n:1:-1] {
        if (mk_pos[k] == mk_pos[k]) {
            if (mk_pos[k] > mk_next - mk_gap) { mk_pos[k] = mk_next - mk_gap }
            mk_next = mk_pos[k]
        }
    }
    do for [k = 1:mk_n] {
        if (mk_pos[k] == mk_pos[k]) {
            set arrow (1000 + k) from first mk_at[k], graph 0 to first mk_at[k], graph 1 \
                nohead back lc rgb "#8c8c8c" lw 1 dt 3
            set label (1000 + k) mk_label(k) at first mk_pos[k], graph 0.985 right \
                rotate by 90 front boxed noenhanced font "DejaVu Sans,8" textcolor rgb "#4d4d4d"
            mk_drawn = k
        }
    }
}
