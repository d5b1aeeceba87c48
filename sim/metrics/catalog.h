/* catalog: the metrics a run reports, one table that every writer reads.
 *
 * The columns of timeseries.csv after `time` and `city`, in CSV order: the
 * report writes them from this table, so a new column is one line here.
 * Ownership: static tables only. */
#ifndef PILOTSIM_CATALOG_H
#define PILOTSIM_CATALOG_H

#include <stddef.h>
#include "metrics/metrics.h"

/* int64; double 8 digits; 6; a latency: a double of 6 digits, NaN when the
 * bucket has no payment with a latency (a single run writes that as 0, a
 * replicated one leaves it out of the mean) */
enum catalog_type { CATALOG_COUNT, CATALOG_SHARE, CATALOG_RATE, CATALOG_LATENCY };
struct catalog_column {
    const char *name;
    enum catalog_type type;
    size_t offset;             /* in struct ts_row */
};
#define CATALOG_N_COLUMNS 15
extern const struct catalog_column catalog_columns[CATALOG_N_COLUMNS];

#endif
