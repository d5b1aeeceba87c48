# calibrate.gp: the model at calibrate's best point against the published
# figures, one panel per series (a column of timeseries.csv in a city or
# the total). gnuplot runs it as
#   gnuplot -c calibrate.gp CSV OUT TITLE GROUPS
#   csv     calibrate-trajectory.csv: group, source (model or published),
#           date, value, lo, hi (the model's 95% interval, or the published
#           figure's tolerance)
#   title   the scenario name (text)
#   groups  the panels, tab-separated, as the CSV's group column says them
# As in common.gp, every string is printed as data, never evaluated.
csv = ARG1; out = ARG2; title = ARG3; groups = ARG4
what = "Calibrated model against the published figures"
ids = "x"; names = "x"
here = ARG0[1:strlen(ARG0) - strlen("calibrate.gp")]
load here . "common.gp"
set timefmt "%Y-%m-%d"
set datafile columnheaders
set key inside left top noenhanced
# Every target is a number >= 0: a band below zero is noise of few replications.
set yrange [0:*]
npanels = nfields(groups)
# A value of group g from source src, or NaN on another group's rows.
pick(g, src, col) = (strcol(1) eq field(groups, g) && strcol(2) eq src) ? column(col) : NaN
height = 300 * npanels + 60
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size 1000,height font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size 1000,height font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    set multiplot layout npanels,1
    do for [g = 1:npanels] {
        set title (g == 1 ? what . "\n" . title . "\n" : "") . field(groups, g) noenhanced
        plot csv using 3:(pick(g, "model", 5)):(pick(g, "model", 6)) \
                 with filledcurves fc rgb "#1b6ca8" fs transparent solid 0.2 noborder \
                 title "model, 95% interval", \
             csv using 3:(pick(g, "model", 4)) with lines lw 2 lc rgb "#1b6ca8" title "model mean", \
             csv using 3:(pick(g, "published", 4)):(pick(g, "published", 5)):(pick(g, "published", 6)) \
                 with yerrorbars pt 7 ps 1.2 lc rgb "#d1495b" title "published, +- tolerance"
    }
    unset multiplot
}
