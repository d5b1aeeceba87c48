/* fit: the fitting of `pilotsim calibrate --fit`, against any objective.
 *
 * fit_run minimizes f(x) over the box lo <= x <= hi of up to FIT_MAX_KEYS
 * keys with GSL's Nelder-Mead simplex (nmsimplex2), in the mapped space
 * u = logit((x - lo) / (hi - lo)), where every u is inside the bounds. A
 * simplex, not gradients: a stochastic simulation's objective, even with
 * common random numbers, is piecewise constant at small scales (a count
 * moves by whole people), so differences at small steps are noise.
 *
 * The objective is a sum of squared residuals (m of them: a target's error
 * in tolerances). At the best point the curvature is the Gauss-Newton
 * Hessian H = 2 J'J, J the residuals' central differences in z = (x - lo)
 * / (hi - lo), the linear position in the box, at step FIT_HESSIAN_STEP
 * (the stencil moved in from a bound to stay inside). Its eigenvalues tell
 * flat directions: the objective rises by less than 1 over a move of
 * FIT_FLAT_DISTANCE of the box (a key the targets do not see, or keys
 * traded along a ridge); a key with a weight of at least FIT_FLAT_WEIGHT
 * in a flat direction is not identified and gets no interval. For the
 * others the interval is where the objective, the other identified keys
 * re-fitted, rises by at most 1 (in the quadratic approximation: z* +-
 * sqrt(2 (H_II^-1)_kk)), cut to the bounds. The curvature is taken in z,
 * not u, because u stretches without end towards a bound, where it would
 * make any key look flat.
 *
 * Every evaluation counts against max_evaluations, the curvature's
 * included. Ownership: everything is the caller's storage. */
#ifndef PILOTSIM_FIT_H
#define PILOTSIM_FIT_H

#include <stddef.h>

#define FIT_MAX_KEYS 8
#define FIT_KEY_LEN 256       /* a key path, NUL included */
#define FIT_HESSIAN_STEP 0.05 /* in z: 5% of the box */
#define FIT_FLAT_DISTANCE 0.4 /* in z: 40% of the box */
#define FIT_FLAT_WEIGHT 0.3   /* |eigenvector component| naming a key */
#define FIT_DEFAULT_EVALUATIONS 100

struct fit_key {
    char key[FIT_KEY_LEN]; /* as --set addresses it */
    double lo, hi;         /* lo < hi, both finite */
};

struct fit_param {
    double value; /* the best point's x */
    double ci_lo; /* the interval (see above); NaN when not identified */
    double ci_hi;
    int identified; /* 1, or 0: flat or on a ridge */
};

struct fit_result {
    struct fit_param p[FIT_MAX_KEYS];
    size_t n;
    double objective;     /* at the best point */
    unsigned evaluations; /* every call of f, search and curvature */
    int converged;        /* the simplex shrank to FIT_SIZE before the budget */
    double eigen_min;     /* the smallest eigenvalue of H in z (NaN: not taken) */
};

/* The residuals at x (key units) into res[0..m): 0, or -1 to stop the fit
 * (the callee has said why). The objective is the sum of their squares; a
 * NaN residual counts for nothing (all NaN stops the fit). `curvature`: 0
 * while searching, 1 for the points of the curvature (never the best). */
typedef int (*fit_objective_fn)(void *ctx, const double *x, int curvature, double *res);

/* Parse `KEY=LO:HI` (a --fit argument) into *k. 0, or -1 with one line
 * (no newline) in err[errlen] saying what was expected. */
int fit_parse(const char *arg, struct fit_key *k, char *err, size_t errlen);

/* The fewest evaluations a fit of n keys needs: a simplex and the curvature. */
unsigned fit_min_evaluations(size_t n);

/* Minimize f from `start` (x; a value outside (lo, hi) starts at the
 * middle) within max_evaluations (>= fit_min_evaluations), then take the
 * intervals. 0, or -1 when f stopped it or memory ran out (out->evaluations
 * still counts). */
int fit_run(const struct fit_key *keys, size_t n, size_t m, const double *start,
            unsigned max_evaluations, fit_objective_fn f, void *ctx, struct fit_result *out);

/* x from u and back, per key (exposed for tests). */
double fit_to_x(const struct fit_key *k, double u);
double fit_to_u(const struct fit_key *k, double x);

#endif
