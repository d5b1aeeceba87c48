/* evaluate: a scenario measured against a targets file (scenario/targets.h).
 *
 * Each replication measures every target from its own run: a series from
 * its time series (a city's, or the cities totalled by the catalog's rule;
 * a stock at the end of the bucket that holds `at`, a flow over that
 * bucket, or summed from the start with `cumulative`), a path from its
 * summary (the catalog's dotted names). The replications give each target
 * a mean and a Student-t interval (metrics/stats.h) in the target's unit.
 *
 * A target the scenario cannot measure (its date after the horizon or
 * before the start, a city of its scope, its city or its intervention
 * missing) is not applicable: NaN, with the reason, never an error.
 *
 * Replications run over `jobs` workers (replicate.h) and come back in
 * replication order, so the numbers are the same bytes for any jobs or MPI
 * ranks; replication r draws from the rng keyed by (the scenario's seed,
 * r), so every call sees the same random numbers (common random numbers
 * between candidate parameters).
 * Ownership: an evaluation is caller-owned storage (evaluate_run fills,
 * evaluate_destroy frees). */
#ifndef PILOTSIM_EVALUATE_H
#define PILOTSIM_EVALUATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/scenario.h"
#include "scenario/targets.h"

struct evaluation_target {
    double mean;   /* model mean, in the target's unit; NaN: not applicable */
    double ci_lo;  /* 95% Student-t interval of the mean; NaN with one */
    double ci_hi;  /*   replication, or not applicable */
    size_t n;      /* replications that measured it */
    double error;  /* (mean - observed) / tolerance: set by evaluate_objective */
    int within;    /* |error| <= 1: 1 or 0; -1 not applicable */
    char why[160]; /* not applicable: why ("" when applicable) */
};

struct evaluation {
    struct evaluation_target *targets; /* [n], in the targets file's order */
    size_t n;
    uint32_t replications;
    int leader; /* 0 on an MPI rank that only served: nothing measured */
};

/* Load a targets file (targets_load) with the columns and paths of the
 * metric catalog as its vocabulary. NULL after the errors on err. */
struct targets *evaluate_load_targets(const char *file, FILE *err);

/* Run `replications` replications of s over `jobs` workers (0: one per
 * core) and measure every target of t. 0, or -1 with a one-line message in
 * err[errlen] (out of memory, a failed run). Under MPI every rank calls
 * it; the ranks other than 0 serve and return 0 with out->leader 0. */
int evaluate_run(const struct scenario *s, const struct targets *t, uint32_t replications,
                 unsigned jobs, struct evaluation *out, char *err, size_t errlen);
/* The same with the progress bar (n/N replications) on a terminal unless
 * quiet: calibrate's one evaluation. A fit's many evaluations show their
 * own bar (fit_command.h) and call evaluate_run. */
int evaluate_run_shown(const struct scenario *s, const struct targets *t, uint32_t replications,
                       unsigned jobs, int quiet, struct evaluation *out, char *err, size_t errlen);

/* Fill each target's error and within, and return the objective: the sum
 * over applicable fit targets of ((mean - observed) / tolerance)^2, where
 * tolerance is in the target's unit (targets_tolerance_units); NaN when
 * no fit target is applicable. */
double evaluate_objective(const struct targets *t, struct evaluation *e);

void evaluate_destroy(struct evaluation *e);

#endif
