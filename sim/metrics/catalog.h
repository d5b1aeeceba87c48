/* catalog: the metrics a run reports, listed once. Every writer reads it:
 * timeseries.csv's columns, summary.json's keys (one run or R), the dotted
 * names of replications.csv, compare.csv and sweep.csv, the verdicts of a
 * comparison. Adding a city metric is one line of catalog_city (catalog.c)
 * and nowhere else: its value is read from the records by offset.
 *
 * A city metric has a name (its key in a city of summary.json; `a.b` is key
 * b of a nested object a), a timeseries.csv column (or none), a unit, a
 * kind (a stock is a value at the end of the run or bucket, a flow a total
 * or a rate over it), the way it totals over cities (summary.json's
 * `total`), which way is better and a label for people (chart titles and
 * axes, reports: "p99 latency"). Over replications every metric is
 * summarized alike (mean, sd, 95% interval: stats.h); a value undefined in
 * a replication (NaN: the latency of a bucket or city without payments) is
 * left out there, and a single run writes it as 0.
 *
 * Ownership: the tables are static; a scenario's catalog (catalog_new) is a
 * heap object freed with catalog_free. */
#ifndef PILOTSIM_CATALOG_H
#define PILOTSIM_CATALOG_H

#include <stddef.h>
#include "metrics/metrics.h"
#include "metrics/stats.h"
#include "scenario/scenario.h"

enum catalog_kind { CATALOG_STOCK, CATALOG_FLOW };
enum catalog_better { CATALOG_HIGHER, CATALOG_LOWER, CATALOG_NEITHER };

/* How a value is stored and printed: an int64 count (exact); a double share
 * (8 digits in timeseries.csv), rate (6 digits); a latency in ms (a
 * histogram in struct city_result, a double in struct ts_row). */
enum catalog_type { CATALOG_COUNT, CATALOG_SHARE, CATALOG_RATE, CATALOG_LATENCY };

/* How a city metric totals over the cities. */
enum catalog_total {
    CATALOG_NO_TOTAL,     /* not in `total` */
    CATALOG_SUM,          /* the cities' values summed */
    CATALOG_PER_PERSON,   /* the summed `of` over the summed population */
    CATALOG_SHARE_OF_ALL, /* the summed `of` over the payments by every method */
    CATALOG_RUN_PEAK,     /* the run's own (the peak of the summed rate) */
    CATALOG_MERGED        /* a quantile of the cities' histograms merged */
};

#define CATALOG_NONE ((size_t)-1) /* no column, no offset */

struct catalog_metric {
    const char *name;   /* key within a city: `wallets`, `latency_ms.p99` */
    const char *column; /* timeseries.csv column; NULL: not in the series */
    size_t column_at;   /* its place after `time` and `city` (CATALOG_NONE) */
    const char *unit;   /* docs/outputs.md's unit */
    enum catalog_kind kind;
    enum catalog_type type;
    enum catalog_total total;
    enum catalog_better better;
    size_t offset;     /* in struct city_result (a latency: its hist pointer) */
    size_t series;     /* in struct ts_row (CATALOG_NONE without a column) */
    size_t of;         /* PER_PERSON, SHARE_OF_ALL: the summed count's offset */
    double q;          /* a latency: its quantile (1: the maximum) */
    const char *label; /* for people: chart titles, axis labels, reports */
};

/* The city metrics in summary.json's order. */
const struct catalog_metric *catalog_city(size_t *n);
/* timeseries.csv's value columns: how many, and the metric of column k. */
size_t catalog_n_columns(void);
const struct catalog_metric *catalog_column(size_t k);

/* An intervention's outcomes and the money counters: a name, an int64's
 * offset (in struct intervention_result, struct money), which way is better. */
struct catalog_field {
    const char *name;
    size_t offset; /* an int64_t (CATALOG_COUNT) or a double (CATALOG_SHARE) */
    enum catalog_better better;
    enum catalog_type type;
    const char *label; /* for people, as catalog_metric's */
};
const struct catalog_field *catalog_intervention(enum intervention_kind kind, size_t *n);
const struct catalog_field *catalog_money(size_t *n);

/* ---- a scenario's catalog: every scalar of a run under its dotted name ----
 *
 * In a fixed order: `events`, the all-city totals (`total.wallets`, ...),
 * each city's (`cities.ID.*`, latency as `cities.ID.latency_ms.p99`), each
 * intervention's (`interventions.ID.*`) and the money counters (`money.*`).
 * The same names head replications.csv, compare.csv and sweep.csv. */
enum catalog_section {
    CATALOG_TOP,
    CATALOG_TOTAL,
    CATALOG_CITY,
    CATALOG_INTERVENTION,
    CATALOG_MONEY
};

struct catalog_entry {
    const char *name; /* full dotted name (points into the catalog) */
    const char *leaf; /* within its object: `adoption`, `latency_ms.p99` */
    enum catalog_section section;
    size_t owner; /* city or intervention index */
    enum catalog_better better;
    enum catalog_type type; /* how a single run prints it */
    const char *label;      /* for people: "p99 latency" (static) */
    const char *unit;       /* docs/outputs.md's: "ms", "fen", "share" (static) */
};

struct catalog {
    struct catalog_entry *entries; /* [n] in output order */
    size_t n;
    char *names; /* storage of every name */
};

struct catalog *catalog_new(const struct scenario *s); /* NULL: no memory */
void catalog_free(struct catalog *c);                  /* NULL does nothing */
/* Index of an entry by name, or -1. */
long catalog_find(const struct catalog *c, const char *name);
/* "higher", "lower" or "neither". */
const char *catalog_better_name(enum catalog_better b);
/* A paired difference judged: "better", "worse", "higher", "lower" or "no
 * significant difference" (by its interval and the metric's direction). */
const char *catalog_verdict(enum catalog_better better, const struct stats_summary *d);

#endif
