# loadtest-knee.gp: the knee of a load test: achieved throughput (left
# axis) and p99 latency (right axis, log scale) against the offered rate.
# Where throughput stops following the offered load and p99 shoots past the
# SLO's line, the system has saturated; the capacity found (with its 95%
# interval, shaded) and the target are vertical lines.
# The points: with a capacity search, its probes (EXTRA, loadtest_capacity.csv),
# soaks at one rate each, so that a fault in the profile (an outage's
# backlog and the retries it sets off) does not bend the knee; probes that
# a fault overlapped are drawn apart, hollow and grey. Without one, the
# profile's steps (loadtest.csv), those during or after a fault (until it
# recovered) hollow and grey: they show the fault, not the capacity. With
# replications, p99's 95% interval as error bars.
# Arguments: see loadtest-common.gp; EMPTY "nolatency" draws throughput
# alone (no payment completed).
what = "Load test: throughput and p99 latency against offered load"
here = ARG0[1:strlen(ARG0) - strlen("loadtest-knee.gp")]
csv = ARG1; out = ARG2; title = ARG3; note = ARG4; empty = ARG5; provenance = ARG6
figs = ARG7; faults = ARG8; extra = ARG9
load here . "loadtest-common.gp"
probes = extra
src = probes ne "" ? probes : csv
frame_x(dummy) = column("offered_per_s")
set xlabel "Offered load (payments/s)"
set ylabel "Achieved throughput (payments/s)"
set y2label "p99 latency (log scale)"
set logscale y2
set ytics nomirror
set key outside right top Left reverse samplen 3 \
    title (probes ne "" ? "Capacity probes, a soak at each rate" : "Steps of the profile")
# A point apart from the knee: a probe a fault overlapped, or a step
# during or after a fault.
apart(dummy) = probes ne "" ? column("faulted") > 0 : faulted(column("start_s"), column("end_s"))
on(v) = apart(0) ? NaN : v
off(v) = apart(0) ? v : NaN
ach = "achieved_per_s"; p99 = "p99_ms"
set terminal pngcairo size 1000,560 font "DejaVu Sans,10" noenhanced
set output png_out
# (gnuplot 5.4 cannot follow `load` in a block with an `else if`: nested.)
if (empty eq "frame" || empty eq "blank") {
    load here . "empty.gp"
} else {
    # One scale for both axes (offered = achieved at 45 degrees), up to the
    # highest rate offered or achieved (a backlog drains above the offer).
    stats src using (column("offered_per_s")):(column(ach)) nooutput
    top = STATS_max_x > STATS_max_y ? STATS_max_x : STATS_max_y
    # (stats filters by the axes' ranges: every stats before they are set)
    p99_top = 0
    if (empty ne "nolatency") {
        stats src using (column("offered_per_s")):(pos(column(p99))) nooutput
        p99_top = STATS_max_y
    }
    # Points a fault bent, if any: their legend entry only then.
    stats src using (column("offered_per_s")):(apart(0)) nooutput
    n_apart = STATS_sum_y
    if (cap > top) { top = cap }
    if (target > top) { top = target }
    top = top * 1.05
    step = nice(top)
    set xrange [0:top]
    set yrange [0:top]
    set xtics () nomirror
    set ytics () nomirror
    do for [i = 0:int(top / step)] {
        set xtics add (th(i * step) i * step)
        set ytics add (th(i * step) i * step)
    }
    set y2tics ("0.1 ms" 0.1, "1 ms" 1, "10 ms" 10, "100 ms" 100, "1 s" 1000, "10 s" 10000, \
                "100 s" 100000, "1000 s" 1e6)
    # The capacity and its interval, the target, the SLO's line.
    if (cap > 0) {
        if (cap_hi > cap_lo) {
            set object 1 rect from first cap_lo, graph 0 to first cap_hi, graph 1 behind \
                fc rgb colour[3] fs transparent solid 0.2 noborder
        }
        set arrow 1 from first cap, graph 0 to first cap, graph 1 nohead lw 2 lc rgb colour[3]
        cap_text = "capacity " . th(cap) . "/s" . \
            (cap_lo > 0 ? " (95% interval " . th(cap_lo) . " to " . th(cap_hi) . ")" : "")
        set label 1 cap_text at first cap, graph 0.97 right offset -0.5, 0 front \
            textcolor rgb colour[3]
    }
    if (target > 0) {
        set arrow 2 from first target, graph 0 to first target, graph 1 nohead lw 1.5 dt 2 \
            lc rgb "#000000"
        set label 2 "target " . th(target) . "/s" at first target, graph 0.90 right \
            offset -0.5, 0 front textcolor rgb "#000000"
    }
    if (slo_ms > 0 && slo_q == 0.99 && empty ne "nolatency") {
        # The SLO's line inside the frame even when every p99 lies below it.
        set y2range [*:(p99_top > slo_ms ? p99_top : slo_ms) * 2]
        set arrow 3 from graph 0, second slo_ms to graph 1, second slo_ms nohead lw 1.5 dt 3 \
            lc rgb colour[2]
        set label 3 slo_text at graph 0.02, second slo_ms left offset 0, 0.7 front \
            textcolor rgb colour[2]
    }
    sorted = probes ne "" ? "smooth unique" : ""
    if (empty eq "nolatency") {
        unset y2tics
        unset y2label
        plot src using (column("offered_per_s")):(column("offered_per_s")) with lines dt 3 \
                 lc rgb "#999999" title "offered = achieved", \
             src using (column("offered_per_s")):(on(column(ach))) with linespoints \
                 lw 2 dt 1 pt 7 lc rgb colour[1] title "achieved throughput"
    } else {
        if (probes ne "") {
            plot src using (column("offered_per_s")):(column("offered_per_s")) with lines dt 3 \
                     lc rgb "#999999" title "offered = achieved", \
                 src using (column("offered_per_s")):(on(column(ach))) smooth unique \
                     with linespoints lw 2 dt 1 pt 7 lc rgb colour[1] title "achieved throughput", \
                 src using (column("offered_per_s")):(pos(on(column(p99)))) axes x1y2 \
                     smooth unique with linespoints lw 2 dt 2 pt 5 lc rgb colour[2] \
                     title "p99 latency", \
                 src using (column("offered_per_s")):(off(column(ach))) with points pt 6 \
                     lc rgb "#777777" title (n_apart > 0 ? "probe during a fault (left out)" : ""), \
                 src using (column("offered_per_s")):(pos(off(column(p99)))) axes x1y2 \
                     with points pt 4 lc rgb "#777777" notitle
        } else {
            plot src using (column("offered_per_s")):(column("offered_per_s")) with lines dt 3 \
                     lc rgb "#999999" title "offered = achieved", \
                 src using (column("offered_per_s")):(on(column(ach))) with linespoints \
                     lw 2 dt 1 pt 7 lc rgb colour[1] title "achieved throughput", \
                 src using (column("offered_per_s")):(pos(on(column(p99)))):\
                     (bars ? pos(on(column("p99_ms_ci_lo"))) : pos(on(column(p99)))):\
                     (bars ? pos(on(column("p99_ms_ci_hi"))) : pos(on(column(p99)))) axes x1y2 \
                     with yerrorlines lw 2 dt 2 pt 5 lc rgb colour[2] \
                     title (bars ? "p99 latency (95% interval)" : "p99 latency"), \
                 src using (column("offered_per_s")):(off(column(ach))) with points pt 6 \
                     lc rgb "#777777" title (n_apart > 0 ? "during or after a fault: not the knee" : ""), \
                 src using (column("offered_per_s")):(pos(off(column(p99)))) axes x1y2 \
                     with points pt 4 lc rgb "#777777" notitle
        }
    }
}
set terminal svg size 1000,560 font "DejaVu Sans,10" noenhanced
set output svg_out
replot
