/* outcome: what one replication measured, as a flat vector of numbers in
 * the order of the scenario's catalog (catalog.h), and summaries over
 * replications that every experiment output is written from.
 *
 * The vector holds every scalar of the catalog, then (when wanted) the time
 * series: one row per (bucket, city), its time and city, then the values of
 * timeseries.csv's columns in order. It is plain numbers (counts exact as
 * doubles below 2^53), so a worker process or MPI rank sends it as an array
 * of doubles and the merge is independent of who computed it.
 * Ownership: an outcome is caller-owned storage (outcome_fill fills,
 * outcome_destroy frees); summaries are heap objects (outcome_summary_free). */
#ifndef PILOTSIM_OUTCOME_H
#define PILOTSIM_OUTCOME_H

#include <stddef.h>
#include <stdint.h>
#include "metrics/catalog.h"
#include "metrics/metrics.h"
#include "metrics/stats.h"
#include "scenario/scenario.h"

struct outcome {
    double *values;      /* [n_scalars + n_rows * (2 + n_cols)] */
    size_t n_scalars;    /* as the catalog */
    size_t n_rows;       /* time-series rows (0 when not wanted) */
    size_t n_cols;       /* values per row after time and city */
    int complete;        /* the replication reached its horizon */
    double wall_s;       /* the worker's wall time for it (machine-dependent) */
    double payments_sim; /* payments simulated, unscaled (for payments_per_s) */
};

/* A finished run's records, as outcome_fill reads them. */
struct outcome_records {
    const struct city_result *cities;                /* [s->n_cities] */
    const struct intervention_result *interventions; /* [s->n_interventions] */
    const struct money *money;
    const struct metrics *series; /* NULL: leave the time series out */
    double tps_peak;              /* the peak of every city's rate summed */
    uint64_t events;              /* events handled */
    uint64_t payments;            /* payments simulated, unscaled */
    int complete;
};

/* Fill `o` in catalog order from a run's records. 0, or -1 out of memory. */
int outcome_fill(const struct scenario *s, const struct outcome_records *r, struct outcome *o);
void outcome_destroy(struct outcome *o);

/* Wire form: one array of doubles. outcome_pack returns a malloc'd array of
 * *n doubles (NULL: no memory); outcome_unpack reads one back (0, or -1 when
 * malformed or out of memory). */
double *outcome_pack(const struct outcome *o, size_t *n);
int outcome_unpack(const double *buf, size_t n, struct outcome *o);

/* A scalar of replication `o`, and time-series row `row`: its time, its
 * city, then its n_cols values. */
static inline double outcome_scalar(const struct outcome *o, size_t k)
{
    return o->values[k];
}
static inline const double *outcome_row(const struct outcome *o, size_t row)
{
    return o->values + o->n_scalars + row * (2 + o->n_cols);
}

/* Replications summarized: every scalar and every time-series value as a
 * stats_summary over the replications, in replication order. */
struct outcome_summary {
    size_t n_reps;
    size_t n_scalars;
    struct stats_summary *scalars; /* [n_scalars] */
    size_t n_rows, n_cols;
    double *row_time;             /* [n_rows] seconds since start */
    uint32_t *row_city;           /* [n_rows] */
    struct stats_summary *series; /* [n_rows * n_cols] */
    int complete;                 /* every replication complete */
    double events_total;          /* summed over replications */
    double payments_sim;          /* summed over replications */
};

/* Summarize reps[0..n) (all from one scenario). NULL when out of memory or
 * when the replications disagree on their sizes (a bug). */
struct outcome_summary *outcome_summarize(const struct outcome *reps, size_t n);
void outcome_summary_free(struct outcome_summary *s); /* NULL does nothing */

#endif
