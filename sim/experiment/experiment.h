/* experiment: runs the pipeline of DESIGN.md for a scenario (model, reports,
 * charts), once or as R independent replications summarized with 95%
 * intervals, optionally replicating until the headline metrics are precise
 * enough. compare.h and sweep.h build on it; knows nothing of event handling.
 *
 * Replication r draws from the rng keyed by r, so replication 0 is the single
 * run, and the outputs do not depend on how many workers (--jobs) or MPI
 * ranks computed them: outcomes are merged in replication order.
 * Ownership: borrows the scenario; writes only under options->out_dir. */
#ifndef PILOTSIM_EXPERIMENT_H
#define PILOTSIM_EXPERIMENT_H

#include <stdio.h>
#include "metrics/outcome.h"
#include "experiment/replicate.h"
#include "output/report.h"
#include "scenario/scenario.h"

#define EXPERIMENT_MIN_PRECISION_REPS 5 /* --precision's default minimum */
#define EXPERIMENT_MAX_REPS 100000      /* the most any command accepts */
#define EXPERIMENT_DEFAULT_MAX_REPS 100 /* --precision's cap unless given */

struct run_options {
    const char *out_dir;                 /* where outputs go (created) */
    const char *version;                 /* recorded in summary.json's run section */
    const struct provenance *provenance; /* run.provenance of every summary.json */
    int quiet;                           /* no progress bar, no closing line */
    int charts;                          /* draw charts (and the scenario's outputs.charts) */
    int long_csv;                        /* --long: write DIR/long.csv (output/long_csv.h) */
    unsigned replications;               /* R: 0 or 1 a single run; with precision, the minimum */
    unsigned jobs;                       /* worker processes (0: one per core) */
    double precision;                    /* > 0: replicate until the headline metrics' 95%
                              half-width is at most this share of their mean */
    unsigned max_replications;           /* the cap with precision (0: 100) */
};

/* Outcome of a run, mapped to exit statuses (exitcode.h) by command.c. */
enum experiment_status { EXPERIMENT_OK = 0, EXPERIMENT_FAILED = 1 };

/* Simulate (once, or replicated), write the outputs and draw the charts. */
enum experiment_status experiment_run(const struct scenario *s, const struct run_options *o,
                                      FILE *err);

/* The headline metrics (--precision's, compare.md's first rows). */
size_t experiment_headline(const char *const **names);

/* Fill info's machine-dependent fields (time, host) and the wall time. */
void experiment_run_info(struct run_info *info, const char *version, double wall_s);

/* A farm for n plans. On the leader it returns the farm; on a worker (an MPI
 * rank other than 0) it serves the leader to the end, frees the farm, sets
 * *status and returns NULL, as it does (status FAILED) when out of memory. */
struct replicate_farm *experiment_farm(const struct scenario *const *plans, size_t n,
                                       const struct run_options *o, FILE *err,
                                       enum experiment_status *status);

/* Run replications 0..reps-1 of each of n_plans plans on the farm: out[p *
 * reps + r] is plan p's replication r. 0, or -1 with a message on err. */
int experiment_replicate(struct replicate_farm *farm, size_t n_plans, unsigned reps,
                         int want_series, struct outcome *out, FILE *err);

#endif
