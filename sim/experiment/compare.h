/* compare: rollout plans side by side, with common random numbers.
 *
 * Every plan runs replications 0..R-1 with the same seed, so in replication
 * r every plan sees the same people, purchases and draws wherever the plans
 * agree (the rng keys each draw by purpose, agent and counter), and the
 * difference of a metric between two plans is paired: its interval reflects
 * the plans' difference, not the noise both share. Plans must share start,
 * duration, step and cities (else bad input); the first plan is the baseline.
 *
 * Outputs under DIR: compare.csv (every metric the plans share, per plan:
 * mean, interval, difference to the baseline with its interval, verdict),
 * summary.json (compare_summary.h), compare.md and report.html (the memo,
 * compare_memo.h), charts/ (each plan overlaid with its band) and
 * plans/LABEL/ (each plan's replicated run outputs). Everything after the
 * plans' outputs and compare.csv is built from the files, so `pilotsim
 * report` and `pilotsim plot` rebuild it alike.
 * Ownership: compare_load returns a heap object freed with compare_free;
 * struct compare owns every array in it. */
#ifndef PILOTSIM_COMPARE_H
#define PILOTSIM_COMPARE_H

#include <stdio.h>
#include "experiment/experiment.h"
#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "metrics/stats.h"
#include "scenario/scenario.h"

#define COMPARE_MAX_PLANS 16
#define COMPARE_DEFAULT_REPS 10

#define COMPARE_LABEL_MAX 64

/* A comparison: the plans, their catalogs and, after compare_run, every
 * common metric summarized per plan and as a paired difference. Owned by
 * compare.c; the memo (compare_memo.h) only reads it. */
struct compare {
    struct scenario **plans;           /* [n]: plans[0] is the baseline */
    struct catalog **catalogs;         /* [n] */
    char (*labels)[COMPARE_LABEL_MAX]; /* [n]: file names, unique, path-safe */
    size_t n;
    size_t *metrics; /* [n_metrics]: common metrics, indices
                                           into catalogs[0] */
    size_t n_metrics;
    unsigned reps;               /* replications per plan */
    struct stats_summary *means; /* [n_metrics * n]: metric j, plan p at j * n + p */
    struct stats_summary *diffs; /* [n_metrics * n]: plan p - baseline, paired */
    double practical;            /* a significant difference below this share of the
                         baseline is "no practical difference" (--practical) */
};

/* Load and check the plans (paths[0] the baseline), each with `sets`
 * applied; the seed of the first plan is used for all unless `sets` sets
 * one. NULL after a one-line message on err: bad input (exit 2). */
struct compare *compare_load(const char *const *paths, size_t n, const char *const *sets,
                             size_t n_sets, FILE *err);
void compare_free(struct compare *c); /* NULL does nothing */
/* The plans, baseline first (for estimates before compare_run). */
const struct scenario *const *compare_plans(const struct compare *c, size_t *n);

/* Replicate every plan (o->replications, at least 2), write the outputs and
 * draw the charts. */
enum experiment_status compare_run(struct compare *c, const struct run_options *o, FILE *err);
/* Fill c's means and paired differences (plan p minus the baseline) from
 * out[p * reps + r], plan p's replication r: what compare_run does once the
 * replications are back. 0, or -1 when out of memory. */
int compare_summarize(struct compare *c, const struct outcome *out, unsigned reps);

#endif
