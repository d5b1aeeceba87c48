/* targets: a file of published figures that a scenario should reproduce,
 * read and validated like a scenario (ytree, schema: every error one line
 * `file:line:column: message (expected ...)`, all of them, then NULL).
 *
 * The file is a mapping with a `targets:` list. A target has an `id`, a
 * `role` (fit: may be used to fit parameters; check: only to check them), a
 * `value` and a `tolerance` (`10%` of the value, or `2 points`: 0.02), an
 * optional `unit: yuan` (the value is yuan, the quantity fen) and `scope`
 * (the city ids the figure covers), and names its quantity either as a
 * `series` (a timeseries.csv column) with `city` (an id or `total`), `at`
 * (a date: the end of that local day) and optional `cumulative: true`, or
 * as a `path` into summary.json (`interventions.ID.claimed`).
 *
 * The loader knows no metric: the caller hands it a vocabulary (the columns
 * and paths there are, with what each allows), so that a misspelt name is
 * refused here, at its line, with the closest name. Whether a scenario has
 * a target's cities, intervention or dates is the measurer's question
 * (experiment/evaluate.h): a target out of a scenario's reach is not an
 * error. Ownership: targets_load returns a heap object freed with
 * targets_free; every string in it belongs to it. */
#ifndef PILOTSIM_TARGETS_H
#define PILOTSIM_TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TARGETS_MAX 1000     /* targets in one file */
#define TARGETS_MAX_SCOPE 64 /* city ids in one scope */

enum targets_role { TARGETS_FIT, TARGETS_CHECK };
enum targets_tolerance { TARGETS_PERCENT, TARGETS_POINTS };

/* What a quantity of the vocabulary allows (or'ed). */
#define TARGETS_FEN 1u        /* in fen: `unit: yuan` applies */
#define TARGETS_STOCK 2u      /* a stock (read at `at`), else a flow */
#define TARGETS_SUMMABLE 4u   /* a flow of counts: `cumulative: true` sums it */
#define TARGETS_HAS_TOTAL 8u  /* a series with a value for `city: total` */
#define TARGETS_CITY_PATH 16u /* a path whose `*` is a city id */

struct targets_name {
    const char *name; /* a column, or a path where `*` stands for one id */
    unsigned flags;   /* TARGETS_FEN | ... */
};

struct targets_vocabulary { /* the caller's; borrowed while loading */
    const struct targets_name *series;
    size_t n_series;
    const struct targets_name *paths;
    size_t n_paths;
};

struct target {
    char *id;
    int role;           /* enum targets_role */
    double value;       /* observed, in the target's unit */
    double tolerance;   /* as written: 10 for `10%`, 2 for `2 points` */
    int tolerance_kind; /* enum targets_tolerance */
    int yuan;           /* `unit: yuan`: value in yuan, the quantity in fen */
    char **scope;       /* [n_scope] city ids the figure covers */
    size_t n_scope;
    char *series;       /* the series form (NULL: the path form) */
    char *city;         /* a city id or "total" */
    int64_t at_unix;    /* `at`: the day's start (Shanghai midnight), Unix time */
    int cumulative;     /* flows summed from the start to `at` */
    char *path;         /* the path form (NULL: the series form) */
    char *path_id;      /* the id standing for the path's `*`, or NULL */
    unsigned flags;     /* the vocabulary's flags of its series or path */
    unsigned long line; /* where the target starts, 1-based */
    unsigned long col;
};

struct targets {
    char *file;           /* as given */
    struct target *items; /* [n] in file order */
    size_t n;
};

/* Load and validate `file` against the vocabulary; errors (up to
 * YTREE_MAX_ERRORS) go to err, and then NULL. */
struct targets *targets_load(const char *file, const struct targets_vocabulary *v, FILE *err);
void targets_free(struct targets *t); /* NULL does nothing */

/* The tolerance in the target's unit: |value| x percent / 100, or points / 100. */
double targets_tolerance_units(const struct target *t);
/* "fit" or "check". */
const char *targets_role_name(int role);
/* The tolerance as the file spells it, "10%" or "2 points", into buf. */
char *targets_tolerance_text(const struct target *t, char *buf, size_t size);

#endif
