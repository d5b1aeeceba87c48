# latency.gp: end-to-end latency of completed e-CNY payments per city,
# median (solid) and 99th percentile (dashed), on a log scale. With
# replications (ARG6 "ci"), the means, and p99's 95% band.
# Nothing to draw (ARG8 EMPTY): an empty frame with ARG7 NOTE (common.gp).
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5; bands = ARG6 eq "ci"
note = ARG7; empty = ARG8
what = "End-to-end payment latency by city"
here = ARG0[1:strlen(ARG0) - strlen("latency.gp")]
load here . "common.gp"
set ylabel "End-to-end latency (ms, log scale)"
set xlabel "Date (Asia/Shanghai)"
# empty.gp's frame: the dates of the rows.
frame_x(dummy) = timecolumn(1, "%Y-%m-%dT%H:%M:%S")
set logscale y
# A bucket without payments has no latency (0): leave it out of the curve.
pos(x) = x > 0 ? x : NaN
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
# (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
if (empty ne "") {
    load here . "empty.gp"
} else {
    if (bands) {
        plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(pos(column("latency_p99_ms_ci_lo"))):(pos(column("latency_p99_ms_ci_hi"))) \
                 with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
             for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(pos(column("latency_p50_ms"))) with lines lw 2 lc rgb colour[style(i)] dt 1 \
                 title field(names, i) . " p50", \
             for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(pos(column("latency_p99_ms"))) with lines lw 1 lc rgb colour[style(i)] dt 2 \
                 title field(names, i) . " p99"
    } else {
        plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(pos(column("latency_p50_ms"))) with lines lw 2 lc rgb colour[style(i)] dt 1 \
                 title field(names, i) . " p50", \
             for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(pos(column("latency_p99_ms"))) with lines lw 1 lc rgb colour[style(i)] dt 2 \
                 title field(names, i) . " p99"
    }
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
