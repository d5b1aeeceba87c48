# loadtest-common.gp: what the load-test charts share, loaded by
# loadtest-knee.gp, loadtest-latency.gp and loadtest-utilization.gp (after
# they set `what` and `here`), which gnuplot runs as
#   gnuplot -c CHART.gp CSV OUT TITLE NOTE EMPTY PROVENANCE FIGURES FAULTS EXTRA
# (loadtest_plot_dir in sim/loadtest/loadtest_plot.c builds them from the
# directory's files):
#   TITLE, NOTE, EMPTY, PROVENANCE  as common.gp's title, note, empty and
#          provenance (text: printed, never evaluated)
#   FIGURES  numbers written by pilotsim, space-separated, -1 for none:
#          SLO_MS SLO_Q CAP CAP_LO CAP_HI TARGET BARS NRES END: the SLO's
#          latency limit (ms) and its quantile (0.99 for p99, 1 max, 0 mean),
#          the capacity found and its 95% interval, the target (payments/s),
#          1 when loadtest.csv has intervals over replications, the
#          resources, the profile's length (s)
#   FAULTS   tab-separated, five fields a fault: FROM UNTIL RECOVERED OK
#          LABEL: its window and the end of its aftermath (s), OK 1 when it
#          recovered before the profile's end, LABEL its name (text)
#   EXTRA    the knee: the capacity probes' CSV or ""; the utilization
#          chart: the resource ids, tab-separated (text)
# (The scripts copy their arguments first: a loaded file does not see ARGn.)
ids = "" # common.gp counts cities in it
load here . "common.gp"
unset xdata
set format x "%g"
set xtics norotate
# Room under the x axis' label for common.gp's provenance line.
if (prov_lines > 0) { set bmargin 4.5 }

fig(k) = word(figs, k) + 0
slo_ms = fig(1); slo_q = fig(2); cap = fig(3); cap_lo = fig(4); cap_hi = fig(5)
target = fig(6); bars = fig(7) > 0; nres = int(fig(8)); t_end = fig(9)
pos(x) = x > 0 ? x : NaN
# Line i's dash and point types, so that lines differ in grey print too.
lt_dash(i) = (i - 1) % 5 + 1
array lt_points[7] = [7, 5, 9, 13, 6, 4, 8]
lt_point(i) = lt_points[(i - 1) % 7 + 1]

# Numbers for people: 13,746 (th), a latency limit (500 ms, 1.5 s), the
# SLO's latency metric by its quantile.
th(x) = x >= 1000 ? th(int(x) / 1000) . sprintf(",%03d", int(x) % 1000) : sprintf("%d", int(x))
ms_text(v) = v >= 1000 ? sprintf("%g s", v / 1000) : sprintf("%g ms", v)
qname(q) = q == 0.5 ? "p50" : q == 0.9 ? "p90" : q == 0.95 ? "p95" : q == 0.99 ? "p99" : \
           q == 0.999 ? "p99.9" : q == 0.9999 ? "p99.99" : q == 1 ? "max" : "mean"
slo_text = slo_ms > 0 ? "SLO: " . qname(slo_q) . " < " . ms_text(slo_ms) : ""

# A round tic step for an axis from 0 to top, about five tics.
nice_raw(top) = top / 5
nice_mag(top) = 10 ** floor(log10(nice_raw(top)))
nice_r(top) = nice_raw(top) / nice_mag(top)
nice(top) = (nice_r(top) < 1.5 ? 1 : nice_r(top) < 3.5 ? 2 : nice_r(top) < 7.5 ? 5 : 10) * nice_mag(top)

# The faults.
nf = faults eq "" ? 0 : nfields(faults) / 5
f_from(k) = field(faults, 5 * k - 4) + 0
f_until(k) = field(faults, 5 * k - 3) + 0
f_rec(k) = field(faults, 5 * k - 2) + 0
f_ok(k) = field(faults, 5 * k - 1) eq "1"
f_label(k) = field(faults, 5 * k)
# Whether [t0, t1] meets a fault or its aftermath (until it recovered).
hit(t0, t1, k) = k > nf ? 0 : (t0 < f_rec(k) && t1 > f_from(k)) ? 1 : hit(t0, t1, k + 1)
faulted(t0, t1) = nf > 0 ? hit(t0, t1, 1) : 0
