# calibrate.gp: the model at calibrate's best point against the published
# figures, one panel per series (a column of timeseries.csv in a city or
# the total). gnuplot runs it as
#   gnuplot -c calibrate.gp CSV OUT TITLE GROUPS HEADS UNITS PROVENANCE
#   csv     calibrate-trajectory.csv: group, source (model or published),
#           date, value, lo, hi (the model's 95% interval, or the published
#           figure's tolerance)
#   title   the scenario name (text)
#   groups  the panels, tab-separated, as the CSV's group column says them
#   heads   each panel's title for people, tab-separated, in that order
#   units   each panel's unit, tab-separated: a share's starts with "%"
#           ("% of the population": drawn in percent), else what is counted
#           ("wallets", "yuan"), which the axis scales to thousands,
#           millions or billions
#   provenance   see common.gp
# As in common.gp, every string is printed as data, never evaluated.
csv = ARG1; out = ARG2; title = ARG3; groups = ARG4; heads = ARG5; units = ARG6
provenance = ARG7
what = "Calibrated model against the published figures"
ids = "x"; names = "x"
here = ARG0[1:strlen(ARG0) - strlen("calibrate.gp")]
load here . "common.gp"
set datafile columnheaders
npanels = nfields(groups)
# A value of group g from source src, or NaN on another group's rows.
pick(g, src, col) = (strcol(1) eq field(groups, g) && strcol(2) eq src) ? column(col) : NaN
or_zero(v) = v == v ? v : 0
# The dates: every panel on the same axis, the CSV's first to last.
unset xdata
stats csv using (timecolumn(3, "%Y-%m-%d")) nooutput
# A little room either side: a published figure on the last day is whole.
t0 = STATS_min - 0.01 * (STATS_max - STATS_min); t1 = STATS_max + 0.02 * (STATS_max - STATS_min)
set xdata time
set timefmt "%Y-%m-%d"
load here . "timeaxis.gp"
set xlabel ""
width_px = 1000
panel_px = 280
height_px = 80 + panel_px * npanels + 16 * (1 + prov_lines)
set lmargin at screen 0.1
set rmargin at screen 0.97
# Each panel's scale: a share in percent; a count in thousands, millions or
# billions by the panel's largest figure, said in its axis label.
array top[npanels]
do for [g = 1:npanels] {
    unset xdata
    stats csv using (or_zero(pick(g, "model", 6))) nooutput
    top[g] = STATS_max
    stats csv using (or_zero(pick(g, "published", 6))) nooutput
    top[g] = STATS_max > top[g] ? STATS_max : top[g]
    stats csv using (or_zero(pick(g, "model", 4))) nooutput
    top[g] = STATS_max > top[g] ? STATS_max : top[g]
    set xdata time
}
share(g) = field(units, g)[1:1] eq "%"
scale(g) = share(g) ? 0.01 : top[g] >= 1e9 ? 1e9 : top[g] >= 1e6 ? 1e6 : top[g] >= 1e4 ? 1e3 : 1
in_words(g) = share(g) ? field(units, g) \
              : (scale(g) == 1e9 ? "billion " : scale(g) == 1e6 ? "million " \
                 : scale(g) == 1e3 ? "thousand " : "") . field(units, g)
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size width_px,height_px font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size width_px,height_px font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    set multiplot title what . "\n" . title font "DejaVu Sans,12" noenhanced
    do for [g = 1:npanels] {
        # Panels stacked from the top, each its title over its frame.
        # (a frame, then 95 pixels: its date labels and the next one's title)
        panel_hi = 1 - (80.0 + panel_px * (g - 1) + 24) / height_px
        set tmargin at screen panel_hi
        set bmargin at screen panel_hi - (panel_px - 95.0) / height_px
        set title field(heads, g) noenhanced
        set ylabel in_words(g) noenhanced
        set format y share(g) ? pct : "%g"
        set yrange [0:*]
        if (g == 1) {
            set key inside left top noenhanced opaque box lc rgb "#cccccc" samplen 2
        } else {
            unset key
            unset label 999
        }
        plot csv using 3:(pick(g, "model", 5) / scale(g)):(pick(g, "model", 6) / scale(g)) \
                 with filledcurves fc rgb colour[1] fs transparent solid 0.2 noborder \
                 title "model, 95% interval", \
             csv using 3:(pick(g, "model", 4) / scale(g)) with lines lw 2 dt 1 lc rgb colour[1] \
                 title "model mean", \
             csv using 3:(pick(g, "published", 4) / scale(g)):(pick(g, "published", 5) / scale(g)):(pick(g, "published", 6) / scale(g)) \
                 with yerrorbars pt 7 ps 1.2 lw 1.5 dt 1 lc rgb colour[2] title "published, +- tolerance"
    }
    unset multiplot
    if (provenance ne "") {
        set label 999 prov_text at screen 0.006, screen 0.012 left front noenhanced \
            font "DejaVu Sans,7" textcolor rgb "#808080"
    }
}
