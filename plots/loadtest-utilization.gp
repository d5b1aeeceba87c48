# loadtest-utilization.gp: utilization of each resource (operators, then
# the ledger) over a load test, in percent of its servers' time, from
# loadtest_resources.csv, whose rows are ordered by interval, then
# resource, so `every nres::(i-1)` picks resource i; each fault shaded
# (loadtest-shade.gp). Arguments: see loadtest-common.gp; EXTRA the
# resource ids, tab-separated (data: printed as key titles, never
# evaluated).
what = "Load test: utilization per resource"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-utilization.gp")]
csv = ARG1; out = ARG2; title = ARG3; note = ARG4; empty = ARG5; provenance = ARG6
figs = ARG7; faults = ARG8; extra = ARG9
load here . "loadtest-common.gp"
ids = extra
frame_x(dummy) = column("end_s")
set xlabel "Time since the profile's start (s)"
set ylabel "Utilization (busy share of its servers)"
# Room above 100% for the faults' names.
set yrange [0:118]
set ytics 0, 20, 100
set format y "%g%%"
if (t_end > 0) { set xrange [0:t_end] }
load here . "loadtest-shade.gp"
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
if (empty ne "") {
    load here . "empty.gp"
} else {
    plot for [i=1:nres] csv every nres::(i - 1) using (column("end_s")):(100 * column("utilization")) \
             with linespoints lw 2 pt lt_point(i) ps 0.6 dt lt_dash(i) \
             lc rgb colour[style(i)] title field(ids, i)
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
