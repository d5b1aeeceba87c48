# adoption.gp: share of each city's population holding an e-CNY wallet.
# With replications (ARG6 "ci"), each city's mean over its 95% band.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5; bands = ARG6 eq "ci"
what = "Wallet adoption by city"
load ARG0[1:strlen(ARG0) - strlen("adoption.gp")] . "common.gp"
set ylabel "Population with a wallet (%)"
set xlabel "Date (Asia/Shanghai)"
set yrange [0:*]
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
if (bands) {
    plot for [i=1:ncities] csv every ncities::(i - 1) \
             using 1:(100 * column("adoption_ci_lo")):(100 * column("adoption_ci_hi")) \
             with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
         for [i=1:ncities] csv every ncities::(i - 1) \
             using 1:(100 * column("adoption")) with lines lw 2 lc rgb colour[style(i)] dt style(i) \
             title field(names, i)
} else {
    plot for [i=1:ncities] csv every ncities::(i - 1) \
         using 1:(100 * column("adoption")) with lines lw 2 lc rgb colour[style(i)] dt style(i) \
         title field(names, i)
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
