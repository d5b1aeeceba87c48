/* capacity: the highest offered rate at which a load test's SLO holds.
 *
 * Each replication r bisects independently on [lo, hi] (rates in
 * payments/s): a probe is a soak at the rate for `duration_s` after the
 * warm-up, with replication r's random streams, and passes when the SLO
 * holds over the whole soak. The search keeps the highest passing rate and
 * stops when the bracket is within `tol` of it. The capacity is the mean of
 * the replications' results, with a Student-t interval (stats.h) when there
 * are two or more. The bottleneck is read from one more soak at the
 * capacity: the resource with the highest utilization (busy server time
 * within the soak over servers x its length, 0-1). Probes that see few
 * payments judge little: the result says so in its warnings.
 * Ownership: capacity_search fills a caller-owned result; free it with
 * capacity_result_destroy. */
#ifndef PILOTSIM_CAPACITY_H
#define PILOTSIM_CAPACITY_H

#include <stddef.h>
#include <stdio.h>
#include "loadtest/loadtest.h"
#include "scenario/scenario.h"
#include "scenario/warnings.h"

#define CAPACITY_MIN_DURATION_S 1.0 /* the shortest probe: a shorter one sees next to no payments */
#define CAPACITY_FEW_PAYMENTS 100   /* below this many payments a probe's verdict is noise */

struct capacity_params {
    double lo, hi;         /* search bracket, payments/s (0 < lo < hi) */
    double duration_s;     /* each probe's soak (default 60 s, >= CAPACITY_MIN_DURATION_S) */
    double tol;            /* relative width at which to stop (default 0.01) */
    unsigned replications; /* independent searches (default 3) */
};

struct capacity_result {
    int found;             /* 1: the lowest rate passed in every replication */
    int at_ceiling;        /* 1: the highest rate passed in some replication */
    double capacity_per_s; /* mean over replications (0 when not found) */
    double ci_lo, ci_hi;   /* 95% interval; NaN with one replication */
    double *per_rep;       /* [replications] each search's result */
    unsigned replications;
    unsigned probes;   /* soaks run */
    size_t bottleneck; /* index of the most utilized resource */
    size_t n_resources;
    double *utilization;      /* [n_resources] at the capacity, 0-1 */
    struct warnings warnings; /* the probes' (a fault outside the soak, too few payments) */
};

/* Search; 0, or -1 on no memory (message on err). base gives the warm-up,
 * retries, SLO (which must have terms) and faults. Progress on `log`
 * unless NULL. */
int capacity_search(const struct scenario *s, const struct loadtest_options *base,
                    const struct capacity_params *p, struct capacity_result *out, FILE *log,
                    FILE *err);
void capacity_result_destroy(struct capacity_result *r);

#endif
