/* stats: the statistics of replicated experiments. Sample mean, standard
 * deviation and the Student-t confidence interval of the mean (quantiles
 * computed from basic operations, the same bits everywhere), paired differences between two plans run with
 * common random numbers, and the verdict a comparison draws from them.
 *
 * Every function reads its values in the order given and sums them in that
 * order, so the same values give the same bytes whatever produced them (one
 * process, J workers or N MPI ranks). With one value the standard deviation
 * and the interval are NaN (undefined), never a guess. A value that is not
 * finite (NaN: undefined in its replication, such as the latency of a
 * bucket without payments) is left out, and so is a pair holding one; `n`
 * counts the values used, and with none the mean is NaN too.
 * Ownership: plain values in, plain structs out; nothing is allocated. */
#ifndef PILOTSIM_STATS_H
#define PILOTSIM_STATS_H

#include <stddef.h>

#define STATS_LEVEL 0.95 /* the confidence level every output uses */

struct stats_summary {
    size_t n;      /* values summarized (the finite ones) */
    double mean;   /* sample mean */
    double sd;     /* sample standard deviation (n - 1); NaN when n < 2 */
    double half;   /* half-width of the interval; NaN when n < 2 */
    double lo, hi; /* mean -/+ half */
};

/* Which way a difference points, judged by its interval. */
enum stats_direction {
    STATS_SAME = 0,   /* the interval holds zero: no significant difference */
    STATS_HIGHER = 1, /* the whole interval is above zero */
    STATS_LOWER = -1  /* the whole interval is below zero */
};

/* Two-sided Student-t quantile: t such that P(|T| <= t) = level, T with df
 * degrees of freedom (df >= 1, 0 < level < 1). */
double stats_t_quantile(double level, size_t df);

/* Summarize x[0], x[stride], ... (n values) at the given confidence level. */
void stats_summarize(const double *x, size_t n, size_t stride, double level,
                     struct stats_summary *out);

/* The paired difference b - a over n pairs (a[i * stride], b[i * stride]),
 * summarized at the given level: the difference of two plans that saw the
 * same random numbers in each replication. */
void stats_paired(const double *a, const double *b, size_t n, size_t stride, double level,
                  struct stats_summary *out);

/* The direction of a summarized difference (STATS_SAME when undefined). */
enum stats_direction stats_direction_of(const struct stats_summary *d);

/* 1 when the interval's half-width is at most `rel` times |mean| (a mean of 0
 * needs a half-width of 0); 0 otherwise, and when the interval is undefined. */
int stats_precise(const struct stats_summary *s, double rel);

#endif
