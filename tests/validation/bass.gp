# bass.gp: docs/validation.md's Bass chart (tests/validation/report.sh).
#   gnuplot -c bass.gp TIMESERIES.csv OUT.png P Q
# Above: the share of people holding a wallet in a run of bass.yaml, day by
# day, and the closed form F(t) for the same p and q. Below: the gap in
# percentage points, with the check's tolerance (one point) shaded.
csv = ARG1; out = ARG2; p = real(ARG3); q = real(ARG4)
F(t) = (1 - exp(-(p + q) * t)) / (1 + q / p * exp(-(p + q) * t))
set datafile separator ","
set datafile columnheaders
set terminal pngcairo size 900,640 font "DejaVu Sans,10" noenhanced
set output out
set grid lc rgb "#dddddd"
set border 3
set tics nomirror
set multiplot layout 2,1 title sprintf("Bass diffusion: bass.yaml (p = %g, q = %g) against F(t)", p, q)
set ylabel "Population with a wallet (%)"
set key left top
set xrange [0:10]
set yrange [0:100]
# Row i (0-based) is the end of day i + 1.
plot csv using (($0 + 1) / 365):(100 * column("adoption")) with lines lw 3 lc rgb "#1b6ca8" \
         title "model (daily)", \
     csv using (($0 + 1) / 365):(100 * F(($0 + 1) / 365)) with lines lw 1 dt 2 lc rgb "#d1495b" \
         title "closed form F(t)"
set ylabel "Model - F(t) (points)"
set xlabel "Years"
set yrange [-1.5:1.5]
set key right top
plot 1 with filledcurves y1=-1 fs transparent solid 0.15 noborder lc rgb "#2e933c" \
         title "tolerance (1 point)", \
     csv using (($0 + 1) / 365):(100 * (column("adoption") - F(($0 + 1) / 365))) \
         with lines lw 1.5 lc rgb "#1b6ca8" title "gap"
unset multiplot
