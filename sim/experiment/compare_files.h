/* compare_files: a comparison read back from its output directory, so that
 * the memo (compare.md, report.html), the top-level summary.json and the
 * charts are built from what is on disk, never from a run's memory:
 * `pilotsim report DIR` and `pilotsim plot DIR` then rebuild exactly what
 * `compare` wrote.
 *
 * What it reads: DIR/compare.csv (the plans, baseline first, as its `plan`
 * column lists them; every metric's means, paired differences and
 * verdicts), each DIR/plans/LABEL/summary.json (the scenario's name, the
 * replications, sampling, the interventions' money), replications.csv (the
 * replications' values, to pair any two plans) and scenario.yaml (the
 * resolved plan, to say how it differs), and DIR/summary.json's
 * `practical` when there. summary.json's metrics may be plain numbers or
 * {"mean": ...} objects: both read as the mean.
 * Ownership: compare_files_read fills a struct the caller owns; everything
 * in it is freed by compare_files_destroy (also after a failed read). */
#ifndef PILOTSIM_COMPARE_FILES_H
#define PILOTSIM_COMPARE_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/catalog.h"
#include "metrics/stats.h"
#include "scenario/scenario.h"

#define COMPARE_FILES_PRACTICAL 0.01 /* --practical's default: 1% of the baseline */

/* One plan's figures for one metric, as compare.csv has them. */
struct compare_files_cell {
    double mean, lo, hi;   /* the plan's mean and 95% interval (NAN: empty) */
    double diff, dlo, dhi; /* plan - baseline, paired (NAN for the baseline) */
    char verdict[32];      /* compare.csv's word: "better", "baseline", ... */
};

struct compare_files_metric {
    char *name;                       /* "total.adoption" */
    char better[8];                   /* "higher", "lower" or "neither" */
    struct compare_files_cell *cells; /* [n plans] */
};

struct compare_files_plan {
    char *label;        /* plans/LABEL: the file stem, path-safe */
    char *name;         /* the scenario's name: what the reader calls it */
    struct scenario *s; /* plans/LABEL/scenario.yaml, loaded */
    unsigned reps;      /* replications */
    double sample;      /* one simulated person in `sample` */
    int latency_exact;  /* summary.json's latency_exact */
    double lottery_fen; /* envelope money spent (lotteries' spent_fen) */
    double subsidy_fen; /* merchant subsidies paid (campaigns' subsidy_fen) */
    double salary_fen;  /* salaries and subsidies paid (salaries' paid_fen) */
    char **columns;     /* replications.csv's header names [n_columns] */
    size_t n_columns;
    double *values; /* [reps * n_columns], replication by replication */
};

struct compare_files {
    struct compare_files_plan *plans; /* [n]: plans[0] the baseline */
    size_t n;
    struct compare_files_metric *metrics; /* compare.csv's metrics, in order */
    size_t n_metrics;
    double practical; /* DIR/summary.json's, else COMPARE_FILES_PRACTICAL */
};

/* The headline metrics, in the memo's and summary.json's order: the name
 * (as in compare.csv), the memo table's label, how a sentence says it, and
 * whether the memo's one-page table shows it (the rest: its appendix). */
struct compare_files_headline {
    const char *metric, *label, *words;
    int table;
};
const struct compare_files_headline *compare_files_headlines(size_t *n);

/* Read DIR's comparison into *cf (zeroed first). 0; or -1 after one line on
 * err naming the file that is missing or malformed. */
int compare_files_read(const char *dir, struct compare_files *cf, FILE *err);
void compare_files_destroy(struct compare_files *cf);

/* A metric's index in cf->metrics by name, or -1. */
long compare_files_metric(const struct compare_files *cf, const char *name);
/* Plan p's replications of a metric (replication r at [r * *stride]), or
 * NULL when its replications.csv has no such column. */
const double *compare_files_reps(const struct compare_files *cf, size_t p, const char *name,
                                 size_t *stride);
/* Which cities have something to draw in each compare chart k (output/
 * plot.h): drawn[k * SCENARIO_MAX_CITIES + city] is 1 when some plan's
 * timeseries.csv has a value above zero there (a mean, or a band's top).
 * 0, or -1 after a message (a plan's timeseries.csv unreadable). */
int compare_files_drawn(const char *dir, const struct compare_files *cf, int *drawn, FILE *err);
/* Everything the plan's interventions paid out, in fen. */
double compare_files_spending(const struct compare_files_plan *p);

/* The verdict on a difference d (plan - reference) of a metric that is
 * `better` one way: "no significant difference" when its interval holds
 * zero; "no practical difference" when it does not but |mean| is below
 * practical x |reference| (the reference's mean); else "better" or
 * "worse" ("higher" or "lower" for a metric better neither way). */
const char *compare_files_verdict(enum catalog_better better, const struct stats_summary *d,
                                  double reference, double practical);
/* compare.csv's `better` word back to the catalog's enum. */
enum catalog_better compare_files_better(const char *word);

#endif
