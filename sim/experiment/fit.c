/* fit.c: the Nelder-Mead search in the mapped space and the curvature at
 * its best point (see fit.h for what the numbers mean).
 *
 * The search is wrapped so that fit.c, not GSL, keeps the best point ever
 * evaluated and the count: a piecewise-constant objective can leave GSL's
 * simplex on a point that ties the best, and the budget must hold even
 * when one iteration would evaluate n + 1 points (a shrink). */
#include "experiment/fit.h"

#include <assert.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "kernel/detmath.h"

#define FIT_SIZE 1e-3   /* the simplex's size in u when the search stops */
#define FIT_STEP 1.0    /* the first simplex's step in u: a quarter of the box */
#define FIT_RESTART 0.5 /* the step of the one restart from the best point */
#define FIT_EDGE 0.02   /* a start closer to a bound than this share moves in */
#define FIT_RISE 1.0    /* the objective's rise that bounds an interval */
#define FIT_GAIN 1e-6   /* a smaller fall of the best objective is no gain */
#define FIT_STALL 10    /* iterations a key without gain stop a simplex */

struct search { /* one fit's state, the params of GSL's function */
    const struct fit_key *keys;
    size_t n;
    fit_objective_fn f;
    void *ctx;
    size_t m;               /* residuals */
    double *res;            /* [m] the last evaluation's residuals */
    unsigned count, budget; /* evaluations made; the most the search may make */
    int failed;             /* f returned -1 or NaN */
    int exhausted;          /* the budget ran out */
    double best, best_u[FIT_MAX_KEYS];
};

double fit_to_x(const struct fit_key *k, double u)
{
    return k->lo + (k->hi - k->lo) / (1 + detmath_exp(-u));
}

double fit_to_u(const struct fit_key *k, double x)
{
    double z = (x - k->lo) / (k->hi - k->lo);

    if (!(z > 0 && z < 1)) /* outside, on a bound, or NaN: the middle */
        z = 0.5;
    z = z < FIT_EDGE ? FIT_EDGE : z > 1 - FIT_EDGE ? 1 - FIT_EDGE : z;
    return detmath_log(z / (1 - z));
}

unsigned fit_min_evaluations(size_t n)
{
    return (unsigned)(n + 1 + 2 * n); /* a simplex, then the curvature */
}

/* f at x: the sum of the squared residuals (a NaN residual counts for
 * nothing, as a target out of reach), or DBL_MAX once stopped (no call). */
static double evaluate_x(struct search *s, const double *x, int curvature)
{
    double v = 0;
    size_t k, seen = 0;

    if (s->failed || s->count >= s->budget) {
        s->exhausted |= !s->failed;
        return DBL_MAX;
    }
    s->count++;
    if (s->f(s->ctx, x, curvature, s->res) < 0) {
        s->failed = 1;
        return DBL_MAX;
    }
    for (k = 0; k < s->m; k++)
        if (!isnan(s->res[k]))
            v += s->res[k] * s->res[k], seen++;
    if (!seen) { /* nothing measured: no objective */
        s->failed = 1;
        return DBL_MAX;
    }
    return v;
}

/* f at u (mapped to x), keeping the best point of the search. */
static double evaluate(struct search *s, const double *u)
{
    double x[FIT_MAX_KEYS], v;
    size_t i;

    for (i = 0; i < s->n; i++)
        x[i] = fit_to_x(&s->keys[i], u[i]);
    v = evaluate_x(s, x, 0);
    if (v < s->best) {
        s->best = v;
        memcpy(s->best_u, u, s->n * sizeof *u);
    }
    return v;
}

/* f at z, the position in the box (0 at lo, 1 at hi). */
static double evaluate_z(struct search *s, const double *z)
{
    double x[FIT_MAX_KEYS];
    size_t i;

    for (i = 0; i < s->n; i++)
        x[i] = s->keys[i].lo + (s->keys[i].hi - s->keys[i].lo) * z[i];
    return evaluate_x(s, x, 1);
}

static double gsl_objective(const gsl_vector *v, void *params)
{
    struct search *s = params;
    double u[FIT_MAX_KEYS];
    size_t i;

    for (i = 0; i < s->n; i++)
        u[i] = gsl_vector_get(v, i);
    return evaluate(s, u);
}

/* One simplex search from `from` with steps `step`, until it shrinks to
 * FIT_SIZE, the budget runs out or f fails. 0, or -1 out of memory. */
static int simplex(struct search *s, const double *from, double step)
{
    gsl_multimin_function fn = {gsl_objective, s->n, s};
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, s->n);
    gsl_vector *x = gsl_vector_alloc(s->n), *steps = gsl_vector_alloc(s->n);
    int rc = 0;
    unsigned stall = 0;
    size_t i;

    if (!m || !x || !steps)
        rc = -1;
    for (i = 0; !rc && i < s->n; i++) {
        gsl_vector_set(x, i, from[i]);
        gsl_vector_set(steps, i, step);
    }
    if (!rc && gsl_multimin_fminimizer_set(m, &fn, x, steps) != GSL_SUCCESS)
        rc = -1;
    while (!rc && !s->failed && !s->exhausted) {
        double before = s->best;
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
            break; /* no progress possible: the simplex is degenerate */
        if (gsl_multimin_fminimizer_size(m) < FIT_SIZE)
            break;
        /* Creeping along a ridge or towards a bound (u to infinity, the
         * size never shrinks) gains nothing the targets can tell. */
        stall = before - s->best > FIT_GAIN ? 0 : stall + 1;
        if (stall >= FIT_STALL * s->n)
            break;
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(steps);
    return rc;
}

/* The search: a simplex from the start, then one restart from the best
 * point (Nelder-Mead can stall on a piecewise-constant surface) while it
 * improves and the budget allows. Leaves the curvature's evaluations. */
static int search(struct search *s, const double *u0)
{
    double before, from[FIT_MAX_KEYS];
    int restarts = 0;

    if (simplex(s, u0, FIT_STEP) < 0)
        return -1;
    do {
        before = s->best;
        memcpy(from, s->best_u, s->n * sizeof *from);
        if (s->failed || s->exhausted || simplex(s, from, FIT_RESTART) < 0)
            break;
    } while (s->best < before && ++restarts < 3);
    return s->failed ? -1 : 0;
}

/* The best point in z, the position in the box (0 at lo, 1 at hi). */
static void best_z(const struct search *s, double *z)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        z[i] =
            (fit_to_x(&s->keys[i], s->best_u[i]) - s->keys[i].lo) / (s->keys[i].hi - s->keys[i].lo);
}

/* H = 2 J'J, the Gauss-Newton Hessian of the sum of squares in z around
 * the best point, J the residuals' central differences (2n points). Not
 * the objective's own second differences: those carry the residuals'
 * curvature, which vanishes at a good fit but, taken at a finite step,
 * can make H indefinite; J'J is positive semi-definite by construction.
 * The stencil stays in the box: its centre moves in from a bound by the
 * step. 0, or -1 (f failed, or out of memory). */
static int hessian(struct search *s, gsl_matrix *h)
{
    const double step = FIT_HESSIAN_STEP;
    double z[FIT_MAX_KEYS], c[FIT_MAX_KEYS];
    size_t i, j, k, n = s->n;
    gsl_matrix *jac = gsl_matrix_alloc(s->m, n);
    double *plus = malloc(s->m * sizeof *plus);

    if (!jac || !plus) {
        gsl_matrix_free(jac);
        free(plus);
        return -1;
    }
    best_z(s, c);
    for (i = 0; i < n; i++)
        c[i] = c[i] < step ? step : c[i] > 1 - step ? 1 - step : c[i];
    for (i = 0; i < n; i++) {
        memcpy(z, c, n * sizeof *z);
        z[i] = c[i] + step;
        evaluate_z(s, z);
        memcpy(plus, s->res, s->m * sizeof *plus);
        z[i] = c[i] - step;
        evaluate_z(s, z);
        for (k = 0; k < s->m; k++) { /* a residual out of reach: no slope */
            double d = (plus[k] - s->res[k]) / (2 * step);
            gsl_matrix_set(jac, k, i, isnan(d) ? 0 : d);
        }
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            double sum = 0;
            for (k = 0; k < s->m; k++)
                sum += gsl_matrix_get(jac, k, i) * gsl_matrix_get(jac, k, j);
            gsl_matrix_set(h, i, j, 2 * sum);
        }
    gsl_matrix_free(jac);
    free(plus);
    return s->failed || s->exhausted ? -1 : 0;
}

/* Which keys a flat direction of h carries (flat[k] = 1), and the smallest
 * eigenvalue. 0, or -1 out of memory. */
static int flat_keys(const gsl_matrix *h, int *flat, double *eigen_min)
{
    const double limit = 2 * FIT_RISE / (FIT_FLAT_DISTANCE * FIT_FLAT_DISTANCE);
    size_t n = h->size1, i, k;
    gsl_matrix *a = gsl_matrix_alloc(n, n), *vec = gsl_matrix_alloc(n, n);
    gsl_vector *val = gsl_vector_alloc(n);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
    int rc = -1;

    if (a && vec && val && w && !gsl_matrix_memcpy(a, h) && !gsl_eigen_symmv(a, val, vec, w)) {
        *eigen_min = INFINITY;
        for (i = 0; i < n; i++) {
            double lambda = gsl_vector_get(val, i);
            *eigen_min = lambda < *eigen_min ? lambda : *eigen_min;
            for (k = 0; lambda < limit && k < n; k++) /* rises < 1 over the distance */
                flat[k] |= fabs(gsl_matrix_get(vec, k, i)) >= FIT_FLAT_WEIGHT;
        }
        rc = 0;
    }
    gsl_eigen_symmv_free(w);
    gsl_vector_free(val);
    gsl_matrix_free(vec);
    gsl_matrix_free(a);
    return rc;
}

/* The intervals of the identified keys: the inverse of H restricted to
 * them (positive definite, as no flat direction is left among them). */
static int intervals(const struct search *s, const gsl_matrix *h, const int *flat,
                     struct fit_result *out)
{
    size_t idx[FIT_MAX_KEYS], m = 0, i, j;
    double zbest[FIT_MAX_KEYS];
    gsl_matrix *sub, *inv;
    gsl_permutation *perm;
    int sign, rc = -1;

    for (i = 0; i < s->n; i++)
        if (!flat[i])
            idx[m++] = i;
    if (!m)
        return 0;
    best_z(s, zbest);
    sub = gsl_matrix_alloc(m, m), inv = gsl_matrix_alloc(m, m), perm = gsl_permutation_alloc(m);
    if (sub && inv && perm) {
        for (i = 0; i < m; i++)
            for (j = 0; j < m; j++)
                gsl_matrix_set(sub, i, j, gsl_matrix_get(h, idx[i], idx[j]));
        if (!gsl_linalg_LU_decomp(sub, perm, &sign) && !gsl_linalg_LU_invert(sub, perm, inv)) {
            for (i = 0; i < m; i++) {
                const struct fit_key *k = &s->keys[idx[i]];
                double var = gsl_matrix_get(inv, i, i), half, z = zbest[idx[i]];
                if (!(var > 0)) { /* not positive definite after all */
                    out->p[idx[i]].identified = 0;
                    continue;
                }
                half = sqrt(2 * FIT_RISE * var);
                out->p[idx[i]].ci_lo = k->lo + (k->hi - k->lo) * (z - half < 0 ? 0 : z - half);
                out->p[idx[i]].ci_hi = k->lo + (k->hi - k->lo) * (z + half > 1 ? 1 : z + half);
                out->p[idx[i]].identified = 1;
            }
            rc = 0;
        }
    }
    gsl_permutation_free(perm);
    gsl_matrix_free(inv);
    gsl_matrix_free(sub);
    return rc;
}

int fit_run(const struct fit_key *keys, size_t n, size_t m, const double *start,
            unsigned max_evaluations, fit_objective_fn f, void *ctx, struct fit_result *out)
{
    struct search s = {keys, n, f, ctx, m, malloc(m * sizeof(double)), 0, 0, 0, 0, INFINITY, {0}};
    double u0[FIT_MAX_KEYS];
    int flat[FIT_MAX_KEYS] = {0}, rc = -1;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_matrix *h = NULL;
    size_t i;

    memset(out, 0, sizeof *out);
    out->n = n;
    out->eigen_min = NAN;
    s.budget = max_evaluations - (fit_min_evaluations(n) - (unsigned)(n + 1));
    assert(max_evaluations >= fit_min_evaluations(n) && n >= 1 && n <= FIT_MAX_KEYS && m >= 1);
    for (i = 0; i < n; i++) {
        u0[i] = fit_to_u(&keys[i], start[i]);
        out->p[i].ci_lo = out->p[i].ci_hi = NAN;
    }
    if (s.res && search(&s, u0) == 0) {
        out->converged = !s.exhausted;
        s.budget = max_evaluations; /* the curvature's share */
        s.exhausted = 0;
        if ((h = gsl_matrix_alloc(n, n)) && hessian(&s, h) == 0 &&
            flat_keys(h, flat, &out->eigen_min) == 0 && intervals(&s, h, flat, out) == 0)
            rc = 0;
    }
    for (i = 0; i < n; i++)
        out->p[i].value = fit_to_x(&keys[i], s.best_u[i]);
    out->objective = s.best;
    out->evaluations = s.count;
    gsl_matrix_free(h);
    free(s.res);
    gsl_set_error_handler(old);
    return rc;
}

/* A number that is the whole of text[0..len), finite. 0, or -1. */
static int number(const char *text, size_t len, double *v)
{
    char buf[64], *end;

    if (!len || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = 0;
    errno = 0;
    *v = strtod(buf, &end);
    return *end || errno || !isfinite(*v) ? -1 : 0;
}

int fit_parse(const char *arg, struct fit_key *k, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq + 1, ':') : NULL;

    if (!eq || eq == arg) {
        snprintf(err, errlen, "--fit '%.60s': %s (expected --fit KEY=LO:HI)", arg,
                 eq ? "no key" : "no bounds");
        return -1;
    }
    if ((size_t)(eq - arg) >= sizeof k->key) {
        snprintf(err, errlen, "--fit: key longer than %zu bytes (expected a key path)",
                 sizeof k->key - 1);
        return -1;
    }
    memcpy(k->key, arg, (size_t)(eq - arg));
    k->key[eq - arg] = 0;
    if (!colon || number(eq + 1, (size_t)(colon - eq - 1), &k->lo) < 0 ||
        number(colon + 1, strlen(colon + 1), &k->hi) < 0) {
        snprintf(err, errlen, "--fit %s: bounds '%.40s' (expected LO:HI, two numbers)", k->key,
                 eq + 1);
        return -1;
    }
    if (!(k->lo < k->hi)) {
        snprintf(err, errlen, "--fit %s: %g is not below %g (expected LO < HI)", k->key, k->lo,
                 k->hi);
        return -1;
    }
    return 0;
}
