/* sweep_plot: a sweep's charts, drawn from its directory's files.
 *
 * One chart per charted metric, DIR/charts/sweep-METRIC.png and .svg: the
 * metric's mean against the first key's values, one line per combination
 * of the other keys, with 95% error bars when the points were replicated.
 * Everything on a chart comes from DIR/summary.json (sweep_files.h) and
 * DIR/sweep.csv: the title and axis labels from the metric catalog's
 * labels and units and the keys' labels, numbers in 5 M style, a share in
 * percent, money in yuan; so `pilotsim plot DIR` redraws exactly what
 * `pilotsim sweep` drew. Text reaches gnuplot only as data (plots/sweep.gp).
 * Ownership: borrows dir; writes only under DIR/charts/. */
#ifndef PILOTSIM_SWEEP_PLOT_H
#define PILOTSIM_SWEEP_PLOT_H

#include <stdio.h>

/* Draw every chart of the sweep in dir. 0, or -1 after a message on err. */
int sweep_plot_dir(const char *dir, FILE *err);

#endif
