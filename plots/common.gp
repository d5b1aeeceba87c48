# common.gp: what every pilotsim chart shares. Loaded by the chart scripts,
# which gnuplot runs as `gnuplot -c CHART.gp ARG1 OUT ...` (gnuplot passes
# nine arguments at most: see each script for its own) and which copy their
# arguments into variables first (a loaded file does not see ARG1..ARG9):
#   csv    the chart's CSV                out    output path without extension
#   title  the scenario name (text)       ids    city ids, tab-separated
#   what   the chart's subject, set by the chart script
#   names  city display names, tab-separated, in the same order
#   note   why the chart has little or nothing to draw ("" when it does),
#          written in the middle of the frame (optional)
#   empty  "" to draw the data; "frame" or "blank" when there is nothing to
#          draw: the script loads empty.gp instead of plotting (optional)
#   provenance  one line (version, commit, scenario hash, command), printed
#          small and grey at the bottom of the chart (optional; "" for none)
#   markers     the interventions to mark on a time axis (optional): a
#          tab-separated list of pairs, DATE TAB LABEL TAB DATE TAB LABEL
#          ..., DATE as timeseries.csv writes it (2020-10-09T18:00:00+08:00,
#          Asia/Shanghai), sorted by date (plot_markers in sim/output/plot.h
#          builds it from a scenario); markers.gp draws them
# Scenario text reaches gnuplot only as these string values, never as
# commands: they are printed, not evaluated (no macros, no backquotes, no
# eval of them), and enhanced-text markup is off so that a name shows
# exactly as written.
#
# What it gives the scripts:
#   linetype i (1-24)   the palette: colour, dash type and point type, so
#          that `with linespoints lt i pi 30` is told apart in colour and in
#          grey print; colour[style(i)] and dash(i), point(i) alone
#   field(s, i), nfields(s)   the i-th of a tab-separated list, the count
#   pct, si  y formats: a share drawn x 100 (`set format y pct`: "40%"),
#          a big number with an SI prefix ("2.5 M", never "2.5e+06")
#   markers.gp   load it after `set xrange` on a time axis: thin lines and
#          labels for the markers (see there)
#   timeaxis.gp  a time axis fit for print: exact range, readable tics
set datafile separator ","
set xdata time
set timefmt "%Y-%m-%dT%H:%M:%S"
set format x "%Y-%m-%d"
set xtics rotate by -30
set grid lc rgb "#dddddd"
set key outside right top noenhanced
set title what . "\n" . title noenhanced font "DejaVu Sans,12"
set border 3
set tics nomirror
if (!exists("note")) { note = "" }
if (!exists("empty")) { empty = "" }
if (!exists("provenance")) { provenance = "" }
if (!exists("markers")) { markers = "" }
if (note ne "") {
    set label 1 note at graph 0.5, 0.5 center front noenhanced font "DejaVu Sans,12" \
        textcolor rgb "#555555"
}

# The i-th of a tab-separated list, and how many there are.
tab = "\t"
field(s, i) = (i <= 1) ? (strstrt(s, tab) > 0 ? s[1:strstrt(s, tab) - 1] : s) \
                       : field(s[strstrt(s, tab) + 1:], i - 1)
nfields(s) = strstrt(s, tab) > 0 ? 1 + nfields(s[strstrt(s, tab) + 1:]) : 1
ncities = nfields(ids)

# Rows are ordered by time, then city: `every ncities::(i-1)` picks city i.
# The palette: Okabe and Ito's eight colours, told apart by the three
# kinds of colour blindness (yellow, faint on white, last). A line also
# differs in dash type (5) and point type (7), so up to 35 lines stay
# apart in grey print: line i gets colour i mod 8, dash i mod 5 and point
# i mod 7 (linetype i below).
array colour[8] = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
array points[7] = [7, 5, 9, 13, 6, 4, 8]
style(i) = (i - 1) % 8 + 1
dash(i) = (i - 1) % 5 + 1
point(i) = points[(i - 1) % 7 + 1]
do for [i = 1:24] {
    set linetype i lc rgb colour[style(i)] dt dash(i) pt point(i) ps 0.8 lw 2
}
# A share drawn x 100, as a percent on its axis; big numbers with an SI
# prefix ("2.5 M", not "2.5e+06"): `set format y si`.
pct = "%g%%"
si = "%.1s %c"

# The provenance line: small, grey, at the bottom left, under the axis
# label (the scripts leave room: `set bmargin` by prov_lines). Cut, not
# clipped, where it would not fit the chart's width (prov_max characters).
if (!exists("prov_max")) { prov_max = 190 }
prov_text = strlen(provenance) > prov_max ? provenance[1:prov_max - 3] . "..." : provenance
prov_lines = provenance ne "" ? 1 : 0
if (provenance ne "") {
    set label 999 prov_text at screen 0.006, screen 0.012 left front noenhanced \
        font "DejaVu Sans,7" textcolor rgb "#808080"
}

# The markers as gnuplot times (seconds, the axis' clock) and labels.
mk_n = markers eq "" ? 0 : nfields(markers) / 2
mk_time(k) = strptime("%Y-%m-%dT%H:%M:%S", field(markers, 2 * k - 1))
mk_label(k) = field(markers, 2 * k)

png_out = out . ".png"
svg_out = out . ".svg"
