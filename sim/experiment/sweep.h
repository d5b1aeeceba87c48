/* sweep: a scenario over a grid of parameter values.
 *
 * `--vary key=v1,v2,...` (keys as `--set` addresses them, repeatable) spans
 * the full grid; the first key varies slowest. Every point runs
 * replications 0..R-1 with the same seed (common random numbers across the
 * points, so a curve is smooth where the model is). Outputs under DIR:
 * sweep.csv, one row per point (its parameter values, then every metric's
 * mean and 95% interval), scenario.yaml (the scenario before --vary) and
 * charts/sweep-METRIC.png|svg, chosen metrics against the first key, one
 * line per combination of the other keys.
 * Ownership: sweep_load returns a heap object freed with sweep_free. */
#ifndef PILOTSIM_SWEEP_H
#define PILOTSIM_SWEEP_H

#include <stdio.h>
#include "experiment/experiment.h"

#define SWEEP_MAX_KEYS 8
#define SWEEP_MAX_POINTS 10000
#define SWEEP_DEFAULT_REPS 5

struct sweep;

/* Parse the --vary options, load every point of the grid and check the
 * chart metrics (none: the defaults). NULL after a one-line message on err:
 * bad input (exit 2). */
struct sweep *sweep_load(const char *path, const char *const *sets, size_t n_sets,
                         const char *const *varies, size_t n_varies, const char *const *metrics,
                         size_t n_metrics, FILE *err);
void sweep_free(struct sweep *w); /* NULL does nothing */
/* The grid's points (for estimates before sweep_run). */
const struct scenario *const *sweep_points(const struct sweep *w, size_t *n);

/* Replicate every point (o->replications), write sweep.csv and the charts. */
enum experiment_status sweep_run(struct sweep *w, const struct run_options *o, FILE *err);

#endif
