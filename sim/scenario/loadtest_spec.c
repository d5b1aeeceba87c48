/* loadtest_spec: what a load test is asked to do, parsed from the command
 * line's spellings (see loadtest_spec.h). */
#include "scenario/loadtest_spec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario/units.h"

/* A duration: with a unit (`30s`, `10m`) or plain seconds. */
static int parse_seconds(const char *s, double *out)
{
    const char *why;
    if (units_duration(s, out, &why) < 0 && units_number(s, out, &why) < 0)
        return -1;
    return *out > 0 ? 0 : -1;
}

static int parse_rate(const char *s, double *out)
{
    const char *why;
    return units_number(s, out, &why) == 0 && *out >= 0 ? 0 : -1;
}

/* Operator `id`'s index, or -1. Looked up here rather than through
 * scenario_operator: the loader calls this module, so this module does not
 * call the loader (no circle between the two files). */
static int operator_index(const struct scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_operators; i++)
        if (s->operators[i].id && !strcmp(s->operators[i].id, id))
            return (int)i;
    return -1;
}

static void add_seg(struct loadtest_profile *p, double t0, double t1, double r0, double r1)
{
    p->seg[p->n++] = (struct loadtest_segment){t0, t1, r0, r1};
}

/* The segments of a profile of shape p->shape from its n fields f[]
 * (f[0] the shape's name); NULL, or what was expected of the values. */
static const char *profile_segments(struct loadtest_profile *p, char **f, int n)
{
    double a, b, c, d = 0, e = 0;
    const char *bad = NULL;
    switch (p->shape) {
    case LOADTEST_RAMP:
        if (parse_rate(f[1], &a) || parse_rate(f[2], &b) || parse_seconds(f[3], &c))
            bad = "rates >= 0 and a duration > 0";
        else
            add_seg(p, 0, c, a, b);
        break;
    case LOADTEST_STEP: {
        const char *w;
        int64_t steps;
        if (parse_rate(f[1], &a) || parse_rate(f[2], &b) || units_int(f[3], &steps, &w) ||
            steps < 1 || steps > LOADTEST_MAX_SEGMENTS || parse_seconds(f[4], &c))
            bad = "rates >= 0, 1 to 256 steps and a hold > 0";
        else
            for (int64_t i = 0; i < steps; i++) {
                double r = steps == 1 ? a : a + (b - a) * (double)i / (double)(steps - 1);
                add_seg(p, (double)i * c, (double)(i + 1) * c, r, r);
            }
        break;
    }
    case LOADTEST_SPIKE:
        if (parse_rate(f[1], &a) || parse_rate(f[2], &b) || parse_seconds(f[3], &c) ||
            parse_seconds(f[4], &d) || (n == 6 && parse_seconds(f[5], &e)))
            bad = "rates >= 0 and durations > 0";
        else {
            /* Default total: as long after the spike as before it. */
            double total = n == 6 ? e : 2 * c + d;
            if (total < c + d) {
                bad = "DURATION >= AT + LENGTH";
                break;
            }
            add_seg(p, 0, c, a, a);
            add_seg(p, c, c + d, b, b);
            if (total > c + d)
                add_seg(p, c + d, total, a, a);
        }
        break;
    case LOADTEST_SOAK:
        if (parse_rate(f[1], &a) || parse_seconds(f[2], &c))
            bad = "a rate >= 0 and a duration > 0";
        else
            add_seg(p, 0, c, a, a);
        break;
    }
    return bad;
}

int loadtest_spec_profile(const char *text, struct loadtest_profile *p, char *why, size_t size)
{
    static const struct {
        const char *name;
        enum loadtest_shape shape;
        int min, max;
        const char *form;
    } shapes[] = {{"ramp", LOADTEST_RAMP, 3, 3, "ramp:FROM:TO:DURATION"},
                  {"step", LOADTEST_STEP, 4, 4, "step:FROM:TO:STEPS:HOLD"},
                  {"spike", LOADTEST_SPIKE, 4, 5, "spike:BASE:PEAK:AT:LENGTH[:DURATION]"},
                  {"soak", LOADTEST_SOAK, 2, 2, "soak:RATE:DURATION"}};
    char buf[96], *f[8];
    int n = 0;
    memset(p, 0, sizeof *p);
    if (strlen(text) >= sizeof buf) {
        snprintf(why, size, "profile '%.20s...' is too long", text);
        return -1;
    }
    snprintf(p->text, sizeof p->text, "%s", text);
    snprintf(buf, sizeof buf, "%s", text);
    for (char *s = buf, *c; n < 8; s = c + 1) {
        f[n++] = s;
        if (!(c = strchr(s, ':')))
            break;
        *c = '\0';
    }
    size_t k;
    for (k = 0; k < 4 && strcmp(f[0], shapes[k].name) != 0; k++)
        ;
    if (k == 4) {
        snprintf(why, size, "profile '%s': unknown shape '%s' (expected ramp, step, spike or soak)",
                 text, f[0]);
        return -1;
    }
    if (n - 1 < shapes[k].min || n - 1 > shapes[k].max) {
        snprintf(why, size, "profile '%s': wrong number of fields (expected %s)", text,
                 shapes[k].form);
        return -1;
    }
    p->shape = shapes[k].shape;
    const char *bad = profile_segments(p, f, n);
    if (bad) {
        snprintf(why, size, "profile '%s': bad value (expected %s: %s)", text, shapes[k].form, bad);
        return -1;
    }
    return 0;
}

void loadtest_spec_soak(struct loadtest_profile *p, double rate, double duration_s)
{
    memset(p, 0, sizeof *p);
    p->shape = LOADTEST_SOAK;
    snprintf(p->text, sizeof p->text, "soak:%.10g:%.10g", rate, duration_s);
    add_seg(p, 0, duration_s, rate, rate);
}

double loadtest_spec_duration(const struct loadtest_profile *p)
{
    return p->n ? p->seg[p->n - 1].t1 : 0;
}

double loadtest_spec_rate(const struct loadtest_profile *p, double t)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct loadtest_segment *s = &p->seg[i];
        if (t >= s->t0 && t < s->t1)
            return s->r0 + (s->r1 - s->r0) * (t - s->t0) / (s->t1 - s->t0);
    }
    return 0;
}

void loadtest_spec_range(const struct loadtest_profile *p, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (size_t i = 0; i < p->n; i++) {
        double a = p->seg[i].r0, b = p->seg[i].r1;
        *lo = fmin(*lo, fmin(a, b));
        *hi = fmax(*hi, fmax(a, b));
    }
    if (!p->n)
        *lo = 0;
}

int loadtest_spec_fault(const char *text, const struct scenario *s, struct loadtest_fault *f,
                        char *why, size_t size)
{
    char buf[128], *fld[5];
    int n = 0;
    if (strlen(text) >= sizeof buf) {
        snprintf(why, size, "fault '%.20s...' is too long", text);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", text);
    for (char *p = buf, *c; n < 5; p = c + 1) {
        fld[n++] = p;
        if (!(c = strchr(p, ':')))
            break;
        *c = '\0';
    }
    double from, len, cap = 0;
    const char *w;
    /* FROM may be 0 (`0s` as well as `0`); LENGTH must not. Both are at
     * most 100y, like every duration: a fault at 1e308s would end at inf
     * and write a summary.json that no JSON reader takes. */
    /* Fields past the n given are unset: none is read unless n says so. */
    int bad_from =
        n < 3 || (units_duration(fld[1], &from, &w) < 0 && units_number(fld[1], &from, &w) < 0);
    bad_from = bad_from || !(from >= 0 && from <= SCENARIO_MAX_DURATION_S);
    if (n < 3 || n > 4 || bad_from || parse_seconds(fld[2], &len) < 0 ||
        len > SCENARIO_MAX_DURATION_S ||
        (n == 4 && (units_share(fld[3], &cap, &w) < 0 || cap < 0 || cap > 1))) {
        snprintf(why, size,
                 "fault '%s': expected RESOURCE:FROM:LENGTH[:CAPACITY], like "
                 "ledger:60s:30s:0.5 or icbc:2m:1m (FROM 0-100y, LENGTH > 0 and at most 100y, "
                 "capacity 0-1, default 0: down)",
                 text);
        return -1;
    }
    if (!strcmp(fld[0], "ledger"))
        f->resource = -1;
    else if ((f->resource = operator_index(s, fld[0])) < 0) {
        snprintf(why, size, "fault '%s': unknown resource '%s' (expected ledger or an operator id)",
                 text, fld[0]);
        return -1;
    }
    f->from_s = from;
    f->until_s = from + len;
    f->capacity = cap;
    return 0;
}

int loadtest_spec_retry(const char *text, struct loadtest_retry *r, char *why, size_t size)
{
    char buf[64], *a, *b;
    const char *w;
    int64_t max;
    snprintf(buf, sizeof buf, "%s", text);
    if (strlen(text) < sizeof buf && (a = strchr(buf, ':')) && (b = strchr(a + 1, ':'))) {
        *a++ = '\0';
        *b++ = '\0';
        if (units_int(buf, &max, &w) == 0 && max >= 0 && max <= 10 &&
            parse_seconds(a, &r->backoff_s) == 0 &&
            /* The scenario's retries.backoff bound: 1e308s doubled is inf. */
            r->backoff_s <= SCENARIO_MAX_DURATION_S && units_share(b, &r->jitter, &w) == 0 &&
            r->jitter >= 0 && r->jitter <= 1) {
            r->max = (unsigned)max;
            return 0;
        }
    }
    snprintf(why, size,
             "retries '%s': expected MAX:BACKOFF:JITTER, like 2:1s:1 (0-10 retries, "
             "back-off > 0 and at most 100y, jitter 0-1)",
             text);
    return -1;
}
