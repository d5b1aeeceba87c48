/* loadtest_summary: a load test's results read back from its directory
 * (DIR/summary.json, whose `loadtest` section loadtest_report wrote), so
 * that the terminal's verdict, report.html and the charts all say what the
 * files say, and `pilotsim report DIR` and `pilotsim plot DIR` rebuild
 * exactly what the command wrote. It also words the verdict: the answer in
 * a few plain sentences (capacity against the target, bottleneck, faults,
 * SLO), the same on the terminal and in the report.
 * A figure the file gives as null (or leaves out) is NaN here; a count
 * left out is 0.
 * Ownership: struct loadtest_summary owns its strings and arrays
 * (loadtest_summary_read fills a caller-owned struct; release it with
 * loadtest_summary_destroy, also after a failed read). */
#ifndef PILOTSIM_LOADTEST_SUMMARY_H
#define PILOTSIM_LOADTEST_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#define LOADTEST_SUMMARY_NQ 6 /* p50 p90 p99 p999 p9999 max */
#define LOADTEST_SUMMARY_TERMS 8

struct loadtest_summary_resource {
    char *id, *name;
    double servers, jobs, utilization, queue_max, mean_wait_ms, p99_ms;
    double bottleneck_utilization; /* at the capacity (NaN: no search) */
};

struct loadtest_summary_fault {
    char *name; /* `--fault TEXT` or `outage 'ID'` */
    char *resource;
    double from_s, until_s, capacity, failed, backlog, backlog_max;
    double recovery_s; /* NaN: never, no latency SLO, or past the profile */
};

/* The first judged step (or interval) whose SLO failed. */
struct loadtest_summary_failure {
    double start_s, end_s, offered_per_s;
    size_t n;                                /* failing terms */
    char term[LOADTEST_SUMMARY_TERMS][48];   /* as written: "p99<500ms" */
    double observed[LOADTEST_SUMMARY_TERMS]; /* ms for latency, share 0-1 else */
};

struct loadtest_summary {
    char *scenario, *profile, *slo; /* slo NULL: none */
    char *version, *started_at;
    int has_provenance; /* run.provenance is there (provenance_read reads it) */
    double seed, replications, warmup_s, interval_s, wall_s;
    int slo_passed; /* 1, 0, or -1 (no SLO) */
    double steps, steps_failed;
    double payments, completed, failed, timed_out, dropped, retries_sent;
    double offered_per_s, achieved_per_s;
    double latency_ms[LOADTEST_SUMMARY_NQ];
    double target_per_s;                   /* NaN: none */
    int has_failure;                       /* first_failure given */
    struct loadtest_summary_failure first; /* when has_failure */
    int searched;                          /* --find-capacity ran */
    double capacity_per_s, ci_lo, ci_hi;   /* NaN: none found, or no interval */
    int at_ceiling;
    double probes, probe_duration_s;
    double replications_search; /* the capacity search's replications */
    double range_lo, range_hi;  /* its bracket, payments/s */
    double duration_s;          /* the profile's length */
    char *bottleneck;           /* resource id, NULL: none */
    struct loadtest_summary_resource *res;
    size_t n_res;
    struct loadtest_summary_fault *fault;
    size_t n_fault;
    char **warning;
    size_t n_warning;
};

/* Read DIR/summary.json of a load test. 0, or -1 with one line on err
 * (unreadable, or not a load test's summary). */
int loadtest_summary_read(const char *dir, struct loadtest_summary *s, FILE *err);
void loadtest_summary_destroy(struct loadtest_summary *s);

/* The resource with id `id`, or NULL. */
const struct loadtest_summary_resource *loadtest_summary_resource(const struct loadtest_summary *s,
                                                                  const char *id);

/* The verdict's sentences, one per call of `say`, the answer first
 * (the capacity when searched, else the SLO), then the bottleneck, each
 * fault, the SLO; each whole and in plain words with units;
 * `say` gets the topic ("Capacity", "Bottleneck", "Outage", "SLO") and
 * the sentence. */
void loadtest_summary_verdict(const struct loadtest_summary *s,
                              void (*say)(void *ctx, const char *topic, const char *text),
                              void *ctx);
/* A rate for people: "13,746 payments/s". */
void loadtest_summary_rate(char *buf, size_t size, double per_s);
/* A whole number with thousands separators: "13,746". */
void loadtest_summary_count(char *buf, size_t size, double x);
/* A share 0-1 as a percentage: "43.7%", "0.05%". */
void loadtest_summary_percent(char *buf, size_t size, double share);
/* A latency for people: "87 ms", "1.2 s", "32.7 s". */
void loadtest_summary_ms(char *buf, size_t size, double ms);

#endif
