/* compare_plot: a comparison's charts (charts/adoption, throughput and
 * latency), drawn from the files of its directory (compare_files.h), so
 * that `pilotsim plot DIR` redraws what `compare` drew, also for a
 * directory written with --no-charts. Each chart has one panel per city on
 * one y scale, each plan's mean over its band with its name in the legend,
 * the interventions of every plan marked on each city's time axis (by
 * their ids, those of one date on one label), and the
 * provenance line of DIR/summary.json under the panels. */
#ifndef PILOTSIM_COMPARE_PLOT_H
#define PILOTSIM_COMPARE_PLOT_H

#include <stdio.h>

/* Draw dir's compare charts. 0, or -1 after a message (a file missing or
 * malformed, gnuplot failing). */
int compare_plot_dir(const char *dir, FILE *err);

#endif
