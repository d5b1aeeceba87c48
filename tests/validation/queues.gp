# queues.gp: docs/validation.md's queueing chart (tests/validation/report.sh).
#   gnuplot -c queues.gp ROWS.tsv OUT.png
# ROWS.tsv: the closed-form rows of the erlang and pk blocks (test_row in
# tests/test.h: block, what, closed form, measured, gap, tolerance, within)
# and a short label for the axis.
# Each point is the measured value over the closed form, with the check's
# tolerance (the 99.9% batch-means half-width) as its bar: a bar that
# crosses 1 agrees with the theory.
rows = ARG1; out = ARG2
set datafile separator "\t"
set terminal pngcairo size 900,520 font "DejaVu Sans,10" noenhanced
set output out
set title "Queues against Erlang C and Pollaczek-Khinchine: model / closed form"
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set ylabel "Model / closed form"
set xtics rotate by -30 left
set bmargin 7
set rmargin 10
set key off
set offsets 0.5, 0.5, 0, 0
plot rows using 0:($4 / $3):(($4 - $6) / $3):(($4 + $6) / $3):xticlabels(strcol(8)) \
         with yerrorbars pt 7 ps 1 lc rgb "#1b6ca8", \
     1 with lines dt 2 lc rgb "#d1495b"
