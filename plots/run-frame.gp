# run-frame.gp: the frame of a run's charts (adoption, throughput,
# latency), loaded after common.gp. gnuplot runs each as
#   gnuplot -c CHART.gp CSV OUT TITLE IDS NAMES FLAGS NOTE MARKERS PROVENANCE
#   flags   words: "ci" (a replicated run: draw the 95% bands), "frame" or
#           "blank" (nothing to draw: see common.gp); "" for none
#   markers, provenance   see common.gp ("" for none)
# (gnuplot passes nine arguments at most, hence the words.) It sets the
# margins (fixed on the canvas, so that panels line up and markers.gp
# knows the plot's width; the key's room from the longest city name), the
# time axis (timeaxis.gp), the markers (markers.gp), and
#   pi_every   a point every this many rows of a city (`pi pi_every`):
#              about a dozen a line, so that a line reads in grey print
# Before loading it, set key_extra: the characters a key entry adds to a
# city's name (" p99": 4).
width_px = 1000
# The header names the columns; gnuplot 5.4 forgets it inside `do for`
# unless told that every file starts with one.
set datafile columnheaders
if (!exists("key_extra")) { key_extra = 0 }
key_chars = 0
do for [i = 1:ncities] {
    key_chars = strlen(field(names, i)) > key_chars ? strlen(field(names, i)) : key_chars
}
key_chars = key_chars + key_extra
# About 6.5 pixels a character at 10 points, and the key's sample line.
frame_left = 0.085
frame_right = 1 - (key_chars * 6.5 + 75) / width_px
if (frame_right > 0.86) { frame_right = 0.86 }
if (frame_right < 0.55) { frame_right = 0.55 }
set lmargin at screen frame_left
set rmargin at screen frame_right
set key at screen 0.995, graph 1 right top Left reverse noenhanced samplen 3 spacing 1.1
set xlabel "Date (Asia/Shanghai)"
set bmargin 5 + prov_lines
mk_w = (frame_right - frame_left) * width_px
pi_every = 1
if (empty ne "blank") {
    load here . "timeaxis.gp"
    if (exists("ta_rows")) { pi_every = int(ta_rows / ncities / 12) + 1 }
    load here . "markers.gp"
}
