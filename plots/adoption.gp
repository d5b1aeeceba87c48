# adoption.gp: share of each city's population holding an e-CNY wallet.
# With replications (ARG6 "ci"), each city's mean over its 95% band.
# Nothing to draw (ARG8 EMPTY): an empty frame with ARG7 NOTE (common.gp).
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5; bands = ARG6 eq "ci"
note = ARG7; empty = ARG8
what = "Wallet adoption by city"
here = ARG0[1:strlen(ARG0) - strlen("adoption.gp")]
load here . "common.gp"
set ylabel "Population with a wallet (%)"
set xlabel "Date (Asia/Shanghai)"
# empty.gp's frame: the dates of the rows.
frame_x(dummy) = timecolumn(1, "%Y-%m-%dT%H:%M:%S")
set yrange [0:*]
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
# (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
if (empty ne "") {
    load here . "empty.gp"
} else {
    if (bands) {
        plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(100 * column("adoption_ci_lo")):(100 * column("adoption_ci_hi")) \
                 with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
             for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(100 * column("adoption")) with lines lw 2 lc rgb colour[style(i)] dt style(i) \
                 title field(names, i)
    } else {
        plot for [i=1:ncities] csv every ncities::(i - 1) \
             using 1:(100 * column("adoption")) with lines lw 2 lc rgb colour[style(i)] dt style(i) \
             title field(names, i)
    }
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
