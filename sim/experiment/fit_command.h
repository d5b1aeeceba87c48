/* fit_command: `pilotsim calibrate --fit KEY=LO:HI`: the scenario's keys
 * fitted to the targets whose role is fit (fit.h does the search).
 *
 * A candidate is the scenario loaded with the command line's --set, then
 * one `KEY=VALUE` per fitted key (the value printed with 9 significant
 * digits, or 2 decimals for money and none for a count where the scenario
 * refuses more, so that calibrated.yaml holds exactly what was evaluated), and
 * evaluated over R replications with the same seeds every time (common
 * random numbers: evaluate.h); the objective is evaluate_objective's sum
 * of squared errors in tolerances. Under MPI every rank follows the same
 * search: rank 0's objective is shared bit for bit after each evaluation.
 * A progress line on stderr (not with --quiet, only on a terminal) shows
 * the evaluations and the best objective so far.
 * Ownership: fit_outcome is caller storage; fit_command_destroy frees what
 * fit_command_run put in it (the best scenario, its evaluation, the rows). */
#ifndef PILOTSIM_FIT_COMMAND_H
#define PILOTSIM_FIT_COMMAND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiment/evaluate.h"
#include "experiment/fit.h"
#include "scenario/scenario.h"
#include "scenario/targets.h"

#define FIT_COMMAND_MAX_SETS 256 /* the command line's --set */

struct fit_command {
    const char *path;        /* the scenario file */
    const char *const *sets; /* the command line's --set (and --seed), in order */
    size_t n_sets;           /* at most FIT_COMMAND_MAX_SETS */
    const struct targets *targets;
    const char *const *fits; /* --fit KEY=LO:HI */
    size_t n_fits;
    uint32_t replications;    /* per evaluation */
    unsigned jobs;            /* workers (0: one per core) */
    unsigned max_evaluations; /* 0: FIT_DEFAULT_EVALUATIONS */
    int quiet;
    int charts; /* draw calibrate.png (not with --no-charts) */
};

struct fit_outcome {
    struct fit_key keys[FIT_MAX_KEYS];
    double start[FIT_MAX_KEYS]; /* the scenario's values, or the middles */
    size_t n_keys;
    int decimals[FIT_MAX_KEYS]; /* -1: 9 significant digits; 2: money; 0: a count */
    struct fit_result result;
    char best_sets[FIT_MAX_KEYS][FIT_KEY_LEN + 32]; /* KEY=VALUE at the best point */
    struct scenario *best;                          /* the scenario at the best point */
    struct evaluation eval;                         /* its evaluation (every target) */
    double *rows;         /* every evaluation: curvature (0 or 1), x[n_keys],
                               objective, fit means */
    size_t n_rows, width; /* rows, doubles a row */
    int leader;           /* 0 on an MPI rank that only served */
};

/* Parse --fit and check every key on the scenario (a key it does not know,
 * bounds it refuses, a key through a list other than interventions): 0, or
 * -1 after one line per error on err (exit 2). */
int fit_command_prepare(const struct fit_command *fc, struct fit_outcome *out, FILE *err);

/* The fit, then the best point's scenario and evaluation. 0, or -1 after a
 * message on err (a run failed, out of memory): exit 1. The identification
 * is said on err (keys not identified, by name). */
int fit_command_run(const struct fit_command *fc, struct fit_outcome *out, FILE *err);

void fit_command_destroy(struct fit_outcome *o);

#endif
