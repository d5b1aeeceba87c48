# adoption.gp: share of each city's population holding an e-CNY wallet, in
# percent (0 to the data's highest), the interventions marked on the time
# axis. With replications (FLAGS "ci"), each city's mean over its 95% band.
# Arguments: see run-frame.gp. Nothing to draw: an empty frame with NOTE.
csv = ARG1; out = ARG2; title = ARG3; ids = ARG4; names = ARG5
flags = " " . ARG6 . " "; note = ARG7; markers = ARG8; provenance = ARG9
has(w) = strstrt(flags, " " . w . " ") > 0
bands = has("ci")
empty = has("frame") ? "frame" : has("blank") ? "blank" : ""
what = "Wallet adoption by city"
here = ARG0[1:strlen(ARG0) - strlen("adoption.gp")]
load here . "common.gp"
load here . "run-frame.gp"
set ylabel "Population holding a wallet"
set format y pct
# empty.gp's frame: the dates of the rows.
frame_x(dummy) = timecolumn(1, "%Y-%m-%dT%H:%M:%S")
set yrange [0:*]
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size width_px,560 font "DejaVu Sans,10" noenhanced
        set output png_out
    } else {
        set terminal svg size width_px,560 font "DejaVu Sans,10" noenhanced
        set output svg_out
    }
    # (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
    if (empty ne "") {
        load here . "empty.gp"
    } else {
        if (bands) {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(100 * column("adoption_ci_lo")):(100 * column("adoption_ci_hi")) \
                     with filledcurves fs transparent solid 0.2 noborder lc rgb colour[style(i)] notitle, \
                 for [i=1:ncities] csv every ncities::(i - 1) \
                     using 1:(100 * column("adoption")) with linespoints lt i pi pi_every \
                     title field(names, i)
        } else {
            plot for [i=1:ncities] csv every ncities::(i - 1) \
                 using 1:(100 * column("adoption")) with linespoints lt i pi pi_every \
                 title field(names, i)
        }
    }
}
