/* model: the e-CNY pilot. Users, merchants, operators and the central ledger
 * of each city, their adoption, payments and the interventions of a rollout
 * plan, driven by the engine and drawing from rng.
 *
 * A run: model_run(scenario, replication, ...) builds the agents, runs the
 * event loop to the horizon and returns a model_result holding everything the
 * reports need, in real-population units (a simulated person stands for
 * `sample` people). It knows nothing of files, YAML or gnuplot.
 *
 * A process that runs many replications keeps the big arrays between them
 * in a model_workspace (model_workspace.h) and runs with model_run_in.
 *
 * Ownership: model_run returns a heap object freed with model_result_free. */
#ifndef PILOTSIM_MODEL_H
#define PILOTSIM_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "metrics/metrics.h"
#include "scenario/scenario.h"

struct model_result {
    size_t n_cities, n_interventions;          /* as in the scenario */
    struct city_result *cities;                /* [n_cities] */
    struct intervention_result *interventions; /* [n_interventions] */
    struct money money;
    struct metrics series; /* time-series rows */
    double tps_peak;       /* tps_peak of every city's arrival rate summed */
    uint64_t events;       /* events handled */
    uint64_t payments;     /* e-CNY payments simulated (not scaled) */
    double horizon_s;      /* simulated time reached */
    int complete;          /* 1 when the horizon was reached */
    int latency_exact;     /* 0 when sampling scaled the resources */
};

#define MODEL_OVERFLOW_HINT "the scenario's bounds should prevent this: please report it"

/* Called during set-up, as each city is built, with (people built so far,
 * -people in all): a negative total marks the set-up; then after each
 * time-series bucket with (simulated time reached, horizon). */
typedef void (*model_progress_fn)(void *ctx, double now_s, double horizon_s);

/* Run a replication; NULL when out of memory (errno ENOMEM) or when a sum
 * of money overflowed int64 fen (errno EOVERFLOW: the loader's bounds,
 * typelimits.h, are meant to make that impossible; MODEL_OVERFLOW_HINT says so). */
struct model_result *model_run(const struct scenario *s, uint32_t replication,
                               model_progress_fn progress, void *progress_ctx);
void model_result_free(struct model_result *r); /* NULL does nothing */

/* model_run in the arrays of a workspace (model_workspace.h) kept across
 * runs: the same result, byte for byte, as model_run, whatever ran in it
 * before (other replications, other scenarios, a run that failed). NULL
 * ws: model_run. */
struct model_workspace;
struct model_result *model_run_in(struct model_workspace *ws, const struct scenario *s,
                                  uint32_t replication, model_progress_fn progress,
                                  void *progress_ctx);

/* What a run holds in bytes per item, for estimates made before it starts
 * (budget.h): wallets are touched only as they open, the time series grows
 * a row per bucket and city. */
struct model_footprint {
    size_t person;   /* every simulated person */
    size_t wallet;   /* every wallet opened */
    size_t merchant; /* every simulated merchant */
    size_t payment;  /* every payment in flight */
    size_t row;      /* every time-series row (bucket x city) */
    size_t city;     /* every city, fixed */
    size_t day;      /* every day of the horizon, per city */
};
void model_footprint(struct model_footprint *f);

/* For tests only: a run in which every completed payment loses leak_fen,
 * to show that the money check catches a leak. */
struct model_result *model_run_leaky(const struct scenario *s, uint32_t replication,
                                     int64_t leak_fen);
/* For tests only: a run whose nth event schedule (1: the first, at set-up)
 * fails as if memory ran out (engine_fault); it must return NULL. */
struct model_result *model_run_fault(const struct scenario *s, uint32_t replication, uint64_t nth);
/* The same in a workspace (tests: a failed run must leave it usable). */
struct model_result *model_run_fault_in(struct model_workspace *ws, const struct scenario *s,
                                        uint32_t replication, uint64_t nth);

#endif
