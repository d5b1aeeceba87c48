/* budget: what a command will cost, estimated before it starts, and the
 * refusal of what the machine cannot hold or would not finish.
 *
 * A scenario's bounds (scenario.h) keep each value sane; their products
 * (a century at a one-second step, a whole country at sample 1 for
 * decades, 2,000 replications of a large run, a load profile of 10^12
 * payments) can still exceed the machine. Each simulating command sizes
 * its run here from the resolved inputs: the memory at its peak (the
 * people, merchants and wallets, the time series, the outcomes kept for
 * every replication, one model per parallel worker) and the events one
 * worker handles. budget_check refuses, with the part that dominates and
 * the way out, a command over --max-memory (default: the memory available
 * now) or over BUDGET_MAX_EVENTS events a worker.
 *
 * Estimates, not measurements: memory within a few tens of percent of the
 * peak, events within a small factor (adoption is a mean-field of the
 * model's Bass hazards). The limits sit far from the largest runs the
 * project needs (an hour at 300,000 payments/s, about 4e9 events; the
 * whole pilot at sample 1), so an estimate's error never decides those.
 * Ownership: plain values; struct budget is caller storage, no allocation. */
#ifndef PILOTSIM_BUDGET_H
#define PILOTSIM_BUDGET_H

#include <stddef.h>
#include <stdio.h>

#include "scenario/loadtest_spec.h"
#include "kernel/phold.h"
#include "scenario/scenario.h"

#define BUDGET_MAX_EVENTS 1e11 /* a worker's events: about 5 h at 5 M events/s */
#define BUDGET_MAX_PARTS 8

struct budget_part { /* one item of the memory estimate */
    char what[160];  /* "52400000 people at sample 1" */
    double bytes;
    const char *fix; /* the way out: "raise sample" */
};

struct budget {
    struct budget_part part[BUDGET_MAX_PARTS]; /* memory, by item */
    size_t n;
    double events;          /* events one worker handles (all its runs) */
    char events_what[200];  /* the largest source of events */
    const char *events_fix; /* its way out */
    double events_largest;  /* the events of that source */
    double payments;        /* e-CNY payments of one run (budget_run), simulated */
};

/* One replication of a scenario, in one process: its memory and events. */
void budget_run(const struct scenario *s, struct budget *b);

/* The work of one run expected by the end of each of its first `days`
 * days (ceil(duration / 1 d)), cumulative: the events of the same
 * mean-field as budget_run, each weighed by what it costs (an event costs
 * more as the wallets grow, budget.c). The work a progress bar measures,
 * since a day late in a growing pilot holds far more events than an early
 * one, and dearer ones. -1 when out of memory. */
int budget_work(const struct scenario *s, double *work, size_t days);

/* An experiment: n_plans plans (compare's plans, sweep's points) of `reps`
 * replications each (<= 1: the single run) on `jobs` workers in parallel
 * (0: one per core). Every outcome is kept until the summary; a worker
 * runs its replications one after another. */
void budget_experiment(const struct scenario *const *plans, size_t n_plans, unsigned reps,
                       unsigned jobs, struct budget *b);

/* A load test: the profile after a warm-up of warmup_s at its first rate,
 * reported every interval_s (a step profile: every step), with n_faults
 * --fault options (the scenario's outages are counted here), `reps` times
 * one after another. */
void budget_loadtest(const struct scenario *s, const struct loadtest_profile *p, double warmup_s,
                     double interval_s, size_t n_faults, unsigned reps, struct budget *b);

/* Add a capacity search to a load test's budget: `reps` bisections of
 * [lo, hi] to a relative width tol, each probe a soak of duration_s (after
 * the warm-up) at no more than hi. */
void budget_capacity(struct budget *b, double lo, double hi, double tol, double duration_s,
                     double warmup_s, unsigned reps);

/* A load test's runs on `workers` processes at once: the memory of a run
 * in each (the estimate's parts, their way out then fewer --jobs). */
void budget_loadtest_workers(struct budget *b, unsigned workers);

/* `bench phold`: every initial event a chain of about end / mean hops. */
void budget_phold(const struct phold_params *p, struct budget *b);

/* The memory of the estimate, bytes. */
double budget_bytes(const struct budget *b);

/* 0 when the estimate fits max_bytes and BUDGET_MAX_EVENTS; else -1 after
 * one line on err, `pilotsim CMD: ...`, naming the largest part and its
 * way out. `given`: max_bytes came from --max-memory (else: available). */
int budget_check(const struct budget *b, const char *cmd, double max_bytes, int given, FILE *err);

/* For a run that ran out of memory after all (the machine's memory went
 * to others, or the estimate fell short): "about 1.2 GiB, most for ...:
 * raise sample" into buf, so that the message names the real cause
 * rather than a guess. Returns buf. */
char *budget_explain(const struct scenario *s, char *buf, size_t size);

/* Memory available now: MemAvailable of /proc/meminfo, else free pages
 * (sysconf); 0 when neither is known (then nothing is refused for memory). */
double budget_available(void);

/* --max-memory's spelling: a number and a unit B, K, M, G, T or P (powers
 * of 1024; KiB, MB and the like read the same), e.g. 512M, 16G, 1.5T. 0, or
 * -1 when it is not such a size or not above 0. */
int budget_parse_size(const char *text, double *bytes);

/* A size for messages: 1.5 GiB, 512 MiB, 20 KiB. */
char *budget_fmt_size(char *buf, size_t size, double bytes);

#endif
