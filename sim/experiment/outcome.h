/* outcome: what one replication measured, as a flat vector of numbers that
 * travels between processes, and the catalog that names those numbers.
 *
 * A scenario's catalog lists its scalar metrics in a fixed order: `events`,
 * the all-city totals (`total.wallets`, ...), each city's (`cities.ID.*`,
 * latency as `cities.ID.latency_ms.p99`), each intervention's
 * (`interventions.ID.*`) and the money counters (`money.*`). The same dotted
 * names head replications.csv, compare.csv and sweep.csv. Each metric says
 * which way is better (docs/experiments.md). The time series keeps the
 * columns of timeseries.csv, one row per (bucket, city).
 *
 * An outcome is plain numbers (counts exact as doubles below 2^53), so a
 * worker process or MPI rank sends it as an array of doubles and the merge is
 * independent of who computed it.
 * Ownership: catalogs are heap objects (outcome_catalog_new/free); an
 * outcome is caller-owned storage (outcome_run fills, outcome_destroy frees). */
#ifndef PILOTSIM_OUTCOME_H
#define PILOTSIM_OUTCOME_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "scenario/scenario.h"
#include "metrics/catalog.h"
#include "metrics/stats.h"

#define OUTCOME_COLS CATALOG_N_COLUMNS  /* time-series values per row (after time, city) */
#define OUTCOME_ROW (2 + OUTCOME_COLS)   /* doubles per row: time_s, city, values */

enum outcome_better { OUTCOME_HIGHER, OUTCOME_LOWER, OUTCOME_NEITHER };

enum outcome_section { OUTCOME_TOP, OUTCOME_TOTAL, OUTCOME_CITY, OUTCOME_INTERVENTION,
                       OUTCOME_MONEY };

struct outcome_metric {
    const char *name;              /* full dotted name (points into the catalog) */
    const char *leaf;              /* within its object: `adoption`, `latency_ms.p99` */
    enum outcome_section section;
    size_t owner;                  /* city or intervention index */
    enum outcome_better better;
};

struct outcome_catalog {
    struct outcome_metric *metrics;  /* [n] in output order */
    size_t n;
    char *names;                     /* storage of every name */
};

/* The value columns of timeseries.csv, in order (after `time` and `city`). */
const char *outcome_series_column(size_t col);

struct outcome_catalog *outcome_catalog_new(const struct scenario *s);   /* NULL: no memory */
void outcome_catalog_free(struct outcome_catalog *c);                  /* NULL does nothing */
/* Index of a metric by name, or -1. */
long outcome_catalog_find(const struct outcome_catalog *c, const char *name);
/* "higher", "lower" or "neither". */
const char *outcome_better_name(enum outcome_better b);

struct outcome {
    double *values;        /* [n_scalars + n_rows * OUTCOME_ROW] */
    size_t n_scalars;      /* as the catalog */
    size_t n_rows;         /* time-series rows (0 when not wanted) */
    int complete;          /* the replication reached its horizon */
    double wall_s;         /* the worker's wall time for it (machine-dependent) */
    double payments_sim;   /* payments simulated, unscaled (for payments_per_s) */
};

/* Run replication `replication` of `s` and fill `o` (series only when
 * want_series). 0, or -1 when out of memory. */
int outcome_run(const struct scenario *s, uint32_t replication, int want_series,
                model_progress_fn progress, void *ctx, struct outcome *o);
/* Fill `o` from a finished model run. 0 or -1. */
int outcome_from_result(const struct scenario *s, const struct model_result *r, int want_series,
                        struct outcome *o);
void outcome_destroy(struct outcome *o);

/* Wire form: one array of doubles. outcome_pack returns a malloc'd array of
 * *n doubles (NULL: no memory); outcome_unpack reads one back (0, or -1 when
 * malformed or out of memory). */
double *outcome_pack(const struct outcome *o, size_t *n);
int outcome_unpack(const double *buf, size_t n, struct outcome *o);

/* A scalar of replication `o`, and a time-series value of row `row`. */
static inline double outcome_scalar(const struct outcome *o, size_t k) { return o->values[k]; }
static inline const double *outcome_row(const struct outcome *o, size_t row) {
    return o->values + o->n_scalars + row * OUTCOME_ROW;
}

/* Replications summarized: every scalar and every time-series value as a
 * stats_summary over the replications, in replication order. */
struct outcome_summary {
    size_t n_reps;
    size_t n_scalars;
    struct stats_summary *scalars;   /* [n_scalars] */
    size_t n_rows;
    double *row_time;                /* [n_rows] seconds since start */
    uint32_t *row_city;              /* [n_rows] */
    struct stats_summary *series;    /* [n_rows * OUTCOME_COLS] */
    int complete;                    /* every replication complete */
    double events_total;             /* summed over replications */
    double payments_sim;             /* summed over replications */
};

/* Summarize reps[0..n) (all from one scenario). NULL when out of memory or
 * when the replications disagree on their rows (a bug). */
struct outcome_summary *outcome_summarize(const struct outcome *reps, size_t n);
void outcome_summary_free(struct outcome_summary *s);   /* NULL does nothing */

#endif
