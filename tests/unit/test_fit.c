/* test_fit: the fitter (experiment/fit.h) on residuals whose answers are
 * known: a quadratic bowl (its minimum, and the interval where it rises by
 * 1), the same bowl made piecewise constant (a simulation's objective), a
 * ridge and a flat key (not identified), the budget, a failing objective,
 * and the --fit argument's parser. */
#include <math.h>
#include <string.h>

#include "experiment/fit.h"
#include "test.h"

struct bowl {
    double at[2], scale[2]; /* minimum and the distance that adds 1 */
    int kind;               /* 0 bowl, 1 stepped bowl, 2 ridge, 3 flat y, 4 fails */
    unsigned calls;
};

/* Two residuals; the objective is the sum of their squares. */
static int objective(void *ctx, const double *x, int curvature, double *res)
{
    struct bowl *b = ctx;
    double dx = (x[0] - b->at[0]) / b->scale[0], dy = (x[1] - b->at[1]) / b->scale[1];

    (void)curvature;
    b->calls++;
    switch (b->kind) {
    case 1: /* steps of 1/1000 of the scale: constant at small scales */
        res[0] = floor(dx * 1000) / 1000, res[1] = floor(dy * 1000) / 1000;
        break;
    case 0:
        res[0] = dx, res[1] = dy;
        break;
    case 2: /* x + y is seen, x - y is not */
        res[0] = dx + dy, res[1] = NAN;
        break;
    case 3:
        res[0] = dx, res[1] = NAN;
        break;
    default:
        res[0] = res[1] = 1;
        return b->calls > 5 ? -1 : 0;
    }
    return 0;
}

static const struct fit_key keys[2] = {{"a.x", 0, 1}, {"a.y", 0, 10}};

static void test_bowl(int kind, const char *what)
{
    struct bowl b = {{0.3, 2}, {0.05, 0.5}, kind, 0};
    double start[2] = {0.7, 6};
    struct fit_result r;
    int rc = fit_run(keys, 2, 2, start, 300, objective, &b, &r);

    check(rc == 0 && r.evaluations == b.calls && b.calls <= 300, "%s: runs within its budget",
          what);
    check_near(r.p[0].value, 0.3, 0.005, "%s: x at its minimum", what);
    check_near(r.p[1].value, 2, 0.05, "%s: y at its minimum", what);
    check(r.p[0].identified && r.p[1].identified, "%s: both identified", what);
    /* The objective rises by 1 at x +- 0.05 (y re-fitted): the mapped
     * quadratic approximation is within a few percent of it. */
    check_near(r.p[0].ci_lo, 0.25, 0.005, "%s: x's interval starts a scale below", what);
    check_near(r.p[0].ci_hi, 0.35, 0.005, "%s: x's interval ends a scale above", what);
    check_near(r.p[1].ci_hi - r.p[1].ci_lo, 1.0, 0.1, "%s: y's interval is two scales", what);
    check(r.objective < 0.01 && r.converged, "%s: objective near 0, converged", what);
}

static void test_unidentified(void)
{
    struct bowl ridge = {{0.3, 2}, {0.05, 0.5}, 2, 0}, flat = {{0.3, 2}, {0.05, 0.5}, 3, 0};
    double start[2] = {0.7, 6};
    struct fit_result r;

    check(fit_run(keys, 2, 2, start, 300, objective, &ridge, &r) == 0, "a ridge: the fit runs");
    check(!r.p[0].identified && !r.p[1].identified && isnan(r.p[0].ci_lo) && isnan(r.p[1].ci_hi),
          "a ridge: neither key identified, no interval");
    check(r.objective < 0.01 && r.eigen_min < 1e-6, "a ridge: on it, with a null eigenvalue");
    check(fit_run(keys, 2, 2, start, 300, objective, &flat, &r) == 0, "a flat key: the fit runs");
    check(r.p[0].identified && !r.p[1].identified && isnan(r.p[1].ci_lo),
          "a flat key: only it is not identified");
    check_near(r.p[0].ci_hi - r.p[0].ci_lo, 0.1, 0.01, "a flat key: the other keeps its interval");
}

static void test_budget(void)
{
    struct bowl b = {{0.3, 2}, {0.05, 0.5}, 0, 0}, bad = {{0.3, 2}, {0.05, 0.5}, 4, 0};
    double start[2] = {0.7, 6};
    struct fit_result r;

    check(fit_min_evaluations(2) == 3 + 4 && fit_min_evaluations(1) == 2 + 2,
          "the fewest evaluations: a simplex and the curvature");
    check(fit_run(keys, 2, 2, start, 20, objective, &b, &r) == 0 && b.calls == 20 &&
              r.evaluations == 20 && !r.converged,
          "a budget of 20 makes exactly 20 evaluations, not converged");
    check(fit_run(keys, 2, 2, start, 300, objective, &bad, &r) == -1 && r.evaluations == 6,
          "a failing objective stops the fit");
    b.calls = 0;
    b.kind = 3; /* x alone: one key sees nothing of a second */
    check(fit_run(keys, 1, 2, start, 100, objective, &b, &r) == 0 &&
              fabs(r.p[0].value - 0.3) < 0.01,
          "one key: the simplex is a segment");
}

static void test_parse(void)
{
    struct fit_key k;
    char err[200];

    check(fit_parse("adoption.innovation=0.0001:0.01", &k, err, sizeof err) == 0 &&
              !strcmp(k.key, "adoption.innovation") && k.lo == 0.0001 && k.hi == 0.01,
          "KEY=LO:HI parses");
    check(fit_parse("interventions.f-1.spend_rate=-1e-3:2", &k, err, sizeof err) == 0 &&
              k.lo == -0.001 && k.hi == 2,
          "a key through a list id, a negative bound");
    check(fit_parse("=0:1", &k, err, sizeof err) < 0 && strstr(err, "no key"), "no key: %s", err);
    check(fit_parse("a.b", &k, err, sizeof err) < 0 && strstr(err, "expected --fit KEY=LO:HI"),
          "no '=': %s", err);
    check(fit_parse("a.b=1", &k, err, sizeof err) < 0 && strstr(err, "expected LO:HI"),
          "one bound: %s", err);
    check(fit_parse("a.b=x:1", &k, err, sizeof err) < 0 && strstr(err, "two numbers"),
          "not a number: %s", err);
    check(fit_parse("a.b=1:inf", &k, err, sizeof err) < 0, "an infinite bound");
    check(fit_parse("a.b=2:1", &k, err, sizeof err) < 0 && strstr(err, "LO < HI"),
          "reversed bounds: %s", err);
    check_near(fit_to_x(&keys[1], fit_to_u(&keys[1], 2.5)), 2.5, 1e-12, "u and x round trip");
    check(fit_to_x(&keys[1], fit_to_u(&keys[1], 11)) == 5, "a start outside starts at the middle");
}

int main(void)
{
    test_plan(2 * 8 + 6 + 4 + 10);
    test_bowl(0, "a bowl");
    test_bowl(1, "a stepped bowl");
    test_unidentified();
    test_budget();
    test_parse();
    return test_done();
}
