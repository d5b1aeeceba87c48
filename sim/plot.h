/* plot: draws a finished run's charts by running gnuplot on the chart scripts in plots/.
 *
 * Each chart is one `gnuplot -c SCRIPT CSV OUT TITLE IDS NAMES BANDS` process
 * (compare, sweep and load-test charts take their own arguments: see their
 * scripts), run by chart_draw (chart.h), which writes it whole or not at
 * all: the scenario's name and city names travel as argument strings,
 * which the scripts print but never evaluate. A failed chart is -1 with a
 * message naming it; the charts drawn before it stay. Output:
 * DIR/charts/NAME.png and NAME.svg. The scripts are found in
 * $PILOTSIM_PLOTS, else beside the binary (../plots from build/, or
 * ../share/pilotsim/plots when installed). Knows nothing of the model. */
#ifndef PILOTSIM_PLOT_H
#define PILOTSIM_PLOT_H

#include <stddef.h>
#include <stdio.h>
#include "scenario.h"

/* Draw every chart of the run in `dir` (which holds timeseries.csv): with
 * interval columns (a replicated run) each line gets its 95% band.
 * 0, or -1 with a message on err (gnuplot missing or failing). */
int plot_render(const char *dir, const struct scenario *s, FILE *err);

/* A comparison's charts in dir/charts/: chart k (0 adoption, 1 throughput,
 * 2 latency) draws timeseries.csv's column plot_compare_column(k), one
 * panel per city of s, plan p's line and band from
 * dir/plans/labels[p]/timeseries.csv. Labels must be path-safe. A city
 * whose drawn[k * SCENARIO_MAX_CITIES + c] is 0 (nothing above zero in any
 * plan) gets a panel saying so. 0 or -1. */
#define PLOT_COMPARE_CHARTS 3
const char *plot_compare_column(size_t k);
int plot_compare(const char *dir, const struct scenario *s, const char *const *labels,
                 size_t n_labels, const int *drawn, FILE *err);

/* A sweep's chart of one metric, dir/charts/sweep-METRIC.png|svg, from
 * dir/sweep.csv: x the first key's values (tab-separated; numeric: on a
 * number line, else evenly spaced), one line per entry of `groups`
 * (tab-separated; "" for one line), with 95% error bars when `bars`.
 * 0 or -1. */
int plot_sweep(const char *dir, const char *title, const char *metric, const char *xkey,
               const char *xvalues, int numeric, const char *groups, int bars, FILE *err);

/* A load test's charts in dir/charts/ (loadtest-knee, -latency and
 * -utilization), from dir/loadtest.csv and dir/loadtest_resources.csv: ids
 * the resources' ids, tab-separated, in the order of the latter's rows.
 * 0 or -1. */
int plot_loadtest(const char *dir, const char *title, const char *ids, size_t n_resources,
                  FILE *err);

#endif
