/* experiment: runs the pipeline of DESIGN.md for a scenario: model, reports,
 * charts. Later grows replications, comparisons and sweeps; knows nothing of
 * event handling.
 * Ownership: borrows the scenario; writes only under options->out_dir. */
#ifndef PILOTSIM_EXPERIMENT_H
#define PILOTSIM_EXPERIMENT_H

#include <stdio.h>
#include "scenario.h"

struct run_options {
    const char *out_dir;   /* where outputs go (created) */
    const char *version;   /* recorded in summary.json's run section */
    int quiet;             /* no progress bar, no closing line */
    int charts;            /* draw charts (and the scenario's outputs.charts) */
};

/* Outcome of a run, mapped to exit statuses by main. */
enum experiment_status { EXPERIMENT_OK = 0, EXPERIMENT_FAILED = 1 };

/* Simulate, write the outputs and draw the charts. */
enum experiment_status experiment_run(const struct scenario *s, const struct run_options *o,
                                      FILE *err);

#endif
