/* loadtest_command: the loadtest command's options, merged with the
 * scenario's `loadtest:` section and checked (see loadtest_command.h). */
#include "loadtest/loadtest_command.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/loadtest_spec.h"
#include "scenario/slo_spec.h"
#include "scenario/units.h"

void loadtest_command_init(struct loadtest_command *c, const char *version,
                           const char **fault_args, struct loadtest_fault *faults) {
    memset(c, 0, sizeof *c);
    loadtest_options_default(&c->o);
    c->version = version;
    c->charts = 1;
    c->cap = (struct capacity_params){.duration_s = 60, .tol = 0.01, .replications = 3};
    c->fault_args = fault_args;
    c->faults = faults;
}

/* A number, the whole text (strtod's syntax, not NaN). */
static int parse_number(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v)
        return -1;
    *out = v;
    return 0;
}

/* A duration option: with a unit, or plain seconds; > 0 (>= 0 with
 * zero_ok), and at most 100y like every duration of a scenario. */
static int parse_duration(const char *s, int zero_ok, double *out) {
    const char *why;
    if (units_duration(s, out, &why) == 0 || parse_number(s, out) == 0)
        return (*out > 0 || (zero_ok && *out == 0)) && *out <= SCENARIO_MAX_DURATION_S ? 0 : -1;
    return -1;
}

/* `LO:HI` with 0 < LO < HI, HI finite: a probe at an infinite rate never ends. */
static int parse_range(const char *s, double *lo, double *hi) {
    const char *colon = strchr(s, ':');
    char *end;
    if (!colon)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || end != colon || v != v)
        return -1;
    *lo = v;
    if (parse_number(colon + 1, hi) < 0)
        return -1;
    return *lo > 0 && *hi > *lo && isfinite(*hi) ? 0 : -1;
}

static int fail(struct loadtest_command_error *e, const char *fmt, const char *arg) {
    e->fmt = fmt;
    e->arg = arg;
    return -1;
}

/* A parser's reason, as the usage error. */
static int fail_why(struct loadtest_command_error *e) {
    return fail(e, "%s", e->why);
}

int loadtest_command_option(struct loadtest_command *c, int opt, const char *arg,
                            struct loadtest_command_error *e) {
    struct loadtest_options *o = &c->o;
    switch (opt) {
    case LOADTEST_COMMAND_PROFILE:
        c->has_profile = 1;
        return loadtest_spec_profile(arg, &o->profile, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_INTERVAL:
        c->has_interval = 1;
        return parse_duration(arg, 0, &o->interval_s) < 0
                   ? fail(e, "--interval wants a duration > 0 and at most 100y, like 10s, not "
                          "'%s'", arg) : 0;
    case LOADTEST_COMMAND_WARMUP:
        c->has_warmup = 1;
        return parse_duration(arg, 1, &o->warmup_s) < 0
                   ? fail(e, "--warmup wants a duration from 0 to 100y, like 30s, not '%s'", arg)
                   : 0;
    case LOADTEST_COMMAND_SLO:
        c->has_slo = 1;
        return slo_spec_parse(arg, &o->slo, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_RETRIES:
        c->has_retries = 1;
        return loadtest_spec_retry(arg, &o->retry, e->why, sizeof e->why) < 0 ? fail_why(e) : 0;
    case LOADTEST_COMMAND_FAULT:
        c->fault_args[c->n_fault_args++] = arg;
        return 0;
    case LOADTEST_COMMAND_FIND_CAPACITY:
        c->find_capacity = 1;
        return 0;
    case LOADTEST_COMMAND_CAPACITY_RANGE:
        return parse_range(arg, &c->cap.lo, &c->cap.hi) < 0
                   ? fail(e, "--capacity-range wants LO:HI with 0 < LO < HI, finite rates in "
                          "payments/s, not '%s'", arg) : 0;
    case LOADTEST_COMMAND_CAPACITY_DURATION:
        /* A probe judges the payments of its soak: a shorter one sees next
         * to none, and an empty one would pass any SLO. */
        return parse_duration(arg, 0, &c->cap.duration_s) < 0 ||
                       c->cap.duration_s < CAPACITY_MIN_DURATION_S
                   ? fail(e, "--capacity-duration wants a duration of at least 1s, like 60s, "
                          "not '%s'", arg) : 0;
    }
    return fail(e, "unknown option '%s'", "?");
}

/* The scenario's loadtest section fills what the command line did not
 * say (the loader has checked its profile and SLO already). */
static void merge_spec(struct loadtest_command *c, const struct scenario *s) {
    const struct loadtest_spec *spec = &s->loadtest;
    struct loadtest_options *o = &c->o;
    char why[256];
    int have_profile = c->has_profile;
    if (!have_profile && spec->profile)
        have_profile = loadtest_spec_profile(spec->profile, &o->profile, why, sizeof why) == 0;
    if (!have_profile)
        loadtest_default_profile(s, &o->profile);
    if (!c->has_interval && spec->interval_s > 0)
        o->interval_s = spec->interval_s;
    if (!c->has_warmup && spec->warmup_s >= 0)
        o->warmup_s = spec->warmup_s;
    if (!c->has_slo && spec->slo)
        slo_spec_parse(spec->slo, &o->slo, why, sizeof why);
    if (!c->has_retries && spec->has_retries)
        o->retry = spec->retries;
}

/* The capacity search's bracket as it takes it: the profile's lowest rate
 * (a hundredth of its highest when that is 0) to its highest, unless
 * --capacity-range gave one. */
static void resolve_bracket(struct loadtest_command *c) {
    double lo, hi;
    loadtest_spec_range(&c->o.profile, &lo, &hi);
    if (!(c->cap.lo > 0))
        c->cap.lo = lo > 0 ? lo : hi / 100;
    if (!(c->cap.hi > 0))
        c->cap.hi = hi;
}

int loadtest_command_resolve(struct loadtest_command *c, const struct scenario *s,
                             struct loadtest_command_error *e) {
    for (size_t i = 0; i < c->n_fault_args; i++)
        if (loadtest_spec_fault(c->fault_args[i], s, &c->faults[i], e->why, sizeof e->why) < 0)
            return fail_why(e);
    c->o.faults = c->faults;
    c->o.n_faults = c->n_fault_args;
    merge_spec(c, s);
    if (c->find_capacity && !c->o.slo.n)
        return fail(e, "--find-capacity needs an SLO (%s)", "--slo 'p99<500ms' or loadtest.slo");
    /* The profile and warm-up as resolved, before anything is written. */
    if (loadtest_spec_duration(&c->o.profile) > SCENARIO_MAX_DURATION_S)
        return fail(e, "the profile lasts more than 100y (%s)",
                    "expected a profile of at most 100y");
    if (loadtest_options_check(&c->o, e->why, sizeof e->why) < 0)
        return fail_why(e);
    if (c->find_capacity) {
        resolve_bracket(c);
        /* A profile at one rate (or at 0) leaves no bracket: the search
         * would report its one rate, or 0 payments/s, as a capacity. */
        if (!(c->cap.lo > 0 && c->cap.hi > c->cap.lo)) {
            snprintf(e->why, sizeof e->why, "--find-capacity searches from the profile's lowest "
                     "to its highest rate, here %g to %g payments/s (expected 0 < LO < HI: "
                     "give --capacity-range LO:HI)", c->cap.lo, c->cap.hi);
            return fail_why(e);
        }
    }
    return 0;
}
