# loadtest-knee.gp: the knee of a load test. Achieved throughput (left axis)
# and p99 latency (right axis, log scale) against the offered rate, one point
# per step or interval of loadtest.csv. Where throughput stops following the
# offered load and p99 shoots up, the system has saturated.
# Run as `gnuplot -c loadtest-knee.gp CSV OUT TITLE IDS NRES NOTE EMPTY`
# (IDS, NRES: the resources, unused here; NOTE, EMPTY: see common.gp, and
# EMPTY "nolatency" draws throughput alone, when no payment completed); the
# title and the note are data, printed, never evaluated.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; note = ARG6; empty = ARG7
what = "Load test: throughput and p99 latency against offered load"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-knee.gp")]
load here . "common.gp"
frame_x(dummy) = column("offered_per_s")
unset xdata
set format x "%g"
set xtics norotate
set xlabel "Offered load (payments/s)"
set ylabel "Achieved throughput (payments/s)"
set y2label "p99 latency (ms, log scale)"
set logscale y2
set y2tics
set ytics nomirror
set yrange [0:*]
pos(x) = x > 0 ? x : NaN
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
# (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
if (empty eq "frame" || empty eq "blank") {
    load here . "empty.gp"
} else {
    if (empty eq "nolatency") {
        unset y2tics
        unset y2label
        plot csv using (column("offered_per_s")):(column("achieved_per_s")) with linespoints \
                 lw 2 pt 7 lc rgb colour[1] title "achieved throughput", \
             csv using (column("offered_per_s")):(column("offered_per_s")) with lines dt 3 \
                 lc rgb "#999999" title "offered = achieved"
    } else {
        plot csv using (column("offered_per_s")):(column("achieved_per_s")) with linespoints \
                 lw 2 pt 7 lc rgb colour[1] title "achieved throughput", \
             csv using (column("offered_per_s")):(column("offered_per_s")) with lines dt 3 \
                 lc rgb "#999999" title "offered = achieved", \
             csv using (column("offered_per_s")):(pos(column("p99_ms"))) axes x1y2 \
                 with linespoints lw 2 pt 5 lc rgb colour[2] title "p99 latency"
    }
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
