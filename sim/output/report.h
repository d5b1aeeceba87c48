/* report: writes a run's outputs (DESIGN.md's output contract) into a
 * directory: summary.json, timeseries.csv and the resolved scenario.yaml;
 * for a replicated run (R > 1) the same files with every metric's mean,
 * standard deviation and 95% interval, plus replications.csv. summary.json
 * has one shape at any R: a metric's value (the mean) under its name, its
 * `_sd`, `_ci_lo` and `_ci_hi` beside it, null for one run
 * (docs/outputs.md). One writer for any R: it reads
 * outcomes and names them by the catalog (metrics/catalog.h), so a metric
 * added there appears in every file.
 *
 * Every file is written to a temporary name in the same directory and
 * renamed into place only when complete, so a reader never sees a file
 * half-written and a failed run leaves no partial output. Numbers are
 * printed with fixed formats, so the same results give the same bytes.
 * Knows nothing of gnuplot. */
#ifndef PILOTSIM_REPORT_H
#define PILOTSIM_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "output/provenance.h"
#include "scenario/scenario.h"

/* One worker process or MPI rank of a replicated experiment. */
struct run_worker {
    char host[64];  /* where it ran */
    uint64_t tasks; /* replications it ran */
    double busy_s;  /* wall time it spent in them */
};

/* What depends on the machine or the moment: summary.json's `run` section.
 * A single run leaves backend NULL; a replicated one also says how the
 * replications were farmed out and how much each worker did. */
struct run_info {
    const char *version;
    char started_at[32]; /* ISO 8601, UTC */
    double wall_s;       /* the simulation's wall time */
    char host[64];
    const char *backend;                 /* "serial", "fork" or "mpi"; NULL for a single run */
    size_t n_workers;                    /* workers (processes or ranks) */
    const struct run_worker *workers;    /* [n_workers] */
    const struct provenance *provenance; /* run.provenance; NULL: none written.
                                            report_write sets the scenario hash
                                            on its own copy */
};

/* Create `dir` (and its parents) if needed; 0 or -1 with a message on err. */
int report_mkdir(const char *dir, FILE *err);

/* How --precision went, for summary.json (NULL when not asked for). */
struct report_precision {
    double target;              /* half-width / |mean| asked for */
    unsigned max_replications;  /* the cap */
    int reached;                /* every headline metric within the target */
    const char *const *metrics; /* the headline metrics */
    size_t n_metrics;
};

/* A run to write: R = 1 (the single run's layout) or R > 1. */
struct report_run {
    const struct scenario *s;
    const struct catalog *catalog; /* names of the outcomes' scalars */
    const struct outcome *reps;    /* [n_reps] in replication order */
    size_t n_reps;
    const struct outcome_summary *sum;        /* over reps; NULL when n_reps is 1 */
    const struct run_info *info;              /* the run section */
    const struct report_precision *precision; /* NULL without --precision */
};

/* Write summary.json, timeseries.csv (from the first replication's rows:
 * every replication has the same times and cities), scenario.yaml and, when
 * R > 1, replications.csv. 0, or -1 with a one-line message on err. */
int report_write(const char *dir, const struct report_run *run, FILE *err);

/* Write DIR/scenario.yaml, s resolved (scenario_write), and record the
 * SHA-256 of exactly those bytes in p (when not NULL), so a summary's
 * provenance names the file beside it. 0, or -1 with a message on err. */
int report_scenario(const char *dir, const struct scenario *s, struct provenance *p, FILE *err);
/* The same hash for a command that writes no scenario.yaml. 0 or -1. */
int report_scenario_hash(const struct scenario *s, struct provenance *p);

/* Writers shared with compare and sweep. */
typedef int (*report_write_fn)(FILE *f, const void *ctx);
/* Write dir/name through fn into a temporary file renamed into place when
 * complete. 0, or -1 with a message on err (and no file). */
int report_atomic(const char *dir, const char *name, report_write_fn fn, const void *ctx,
                  FILE *err);
void report_csv_field(FILE *f, const char *s); /* RFC 4180 quoting */
/* A number for CSV: integral values exactly, others with 10 significant
 * digits, nothing for NaN or infinity. */
void report_csv_number(FILE *f, double x);
void report_json_string(FILE *f, const char *s);
/* summary.json's `warnings`: a JSON array of strings, `[]` when empty. */
void report_json_warnings(FILE *f, const struct warnings *w);

/* A scenario file's stem: its name without directory and `.yaml` (or
 * `.yml`); returns where it starts in path and sets *len. */
const char *report_stem(const char *path, size_t *len);

/* Format scenario time t as local ISO 8601 (Asia/Shanghai) into buf[32]. */
void report_time(const struct scenario *s, double t, char buf[32]);

#endif
