# loadtest-latency.gp: end-to-end latency percentiles of a load test over
# time (p50, p90, p99, p99.9, max; log scale), one point per step or
# interval of loadtest.csv, at the interval's end (seconds since the
# profile's start). Run as `gnuplot -c loadtest-latency.gp CSV OUT TITLE IDS
# NRES NOTE EMPTY` (NOTE, EMPTY: see common.gp).
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; note = ARG6; empty = ARG7
what = "Load test: latency percentiles over time"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-latency.gp")]
load here . "common.gp"
frame_x(dummy) = column("end_s")
unset xdata
set format x "%g"
set xtics norotate
set xlabel "Time since the profile's start (s)"
set ylabel "End-to-end latency (ms, log scale)"
set logscale y
pos(x) = x > 0 ? x : NaN
array qs[5] = ["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]
array qn[5] = ["p50", "p90", "p99", "p99.9", "max"]
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
if (empty ne "") {
    load here . "empty.gp"
} else {
    plot for [k=1:5] csv using (column("end_s")):(pos(column(qs[k]))) with linespoints lw 2 \
             pt 7 ps 0.5 lc rgb colour[k] title qn[k]
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
