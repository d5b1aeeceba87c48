/* sweep_files: a sweep's directory read back, for its charts and report.
 *
 * `pilotsim plot DIR` and `pilotsim report DIR` must rebuild exactly what
 * `pilotsim sweep` wrote, so both read the files, never the command's
 * memory: DIR/summary.json (the keys and their values, the listed metrics
 * with their labels and units, each point's numbers) through ytree (libyaml
 * reads JSON), and a point's replications.csv for paired differences. Text is kept as written; a number that is null is NaN.
 * sweep_files_shown formats a metric's value the way every chart and table
 * of a sweep shows it (a share in percent, fen in yuan, 5 M for 5,000,000).
 * Ownership: everything read lives in the struct's arena, freed by
 * sweep_files_destroy; the struct is the caller's. */
#ifndef PILOTSIM_SWEEP_FILES_H
#define PILOTSIM_SWEEP_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "scenario/ytree.h"

#define SWEEP_FILES_MAX_KEYS 8 /* sweep.h's SWEEP_MAX_KEYS */

struct sweep_files_key {
    const char *key;     /* as --vary named it */
    const char *label;   /* for people: "adoption: imitation" */
    const char **values; /* [n_values] as written */
    size_t n_values;
    int numeric; /* every value is a number */
};

struct sweep_files_metric {
    const char *name;   /* catalog name: total.adoption */
    const char *label;  /* "adoption" */
    const char *where;  /* "all cities", a city's name, an intervention's id */
    const char *unit;   /* the catalog's: "share of the population", "fen", "ms" */
    const char *type;   /* "count", "share", "rate", "latency" */
    const char *better; /* "higher", "lower", "neither" */
    int charted;
};

struct sweep_files_point {
    const char *dir;             /* points/07 */
    const char **values;         /* [n_keys] as written */
    double *mean, *sd, *lo, *hi; /* [n_metrics]; NaN: none */
};

struct sweep_files {
    struct ytree_ctx ctx; /* the arena */
    const char *scenario; /* its name */
    const char *seed;     /* as written */
    unsigned replications;
    const char **warnings;
    size_t n_warnings;
    struct sweep_files_key *keys;
    size_t n_keys;
    struct sweep_files_metric *metrics;
    size_t n_metrics;
    struct sweep_files_point *points;
    size_t n_points;
};

/* Read dir/summary.json. 0, or -1 after one line on err (then destroy). */
int sweep_files_read(const char *dir, struct sweep_files *f, FILE *err);
void sweep_files_destroy(struct sweep_files *f);

/* Point p's values of `metric`, one per replication, from
 * DIR/points/POINT/replications.csv, into out[0..max): how many were read
 * (0: no such file or column, as at R = 1; an empty field is NaN). */
size_t sweep_files_replications(const char *dir, const struct sweep_files *f, size_t p,
                                const char *metric, double *out, size_t max);

/* How metric m is shown: values times *scale in *unit ("%", "yuan", "ms",
 * "million payments"...); the scale is chosen so the largest |mean| over
 * the points reads in ones to thousands. */
void sweep_files_scale(const struct sweep_files *f, size_t m, double *scale, char *unit,
                       size_t size);

/* x for reading: up to three significant digits, with k, M or bn from
 * ten thousand up ("5 M", "12.5 k", "0.35"); "-" when not finite. */
char *sweep_files_number(double x, char *buf, size_t size);

#endif
