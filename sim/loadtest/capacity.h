/* capacity: the highest offered rate at which a load test's SLO holds.
 *
 * Each replication r searches independently on [lo, hi] (rates in
 * payments/s): a probe is a soak at the rate for `duration_s` after the
 * warm-up, with replication r's random streams, and passes when the SLO
 * holds over the whole soak. A search probes lo (a failure: no capacity),
 * then hi (a pass: the capacity is at the ceiling), then bisects: the
 * midpoint 0.5 (lo + hi) of the bracket, keeping the half whose lower end
 * passes and whose upper end fails, until the bracket is within `tol` of
 * its lower end, which is the result. The capacity is the mean of the
 * replications' results, with a Student-t interval (stats.h) when there
 * are two or more.
 *
 * Probes in parallel (k-section): with `jobs` workers each round probes
 * up to jobs rates at once, the next probe of each search and, beyond it,
 * the rates the bisection may want next (both quarter points after the
 * midpoint, then the eighths...), the likeliest first. A probe's verdict
 * depends only on its rate and its replication, and every search then
 * walks the same bisection over the probes it has, so its result, its
 * probes and their order in the log are those of one worker whatever
 * jobs is: the workers only decide how many rates are judged at once.
 * Probes the walk never reached are dropped (soaks counts them).
 *
 * The bottleneck is read from one more soak at the capacity: the resource
 * with the highest utilization (busy server time within the soak over
 * servers x its length, 0-1). Probes that see few payments judge little:
 * the result says so in its warnings. Every probe of the walks is kept
 * (struct capacity_probe): its soak is a point of the system's knee
 * (offered against achieved and p99), measured at one rate without the
 * profile's ramp before it, so a fault outside the soak (a scenario
 * outage at 00:04 against 60 s probes) does not bend it.
 * Ownership: capacity_search fills a caller-owned result; free it with
 * capacity_result_destroy. */
#ifndef PILOTSIM_CAPACITY_H
#define PILOTSIM_CAPACITY_H

#include <stddef.h>
#include <stdio.h>
#include "loadtest/loadtest.h"
#include "scenario/scenario.h"
#include "scenario/warnings.h"

struct progress;

#define CAPACITY_MIN_DURATION_S 1.0 /* the shortest probe: a shorter one sees next to no payments */
#define CAPACITY_FEW_PAYMENTS 100   /* below this many payments a probe's verdict is noise */

struct capacity_params {
    double lo, hi;         /* search bracket, payments/s (0 < lo < hi) */
    double duration_s;     /* each probe's soak (default 60 s, >= CAPACITY_MIN_DURATION_S) */
    double tol;            /* relative width at which to stop (default 0.01) */
    unsigned replications; /* independent searches (default 3) */
    unsigned jobs;         /* probes at once, each in a worker process (0 or 1: here) */
    struct progress *bar;  /* ticked while workers probe (NULL: none) */
    /* Told before each probe (NULL: nobody): probes done and an upper
     * bound of all the search will run (it falls as the brackets close). */
    void (*step)(void *ctx, unsigned done, unsigned bound);
    void *step_ctx;
};

/* One probe: a soak at one rate, judged whole. */
struct capacity_probe {
    unsigned replication;  /* 0-based */
    double offered_per_s;  /* the rate probed */
    double achieved_per_s; /* payments completed within the soak / its length */
    double p99_ms;         /* end-to-end, failed payments included */
    double failed_share;   /* failed after every retry / payments (0-1) */
    unsigned long long payments;
    int pass;   /* the SLO held over the soak */
    int faults; /* a fault or outage overlaps the soak */
};

struct capacity_result {
    int found;             /* 1: the lowest rate passed in every replication */
    int at_ceiling;        /* 1: the highest rate passed in some replication */
    double capacity_per_s; /* mean over replications (0 when not found) */
    double ci_lo, ci_hi;   /* 95% interval; NaN with one replication */
    double *per_rep;       /* [replications] each search's result */
    unsigned replications;
    unsigned probes;   /* soaks of the walks, the bottleneck's included (any jobs) */
    unsigned soaks;    /* soaks run, those the walks never reached too (depends on jobs) */
    size_t bottleneck; /* index of the most utilized resource */
    size_t n_resources;
    double *utilization; /* [n_resources] at the capacity, 0-1 */
    struct capacity_probe
        *probe; /* [n_probe] the search's probes in order (not the bottleneck's) */
    size_t n_probe;
    struct warnings warnings; /* the probes' (a fault outside the soak, too few payments) */
};

/* Search; 0, or -1 on no memory (message on err). base gives the warm-up,
 * retries, SLO (which must have terms), faults and the soaks' progress
 * callback. */
int capacity_search(const struct scenario *s, const struct loadtest_options *base,
                    const struct capacity_params *p, struct capacity_result *out, FILE *err);
/* The most probes a search of p runs, the bottleneck's soak included. */
unsigned capacity_probes_bound(const struct capacity_params *p);
void capacity_result_destroy(struct capacity_result *r);

#endif
