/* rng: random draws keyed by (seed, replication, purpose, agent, counter).
 *
 * A counter-based generator, Philox4x32-10 (see rng.c for the mixing
 * function), exposed as a custom gsl_rng_type so every GSL distribution can
 * draw from it. Nothing is stored per agent: rng_at() positions the generator
 * on the stream (purpose, agent, counter) and the following draws walk that
 * stream. The numbers a stream yields depend only on its key, never on the
 * order in which streams are used, so a plan's extra draw never shifts another
 * plan's draws (common random numbers) and replications are independent.
 * A stream holds 2^18 32-bit words; counters use their low 48 bits.
 *
 * Ownership: rng_new returns a gsl_rng the caller frees with rng_free. */
#ifndef PILOTSIM_RNG_H
#define PILOTSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

extern const gsl_rng_type *const rng_type;  /* the generator; its name goes in outputs */

gsl_rng *rng_new(uint64_t seed, uint32_t replication);   /* NULL when out of memory */
void rng_free(gsl_rng *r);                               /* rng_free(NULL) does nothing */

/* Position r on stream (purpose, agent, counter); purposes are the caller's
 * small integers (the model's enum), agents any 64-bit value, counters taken
 * modulo 2^48. */
void rng_at(gsl_rng *r, uint32_t purpose, uint64_t agent, uint64_t counter);

/* The next uniform double in (0,1) (53 random bits) and the next 64 random
 * bits of the current stream, without GSL's indirect call. */
double rng_uniform_pos(gsl_rng *r);
uint64_t rng_bits(gsl_rng *r);

/* The bare block function, 10 rounds of Philox on ctr under key (exposed for
 * the known-answer tests and for callers that want a whole block). */
void rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

const char *rng_name(void);                              /* "philox4x32-10" */

#endif
