/* rng: random draws keyed by (seed, replication, purpose, agent, counter).
 *
 * A counter-based generator, Philox2x64-10 (rng.c), exposed as a custom
 * gsl_rng_type so every GSL distribution can draw from it. Nothing is
 * stored per agent: rng_at() positions the generator on the stream
 * (purpose, agent, counter) and the following draws walk that stream. The
 * numbers a stream yields depend only on its key, never on the order in
 * which streams are used, so a plan's extra draw never shifts another
 * plan's draws (common random numbers) and replications are independent.
 * A stream holds 2^18 32-bit words; counters use their low 48 bits.
 *
 * Every draw that reaches an output is computed here or in detmath, never
 * with libm's transcendental functions or GSL's samplers that call them
 * (they differ between machines): GSL's distributions are for the tests.
 * The draws below are inline (they sit in the model's hot paths); their
 * bodies and the generator's state are in kernel/rng_internal.h.
 *
 * Ownership: rng_new returns a gsl_rng the caller frees with rng_free. */
#ifndef PILOTSIM_RNG_H
#define PILOTSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

extern const gsl_rng_type *const rng_type; /* the generator; its name goes in outputs */

gsl_rng *rng_new(uint64_t seed, uint32_t replication); /* NULL when out of memory */
void rng_free(gsl_rng *r);                             /* rng_free(NULL) does nothing */
const char *rng_name(void);                            /* "philox2x64-10" */

/* Position r on stream (purpose, agent, counter); purposes are the caller's
 * small integers (the model's enum), agents any 64-bit value, counters taken
 * modulo 2^48. */
void rng_at(gsl_rng *r, uint32_t purpose, uint64_t agent, uint64_t counter);

/* The Philox key of `purpose` under r's seed and replication, without
 * moving r: with rng_block_keyed, a stream's first block can be computed
 * before the stream is reached, and handed to rng_at_block. */
uint64_t rng_key(const gsl_rng *r, uint32_t purpose);

/* The first block of stream (agent, counter) under a purpose's key. */
static inline void rng_block_keyed(uint64_t key, uint64_t agent, uint64_t counter, uint64_t out[2]);

/* The first block of stream (r's current purpose, agent, counter), what
 * rng_at(r, purpose, agent, counter) then two rng_bits would give, computed
 * without moving r: a pure function of the key, so a loop may compute it
 * early, for an event it has not reached yet. */
static inline void rng_stream_block(const gsl_rng *r, uint64_t agent, uint64_t counter,
                                    uint64_t out[2]);

/* rng_at(r, purpose, agent, counter) with the stream's first block
 * already computed (rng_block_keyed under key, purpose's rng_key: see
 * tests/unit/test_rng): the draws that follow are the same, the block is
 * not computed twice, and the key is not looked up. */
static inline void rng_at_block(gsl_rng *r, uint32_t purpose, uint64_t key, uint64_t agent,
                                uint64_t counter, const uint64_t block[2]);

/* The next 64 random bits of the current stream (its next two words). */
static inline uint64_t rng_bits(gsl_rng *r);

/* The next 32 random bits of the current stream. */
static inline uint32_t rng_word32(gsl_rng *r);

/* A uniform double in (0,1) from 64 random bits: their top 53, the
 * midpoint of one of 2^53 equal cells, so never 0 and never 1. */
static inline double rng_uniform_of(uint64_t bits);

/* The next uniform double in (0,1), from rng_bits. No GSL indirect call. */
static inline double rng_uniform_pos(gsl_rng *r);

/* A uniform integer in [0, n), n >= 1, exactly uniform, from one word. */
static inline uint32_t rng_below(gsl_rng *r, uint32_t n);

/* rng_below from a pair whose low 32 bits, which the draw never reads, go
 * back in *low: a second, independent draw (a coin, say) at no cost. */
static inline uint32_t rng_below_low(gsl_rng *r, uint32_t n, uint32_t *low);

/* Whether 32 random bits fall below probability p (p >= 1: always). */
static inline int rng_coin(uint32_t bits, double p);

/* An exponential variate of the given mean (inversion: u is never 0 or 1). */
static inline double rng_exponential(gsl_rng *r, double mean);

/* A standard normal variate (a ziggurat, exact in distribution). */
static inline double rng_normal(gsl_rng *r);

/* exp(mu + sigma Z), Z standard normal: a lognormal with log-mean mu. */
static inline double rng_lognormal(gsl_rng *r, double mu, double sigma);

/* A binomial variate: successes in n trials of probability p (p <= 0 gives
 * 0, p >= 1 gives n), exact in distribution: inversion when n min(p, 1-p)
 * < 10, else Hormann's BTRD (transformed rejection); see rng.c. */
uint32_t rng_binomial(gsl_rng *r, double p, uint32_t n);

/* For the tests: the bare block function, 10 rounds of Philox on ctr under
 * key, and the remainder of Stirling's formula that BTRD needs,
 * log k! - (k + 1/2) log(k + 1) + (k + 1) - log(2 pi)/2 for an integer
 * k >= 0. */
void rng_philox2x64(const uint64_t ctr[2], uint64_t key, uint64_t out[2]);
double rng_stirling_tail(double k);

#include "kernel/rng_internal.h" /* the inline draws' bodies */

#endif
