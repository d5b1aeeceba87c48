/* metrics: what a run records, independent of any output format: the
 * time-series rows, stored as the run closes each bucket (a city's flows
 * over the bucket and its stocks at the bucket's end), each city at the
 * end of the run, each intervention's outcomes and the money counters.
 * Which of their fields the outputs report, and how, is the catalog's
 * (catalog.h): these are the records it reads.
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
    double time_s;               /* end of the bucket, seconds since start */
    uint32_t city;               /* index into the scenario's cities */
    int64_t wallets;             /* stock: wallets opened so far (personal and corporate) */
    int64_t wallets_personal;    /* stock: people's wallets, sub-wallets included */
    int64_t wallets_corporate;   /* stock: corporate wallets opened so far */
    int64_t active_users;        /* stock: wallet holders who paid recently */
    double adoption;             /* stock: holders / population */
    int64_t merchants_accepting; /* stock */
    int64_t payments;            /* flow: e-CNY payments completed (corporate included) */
    int64_t payments_corporate;  /* flow: those made by corporate wallets */
    int64_t payments_failed;     /* flow: e-CNY payments timed out */
    int64_t payments_refused;    /* flow: e-CNY payments refused by a wallet limit */
    int64_t payments_offline;    /* flow: offline (hardware wallet) payments */
    int64_t value_fen;           /* flow: value of completed e-CNY payments */
    int64_t value_corporate_fen; /* flow: of those made by corporate wallets */
    double ecny_share;           /* flow: people's e-CNY payments / theirs by every method */
    int64_t circulation_fen;     /* stock: the city's e-CNY in circulation */
    double tps_mean;             /* payments (completed + failed) per second over the bucket */
    double tps_peak;             /* highest one-minute mean of the expected arrival rate */
    double latency_p50_ms;       /* end-to-end latency of completed payments, */
    double latency_p99_ms;       /* NaN when none completed online in the bucket */
};

/* A city at the end of the run, counts in real-population units. */
struct city_result {
    int64_t population;        /* census, real people */
    int64_t wallets;           /* wallets opened by the end (personal and corporate) */
    int64_t wallets_personal;  /* people's wallets, sub-wallets included */
    int64_t wallets_corporate; /* corporate wallets opened by the end */
    int64_t holders;           /* people holding a wallet (adoption's numerator; no metric) */
    int64_t active_users;      /* wallet holders who paid within the dormancy window */
    double adoption;           /* holders / population */
    int64_t merchants_accepting;
    int64_t payments;           /* e-CNY payments completed (transfers, corporate included) */
    int64_t payments_corporate; /* of them made by corporate wallets */
    int64_t retail_payments;    /* of them made by people (ecny_share's; no metric) */
    int64_t payments_failed;    /* e-CNY payments that timed out */
    int64_t payments_in_flight; /* started, neither completed nor failed by the horizon */
    int64_t payments_refused;   /* refused by a wallet limit (the payer used another method) */
    int64_t refused_balance, refused_per_payment, refused_per_day; /* by reason */
    int64_t payments_offline;    /* "double offline" payments by hardware wallets */
    int64_t transfers;           /* completed payments to another person */
    int64_t value_fen;           /* value of completed payments */
    int64_t value_corporate_fen; /* of them made by corporate wallets */
    double ecny_share;           /* people's completed e-CNY payments / theirs by every method */
    int64_t circulation_fen;     /* e-CNY issued - redeemed - reclaimed in the city */
    double tps_mean;             /* over the whole horizon */
    double tps_peak;             /* highest one-minute mean of the expected arrival rate */
    struct hist *latency;        /* end-to-end latency of completed payments */
};

/* Outcomes of an intervention; which fields apply depends on its kind
 * (catalog_intervention, docs/outputs.md). */
struct intervention_result {
    /* lottery */
    int64_t registrations, winners, claimed, payments;
    int64_t spent_fen;       /* envelope money spent */
    int64_t topup_spent_fen; /* winners' own money spent alongside */
    int64_t reclaimed_fen;   /* unspent envelope money taken back at expiry */
    int64_t online_payments, online_spent_fen;
    int64_t offline_users; /* winners who paid double offline at least once */
    double claimed_share;  /* claimed / envelopes */
    double spent_share;    /* envelope money spent / envelope money claimed */
    double online_share;   /* envelope money spent online / envelope money spent */
    /* merchant campaign */
    int64_t onboarded, subsidy_fen;
    /* salary */
    int64_t recipients, paid_fen;
    /* lottery, salary, operator joining: wallets opened because of it */
    int64_t new_wallets;
    /* peak, outage: e-CNY payments completed and failed inside the window */
    int64_t window_payments, window_failed;
};

struct money { /* flows and the independent stock, fen */
    int64_t issued_fen, redeemed_fen, reclaimed_fen, circulation_fen, wallets_fen;
};

struct metrics {
    struct ts_row *rows; /* in time order, then city order */
    size_t n_rows, cap_rows;
};

void metrics_init(struct metrics *m);
void metrics_destroy(struct metrics *m);
int metrics_add_row(struct metrics *m, const struct ts_row *row); /* 0 or -1 */

#endif
