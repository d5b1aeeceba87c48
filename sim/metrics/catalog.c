/* catalog: the tables of metrics. */
#include "metrics/catalog.h"

#define COL(name, type) {#name, type, offsetof(struct ts_row, name)}
/* The contract's columns first (docs/outputs.md), later additions after. */
const struct catalog_column catalog_columns[CATALOG_N_COLUMNS] = {
    COL(wallets, CATALOG_COUNT),          COL(active_users, CATALOG_COUNT),
    COL(adoption, CATALOG_SHARE),         COL(merchants_accepting, CATALOG_COUNT),
    COL(payments, CATALOG_COUNT),         COL(payments_failed, CATALOG_COUNT),
    COL(value_fen, CATALOG_COUNT),        COL(tps_mean, CATALOG_RATE),
    COL(tps_peak, CATALOG_RATE),          COL(latency_p50_ms, CATALOG_LATENCY),
    COL(latency_p99_ms, CATALOG_LATENCY), COL(payments_refused, CATALOG_COUNT),
    COL(payments_offline, CATALOG_COUNT), COL(ecny_share, CATALOG_SHARE),
    COL(circulation_fen, CATALOG_COUNT),
};
_Static_assert(sizeof catalog_columns / sizeof catalog_columns[0] == CATALOG_N_COLUMNS,
               "every column listed");
