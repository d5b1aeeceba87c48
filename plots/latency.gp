# latency.gp: end-to-end latency of completed e-CNY payments per city, two
# panels on one time axis and one log scale: above the median (p50), below
# the 99th percentile (p99), the interventions marked. A bucket is drawn
# only when its percentile means something: at least 10 simulated payments
# for p50 and 100 for p99 (FLAGS "min=N": N payments in the CSV's units,
# real people, are one simulated payment; a bucket without payments has
# no latency at all); the chart says so. With replications (FLAGS "ci"),
# the means over their 95% bands (a band's low edge at or below zero, where
# a log scale has no place, is drawn from the mean instead). Every bucket
# drawn is also a small dot, so that one between two left out shows.
# Arguments: see run-frame.gp. Nothing to draw: an empty frame with NOTE.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5
flags = " " . ARG6 . " "; note = ARG7; markers = ARG8; provenance = ARG9
has(w) = strstrt(flags, " " . w . " ") > 0
bands = has("ci")
empty = has("frame") ? "frame" : has("blank") ? "blank" : ""
# One simulated payment, in the CSV's units (the scenario's `sample`).
min_pay = strstrt(flags, " min=") > 0 ? flags[strstrt(flags, " min=") + 5:] + 0 : 1
what = "End-to-end payment latency by city"
here = ARG0[1:strlen(ARG0) - strlen("latency.gp")]
load here . "common.gp"
load here . "run-frame.gp"
frame_x(dummy) = timecolumn(1, "%Y-%m-%dT%H:%M:%S")
height_px = 720
# A latency where its bucket has enough payments, else none (NaN: a gap).
enough(v, n) = v > 0 && column("payments") >= n * min_pay ? v : NaN
p50(v) = enough(v, 10)
p99(v) = enough(v, 100)
band_lo(lo, m) = lo > 0 ? lo : m
set logscale y
# Tic labels in milliseconds and seconds: 1, 2 and 5 a decade.
ms_label(v) = v >= 1000 ? sprintf("%g s", v / 1000) : sprintf("%g ms", v)
set ytics ()
do for [d = -2:6] {
    do for [m in "1 2 5"] {
        set ytics add (ms_label(m * 10.0 ** d) m * 10.0 ** d)
    }
}
set mytics default
panel_top = 1 - 58.0 / height_px
panel_bottom = (5 + prov_lines) * 16.0 / height_px
panel_mid = (panel_top + panel_bottom) / 2
# One y range for both panels, so that their lines compare: from the
# lowest p50 to the highest p99 (of the buckets drawn), a factor 3 apart at least.
lat_lo = 1; lat_hi = 10; n50 = 0; n99 = 0; n_paid = 0
# (NaN > 0 is false: a bucket left out counts as none, and as no bound.)
or_big(v) = v > 0 ? v : 1e300
or_zero(v) = v > 0 ? v : 0
if (empty eq "") {
    unset xdata
    stats csv using (column("payments") > 0 && column("latency_p50_ms") > 0) nooutput
    n_paid = STATS_sum
    stats csv using (p50(column("latency_p50_ms")) > 0) nooutput
    n50 = STATS_sum
    stats csv using (p99(column("latency_p99_ms")) > 0) nooutput
    n99 = STATS_sum
    stats csv using (or_big(p50(column("latency_p50_ms")))) nooutput
    lat_lo = STATS_min
    stats csv using (or_zero(p99(column(bands ? "latency_p99_ms_ci_hi" : "latency_p99_ms")))) nooutput
    lat_hi = STATS_max
    set xdata time
    if (n50 == 0) { lat_lo = lat_hi / 10 }
    if (n99 == 0) { lat_hi = lat_lo * 10 }
    if (n50 + n99 == 0) { lat_lo = 1; lat_hi = 10 }
    if (lat_hi < 3 * lat_lo) { lat_hi = 3 * lat_lo }
    set yrange [lat_lo / 1.3 : lat_hi * 1.3]
}
# A panel with no bucket to draw: its frame, a point out of sight, a note.
nothing = min_pay > 1 ? "No bucket has enough payments for this percentile: try a smaller sample" \
                      : "No bucket has enough payments for this percentile"
# A panel that leaves out most buckets with a latency says so, and how to
# draw more of them.
sparse(k) = sprintf("Most buckets have fewer than %d simulated payments", k) \
            . (min_pay > 1 ? ": a smaller sample draws more of them" : "")
why = "Buckets with fewer than 10 simulated payments (p50) or 100 (p99) are left out"
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size width_px,height_px font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size width_px,height_px font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    # (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
    if (empty ne "") {
        unset logscale y
        set ylabel "End-to-end latency"
        load here . "empty.gp"
    } else {
        set multiplot title what . "\n" . title font "DejaVu Sans,12" noenhanced
        unset title
        set tmargin at screen panel_top
        set bmargin at screen panel_mid + 20.0 / height_px
        set format x ""
        unset xlabel
        set ylabel "Median (p50)"
        set key at screen 0.99, graph 1 right top
        set label 2 why at graph 0, graph 1.03 left front noenhanced font "DejaVu Sans,8" \
            textcolor rgb "#666666"
        if (n50 > 0 && n50 < n_paid / 2) {
            set label 3 sparse(10) at graph 0.5, graph 0.93 center front noenhanced \
                textcolor rgb "#555555"
        }
        if (n50 == 0) {
            set label 3 nothing at graph 0.5, 0.5 center front noenhanced textcolor rgb "#555555"
            plot csv using 1:(1e-30) with dots notitle
            unset label 3
        } else {
            plot for [i=1:(bands ? ncities : 0)] csv every ncities::(i - 1) \
                     using 1:(p50(band_lo(column("latency_p50_ms_ci_lo"), column("latency_p50_ms")))):(p50(column("latency_p50_ms_ci_hi"))) \
                     with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(p50(column("latency_p50_ms"))) with linespoints lt i pi pi_every \
                     title field(names, i), \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(p50(column("latency_p50_ms"))) with points lt i pt 7 ps 0.3 notitle
        }
        do for [k = 1:mk_drawn] { unset label (1000 + k) }
        unset label 2
        unset label 999
        set tmargin at screen panel_mid - 20.0 / height_px
        set bmargin at screen panel_bottom
        set format x xformat
        set xlabel "Date (Asia/Shanghai)"
        set ylabel "99th percentile (p99)"
        unset key
        unset label 3
        if (n99 > 0 && n99 < n_paid / 2) {
            set label 3 sparse(100) at graph 0.5, graph 0.93 center front noenhanced \
                textcolor rgb "#555555"
        }
        if (n99 == 0) {
            set label 3 nothing at graph 0.5, 0.5 center front noenhanced textcolor rgb "#555555"
            plot csv using 1:(1e-30) with dots notitle
            unset label 3
        } else {
            plot for [i=1:(bands ? ncities : 0)] csv every ncities::(i - 1) \
                     using 1:(p99(band_lo(column("latency_p99_ms_ci_lo"), column("latency_p99_ms")))):(p99(column("latency_p99_ms_ci_hi"))) \
                     with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(p99(column("latency_p99_ms"))) with linespoints lt i pi pi_every notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(p99(column("latency_p99_ms"))) with points lt i pt 7 ps 0.3 notitle
        }
        unset multiplot
        unset label 3
        load here . "markers.gp"
        if (provenance ne "") {
            set label 999 prov_text at screen 0.006, screen 0.012 left front noenhanced \
                font "DejaVu Sans,7" textcolor rgb "#808080"
        }
    }
}
