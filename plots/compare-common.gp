# compare-common.gp: what every compare chart shares, loaded by
# compare-adoption.gp, compare-throughput.gp and compare-latency.gp, which
# gnuplot runs as `gnuplot -c CHART.gp DIR OUT TITLE IDS NAMES LABELS NOTES`:
#   dir     the comparison's output directory: plan p's means and bands are
#           in DIR/plans/LABEL/timeseries.csv
#   labels  the plans' labels, tab-separated, the baseline first
#   notes   per city, tab-separated: "" when some plan has a value to draw,
#           else why none has (an empty panel says it; gnuplot fails on a
#           plot of nothing)
# and which set, before loading this file (a loaded file sees no ARGn):
#   here    the directory of the chart scripts
#   what    the chart's subject       col     the CSV column drawn
#   scale   a factor (100: percent)   logy    1 for a log scale
#   ylab    the y axis label
# One panel per city, each plan's mean as a line over its 95% band. As in
# common.gp, scenario text is printed as data, never evaluated.
csv = ""
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
cols = ncities <= 1 ? 1 : ncities <= 4 ? 2 : ncities <= 9 ? 3 : 4
rows = (ncities + cols - 1) / cols
set ylabel ylab
set xlabel ""
if (logy) { set logscale y } else { set yrange [0:*] }
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size 1200, 80 + 340 * rows font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size 1200, 80 + 340 * rows font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    set multiplot layout rows, cols title what . "\n" . title font "DejaVu Sans,12" noenhanced
    do for [c = 1:ncities] {
        set title field(names, c) noenhanced
        if (c == 1) { set key inside left top noenhanced box opaque } else { unset key }
        if (field(notes, c) ne "") {
            unset key
            set label 1 field(notes, c) at graph 0.5, 0.5 center noenhanced \
                font "DejaVu Sans,12" textcolor rgb "#555555"
            unset xtics; unset ytics; unset ylabel
            plot [0:1] [1:2] 0 notitle
            unset label 1
            set xtics rotate by -30 nomirror; set ytics nomirror; set ylabel ylab
            continue
        }
        plot for [p = 1:nplans] file(p) every ncities::(c - 1) \
                 using 1:(y(band(column(col . "_ci_lo"), column(col)))):(y(band(column(col . "_ci_hi"), column(col)))) \
                 with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(p)] notitle, \
             for [p = 1:nplans] file(p) every ncities::(c - 1) \
                 using 1:(y(column(col))) with lines lw 2 lc rgb colour[style(p)] dt style(p) \
                 title field(labels, p)
    }
    unset multiplot
}
