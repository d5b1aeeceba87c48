# sweep.gp: one metric of a sweep against its first varied parameter, the
# mean with 95% error bars, one line per combination of the other
# parameters. gnuplot runs it as
#   gnuplot -c sweep.gp CSV OUT TEXT METRIC XS XLABELS GROUPS FLAGS NOTE
#   csv      sweep.csv (one row per point, the first key varying slowest)
#   text     tab-separated: the title, the subtitle, the x label, the y
#            label, the provenance line, the scale the values are shown at
#            (100 for a share in percent, 1e-6 for millions), the
#            legend's title (the other keys' labels)
#   metric   the metric's column; its bounds are METRIC_ci_lo, METRIC_ci_hi
#   xs       the first key's values as x positions (numbers, or 0 1 2 ...
#            for values that are not), tab-separated
#   xlabels  their tic labels ("5 M", "10%"), tab-separated
#   groups   one legend per combination of the other keys (their values),
#            tab-separated
#            ("" when none)
#   flags    words: "numeric" (values on a number line) or "category"
#            (evenly spaced); "ci" to draw the 95% intervals; "frame" or
#            "blank" when there is nothing to draw (see common.gp)
#   note     why the chart has nothing to draw ("" when it has)
# (gnuplot passes at most nine arguments, hence the lists.) As in
# common.gp, every string is printed as data, never evaluated; the lines
# take common.gp's palette (linetype g: colour, dash and point type).
csv = ARG1; out = ARG2; text = ARG3; metric = ARG4; xs = ARG5; xlabels = ARG6
groups = ARG7; flags = " " . ARG8 . " "; note = ARG9
has(w) = strstrt(flags, " " . w . " ") > 0
bars = has("ci")
empty = has("frame") ? "frame" : has("blank") ? "blank" : ""
ids = "x"; names = "x"
here = ARG0[1:strlen(ARG0) - strlen("sweep.gp")]
what = ""; title = ""
# (field() is common.gp's: the provenance line is cut out by hand.)
provenance = text
do for [i = 1:4] { provenance = provenance[strstrt(provenance, "\t") + 1:] }
provenance = strstrt(provenance, "\t") > 0 ? provenance[1:strstrt(provenance, "\t") - 1] : provenance
load here . "common.gp"
what = field(text, 1)
title = field(text, 2)
# A string that is a number is a number in arithmetic.
scale = field(text, 6) + 0
set title what . "\n" . title noenhanced font "DejaVu Sans,12"
set xdata
set format y "%g"
set xtics norotate
set key outside right top vertical noenhanced title field(text, 7) left
if (groups eq "") { unset key }
set xlabel field(text, 3) noenhanced
set ylabel field(text, 4) noenhanced
set bmargin 4 + prov_lines
# The header names the columns; gnuplot 5.4 forgets it inside `do for`
# unless told that every file starts with one.
set datafile columnheaders
ngroups = groups eq "" ? 1 : nfields(groups)
nx = nfields(xs)
# Every tic at a value of the key, labelled as the caller wrote it. A
# label is a format (gnuplot's gprintf): its '%' (10%) is doubled.
literal(s) = strstrt(s, "%") > 0 ? s[1:strstrt(s, "%")] . "%" . literal(s[strstrt(s, "%") + 1:]) \
                                 : s
set xtics ()
do for [i = 1:nx] { set xtics add (literal(field(xlabels, i)) (field(xs, i) + 0)) }
if (has("numeric")) {
    set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
} else {
    set xrange [-0.5:nx - 0.5]
    set offsets 0, 0, graph 0.05, graph 0.05
}
# Row r (from 0) of the CSV is point r: the first key's value is its
# (r / ngroups)-th.
xof(point) = field(xs, floor(point / ngroups) + 1) + 0
frame_x(dummy) = xof(column("point"))
# Error bars of lines at one x would hide one another: each line is set a
# little apart (1.2% of the axis, or 6% of a category's width).
span = has("numeric") ? (field(xs, nx) + 0) - (field(xs, 1) + 0) : 1
dodge(g) = bars ? (g - (ngroups + 1) / 2.0) * (has("numeric") ? 0.012 * span : 0.06) : 0
legend(g) = groups eq "" ? field(text, 4) : field(groups, g)
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size 1000,600 font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size 1000,600 font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    # (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
    if (empty ne "") {
        load here . "empty.gp"
    } else {
        if (bars) {
            plot for [g = 1:ngroups] csv every ngroups::(g - 1) \
                 using (xof(column("point")) + dodge(g)):(column(metric) * scale):(column(metric . "_ci_lo") * scale):(column(metric . "_ci_hi") * scale) \
                 with yerrorlines lt g title legend(g)
        } else {
            plot for [g = 1:ngroups] csv every ngroups::(g - 1) \
                 using (xof(column("point"))):(column(metric) * scale) \
                 with linespoints lt g title legend(g)
        }
    }
}
