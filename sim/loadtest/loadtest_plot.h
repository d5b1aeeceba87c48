/* loadtest_plot: draws a load test's charts from its directory's files
 * alone (summary.json, loadtest.csv, loadtest_resources.csv and, after a
 * capacity search, loadtest_capacity.csv), so that `pilotsim plot DIR`
 * redraws exactly what `pilotsim loadtest` drew, also for a directory
 * written with --no-charts. DIR/charts/loadtest-knee (throughput and p99
 * against offered load: the capacity with its interval, the target, the
 * SLO's line; the capacity probes as the knee when there are any),
 * loadtest-latency (percentiles over time, the SLO's line) and
 * loadtest-utilization (per resource, in percent); faults are shaded on
 * the time axes, and the knee sets apart the points a fault bent. The
 * scenario's text reaches gnuplot only as argument strings that the
 * scripts print (plots/loadtest-common.gp lists them).
 * Ownership: nothing is kept between calls. */
#ifndef PILOTSIM_LOADTEST_PLOT_H
#define PILOTSIM_LOADTEST_PLOT_H

#include <stdio.h>

/* Draw the three charts into dir/charts/. A chart with nothing to draw (no
 * payments offered, none completed) is drawn empty with a note saying
 * why. 0, or -1 with a message on err (files unreadable, gnuplot missing
 * or failing). */
int loadtest_plot_dir(const char *dir, FILE *err);

#endif
