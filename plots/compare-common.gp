# compare-common.gp: what every compare chart shares, loaded by
# compare-adoption.gp, compare-throughput.gp and compare-latency.gp, which
# gnuplot runs as
#   gnuplot -c CHART.gp DIR OUT PLANS IDS NAMES LABELS NOTES MARKERS PROVENANCE
#   dir     the comparison's output directory: plan p's means and bands are
#           in DIR/plans/LABEL/timeseries.csv
#   plans   the plans' names (the legend), tab-separated, the baseline first
#   labels  the plans' directory names, tab-separated, in the same order
#   notes   per city, tab-separated: "" when some plan has a value to draw,
#           else why none has (an empty panel says it; gnuplot fails on a
#           plot of nothing)
#   markers per city, separated by the byte 0x1f: that city's markers as
#           common.gp reads them (DATE TAB LABEL ...), sorted by date
#   provenance  one line, printed small under the panels (common.gp)
# and which set, before loading this file (a loaded file sees no ARGn):
#   here    the directory of the chart scripts
#   what    the chart's subject       col     the CSV column drawn
#   scale   a factor (100: percent)   logy    1 for a log scale
#   ylab    the y axis label          yfmt    the y tic format
# One panel per city, each plan's mean as a line over its 95% band, every
# panel on one y scale (the highest value of any plan in any city) so that
# the panels compare; the interventions of the plans marked on each city's
# time axis. As in common.gp, scenario text is printed as data, never
# evaluated.
csv = ""
title = ""
load here . "common.gp"
unset title
# The header names the columns; gnuplot 5.4 forgets it inside `do for`
# unless told that every file starts with one.
set datafile columnheaders
nplans = nfields(labels)
file(p) = dir . "/plans/" . field(labels, p) . "/timeseries.csv"
# Zero means "no value" (a bucket without payments): left out on a log scale.
y(v) = logy && v <= 0 ? NaN : scale * v
# An interval left empty (one replication with payments in the bucket) is
# drawn as the mean itself, so a plan's band is never a file of nothing.
band(v, m) = v == v ? v : m
# The i-th of the per-city marker lists.
us = "\037"
cfield(s, i) = (i <= 1) ? (strstrt(s, us) > 0 ? s[1:strstrt(s, us) - 1] : s) \
                        : cfield(s[strstrt(s, us) + 1:], i - 1)
allmarkers = markers

# One y scale for every panel: the extremes over every plan's file (bands
# included), read with the time axis off (stats cannot read times).
unset xdata
ylo = NaN; yhi = NaN
# (stats leaves its variables undefined when no value is valid.)
do for [p = 1:nplans] {
    stats file(p) using (y(band(column(col . "_ci_hi"), column(col)))) nooutput
    if (exists("STATS_max") && STATS_max == STATS_max) { yhi = yhi == yhi && yhi > STATS_max ? yhi : STATS_max }
    stats file(p) using (y(band(column(col . "_ci_lo"), column(col)))) nooutput
    if (exists("STATS_min") && STATS_min == STATS_min) { ylo = ylo == ylo && ylo < STATS_min ? ylo : STATS_min }
}
# The time axis: the first plan's dates (every plan has the same).
csv = file(1)
set xdata time
load here . "timeaxis.gp"
if (yhi == yhi && yhi > 0) {
    if (logy) { set yrange [ylo / 1.25 : yhi * 1.25] } else { set yrange [0 : yhi * 1.05] }
} else {
    if (logy) { set yrange [*:*] } else { set yrange [0:*] }
}
# A log axis labelled at 1, 2 and 5 of each decade (gnuplot's own would
# label a decade or two only).
if (logy) {
    set logscale y
    set ytics ()
    do for [e = -1:6] { set ytics add (10.0**e, 2 * 10.0**e, 5 * 10.0**e) }
}
set format y yfmt
set ylabel ylab
set xlabel ""
# Four panels a row: wide and low, so that two charts side by side fit a
# memo's page.
cols = ncities <= 4 ? ncities : 4
rows = (ncities + cols - 1) / cols
# The legend above the panels, a plan a line (a key laid out in a row
# would be cut to the first panel's width).
top = 66 + 19 * nplans
height = top + 40 + 320 * rows
# A panel's plot area in pixels, for markers.gp's spacing of labels.
mk_w = 1200.0 / cols * 0.78
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size 1200, height font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size 1200, height font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    # Room at the top for the title and the legend, at the bottom for the
    # provenance line.
    set multiplot layout rows, cols title what font "DejaVu Sans,13" noenhanced \
        margins 0.06, 0.99, 60.0 / height, 1 - (top + 15.0) / height spacing 0.05, 90.0 / height
    do for [c = 1:ncities] {
        set title field(names, c) noenhanced
        if (c == 1) {
            set key at screen 0.5, screen 1 - 38.0 / height center top vertical noenhanced \
                samplen 3 spacing 1.1 width 2
        } else { unset key }
        # One scale: the axis label on each row's first panel only.
        if ((c - 1) % cols == 0) { set ylabel ylab } else { unset ylabel }
        markers = cfield(allmarkers, c)
        mk_n = markers eq "" ? 0 : nfields(markers) / 2
        load here . "markers.gp"
        if (field(notes, c) ne "") {
            unset key
            set label 1 field(notes, c) at graph 0.5, 0.5 center noenhanced \
                font "DejaVu Sans,12" textcolor rgb "#555555"
            unset ytics; unset ylabel
            # Nothing to draw, yet gnuplot needs a plot: a line outside the
            # y range, over the dates.
            plot [t0:t1] [1:2] 0 notitle
            unset label 1
            set ytics nomirror
            continue
        }
        plot for [p = 1:nplans] file(p) every ncities::(c - 1) \
                 using 1:(y(band(column(col . "_ci_lo"), column(col)))):(y(band(column(col . "_ci_hi"), column(col)))) \
                 with filledcurves fs transparent solid 0.18 noborder lc rgb colour[style(p)] notitle, \
             for [p = 1:nplans] file(p) every ncities::(c - 1) \
                 using 1:(y(column(col))) with lines lt p lw 2 title field(plans, p)
    }
    unset multiplot
}
