/* loadtest_report: writes a load test that loadtest_command has run,
 * merged and judged: DIR/loadtest.csv (one row per judged interval),
 * DIR/loadtest_resources.csv (per interval and resource), DIR/summary.json
 * (its `loadtest` section), DIR/charts/loadtest-{knee,latency,
 * utilization}.png|svg and DIR/report.html (docs/outputs.md), and the
 * interval lines on stdout. It writes what it is given and decides nothing: verdicts,
 * intervals over replications and the capacity come in the struct.
 * Files are written atomically; charts run gnuplot with the scenario's
 * text as argument data only.
 * Ownership: struct loadtest_report borrows everything it points to. */
#ifndef PILOTSIM_LOADTEST_REPORT_H
#define PILOTSIM_LOADTEST_REPORT_H

#include <stdio.h>
#include "loadtest/capacity.h"
#include "loadtest/loadtest.h"
#include "metrics/hist.h"
#include "output/provenance.h"
#include "scenario/scenario.h"
#include "scenario/warnings.h"

/* The latency quantiles every output reports: p50 p90 p99 p999 p9999 max. */
#define LOADTEST_REPORT_NQ 6

/* Everything the writers read. */
struct loadtest_report {
    const struct scenario *s;
    const struct loadtest_options *o; /* as run (replication aside) */
    const char *out_dir;
    const char *version;                 /* pilotsim's, for summary.json */
    const struct provenance *provenance; /* run.provenance, its scenario hash set (NULL: none) */
    int charts;                          /* draw the charts */
    const struct loadtest_result *m;     /* merged over the replications */
    unsigned R;                          /* replications */
    const double *reps_q;    /* [R][n_intervals + 1][NQ] each replication's quantiles, total last */
    const double *reps_wait; /* [R][n_resources] each replication's mean wait, ms */
    const int *verdict;      /* [n_intervals] 1 pass, 0 fail, -1 no SLO */
    const struct capacity_result *cap;        /* NULL: no capacity search */
    const struct capacity_params *cap_params; /* its bracket, soak and replications */
    double target_per_s;                      /* the rate the system should hold (0: none) */
    const char *const *fault_args;            /* [n_fault_args] the --fault texts, in order */
    size_t n_fault_args;
    const struct warnings *warnings; /* the scenario's, the runs', the search's */
    double wall_s;                   /* the replications' wall time */
    unsigned jobs;                   /* --jobs (run.jobs; 0 reads 1) */
    int forked;                      /* runs went to worker processes (run.backend) */
    double max_rss_bytes;            /* the process's peak resident memory then (0: unknown) */
    const char *started;             /* UTC, ISO 8601 */
    const char *host;
};

/* Quantile k (0 .. LOADTEST_REPORT_NQ - 1) of h, in ms. */
double loadtest_report_quantile(const struct hist *h, size_t k);
/* The mean wait (ms) before service of the hops resource r admitted in
 * interval t; 0 when none. */
double loadtest_report_mean_wait_ms(const struct loadtest_interval *t, size_t r);
/* Each judged interval and its verdict, on stdout. */
void loadtest_report_print(const struct loadtest_report *r);
/* The files, then the charts when r->charts, then report.html; 0, or -1
 * (message on err). */
int loadtest_report_write(const struct loadtest_report *r, FILE *err);

struct doc;
/* The load test's report (report.html's blocks) from the files in dir
 * alone: the verdict, the headline figures, the charts with captions, the
 * caveats, the appendix (loadtest_doc.h). For `pilotsim report DIR`. 0, or
 * -1 with a message on err. */
int loadtest_report_build(const char *dir, struct doc *d, FILE *err);

#endif
