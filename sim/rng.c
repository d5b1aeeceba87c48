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
 * the instructions of Philox4x32-10, which the generator was until the
 * event loop's profile showed a quarter of a model run in it.
 *
 * The key is 64 bits hashed from (seed, replication, purpose) with the
 * SplitMix64 finalizer (a bijection, so seeds never collide for one purpose
 * and replication). The counter is (agent: 64 bits, counter: 48 bits, block
 * index: 16 bits); each block yields 4 words, so a stream holds 2^18 words. */
#include "rng.h"

#include <stdlib.h>
#include <string.h>

/* SplitMix64's output function: a bijective 64-bit avalanche mix. */
static uint64_t rng_fmix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The ten rounds are rng_philox2x64_inline in rng.h (there so that hot
 * loops can inline them); this is the out-of-line copy. */
void rng_philox2x64(const uint64_t ctr[2], uint64_t key, uint64_t out[2])
{
    rng_philox2x64_inline(ctr, key, out);
}

/* log(x) = k ln2 + log(1+f), 1+f in [sqrt(1/2), sqrt(2)). With s = f/(2+f),
 * log(1+f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = 2 s^2 (1/3 + s^2/5
 * + ...); |s| < 0.172, so ten terms reach 1e-19, summed by Estrin's scheme
 * (shorter dependency chains than Horner's). The exact f comes first and
 * only small corrections are rounded; ln2 is split so that k * LN2_HI is
 * exact. Only +, *, / and bit moves: the same bits on every IEEE machine
 * (the build uses -std=c11, which keeps the compiler from fusing
 * multiply-adds). */
double rng_log(double x)
{
    static const double LN2_HI = 6.93147180369123816490e-01;
    static const double LN2_LO = 1.90821492927058770002e-10;
    static const double SQRT2 = 1.41421356237309504880;
    uint64_t b;
    int k = 0;
    if (!(x > 0x1.0p-1022 && x <= 0x1.fffffffffffffp1023)) {
        if (x > 0 && x < 0x1.0p-1022) {
            x *= 0x1.0p54;            /* subnormal: scale into the normal range */
            k = -54;
        } else {
            return x == 0 ? -HUGE_VAL : x > 0 ? x : (x - x) / (x - x);   /* inf, NaN */
        }
    }
    memcpy(&b, &x, sizeof b);
    k += (int)(b >> 52) - 1023;
    b = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;   /* m in [1, 2) */
    double m;
    memcpy(&m, &b, sizeof m);
    if (m > SQRT2) {
        m *= 0.5;
        k++;
    }
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, z2 = z * z, z4 = z2 * z2;
    double p = ((1.0 / 3 + z * (1.0 / 5)) + z2 * (1.0 / 7 + z * (1.0 / 9))) +
               z4 * ((1.0 / 11 + z * (1.0 / 13)) + z2 * (1.0 / 15 + z * (1.0 / 17))) +
               z4 * z4 * (1.0 / 19 + z * (1.0 / 21));
    double hfsq = 0.5 * f * f, r = 2.0 * z * p, dk = k;
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
}

/* rng_neglog's table (rng.h): 1/c and log c at the centre c of each of the
 * 128 cells of [1, 2), from rng_log, so the same on every machine. */
static void rng_log_table(struct rng_state *s)
{
    for (int j = 0; j < RNG_LOG_CELLS; j++) {
        double c = (double)(2 * RNG_LOG_CELLS + 1 + 2 * j) / (2.0 * RNG_LOG_CELLS);   /* exact */
        s->log_inv_c[j] = 1.0 / c;
        s->log_c[j] = rng_log(c);
    }
}

static uint64_t rng_derive_key(const struct rng_state *s, uint32_t purpose)
{
    return rng_fmix64(s->seed ^ rng_fmix64(((uint64_t)s->replication << 32 | purpose)
                                           + 0x9E3779B97F4A7C15ull));
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
    rng_philox2x64_inline(s->ctr, s->key, s->out);
    s->ctr[1] += 1ull << 48;       /* block index lives in the top 16 bits */
    s->used = 0;
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
    s->cache_valid = 0;            /* the keys were another seed's */
    rng_set_key(s, 0);
    s->ctr[0] = s->ctr[1] = 0;
    s->used = 4;
}

static unsigned long rng_gsl_get(void *state)
{
    gsl_rng r = { rng_type, state };
    return rng_word32(&r);
}

static double rng_gsl_get_double(void *state)
{
    gsl_rng r = { rng_type, state };
    return (double)(rng_bits(&r) >> 11) * 0x1.0p-53;   /* [0,1), as GSL requires */
}

static const gsl_rng_type rng_philox_type = {
    "philox2x64-10", 0xFFFFFFFFul, 0, sizeof(struct rng_state),
    rng_gsl_set, rng_gsl_get, rng_gsl_get_double
};

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
