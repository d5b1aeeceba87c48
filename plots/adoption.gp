# adoption.gp: share of each city's population holding an e-CNY wallet.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5
what = "Wallet adoption by city"
load ARG0[1:strlen(ARG0) - strlen("adoption.gp")] . "common.gp"
set ylabel "Population with a wallet (%)"
set xlabel "Date (Asia/Shanghai)"
set yrange [0:*]
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
plot for [i=1:ncities] csv every ncities::(i - 1) \
     using 1:(100 * column("adoption")) with lines lw 2 lc rgb colour[style(i)] dt style(i) \
     title field(names, i)
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
