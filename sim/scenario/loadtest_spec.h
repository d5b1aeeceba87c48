/* loadtest_spec: what a load test is asked to do. The load profile (a list
 * of linear rate segments on the profile clock, 0 at the profile's start),
 * the clients' retry policy, faults (windows of reduced capacity on an
 * operator or the ledger), and struct loadtest_spec, the scenario file's
 * `loadtest:` section as the scenario loader fills it. It sits in the
 * scenario room: the loader checks that section with these parsers, the
 * load tester runs what they return. Parsers take the command line's
 * spellings and return 0, or -1 with a one-line reason
 * (what was expected); durations are written with a unit (`30s`, `10m`)
 * or as plain seconds, rates in payments/s.
 * Ownership: plain values; struct loadtest_spec's strings belong to the
 * scenario that holds it. */
#ifndef PILOTSIM_LOADTEST_SPEC_H
#define PILOTSIM_LOADTEST_SPEC_H

#include <stddef.h>
#include "scenario/scenario.h"

#define LOADTEST_MAX_SEGMENTS 256 /* profile pieces (steps) */

enum loadtest_shape { LOADTEST_RAMP, LOADTEST_STEP, LOADTEST_SPIKE, LOADTEST_SOAK };

struct loadtest_segment {  /* rate linear from r0 at t0 to r1 at t1 */
    double t0, t1, r0, r1; /* seconds on the profile clock, payments/s */
};

struct loadtest_profile {
    enum loadtest_shape shape;
    char text[96]; /* as written, for outputs */
    size_t n;      /* segments */
    struct loadtest_segment seg[LOADTEST_MAX_SEGMENTS];
};

struct loadtest_fault {
    int resource;           /* operator index, or -1 the ledger */
    double from_s, until_s; /* profile clock */
    double capacity;        /* share left: 0 down, 0.5 half speed */
};

/* struct loadtest_retry and struct loadtest_spec (the scenario's `loadtest:`
 * section) are in scenario.h, which holds every section of a scenario. */

/* Parse a profile (`ramp:FROM:TO:DURATION`, `step:FROM:TO:STEPS:HOLD`,
 * `spike:BASE:PEAK:AT:LENGTH[:DURATION]`, `soak:RATE:DURATION`; rates in
 * payments/s, durations with a unit or plain seconds). 0, or -1 with why. */
int loadtest_spec_profile(const char *text, struct loadtest_profile *p, char *why, size_t size);
/* A soak at `rate` for `duration_s`. */
void loadtest_spec_soak(struct loadtest_profile *p, double rate, double duration_s);
double loadtest_spec_duration(const struct loadtest_profile *p);
double loadtest_spec_rate(const struct loadtest_profile *p, double t);
/* The lowest and highest rates the profile reaches. */
void loadtest_spec_range(const struct loadtest_profile *p, double *lo, double *hi);
/* Parse a fault `ledger:FROM:LENGTH[:CAPACITY]` or `OPERATOR:FROM:LENGTH[:CAPACITY]`
 * (capacity default 0, down). 0, or -1 with why. */
int loadtest_spec_fault(const char *text, const struct scenario *s, struct loadtest_fault *f,
                        char *why, size_t size);
/* Parse `max:backoff:jitter` (e.g. 2:1s:1). 0, or -1 with why. */
int loadtest_spec_retry(const char *text, struct loadtest_retry *r, char *why, size_t size);

#endif
