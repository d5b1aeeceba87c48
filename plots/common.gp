# common.gp: what every pilotsim chart shares. Loaded by the chart scripts,
# which gnuplot runs as `gnuplot -c CHART.gp CSV OUT TITLE IDS NAMES BANDS
# NOTE EMPTY` (the load-test and sweep charts: see theirs) and
# which copy their arguments into variables first (a loaded file does not see
# ARG1..ARG5):
#   csv    the run's timeseries.csv      out    output path without extension
#   title  the scenario name (text)      ids    city ids, tab-separated
#   what   the chart's subject, set by the chart script
#   names  city display names, tab-separated, in the same order
#   note   why the chart has little or nothing to draw ("" when it does),
#          written in the middle of the frame (optional)
#   empty  "" to draw the data; "frame" or "blank" when there is nothing to
#          draw: the script loads empty.gp instead of plotting (optional)
# Scenario text reaches gnuplot only as these string values, never as
# commands: they are printed, not evaluated (no macros, no backquotes), and
# enhanced-text markup is off so that a name shows exactly as written.
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
# A fixed palette, distinguishable in grey print too (dash types differ).
array colour[8] = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555555"]
style(i) = (i - 1) % 8 + 1

png_out = out . ".png"
svg_out = out . ".svg"
