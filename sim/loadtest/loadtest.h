/* loadtest: drives a scenario's payment infrastructure (operators, ledger,
 * interbank routing, timeouts) at full scale with an open-loop arrival
 * process following a load profile, and measures it honestly.
 *
 * Open loop: fresh payments arrive on a non-homogeneous Poisson process
 * whose rate follows the profile (piecewise linear segments, arrivals by
 * inverting the integrated rate), never waiting for the system. A payment's
 * latency runs from its intended arrival to the completion of its last
 * attempt, retries and back-off included. An attempt has a deadline (the
 * payer operator's timeout): a hop that would start after it is dropped by
 * the server (no service spent), one that ends after it timed out (service
 * wasted); either way the client retries after an exponential back-off with
 * jitter, up to `retry.max` times, then the payment fails. Failed payments
 * enter the latency histograms at the moment the client gave up, so
 * failures never vanish from the percentiles.
 *
 * Clock: 0 is the scenario's start and the profile's start; the warm-up
 * runs before it, at the profile's first rate, and is left out of every
 * judged figure. Faults (CLI or the scenario's outage interventions) use
 * the same clock. Results are kept per interval (a step of a step profile,
 * else `interval_s`) and per resource (operators in scenario order, then the
 * ledger), as exactly mergeable histograms; once no payment can reach an
 * interval any more, its histograms leave memory for a temporary file
 * (loadtest_interval reads them back), so a run's memory does not grow
 * with its length. After the profile's end comes
 * the drain (payments in flight finishing, retries, queues emptying): it
 * has an interval of its own, never judged nor reported as a row, so no
 * judged interval holds work done after its end (a utilization is busy
 * server time within the interval over servers x its length: 0-1).
 * Ownership: loadtest_run fills a caller-owned struct loadtest_result,
 * released with loadtest_result_destroy; options borrow their faults. */
#ifndef PILOTSIM_LOADTEST_H
#define PILOTSIM_LOADTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "metrics/metrics.h"
#include "scenario/scenario.h"
#include "scenario/loadtest_spec.h"
#include "loadtest/slo.h"
#include "scenario/warnings.h"

/* The most reporting intervals a run may have (rows of loadtest.csv): each
 * keeps its counts in memory (its histograms go to a temporary file once
 * closed), and the rows are for reading; a longer profile takes a longer
 * --interval. */
#define LOADTEST_MAX_INTERVALS 10000
/* Recovery times are measured on buckets of the intended arrival time: one
 * second each, widened for profiles longer than this many seconds so that
 * their count stays bounded. */
#define LOADTEST_RECOVERY_BUCKETS (1u << 20)

struct loadtest_options {
    struct loadtest_profile profile;
    double interval_s; /* reporting interval (default 10 s; steps for step) */
    double warmup_s;   /* default 30 s */
    struct loadtest_retry retry;
    struct slo slo;                      /* n = 0: none */
    const struct loadtest_fault *faults; /* [n_faults] (borrowed), besides the scenario's outages */
    size_t n_faults;
    unsigned replication; /* the rng's replication key */
    int use_outages;      /* apply the scenario's outage interventions */
    int keep_resources;   /* keep per-interval per-resource histograms */
    const char *span;     /* the profile's name in warnings (NULL: "the profile") */
    /* Told now and then how far the run is (NULL: nobody): seconds since
     * the warm-up began, of warm-up + profile (the drain is not counted). */
    void (*progress)(void *ctx, double done_s, double total_s);
    void *progress_ctx;
};

/* One interval's (or the whole run's) figures. Payments are counted by the
 * interval of their intended arrival, resource figures by the time of the hop. */
struct loadtest_interval {
    double t0, t1;             /* profile clock; interval 0 is the warm-up */
    uint64_t offered;          /* fresh payments arriving */
    uint64_t attempts;         /* attempts, retries included */
    uint64_t ok, failed;       /* payments completed / failed after retries */
    uint64_t done;             /* payments completed within the interval (by completion time) */
    uint64_t timeouts, drops;  /* attempts timed out / dropped by a server */
    int64_t value_fen;         /* value of completed payments */
    struct hist *latency;      /* end-to-end, from the intended arrival */
    double *busy_s;            /* [n_resources] service time within the interval */
    uint64_t *jobs;            /* [n_resources] hops admitted */
    double *wait_s;            /* [n_resources] their waits before service */
    uint32_t *max_queue;       /* [n_resources] longest queue */
    struct hist **res_latency; /* [n_resources] hop sojourn (NULL unless kept) */
};

struct loadtest_fault_result {
    struct loadtest_fault fault;
    uint64_t failed;      /* payments failed, arriving from the fault's start to recovery */
    uint64_t backlog;     /* the resource's queue at the fault's end */
    uint64_t backlog_max; /* its longest queue during the fault */
    double recovery_s;    /* fault end -> p99 back under the SLO; < 0: never */
};

struct loadtest_result {
    size_t n_resources;              /* operators, then the ledger */
    unsigned *servers;               /* [n_resources] */
    size_t n_intervals;              /* the warm-up and the judged intervals */
    struct loadtest_interval *iv;    /* [n_intervals + 1]: iv[n_intervals] is the drain */
    struct loadtest_interval total;  /* every judged interval (not the warm-up, not the drain) */
    double *res_wait_s, *res_q_area; /* [n_resources] whole run: waits, queue integral */
    double *res_drop_wait_s;         /* [n_resources] whole run: waits of dropped jobs */
    uint64_t *res_jobs_all;          /* [n_resources] whole run */
    double horizon_s;                /* warm-up + profile + drain (internal clock) */
    uint64_t events;                 /* engine events handled */
    size_t n_faults;                 /* the options' faults, then the scenario's outages */
    struct loadtest_fault_result *faults; /* [n_faults] */
    struct warnings warnings; /* what the run did not refuse (a fault past the profile) */
    /* Closed intervals' histograms, out of memory (loadtest.c): iv[i].latency
     * and res_latency[] are NULL for those; loadtest_interval reads them. */
    struct loadtest_spool *spool;
};

/* Interval i (0 .. n_intervals) with its histograms: &iv[i] while they
 * are in memory, else a copy with them read back from the spool, valid
 * until the next call on r. Every reader of an interval's latency goes
 * through it. NULL when they cannot be read back (an I/O error on the
 * temporary file). */
const struct loadtest_interval *loadtest_interval(const struct loadtest_result *r, size_t i);

/* Defaults: the (interval 10 s, warm-up 30 s, 2 retries from 1 s with
 * full jitter, no SLO, no faults, the scenario's outages applied). */
void loadtest_options_default(struct loadtest_options *o);

/* The rate (payments/s) at which the first resource saturates, from the
 * operator mix, servers and mean service times (utilization 1). */
double loadtest_nominal_capacity(const struct scenario *s);
/* The default profile: a ramp from 10% to 150% of the nominal capacity
 * over 10 minutes, so it starts where the system copes and ends past where
 * it breaks. */
void loadtest_default_profile(const struct scenario *s, struct loadtest_profile *p);

/* Whether the options can run: a profile and an interval that make at most
 * LOADTEST_MAX_INTERVALS intervals, finite durations. 0, or -1 with a
 * one-line reason (what was expected) in why[size]. */
int loadtest_options_check(const struct loadtest_options *o, char *why, size_t size);

/* Run the load test once; 0, or -1 on options that fail loadtest_options_check,
 * no memory, or a value of payments beyond int64 fen (message on err). */
int loadtest_run(const struct scenario *s, const struct loadtest_options *o,
                 struct loadtest_result *out, FILE *err);
void loadtest_result_destroy(struct loadtest_result *r);
/* An empty result shaped as a run's (loadtest_run makes its own): nres
 * resources, n_iv intervals and the drain, room for n_faults faults (none
 * counted yet), per-resource histograms when keep; histograms for the
 * warm-up, the drain and the total, a judged interval's when it is opened.
 * 0, or -1 (no memory: loadtest_result_destroy frees what was made). */
int loadtest_result_init(struct loadtest_result *r, size_t nres, size_t n_iv, size_t n_faults,
                         int keep);
/* Interval i (0 .. n_intervals) gets empty histograms, unless it has them
 * or they are in the spool. 0, or -1 (no memory). */
int loadtest_interval_open(struct loadtest_result *r, size_t i);
/* Interval i's histograms out to the temporary file (loadtest_interval
 * reads them back): what a run does as each interval closes, so that its
 * memory does not grow with its length. They stay in memory when there is
 * no temporary file or it cannot be written. */
void loadtest_interval_spool(struct loadtest_result *r, size_t i);
/* Add `from` (same scenario and options) into `into`: counts and histograms
 * add exactly; busy time adds (utilization is then over R replications);
 * warnings are merged. 0, -1 (different shapes, or no memory), or -2 (the
 * value of payments overflowed int64 fen). */
int loadtest_result_merge(struct loadtest_result *into, const struct loadtest_result *from);
/* The SLO sample of an interval. */
struct slo_sample loadtest_sample(const struct loadtest_interval *iv);
/* The display name of resource i ("ledger" for the last). */
const char *loadtest_resource_id(const struct scenario *s, size_t i);

#endif
