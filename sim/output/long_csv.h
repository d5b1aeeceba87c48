/* long_csv: long.csv, the long ("tidy") form of a command's results for R
 * and pandas (`--long` on run, compare and sweep): one row per value,
 *
 *     [plan | point, KEY...,] replication, city, metric, value, unit
 *
 * one row per replication (of each plan or sweep point), city (its id, or
 * `total` for all cities together) and city metric of the catalog
 * (metrics/catalog.h): `total` has the metrics that total over cities.
 * Units are the catalog's; values print as in replications.csv (whole
 * numbers exactly, else 10 significant digits), an undefined value (a
 * latency without payments) empty, which R and pandas read as NA.
 * Ownership: borrows everything; writes DIR/long.csv through
 * report_atomic, whole or not at all. */
#ifndef PILOTSIM_LONG_CSV_H
#define PILOTSIM_LONG_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "metrics/catalog.h"
#include "metrics/outcome.h"
#include "scenario/scenario.h"

/* What to write: n_groups groups (plans, points; 1 for a run) of n_reps
 * replications each. */
struct long_csv {
    const char *const *columns; /* [n_columns] the groups' columns ("plan"); none for a run */
    size_t n_columns;
    const char *const *labels; /* [n_groups * n_columns], group-major */
    size_t n_groups;
    const struct scenario *const *scenarios; /* [n_groups]: the city ids */
    const struct catalog *const *catalogs;   /* [n_groups], or NULL: `catalog` for all */
    const struct catalog *catalog;
    const struct outcome *reps; /* [n_groups * n_reps]: group g's replication r at g * n_reps + r */
    size_t n_reps;
};

/* The rows one group holds: n_reps x (the cities' metrics + total's). */
size_t long_csv_rows(const struct catalog *c, size_t n_reps);

/* Write DIR/long.csv. 0, or -1 with a message on err. */
int long_csv_write(const char *dir, const struct long_csv *l, FILE *err);

#endif
