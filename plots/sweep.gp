# sweep.gp: one metric of a sweep against its first varied parameter, the
# mean with 95% error bars, one line per combination of the other
# parameters. gnuplot runs it as
#   gnuplot -c sweep.gp CSV OUT TITLE METRIC XKEY XVALUES GROUPS FLAGS NOTE
#   csv      sweep.csv (one row per point, the first key varying slowest)
#   metric   the metric's column; its bounds are METRIC_ci_lo, METRIC_ci_hi
#   xkey     the first varied key        xvalues  its values, tab-separated
#   groups   the other keys' combinations, tab-separated ("" when none)
#   flags    words: "numeric" (values on a number line) or "category"
#            (evenly spaced); "ci" to draw the 95% intervals; "frame" or
#            "blank" when there is nothing to draw (see common.gp)
#   note     why the chart has nothing to draw ("" when it has)
# (gnuplot passes at most nine arguments, hence the words.) As in
# common.gp, every string is printed as data, never evaluated.
csv = ARG1; out = ARG2; title = ARG3; metric = ARG4; xkey = ARG5; xvalues = ARG6
groups = ARG7; flags = " " . ARG8 . " "; note = ARG9
has(w) = strstrt(flags, " " . w . " ") > 0
bars = has("ci")
empty = has("frame") ? "frame" : has("blank") ? "blank" : ""
ids = "x"; names = "x"
what = metric
here = ARG0[1:strlen(ARG0) - strlen("sweep.gp")]
load here . "common.gp"
set xdata
set format x "% h"
set xtics norotate
set key outside right top noenhanced
set xlabel xkey noenhanced
set ylabel metric noenhanced
# The header names the columns; gnuplot 5.4 forgets it inside `do for`
# unless told that every file starts with one.
set datafile columnheaders
ngroups = nfields(groups)
nx = nfields(xvalues)
numeric = has("numeric")
# Row r (from 0) of the CSV is point r: its x is its first key's value, or
# the value's rank among the first key's values.
# A tic label is a format (gnuplot's gprintf): a value's '%' (10%) is
# doubled to stay text.
literal(s) = strstrt(s, "%") > 0 ? s[1:strstrt(s, "%")] . "%" . literal(s[strstrt(s, "%") + 1:]) \
                                 : s
if (!numeric) {
    set xtics ()
    do for [i = 1:nx] { set xtics add (literal(field(xvalues, i)) i - 1) }
    set xrange [-0.5:nx - 0.5]
} else {
    set offsets graph 0.05, graph 0.05, 0, 0
}
xof(point) = numeric ? column(2) : floor(point / ngroups)
frame_x(dummy) = xof(column("point"))
legend(g) = groups eq "" ? metric : field(groups, g)
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    # (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
    if (empty ne "") {
        load here . "empty.gp"
    } else {
        if (bars) {
            plot for [g = 1:ngroups] csv every ngroups::(g - 1) \
                 using (xof(column("point"))):(column(metric)):(column(metric . "_ci_lo")):(column(metric . "_ci_hi")) \
                 with yerrorlines lw 2 pt 7 lc rgb colour[style(g)] dt style(g) title legend(g)
        } else {
            plot for [g = 1:ngroups] csv every ngroups::(g - 1) \
                 using (xof(column("point"))):(column(metric)) \
                 with linespoints lw 2 pt 7 lc rgb colour[style(g)] dt style(g) title legend(g)
        }
    }
}
