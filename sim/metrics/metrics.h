/* metrics: what a run records, independent of any output format: the
 * time-series rows, stored as the run closes each bucket (a city's flows
 * over the bucket and its stocks at the bucket's end). Which columns a row
 * has in the outputs, and how they read, is the catalog's (catalog.h).
 *
 * Ownership: struct metrics is caller-owned (init/destroy); its rows belong
 * to it. */
#ifndef PILOTSIM_METRICS_H
#define PILOTSIM_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "metrics/hist.h"

/* One time-series row: a city over one bucket, counts in real-population units. */
struct ts_row {
    double time_s;             /* end of the bucket, seconds since start */
    uint32_t city;             /* index into the scenario's cities */
    int64_t wallets;           /* stock: wallets opened so far */
    int64_t active_users;      /* stock: wallet holders who paid recently */
    double adoption;           /* stock: wallets / population */
    int64_t merchants_accepting; /* stock */
    int64_t payments;          /* flow: e-CNY payments completed */
    int64_t payments_failed;   /* flow: e-CNY payments timed out */
    int64_t payments_refused;  /* flow: e-CNY payments refused by a wallet limit */
    int64_t payments_offline;  /* flow: offline (hardware wallet) payments */
    int64_t value_fen;         /* flow: value of completed e-CNY payments */
    double ecny_share;         /* flow: e-CNY payments / payments by every method */
    int64_t circulation_fen;   /* stock: the city's e-CNY in circulation */
    double tps_mean;           /* payments (completed + failed) per second over the bucket */
    double tps_peak;           /* highest one-minute mean of the expected arrival rate */
    double latency_p50_ms;     /* end-to-end latency of completed payments, */
    double latency_p99_ms;     /* NaN when none completed online in the bucket */
};

struct metrics {
    struct ts_row *rows;       /* in time order, then city order */
    size_t n_rows, cap_rows;
};

void metrics_init(struct metrics *m);
void metrics_destroy(struct metrics *m);
int metrics_add_row(struct metrics *m, const struct ts_row *row);  /* 0 or -1 */

#endif
