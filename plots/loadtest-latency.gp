# loadtest-latency.gp: end-to-end latency percentiles of a load test over
# time (p50, p90, p99, p99.9, max; log scale), one point per step or
# interval of loadtest.csv at the interval's end (seconds since the
# profile's start); with replications, p99's 95% interval as error bars;
# the SLO's latency limit as a line; each fault shaded (loadtest-shade.gp).
# Arguments: see loadtest-common.gp.
what = "Load test: latency percentiles over time"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-latency.gp")]
csv = ARG1; out = ARG2; title = ARG3; note = ARG4; empty = ARG5; provenance = ARG6
figs = ARG7; faults = ARG8; extra = ARG9
load here . "loadtest-common.gp"
frame_x(dummy) = column("end_s")
set xlabel "Time since the profile's start (s)"
set ylabel "End-to-end latency (log scale)"
set logscale y
set ytics ("0.1 ms" 0.1, "1 ms" 1, "10 ms" 10, "100 ms" 100, "1 s" 1000, "10 s" 10000, \
           "100 s" 100000, "1000 s" 1e6)
if (t_end > 0) { set xrange [0:t_end] }
array qs[5] = ["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"]
array qn[5] = ["p50", "p90", "p99", "p99.9", "max"]
# p99, the SLO's usual term, solid and heavier; the others dashed apart.
array qd[5] = [1, 2, 1, 4, 5]
array qw[5] = [2, 1.5, 3, 1.5, 1.5]
load here . "loadtest-shade.gp"
# The SLO's line stays inside the frame even when every latency lies below it.
if (slo_ms > 0 && empty eq "") {
    stats csv using (column("end_s")):(pos(column("max_ms"))) nooutput
    set yrange [*:(STATS_max_y > slo_ms ? STATS_max_y : slo_ms) * 2]
}
if (slo_ms > 0) {
    set arrow 3 from graph 0, first slo_ms to graph 1, first slo_ms nohead lw 1.5 dt 3 \
        lc rgb "#000000"
    set label 3 slo_text at graph 0.02, first slo_ms left offset 0, 0.7 front \
        textcolor rgb "#000000"
}
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
if (empty ne "") {
    load here . "empty.gp"
} else {
    plot for [k=1:5] csv using (column("end_s")):(pos(column(qs[k]))) with linespoints \
             lw qw[k] pt lt_point(k) ps 0.6 dt qd[k] lc rgb colour[k] title qn[k], \
         csv using (column("end_s")):(pos(column("p99_ms"))):\
             (bars ? pos(column("p99_ms_ci_lo")) : pos(column("p99_ms"))):\
             (bars ? pos(column("p99_ms_ci_hi")) : pos(column("p99_ms"))) \
             with yerrorbars pt -1 lc rgb colour[3] \
             title (bars ? "p99's 95% interval" : "")
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
