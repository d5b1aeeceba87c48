# targets.gp: a scenario's targets chart in docs/validation.md
# (tests/validation/report.sh).
#   gnuplot -c targets.gp POINTS.tsv OUT.png TITLE
# POINTS.tsv (tables.pl): index, id, error, interval low, interval high
# (all in tolerances: model minus observed over the tolerance, cut to +-5),
# role, within, and the error as text where it was cut (written beside the
# point at the edge). A point inside the shaded band (|error| <= 1) is
# within its tolerance; fit targets are filled circles, check targets open
# squares.
pts = ARG1; out = ARG2; title = ARG3
set datafile separator "\t"
set terminal pngcairo size 900,560 font "DejaVu Sans,10" noenhanced
set output out
set title title noenhanced
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set ylabel "(model - observed) / tolerance"
set xtics rotate by -30 left font "DejaVu Sans,8" noenhanced
set bmargin 11
set rmargin 16
set key outside right top
stats pts using 1 nooutput
set xrange [0.5:STATS_max + 0.5]
set yrange [-6:6]
set ytics -5, 1, 5
plot 1 with filledcurves y1=-1 fs transparent solid 0.15 noborder lc rgb "#2e933c" \
         title "within tolerance", \
     pts using 1:(strcol(6) eq "fit" ? $3 : NaN):4:5:xticlabels(strcol(2)) \
         with yerrorbars pt 7 ps 1.2 lc rgb "#1b6ca8" title "fit (95% interval)", \
     pts using 1:(strcol(6) eq "check" ? $3 : NaN):4:5 \
         with yerrorbars pt 4 ps 1.2 lc rgb "#d1495b" title "check (95% interval)", \
     pts using 1:(strcol(8) eq "" ? NaN : $3 + ($3 > 0 ? 0.5 : -0.5)):8 \
         with labels font "DejaVu Sans,8" textcolor rgb "#555555" notitle
