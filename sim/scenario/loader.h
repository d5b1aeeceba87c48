/* loader: the state of one scenario_load and what its parts share.
 *
 * scenario.c drives a load through roster.c (operators, cities),
 * rollout.c (interventions) and crosscheck.c (rules across keys); each
 * part reports through the one struct schema of the load, so errors come
 * out in the order they are found, at their file:line:column, and a part
 * goes on after an error so that one run reports every error it can.
 * Invariants: w.origin is the scenario's start once origin_ok; duration_ok
 * says s->duration_s holds a valid horizon, so windows can be checked.
 * Ownership: the loader borrows the scenario it fills; warnings go into
 * s->warnings (out of memory there is an error, never a lost warning). */
#ifndef PILOTSIM_LOADER_H
#define PILOTSIM_LOADER_H

#include "scenario/scenario.h"
#include "scenario/schema.h"

#define LOADER_SHARE_SUM_TOL 1e-9 /* shares must sum to 1 within this */

struct loader {      /* one load: the walk and what it fills */
    struct schema w; /* errors, and the origin of dates (start) */
    struct scenario *s;
    int duration_ok; /* duration parsed: windows can be checked */
};

/* A load-time warning (warnings.h): what the run will trim or doubt. */
void loader_warn(struct loader *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Ids are keys in outputs and steps in --set paths: [a-z0-9_-]+. 0, or -1
 * after reporting a bad one at m. */
int loader_check_id(struct loader *L, const struct ytree_mark *m, const char *path, const char *id);

/* An unknown id of `what` ("city" or "operator") at m, with the closest of
 * known[0..n) as a suggestion. */
void loader_unknown_id(struct loader *L, const struct ytree_mark *m, const char *path,
                       const char *what, const char *id, const char *const *known, size_t n);

#endif
