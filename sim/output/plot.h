/* plot: draws a finished run's charts by running gnuplot on the chart scripts in plots/.
 *
 * Each chart is one `gnuplot -c SCRIPT CSV OUT TITLE IDS NAMES BANDS` process
 * (compare, sweep and load-test charts take their own arguments: see their
 * scripts), run by chart_draw (chart.h), which writes it whole or not at
 * all: the scenario's name and city names travel as argument strings,
 * which the scripts print but never evaluate. A chart with nothing to draw
 * (no payments, so no latency) is drawn empty with a note saying why
 * (NOTE, EMPTY: the last two arguments). A failed chart is -1 with a
 * message naming it; the charts drawn before it stay. Output:
 * DIR/charts/NAME.png and NAME.svg. The scripts are found in
 * $PILOTSIM_PLOTS, else beside the binary (../plots from build/, or
 * ../share/pilotsim/plots when installed). Knows nothing of the model. */
#ifndef PILOTSIM_PLOT_H
#define PILOTSIM_PLOT_H

#include <stddef.h>
#include <stdio.h>
#include "scenario/scenario.h"

/* Draw every chart of the run in `dir` (which holds timeseries.csv): with
 * interval columns (a replicated run) each line gets its 95% band.
 * 0, or -1 with a message on err (gnuplot missing or failing). */
int plot_render(const char *dir, const struct scenario *s, FILE *err);

/* The interventions to mark on a chart's time axis, as plots/common.gp's
 * `markers` argument: "DATE\tLABEL\tDATE\tLABEL..." in date order, DATE
 * as timeseries.csv writes it (2020-10-09T18:00:00+08:00), LABEL the
 * intervention's id (`luohu-2020-10`) or "pilot: CITY" (its opening) for a city
 * whose pilot_start lies after the start. Every intervention marks the
 * date it starts (a lottery's registration, a window's `from`, the `at`
 * of the others); markers of one date share a label ("pilot:
 * Shanghai, Hainan, Changsha +3"); none past the horizon. A malloc'd string, "" when
 * there is none; NULL when out of memory. */
char *plot_markers(const struct scenario *s);

/* The provenance line of the output directory dir (its summary.json's
 * `run.provenance`, else calibrate.json's: provenance_read), as
 * plots/common.gp's `provenance` argument, into buf (n bytes;
 * PLOT_PROVENANCE_MAX holds any): "" when dir has none or it cannot be
 * read (a chart is still drawn, without the line). */
#define PLOT_PROVENANCE_MAX 1024
void plot_provenance(const char *dir, char *buf, size_t n);

/* A comparison's charts in dir/charts/: chart k (0 adoption, 1 throughput,
 * 2 latency) draws timeseries.csv's column plot_compare_column(k), one
 * panel per city of s, every panel on one y scale, plan p's line (its
 * name in the legend) and band from dir/plans/labels[p]/timeseries.csv.
 * Labels must be path-safe. A city whose drawn[k * SCENARIO_MAX_CITIES +
 * c] is 0 (nothing above zero in any plan) gets an empty panel saying why
 * ("no e-CNY payments in any plan"). 0 or -1. */
#define PLOT_COMPARE_CHARTS 3
const char *plot_compare_column(size_t k);
struct plot_compare_args {
    const struct scenario *s;  /* the baseline: its cities make the panels */
    const char *const *labels; /* [n]: plans/LABEL */
    const char *const *names;  /* [n]: the plans' names, for the legend */
    size_t n;
    const int *drawn;       /* [PLOT_COMPARE_CHARTS * SCENARIO_MAX_CITIES] */
    const char *markers;    /* per city, separated by 0x1f: DATE TAB LABEL ... */
    const char *provenance; /* one line under the panels, or "" */
};
int plot_compare(const char *dir, const struct plot_compare_args *a, FILE *err);

/* A sweep's chart of one metric, dir/charts/sweep-METRIC.png|svg, from
 * dir/sweep.csv: `rest` are plots/sweep.gp's arguments after the CSV and
 * the output (experiment/sweep_plot.c says what they hold). 0 or -1. */
int plot_sweep(const char *dir, const char *metric, const char *const *rest, size_t n_rest,
               FILE *err);

/* calibrate's chart, dir/charts/calibrate.png|svg, from
 * dir/calibrate-trajectory.csv: one panel per entry of `groups`
 * (tab-separated, as the CSV's group column spells them), the model's mean
 * and 95% band against the published points and their tolerances. 0 or -1. */
int plot_calibrate(const char *dir, const char *title, const char *groups, FILE *err);
/* The same chart from a calibrate directory's files alone (`pilotsim plot
 * DIR`): the panels from calibrate-trajectory.csv, the title from
 * calibrate.json. A directory without a trajectory (calibrate without
 * --fit) has no chart: 0 after saying so on err. 0 or -1. */
int plot_calibrate_dir(const char *dir, FILE *err);

/* A column of a CSV as the charts see it: plot_csv_scan fills all but the
 * name. A value is a field that parses whole as a finite number (an empty
 * field is none). */
struct plot_column {
    const char *name; /* the header's name for it */
    int found;        /* the header has it */
    size_t values;    /* rows with a value there */
    size_t positive;  /* of which above zero (what a log scale draws) */
    double sum;       /* of the values */
};

/* Read the CSV at path (a header row, then rows; RFC 4180 quoting) and fill
 * each of cols; *rows gets the rows after the header (empty lines aside).
 * What a command draws depends on it: a chart with nothing to draw is drawn
 * empty with a note saying why (gnuplot would fail on it). 0, or -1 when
 * the file cannot be read. */
int plot_csv_scan(const char *path, struct plot_column *cols, size_t n_cols, size_t *rows);

/* What a chart family drawn elsewhere needs first (the load test's:
 * sim/loadtest/loadtest_plot.c): the scripts' folder into plots[size],
 * and dir/charts/ created, its path into charts_dir (PATH_MAX bytes). 0,
 * or -1 with a message on err (no scripts, or the folder not made). */
int plot_prepare(const char *dir, char *plots, size_t size, char *charts_dir, FILE *err);

#endif
