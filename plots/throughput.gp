# throughput.gp: e-CNY payments per second in each city, two panels on one
# time axis: above, each bucket's mean; below, its busiest minute (tps_peak:
# the expected arrival rate's highest one-minute mean), each city one line
# on its own scale, the interventions marked. With replications (FLAGS
# "ci"), the means over their 95% bands. Arguments: see run-frame.gp.
# Nothing to draw: one empty frame with NOTE (a run without payments draws
# its zeros, saying why).
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5
flags = " " . ARG6 . " "; note = ARG7; markers = ARG8; provenance = ARG9
has(w) = strstrt(flags, " " . w . " ") > 0
bands = has("ci")
empty = has("frame") ? "frame" : has("blank") ? "blank" : ""
what = "e-CNY payment throughput by city"
here = ARG0[1:strlen(ARG0) - strlen("throughput.gp")]
load here . "common.gp"
load here . "run-frame.gp"
frame_x(dummy) = timecolumn(1, "%Y-%m-%dT%H:%M:%S")
height_px = 720
# The bucket, in words, from the rows: "day" for the default step.
step_s = exists("ta_rows") && ta_rows > ncities ? (t1 - t0) / (ta_rows / ncities - 1) : 86400
bucket = abs(step_s - 86400) < 1 ? "day" : abs(step_s - 3600) < 1 ? "hour" \
         : step_s >= 86400 ? sprintf("%g days", step_s / 86400) \
         : step_s >= 3600 ? sprintf("%g hours", step_s / 3600) : sprintf("%g s", step_s)
# Tic labels: plain numbers; from ten thousand on, "25 k", "2.5 M".
tps_format(m) = m >= 1e4 ? si : "%g"
set yrange [0:*]
# The panels: the frame's margins (run-frame.gp), stacked between the
# title and the tic labels, 40 pixels apart.
panel_top = 1 - 58.0 / height_px
panel_bottom = (5 + prov_lines) * 16.0 / height_px
panel_mid = (panel_top + panel_bottom) / 2
max_mean = 0; max_peak = 0
if (empty eq "") {
    unset xdata
    stats csv using "tps_mean" nooutput
    max_mean = STATS_max
    stats csv using "tps_peak" nooutput
    max_peak = STATS_max
    set xdata time
}
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
        set ylabel "e-CNY payments per second"
        load here . "empty.gp"
    } else {
        set multiplot title what . "\n" . title font "DejaVu Sans,12" noenhanced
        unset title
        # Above: the bucket's mean, no date labels (the panel below has them).
        set tmargin at screen panel_top
        set bmargin at screen panel_mid + 20.0 / height_px
        set format x ""
        unset xlabel
        set format y tps_format(max_mean)
        set ylabel "Mean per " . bucket . " (payments/s)"
        set key at screen 0.995, graph 1 right top
        if (bands) {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:"tps_mean_ci_lo":"tps_mean_ci_hi" \
                     with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:"tps_mean" with linespoints lt i pi pi_every title field(names, i)
        } else {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:"tps_mean" with linespoints lt i pi pi_every title field(names, i)
        }
        # Below: the busiest minute; the marker lines again, their labels once.
        do for [k = 1:mk_drawn] { unset label (1000 + k) }
        unset label 1
        unset label 999
        set tmargin at screen panel_mid - 20.0 / height_px
        set bmargin at screen panel_bottom
        set format x xformat
        set xlabel "Date (Asia/Shanghai)"
        set format y tps_format(max_peak)
        set ylabel "Busiest minute of each " . bucket . " (payments/s)"
        unset key
        if (bands) {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:"tps_peak_ci_lo":"tps_peak_ci_hi" \
                     with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:"tps_peak" with linespoints lt i pi pi_every notitle
        } else {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:"tps_peak" with linespoints lt i pi pi_every notitle
        }
        unset multiplot
        # The next terminal draws the same: labels and the key come back.
        load here . "markers.gp"
        if (provenance ne "") {
            set label 999 prov_text at screen 0.006, screen 0.012 left front noenhanced \
                font "DejaVu Sans,7" textcolor rgb "#808080"
        }
        if (note ne "") {
            set label 1 note at graph 0.5, 0.5 center front noenhanced font "DejaVu Sans,12" \
                textcolor rgb "#555555"
        }
    }
}
