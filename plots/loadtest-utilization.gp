# loadtest-utilization.gp: utilization of each resource (operators, then the
# ledger) over a load test, from loadtest_resources.csv, whose rows are
# ordered by interval, then resource, so `every nres::(i-1)` picks resource i.
# Run as `gnuplot -c loadtest-utilization.gp CSV OUT TITLE IDS NRES NOTE
# EMPTY`: IDS the resource ids, tab-separated (data: printed as key titles,
# never evaluated); NOTE, EMPTY: see common.gp.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; nres = int(ARG5)
note = ARG6; empty = ARG7
what = "Load test: utilization per resource"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-utilization.gp")]
load here . "common.gp"
frame_x(dummy) = column("end_s")
unset xdata
set format x "%g"
set xtics norotate
set xlabel "Time since the profile's start (s)"
set ylabel "Utilization (busy share of the servers)"
set yrange [0:*]
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
if (empty ne "") {
    load here . "empty.gp"
} else {
    plot for [i=1:nres] csv every nres::(i - 1) using (column("end_s")):(column("utilization")) \
             with linespoints lw 2 pt 7 ps 0.5 lc rgb colour[style(i)] title field(ids, i)
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
