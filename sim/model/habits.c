/* habits.c: a person's activity, drawn from its key, never stored.
 *
 * Z is drawn by inversion: the uniform of the person's block is mapped
 * into [Phi(-3), Phi(3)] and through the normal quantile, an exact
 * truncated normal with one uniform and no rejection, so that the draw is
 * one Philox block, one logarithm at most and one exponential. The
 * quantile is Acklam's rational approximation (relative error under
 * 1.2e-9), written with basic operations, sqrt and detmath_log: the same
 * bits on every machine. The mean is made 1 by mu = -log E[exp(sigma Z)],
 * the expectation over the truncated normal, computed once at set-up by
 * Simpson's rule with detmath_exp (6,000 panels: its error is far below
 * the quantile's).
 *
 * A person's stratum is a step function of its 53-bit uniform v, so the
 * set-up's pass over every person finds it among 63 edges instead of
 * through the quantile. The edges are found by bisection on the quantile's
 * own answer, and are exact away from them: the computed quantile is
 * within eps = 4e-9 of the true one (Acklam's 1.15e-9 relative, rounding
 * far below), which rises at least 2.49 per unit of v / 2^53, and every
 * step after it (clamping, scaling, truncating) is monotone; so if the
 * quantile's stratum is below j at edge - 1 and at least j at the edge,
 * every v further than 2^33 (2^-20 of the range: the true quantile moves
 * 2.4e-6 >> 2 eps) below or above is below or at least j. A person's
 * uniform falls in one of 4,096 slices (its top 12 bits, a table in L1):
 * a slice wholly between two edges, further than 2^33 from both, has one
 * stratum; in the 64 others (1.6% of the people) the quantile decides. */
#include "model/habits.h"

#include <math.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"
#include "model/model_state.h"

#define PHI_MINUS_3 1.3498980316300946e-3 /* Phi(-3), the lower cut */
#define PANELS 6000                       /* Simpson's rule panels over [-3, 3] (even) */

/* Acklam's coefficients: the central region |p - 1/2| <= 0.47575 (a/b)
 * and the tails (c/d). */
static const double qa[6] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
static const double qb[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
static const double qc[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
static const double qd[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
#define P_LOW 0.02425

/* The lower tail's quantile, p < P_LOW. */
static double tail(double p)
{
    double q = sqrt(-2 * detmath_log(p));
    return (((((qc[0] * q + qc[1]) * q + qc[2]) * q + qc[3]) * q + qc[4]) * q + qc[5]) /
           ((((qd[0] * q + qd[1]) * q + qd[2]) * q + qd[3]) * q + 1);
}

double habits_normal_quantile(double p)
{
    if (p < P_LOW)
        return tail(p);
    if (p > 1 - P_LOW)
        return -tail(1 - p); /* exact: 1 - p for p in [1/2, 1] */
    double q = p - 0.5, r = q * q;
    return (((((qa[0] * r + qa[1]) * r + qa[2]) * r + qa[3]) * r + qa[4]) * r + qa[5]) * q /
           (((((qb[0] * r + qb[1]) * r + qb[2]) * r + qb[3]) * r + qb[4]) * r + 1);
}

/* The integral over [-3, 3] of exp(sigma z - z^2 / 2), by Simpson's rule. */
static double simpson(double sigma)
{
    double h = 2 * HABITS_TRUNCATION / PANELS, sum = 0;
    for (int i = 0; i <= PANELS; i++) {
        double z = -HABITS_TRUNCATION + i * h;
        double w = i == 0 || i == PANELS ? 1 : i % 2 ? 4 : 2;
        sum += w * detmath_exp(sigma * z - z * z / 2);
    }
    return sum * h / 3;
}

static void find_edges(struct habits *h);

void habits_init(struct habits *h, double sigma, uint64_t key)
{
    h->sigma = sigma;
    h->key = key;
    h->mu = 0;
    h->ceiling = 1;
    if (sigma > 0) {
        /* E[exp(sigma Z)] for Z truncated: the ratio of the two integrals. */
        h->mu = -detmath_log(simpson(sigma) / simpson(0));
        h->ceiling = detmath_exp(h->mu + sigma * HABITS_TRUNCATION);
        find_edges(h);
    }
}

/* The truncated normal Z of a person whose block's first word is bits. */
static double z_of(uint64_t bits)
{
    double p = PHI_MINUS_3 + rng_uniform_of(bits) * (1 - 2 * PHI_MINUS_3);
    double z = habits_normal_quantile(p);
    /* The quantile's error may cross the cut by a hair: the ceiling holds. */
    return z > HABITS_TRUNCATION    ? HABITS_TRUNCATION
           : z < -HABITS_TRUNCATION ? -HABITS_TRUNCATION
                                    : z;
}

/* The person's truncated normal Z: one block of its key. */
static double person_z(const struct habits *h, uint32_t user)
{
    uint64_t block[2];
    rng_block_keyed(h->key, user, 0, block);
    return z_of(block[0]);
}

uint32_t habits_stratum_exact(uint64_t bits)
{
    double at = (z_of(bits) + HABITS_TRUNCATION) * (HABITS_STRATA / (2 * HABITS_TRUNCATION));
    return at >= HABITS_STRATA - 1 ? HABITS_STRATA - 1 : at <= 0 ? 0 : (uint32_t)at;
}

#define UNIFORM_TOP (((uint64_t)1 << 53) - 1) /* the largest 53-bit uniform */
#define EDGE_GUARD ((uint64_t)1 << 33)        /* the quantile decides this near an edge */

/* Each edge by bisection over v: the quantile's stratum is below s at lo
 * (v = 0: z = -3) and at least s at hi (the top: z = 3), down to a step;
 * then each slice's stratum, where no edge is within the guard. */
static void find_edges(struct habits *h)
{
    h->edge[0] = 0;
    for (uint32_t s = 1; s < HABITS_STRATA; s++) {
        uint64_t lo = 0, hi = UNIFORM_TOP;
        while (hi - lo > 1) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (habits_stratum_exact(mid << 11) >= s)
                hi = mid;
            else
                lo = mid;
        }
        h->edge[s] = hi;
    }
    const uint32_t width_bits = 53 - HABITS_SLICE_BITS;
    uint32_t s = 0; /* the last edge at or below the slice's first uniform */
    for (uint64_t i = 0; i < HABITS_SLICES; i++) {
        uint64_t lo = i << width_bits, hi = lo + (((uint64_t)1 << width_bits) - 1);
        while (s + 1 < HABITS_STRATA && h->edge[s + 1] <= lo)
            s++;
        int clear = (s == 0 || lo - h->edge[s] > EDGE_GUARD) &&
                    (s + 1 == HABITS_STRATA ||
                     (hi < h->edge[s + 1] && h->edge[s + 1] - hi > EDGE_GUARD + 1));
        h->slice[i] = clear ? (uint8_t)s : HABITS_MIXED;
    }
}

uint32_t habits_stratum_bits(const struct habits *h, uint64_t bits)
{
    uint32_t s = h->slice[bits >> (64 - HABITS_SLICE_BITS)];
    return s != HABITS_MIXED ? s : habits_stratum_exact(bits);
}

double habits_of(const struct habits *h, uint32_t user)
{
    return h->sigma == 0 ? 1 : detmath_exp(h->mu + h->sigma * person_z(h, user));
}

double habits_weight(const struct habits *h, uint32_t user, double power)
{
    if (h->sigma == 0 || power == 0)
        return 1;
    return detmath_exp(power * h->sigma * (person_z(h, user) - HABITS_TRUNCATION));
}

uint32_t habits_strata(const struct habits *h)
{
    return h->sigma > 0 ? HABITS_STRATA : 1;
}

uint32_t habits_stratum(const struct habits *h, uint32_t user)
{
    if (h->sigma == 0)
        return 0;
    uint64_t block[2];
    rng_block_keyed(h->key, user, 0, block);
    return habits_stratum_bits(h, block[0]);
}

/* A stratum's Z lies below its upper edge; the edge is raised by 1e-6, far
 * more than the rounding of the edge, of the step and of a float activity
 * (2^-24 relative), so that the bound holds for every member. */
void habits_bounds(const struct habits *h, double power, uint64_t *per)
{
    uint32_t k = habits_strata(h);
    for (uint32_t s = 0; s < k; s++) {
        double edge = -HABITS_TRUNCATION + (s + 1) * (2 * HABITS_TRUNCATION / k) + 1e-6;
        double w =
            k == 1 || power == 0 ? 1 : detmath_exp(power * h->sigma * (edge - HABITS_TRUNCATION));
        per[s] = (uint64_t)ceil(w / HABITS_UNIT * (1 + 1e-9)) + 1;
    }
}

int habits_below64(uint64_t bits, uint64_t total, uint64_t *x)
{
    uint64_t hi, lo = rng_mulhilo(bits, total, &hi);
    *x = hi;
    return lo >= total || lo >= (0 - total) % total;
}

/* A try draws a stratum and a holder in it from one 64-bit word and
 * accepts it with its activity over its stratum's bound, with one 32-bit
 * word: about 1.05 tries at sigma 1 (against the ceiling's 12). */
uint32_t habits_pick(gsl_rng *r, const struct population *p, const float *activity, double ceiling,
                     uint32_t *low)
{
    const struct population_tree *t = &p->weight[SEG_HOLDERS];
    const double unit = ceiling * HABITS_UNIT / 4294967296.0; /* a bound's unit per coin word */
    uint32_t at = 0;
    for (uint32_t tries = 0; tries < HABITS_MAX_TRIES; tries++) {
        uint64_t x;
        int fair = habits_below64(rng_bits(r), t->total, &x);
        uint32_t s;
        at = population_weighed(p, SEG_HOLDERS, x, &s);
        uint32_t word = rng_word32(r);
        if (fair && (double)word * (double)t->per[s] * unit < activity[p->first + at])
            break;
    }
    *low = rng_word32(r); /* the payer's coin: a word of its own */
    return at;
}

/* As habits_pick, each try one keyed block: a stratum and a member from
 * its first word, the acceptance from its second; the weight is computed
 * from the person's key (habits_weight), nothing stored. */
uint32_t habits_draw(const struct habits *h, const struct population *p,
                     enum population_segment seg, double power, uint64_t key, uint64_t agent,
                     uint64_t item)
{
    const struct population_tree *t = &p->weight[seg];
    uint64_t block[2];
    uint32_t at = 0;
    for (uint32_t tries = 0; tries < HABITS_MAX_TRIES; tries++) {
        rng_block_keyed(key, agent | tries, item, block);
        uint64_t x;
        uint32_t s;
        int fair = habits_below64(block[0], t->total, &x);
        at = population_weighed(p, seg, x, &s);
        if (fair && rng_uniform_of(block[1]) * (double)t->per[s] * HABITS_UNIT <
                        habits_weight(h, p->order[at], power))
            break;
    }
    return at;
}

uint32_t habits_pick_guess(const struct population *p, uint64_t bits)
{
    uint64_t hi;
    uint32_t s;
    rng_mulhilo(bits, p->weight[SEG_HOLDERS].total, &hi);
    return population_weighed(p, SEG_HOLDERS, hi, &s);
}

double habits_activity(const struct model *m, uint32_t user)
{
    return habits_of(&m->habits, user);
}

double habits_ceiling(const struct model *m)
{
    return m->habits.ceiling;
}
