/* rng.c: Philox2x64-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011), written from the paper's definition.
 *
 * The mixing function. A block is 2 64-bit words of counter x and a 1-word
 * key k. One round, with M = 0xD2B74407B1CE6E93:
 *     (hi, lo) = M * x0                                 (64x64 -> 128 bits)
 *     x' = (hi ^ x1 ^ k,  lo)
 * then the key is bumped by the Weyl constant 0x9E3779B97F4A7C15. Ten
 * rounds give the output block; Philox2x64-10 passes TestU01's BigCrush for
 * any key and any counter sequence (the paper, table 2), with four rounds
 * to spare (six already do). One multiply a round for 128 bits: a third of
 * the instructions of Philox4x32-10.
 *
 * The key is 64 bits hashed from (seed, replication, purpose) with the
 * SplitMix64 finalizer (a bijection, so seeds never collide for one purpose
 * and replication). The counter is (agent: 64 bits, counter: 48 bits, block
 * index: 16 bits); each block yields 4 words, so a stream holds 2^18 words. */
#include "kernel/rng_internal.h"

#include <stdlib.h>
#include <string.h>

/* SplitMix64's output function: a bijective 64-bit avalanche mix. */
static uint64_t rng_fmix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The ten rounds are rng_philox2x64_inline in rng_internal.h (there so
 * that hot loops can inline them); this is the out-of-line copy. */
void rng_philox2x64(const uint64_t ctr[2], uint64_t key, uint64_t out[2])
{
    rng_philox2x64_inline(ctr, key, out);
}

/* rng_neglog's table (rng_internal.h): 1/c and log c at the centre c of
 * each of the 128 cells of [1, 2), from detmath_log, so the same on every
 * machine. */
static void rng_log_table(struct rng_state *s)
{
    for (int j = 0; j < RNG_LOG_CELLS; j++) {
        double c = (double)(2 * RNG_LOG_CELLS + 1 + 2 * j) / (2.0 * RNG_LOG_CELLS); /* exact */
        s->log_inv_c[j] = 1.0 / c;
        s->log_c[j] = detmath_log(c);
    }
}

/* The ziggurat (Marsaglia and Tsang, "The ziggurat method for generating
 * random variables", J. Stat. Softw. 5(8), 2000). Under f(x) = exp(-x^2/2)
 * lie 128 pieces of equal area V: layers i = 127..1 are rectangles [0, x_i]
 * x [f(x_i), f(x_{i-1})] (x_0 = 0, so layer 1 is the top), and layer 0 is
 * the base, [0, R] x [0, f(R)] plus the tail beyond R = x_127, drawn as one
 * rectangle of width q = V / f(R). A draw picks a layer and a uniform x in
 * its width: below x_{i-1} (a fraction k_i / 2^24 of the width) the point
 * is under the curve whatever its height, which is nearly always; else the
 * wedge draws a height and tests it against f, and the base's overhang
 * draws from the tail by Marsaglia's method (1964). R and V are the
 * paper's for 128 layers; the tables follow from them by its recurrence,
 * computed with detmath so that they are the same everywhere. k_i is
 * rounded down, which only sends a few more points to the exact test. */
static const double RNG_ZIG_R = 3.442619855899;
static const double RNG_ZIG_V = 9.91256303526217e-3;

static void rng_zig_table(struct rng_state *s)
{
    const double M = 0x1.0p24; /* the abscissa's 24 bits */
    double x = RNG_ZIG_R, f = detmath_exp(-0.5 * x * x), q = RNG_ZIG_V / f;
    s->zig_k[0] = (uint32_t)(x / q * M);
    s->zig_w[0] = q / M;
    s->zig_f[0] = 1.0; /* f(x_0): the wedges' top */
    s->zig_k[1] = 0;   /* the top layer: always the wedge test */
    s->zig_w[RNG_ZIG_LAYERS - 1] = x / M;
    s->zig_f[RNG_ZIG_LAYERS - 1] = f;
    for (int i = RNG_ZIG_LAYERS - 2; i >= 1; i--) {
        /* x_i from x_{i+1}: the layer between them has area V */
        double next = sqrt(-2.0 * detmath_log(RNG_ZIG_V / x + detmath_exp(-0.5 * x * x)));
        s->zig_k[i + 1] = (uint32_t)(next / x * M);
        x = next;
        s->zig_f[i] = detmath_exp(-0.5 * x * x);
        s->zig_w[i] = x / M;
    }
}

double rng_normal_slow(gsl_rng *r, uint32_t w)
{
    const struct rng_state *s = r->state;
    for (;;) {
        uint32_t i = w & (RNG_ZIG_LAYERS - 1), j = w >> 8;
        double sign = w & 0x80 ? -1.0 : 1.0, x = (double)j * s->zig_w[i];
        if (j < s->zig_k[i])
            return sign * x;
        if (i == 0) {
            /* The tail: R + a with density proportional to f(R + a). */
            double a, b;
            do {
                a = rng_neglog(s, rng_uniform_pos(r)) / RNG_ZIG_R;
                b = rng_neglog(s, rng_uniform_pos(r));
            } while (b + b < a * a);
            return sign * (RNG_ZIG_R + a);
        }
        /* The wedge: a uniform height in the layer, under f or not. */
        double y = s->zig_f[i] + rng_uniform_pos(r) * (s->zig_f[i - 1] - s->zig_f[i]);
        if (y < detmath_exp(-0.5 * x * x))
            return sign * x;
        w = rng_word32(r);
    }
}

/* Binomial by inversion, for n p < 10 (p <= 1/2): walk the pmf up from
 * P(0) = (1-p)^n, P(k) = P(k-1) (n-k+1)/k p/(1-p), until the uniform is
 * spent; at most a few tens of steps. The pmf's rounding can leave a
 * sliver of mass (about 1e-16) unassigned; a uniform that falls in it is
 * redrawn, which is exact for the mass that was assigned. */
static uint32_t rng_binomial_inversion(gsl_rng *r, double p, uint32_t n)
{
    double ratio = p / (1.0 - p), p0 = detmath_exp((double)n * detmath_log1p(-p));
    for (;;) {
        double u = rng_uniform_pos(r), pk = p0;
        uint32_t k = 0;
        while (u > pk && pk > 0 && k < n) {
            u -= pk;
            k++;
            pk *= ratio * (double)(n - k + 1) / (double)k;
        }
        if (u <= pk)
            return k;
    }
}

/* From a table below 10, and above by the asymptotic series sum of
 * B_2j / (2j (2j-1) x^(2j-1)), x = k + 1, to its seventh term (truncation
 * under 1e-17 from k = 10; the five terms BTRD's authors used leave 3e-11
 * there). tests/unit/test_binomial.c checks both against lgamma. */
double rng_stirling_tail(double k)
{
    static const double TAIL[10] = {
        0.08106146679532726,  0.04134069595540929,  0.02767792568499834, 0.02079067210376509,
        0.01664469118982119,  0.01387612882307075,  0.01189670994589177, 0.01041126526197209,
        0.009255462182712733, 0.008330563433362871,
    };
    if (k < 10)
        return TAIL[(int)k];
    double x = k + 1, y = 1.0 / (x * x);
    return (1.0 / 12 -
            y * (1.0 / 360 -
                 y * (1.0 / 1260 - y * (1.0 / 1680 - y * (1.0 / 1188 - y * (691.0 / 360360 -
                                                                            y * (1.0 / 156))))))) /
           x;
}

/* BTRD (Hormann, "The generation of binomial random variates", J. Stat.
 * Comput. Simul. 46, 1993), for n p >= 10, p <= 1/2: a uniform u in
 * (-1/2, 1/2) maps to k = floor((2a/(1/2 - |u|) + b) u + c), a hat close
 * to the pmf; a point (u, v) in the box |u| <= 0.43, v <= v_r lies under
 * the pmf for sure (about 80% of draws at large n p); any other point is
 * accepted when log v, scaled to the hat, is below log(P(k)/P(m)), m the
 * mode, from Stirling's formula with its exact remainder. Two uniforms a
 * try, as TensorFlow's version of the algorithm draws them. */
static uint32_t rng_binomial_btrd(gsl_rng *r, double p, uint32_t n)
{
    double dn = n, spq = sqrt(dn * p * (1.0 - p));
    double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = dn * p + 0.5;
    double alpha = (2.83 + 5.1 / b) * spq, v_r = 0.92 - 4.2 / b, ratio = p / (1.0 - p);
    double m = floor((dn + 1) * p);
    double h = (m + 0.5) * detmath_log((m + 1) / (ratio * (dn - m + 1))) + rng_stirling_tail(m) +
               rng_stirling_tail(dn - m);
    for (;;) {
        double u = rng_uniform_pos(r) - 0.5, v = rng_uniform_pos(r);
        double us = 0.5 - (u < 0 ? -u : u);
        double k = floor((2 * a / us + b) * u + c);
        if (k < 0 || k > dn)
            continue;
        if (us >= 0.07 && v <= v_r)
            return (uint32_t)k;
        double lv = detmath_log(v * alpha / (a / (us * us) + b));
        double nk = dn - k + 1;
        if (lv <= h + (dn + 1) * detmath_log((dn - m + 1) / nk) +
                      (k + 0.5) * detmath_log(nk * ratio / (k + 1)) - rng_stirling_tail(k) -
                      rng_stirling_tail(dn - k))
            return (uint32_t)k;
    }
}

uint32_t rng_binomial(gsl_rng *r, double p, uint32_t n)
{
    if (n == 0 || !(p > 0))
        return 0;
    if (p >= 1)
        return n;
    int flip = p > 0.5;
    double q = flip ? 1.0 - p : p; /* exact for p > 1/2 */
    uint32_t k = (double)n * q < 10 ? rng_binomial_inversion(r, q, n) : rng_binomial_btrd(r, q, n);
    return flip ? n - k : k;
}

static uint64_t rng_derive_key(const struct rng_state *s, uint32_t purpose)
{
    return rng_fmix64(
        s->seed ^ rng_fmix64(((uint64_t)s->replication << 32 | purpose) + 0x9E3779B97F4A7C15ull));
}

static void rng_set_key(struct rng_state *s, uint32_t purpose)
{
    s->purpose = purpose;
    s->key = rng_derive_key(s, purpose);
}

/* The key of `purpose`: a model run switches purposes at nearly every
 * rng_at (arrival, payment, service...), so the keys of the last few are
 * kept, one per purpose mod RNG_KEY_CACHE, instead of hashed again. */
static int rng_cached(const struct rng_state *s, uint32_t purpose)
{
    uint32_t i = purpose % RNG_KEY_CACHE;
    return (s->cache_valid >> i & 1) && s->cache_purpose[i] == purpose;
}

static void rng_use_key(struct rng_state *s, uint32_t purpose)
{
    uint32_t i = purpose % RNG_KEY_CACHE;
    if (!rng_cached(s, purpose)) {
        s->cache_key[i] = rng_derive_key(s, purpose);
        s->cache_purpose[i] = purpose;
        s->cache_valid |= 1u << i;
    }
    s->purpose = purpose;
    s->key = s->cache_key[i];
}

void rng_next_block(struct rng_state *s)
{
    rng_next_block_inline(s);
}

void rng_at(gsl_rng *r, uint32_t purpose, uint64_t agent, uint64_t counter)
{
    struct rng_state *s = r->state;
    if (purpose != s->purpose)
        rng_use_key(s, purpose);
    s->ctr[0] = agent;
    s->ctr[1] = counter & 0xFFFFFFFFFFFFull;
    s->used = 4;
}

/* From the cache when it is there, without touching the state. */
uint64_t rng_key(const gsl_rng *r, uint32_t purpose)
{
    const struct rng_state *s = r->state;
    if (purpose == s->purpose)
        return s->key;
    return rng_cached(s, purpose) ? s->cache_key[purpose % RNG_KEY_CACHE]
                                  : rng_derive_key(s, purpose);
}

/* gsl_rng_type hooks. gsl_rng_set(r, s) means seed s, replication 0. */
static void rng_gsl_set(void *state, unsigned long seed)
{
    struct rng_state *s = state;
    s->seed = seed;
    s->replication = 0;
    s->cache_valid = 0; /* the keys were another seed's */
    rng_set_key(s, 0);
    s->ctr[0] = s->ctr[1] = 0;
    s->used = 4;
}

static unsigned long rng_gsl_get(void *state)
{
    gsl_rng r = {rng_type, state};
    return rng_word32(&r);
}

static double rng_gsl_get_double(void *state)
{
    gsl_rng r = {rng_type, state};
    return (double)(rng_bits(&r) >> 11) * 0x1.0p-53; /* [0,1), as GSL requires */
}

static const gsl_rng_type rng_philox_type = {"philox2x64-10",          0xFFFFFFFFul, 0,
                                             sizeof(struct rng_state), rng_gsl_set,  rng_gsl_get,
                                             rng_gsl_get_double};

const gsl_rng_type *const rng_type = &rng_philox_type;

gsl_rng *rng_new(uint64_t seed, uint32_t replication)
{
    gsl_rng *r = malloc(sizeof *r);
    struct rng_state *s = malloc(sizeof *s);
    if (!r || !s) {
        free(r);
        free(s);
        return NULL;
    }
    r->type = rng_type;
    r->state = s;
    s->seed = seed;
    s->replication = replication;
    s->cache_valid = 0;
    rng_log_table(s);
    rng_zig_table(s);
    rng_set_key(s, 0);
    rng_at(r, 0, 0, 0);
    return r;
}

void rng_free(gsl_rng *r)
{
    if (r) {
        free(r->state);
        free(r);
    }
}

const char *rng_name(void)
{
    return rng_philox_type.name;
}
