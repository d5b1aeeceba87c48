/* rng_internal: the machinery behind rng.h's inline draws. The generator's
 * state (keys, the current block, the tables of rng_neglog and of the
 * ziggurat), Philox's round, and the bodies of the inline draws. Only rng.c,
 * rng.h (which includes this at its end) and white-box tests and loops that
 * read the state need it; a caller of the draws includes rng.h.
 *
 * Invariants: `used` counts the words of out[] already served (4: none
 * left); ctr[1] holds the stream's counter in its low 48 bits and the index
 * of the next block in its high 16. The state is rng.c's to change, except
 * through the draws here. */
#ifndef PILOTSIM_RNG_INTERNAL_H
#define PILOTSIM_RNG_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "kernel/detmath.h"
#include "kernel/rng.h"

#define RNG_KEY_CACHE 8    /* keys kept: a run alternates between a few purposes */
#define RNG_LOG_CELLS 128  /* rng_neglog's table: cells of the mantissa */
#define RNG_ZIG_LAYERS 128 /* rng_normal's ziggurat: layers of equal area */
struct rng_state {
    uint64_t seed;        /* the run's seed */
    uint32_t replication; /* replication number */
    uint32_t purpose;     /* purpose the key was derived for */
    uint64_t key;         /* Philox key of (seed, replication, purpose) */
    uint64_t ctr[2];      /* agent; counter (low 48 bits) | block << 48 */
    uint64_t out[2];      /* the current block: four 32-bit words, high halves first */
    uint32_t used;        /* words of it already served (4: none left) */
    uint32_t cache_valid; /* bit i: cache_key[i] holds the key of cache_purpose[i] */
    uint32_t cache_purpose[RNG_KEY_CACHE]; /* purposes seen, by purpose mod 8 */
    uint64_t cache_key[RNG_KEY_CACHE];     /* their keys */
    double log_inv_c[RNG_LOG_CELLS];       /* rng_neglog's table: 1 / c_j */
    double log_c[RNG_LOG_CELLS];           /* and log c_j */
    uint32_t zig_k[RNG_ZIG_LAYERS];        /* rng_normal: j below this: inside, accept */
    double zig_w[RNG_ZIG_LAYERS];          /* x = j w for 24-bit j */
    double zig_f[RNG_ZIG_LAYERS];          /* the density at the layer's right edge */
};

void rng_next_block(struct rng_state *s); /* out[] = next block, used = 0 */

/* rng_normal's rare cases (the wedges and the tail), given the word that
 * missed the layer's rectangle. */
double rng_normal_slow(gsl_rng *r, uint32_t word);

/* The 128-bit product of a and b: the low half returned, the high in *hi.
 * From 32-bit halves, for compilers without a 128-bit integer (and for the
 * test that the two agree). */
static inline uint64_t rng_mulhilo_portable(uint64_t a, uint64_t b, uint64_t *hi)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return a * b;
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 rng_u128; /* GCC and Clang on 64 bits */
static inline uint64_t rng_mulhilo(uint64_t a, uint64_t b, uint64_t *hi)
{
    rng_u128 p = (rng_u128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}
#else
#define rng_mulhilo rng_mulhilo_portable
#endif

/* Philox's ten rounds, inline, for the hot loops that want the compiler to
 * schedule the multiplies among their own work (rng.c's rng_philox2x64 is
 * this; the round is described there). Unrolled: -O2 keeps loops, and the
 * round keys then fold into constants. */
#define RNG_M 0xD2B74407B1CE6E93ull /* the round multiplier */
#define RNG_W 0x9E3779B97F4A7C15ull /* the key's Weyl increment */
#define RNG_PHILOX_ROUND(i)                               \
    do {                                                  \
        uint64_t hi_, lo_ = rng_mulhilo(RNG_M, x0, &hi_); \
        x0 = hi_ ^ x1 ^ (k + (i)*RNG_W);                  \
        x1 = lo_;                                         \
    } while (0)

static inline void rng_philox2x64_inline(const uint64_t ctr[2], uint64_t k, uint64_t out[2])
{
    uint64_t x0 = ctr[0], x1 = ctr[1];
    RNG_PHILOX_ROUND(0u);
    RNG_PHILOX_ROUND(1u);
    RNG_PHILOX_ROUND(2u);
    RNG_PHILOX_ROUND(3u);
    RNG_PHILOX_ROUND(4u);
    RNG_PHILOX_ROUND(5u);
    RNG_PHILOX_ROUND(6u);
    RNG_PHILOX_ROUND(7u);
    RNG_PHILOX_ROUND(8u);
    RNG_PHILOX_ROUND(9u);
    out[0] = x0;
    out[1] = x1;
}

/* rng_next_block inline. The draws below take it where a file defines
 * RNG_INLINE_REFILL before its first #include (the load test: out of line,
 * the call stores and reloads the state around ten rounds, and a payment
 * takes about three blocks); elsewhere they call it, which keeps loops
 * such as PHOLD's as they were. Either way the same numbers. */
static inline void rng_next_block_inline(struct rng_state *s)
{
    rng_philox2x64_inline(s->ctr, s->key, s->out);
    s->ctr[1] += 1ull << 48; /* block index lives in the top 16 bits */
    s->used = 0;
}

#ifdef RNG_INLINE_REFILL
#define RNG_REFILL rng_next_block_inline
#else
#define RNG_REFILL rng_next_block
#endif

/* Two words: one of the block's halves, unless an odd gsl_rng_get left the
 * stream between them; a new block when fewer than two are left. */
static inline uint64_t rng_bits(gsl_rng *r)
{
    struct rng_state *s = (struct rng_state *)r->state;
    if (s->used > 2)
        RNG_REFILL(s);
    uint32_t u = s->used;
    uint64_t v = u & 1 ? s->out[0] << 32 | s->out[1] >> 32 : s->out[u >> 1];
    s->used = u + 2;
    return v;
}

static inline uint32_t rng_word32(gsl_rng *r)
{
    struct rng_state *s = (struct rng_state *)r->state;
    if (s->used == 4)
        RNG_REFILL(s);
    uint32_t u = s->used++;
    uint64_t half = s->out[u >> 1];
    return u & 1 ? (uint32_t)half : (uint32_t)(half >> 32);
}

static inline double rng_uniform_of(uint64_t bits)
{
    return ((double)(bits >> 11) + 0.5) * 0x1.0p-53;
}

static inline double rng_uniform_pos(gsl_rng *r)
{
    return rng_uniform_of(rng_bits(r));
}

static inline void rng_block_keyed(uint64_t key, uint64_t agent, uint64_t counter, uint64_t out[2])
{
    uint64_t ctr[2] = {agent, counter & 0xFFFFFFFFFFFFull};
    rng_philox2x64_inline(ctr, key, out);
}

static inline void rng_stream_block(const gsl_rng *r, uint64_t agent, uint64_t counter,
                                    uint64_t out[2])
{
    rng_block_keyed(((const struct rng_state *)r->state)->key, agent, counter, out);
}

/* Inline: an event's streams are positioned a few times per payment. */
static inline void rng_at_block(gsl_rng *r, uint32_t purpose, uint64_t key, uint64_t agent,
                                uint64_t counter, const uint64_t block[2])
{
    struct rng_state *s = (struct rng_state *)r->state;
    s->purpose = purpose;
    s->key = key;
    s->ctr[0] = agent;
    s->ctr[1] = (counter & 0xFFFFFFFFFFFFull) + (1ull << 48); /* block 0 is out[] */
    s->out[0] = block[0];
    s->out[1] = block[1];
    s->used = 0;
}

/* The fast draws: straight from the stream's bits, no GSL indirect call.
 * rng_below uses one 32-bit word, rng_below_low and rng_exponential one
 * 64-bit pair (rng_bits), rng_normal nearly always one word. */

/* Lemire's multiply-shift: m = x n for 32 random bits x gives the integer
 * m >> 32 in [0, n), exactly uniform once the products whose low half falls
 * in the biased sliver (below 2^32 mod n, probability below n / 2^32) are
 * redrawn, from further words. */
static inline uint32_t rng_lemire(gsl_rng *r, uint64_t m, uint32_t n)
{
    if ((uint32_t)m < n) {
        uint32_t t = (uint32_t)(-n) % n; /* 2^32 mod n */
        while ((uint32_t)m < t)
            m = (uint64_t)rng_word32(r) * n;
    }
    return (uint32_t)(m >> 32);
}

static inline uint32_t rng_below(gsl_rng *r, uint32_t n)
{
    return rng_lemire(r, (uint64_t)rng_word32(r) * n, n);
}

static inline uint32_t rng_below_low(gsl_rng *r, uint32_t n, uint32_t *low)
{
    uint64_t b = rng_bits(r);
    *low = (uint32_t)b;
    return rng_lemire(r, (b >> 32) * (uint64_t)n, n);
}

static inline int rng_coin(uint32_t bits, double p)
{
    return (double)bits < p * 4294967296.0;
}

/* -log(u) for a normal u in (0, 1), from a table of RNG_LOG_CELLS cells:
 * u = 2^k m, m in [1, 2); c = 1 + (j + 1/2)/128 is the centre of m's cell,
 * so m - c is exact, r = (m - c)/c lies within 1/256, and log u = k ln2 +
 * log c + log1p(r), log1p by its series to r^6 (error under 1e-17). The
 * table comes from detmath_log, so the result is the same everywhere; its
 * absolute error, about 1e-16, is far below what a time or an amount
 * resolves. No division and no branch, so cheaper than detmath_log. */
static inline double rng_neglog(const struct rng_state *s, double u)
{
    static const double LN2_HI = 6.93147180369123816490e-01;
    static const double LN2_LO = 1.90821492927058770002e-10;
    uint64_t b;
    memcpy(&b, &u, sizeof b);
    int k = (int)(b >> 52) - 1023;
    unsigned j = (unsigned)(b >> 45) & (RNG_LOG_CELLS - 1);
    b = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &b, sizeof m);
    double r = (m - (double)(2 * RNG_LOG_CELLS + 1 + 2 * j) / (2.0 * RNG_LOG_CELLS)) *
               s->log_inv_c[j],
           r2 = r * r;
    double p = (r - r2 * (0.5 - r * (1.0 / 3))) + r2 * r2 * ((-0.25 + r * 0.2) - r2 * (1.0 / 6));
    double dk = k;
    return -(dk * LN2_HI + ((dk * LN2_LO + s->log_c[j]) + p));
}

static inline double rng_exponential(gsl_rng *r, double mean)
{
    return mean * rng_neglog((const struct rng_state *)r->state, rng_uniform_pos(r));
}

/* Marsaglia and Tsang's ziggurat (2000), with the word split as GSL's is
 * (layer, sign and a 24-bit abscissa from separate bits, so the layer never
 * correlates with the value) and tables computed by detmath (rng.c). 97% of
 * draws are one 32-bit word, a multiply and a comparison. */
static inline double rng_normal(gsl_rng *r)
{
    const struct rng_state *s = (const struct rng_state *)r->state;
    uint32_t w = rng_word32(r), i = w & (RNG_ZIG_LAYERS - 1), j = w >> 8;
    if (j < s->zig_k[i]) {
        double x = (double)j * s->zig_w[i];
        return w & 0x80 ? -x : x;
    }
    return rng_normal_slow(r, w);
}

static inline double rng_lognormal(gsl_rng *r, double mu, double sigma)
{
    return detmath_exp(mu + sigma * rng_normal(r));
}

#endif
