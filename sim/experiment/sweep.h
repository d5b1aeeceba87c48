/* sweep: a scenario over a grid of parameter values.
 *
 * `--vary key=v1,v2,...` (keys as `--set` addresses them, repeatable) spans
 * the full grid; the first key varies slowest. Every point runs
 * replications 0..R-1 with the same seed (common random numbers across the
 * points, so a curve is smooth where the model is). The first key is the
 * charts' x axis: it must have two values or more. Outputs under DIR:
 * sweep.csv, one row per point (its parameter values, then every metric's
 * mean and 95% interval), summary.json (the keys, the listed metrics'
 * labels and each point's numbers), points/POINT/ (each point's
 * replicated run, as `run --replications` writes it), scenario.yaml (the
 * scenario before --vary) and charts/sweep-METRIC.png|svg, drawn from
 * those files (sweep_plot.h).
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

/* Replicate every point (o->replications), write the outputs and charts. */
enum experiment_status sweep_run(struct sweep *w, const struct run_options *o, FILE *err);

#endif
