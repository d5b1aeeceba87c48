# empty.gp: loaded by a chart script instead of its plot when the chart has
# nothing to draw (EMPTY is "frame" or "blank"): an empty frame under the
# title, with the note that common.gp placed in its middle (gnuplot fails on
# a plot with no point, so this plot draws one, out of sight).
#   frame  keeps the data's x axis (dates, seconds, a sweep's values): the
#          script's frame_x(0) of every row, each point at y = 0, below the
#          y range [1:2] and so not drawn; no y tics
#   blank  no axes at all (a CSV without rows)
unset logscale
unset key
unset ytics
unset y2tics
unset y2label
set rmargin 10
if (empty eq "blank") {
    unset xdata
    unset xtics
    plot [0:1] [1:2] 0 notitle
} else {
    plot [] [1:2] csv using (frame_x(0)):(0) with dots notitle
}
