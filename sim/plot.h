/* plot: draws a finished run's charts by running gnuplot on the chart scripts in plots/.
 *
 * Each chart is one `gnuplot -c SCRIPT CSV OUT TITLE IDS NAMES` process,
 * started with posix_spawnp (no shell): the scenario's name and city names
 * travel as argument strings, which the scripts print but never evaluate.
 * Output: DIR/charts/NAME.png and NAME.svg. The scripts are found in
 * $PILOTSIM_PLOTS, else beside the binary (../plots from build/, or
 * ../share/pilotsim/plots when installed). Knows nothing of the model. */
#ifndef PILOTSIM_PLOT_H
#define PILOTSIM_PLOT_H

#include <stdio.h>
#include "scenario.h"

/* Draw every chart of the run in `dir` (which holds timeseries.csv).
 * 0, or -1 with a message on err (gnuplot missing or failing). */
int plot_render(const char *dir, const struct scenario *s, FILE *err);

#endif
