/* habits: how much a person pays, relative to the average person.
 *
 * A person's activity is a multiplier of the payment rate: lognormal,
 * exp(mu + sigma Z), with Z a standard normal truncated at +-3 and mu set
 * so that the mean over people is 1 (to about 1e-9). sigma is
 * `people.activity_sigma`; 0 (the default) makes everyone exactly 1.
 * Nothing is stored per person: Z is a pure function of (seed,
 * replication, user), one keyed counter-based draw (purpose P_HABITS), so
 * the same person has the same habits in every plan compared with a seed
 * (common random numbers) and in every module that asks. The truncation
 * gives a ceiling, exp(mu + 3 sigma), under which a draw by activity can
 * reject (habits_ceiling).
 *
 * Draws by activity go through strata (population.h): people whose Z lies
 * in the same 1/HABITS_STRATA of [-3, 3] share a stratum, computed once at
 * set-up (habits_stratum), and a stratum's members share an upper bound of
 * their weight (habits_bounds), close to each one's: a draw picks a
 * stratum by its members times its bound and rejects against that bound,
 * about one try instead of the ceiling's dozens.
 *
 * Ownership: struct habits is a few numbers held by value in the model. */
#ifndef PILOTSIM_HABITS_H
#define PILOTSIM_HABITS_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "model/population.h"

struct model;

#define HABITS_TRUNCATION 3.0 /* |Z| at most this many standard deviations */
#define HABITS_MAX_SIGMA 2.0  /* the key's bound: ceiling 65 at most */
/* A draw by rejection takes its candidate after this many tries whatever
 * its weight: reached only when the candidates' mean weight is below
 * 1/4096 of the ceiling's (a handful of the lightest people left). */
#define HABITS_MAX_TRIES 4096u
#define HABITS_STRATA 64     /* when people differ: z in steps of 6/64 */
#define HABITS_SLICE_BITS 12 /* the uniform's top bits that find a stratum */
#define HABITS_SLICES (1u << HABITS_SLICE_BITS)
#define HABITS_MIXED 0xFF /* a slice near an edge: the quantile decides */
/* habits_bounds' integer unit: 2^-20 of the ceiling's weight. */
#define HABITS_UNIT (1.0 / 1048576.0)

struct habits {
    double sigma;   /* of log activity before truncation; 0: everyone 1 */
    double mu;      /* log-scale offset that makes the mean 1 */
    double ceiling; /* the largest activity, exp(mu + 3 sigma) */
    uint64_t key;   /* the rng key of purpose P_HABITS */
    /* The strata without the quantile (habits.c; sigma > 0 only): edge[s],
     * the least 53-bit uniform (a block's first word >> 11) whose person's
     * stratum is s or more (edge[0] = 0); slice[i], the stratum of every
     * uniform whose top bits are i, or HABITS_MIXED where an edge is near */
    uint64_t edge[HABITS_STRATA];
    uint8_t slice[HABITS_SLICES];
};

/* Set h for sigma (0 <= sigma <= HABITS_MAX_SIGMA) under an rng key. */
void habits_init(struct habits *h, double sigma, uint64_t key);

/* The activity of `user` under h: a pure function of (h, user). */
double habits_of(const struct habits *h, uint32_t user);

/* A person's payment-rate multiplier in model m (its habits). */
double habits_activity(const struct model *m, uint32_t user);

/* The largest activity anybody has in model m (1 when sigma is 0). */
double habits_ceiling(const struct model *m);

/* (activity / ceiling)^power of `user` under h, in (0, 1]: the
 * acceptance of a draw weighted by activity^power (power >= 0), computed
 * as exp(power sigma (Z - 3)), without a logarithm. */
double habits_weight(const struct habits *h, uint32_t user, double power);

/* The strata of h: HABITS_STRATA when people differ, else 1. */
uint32_t habits_strata(const struct habits *h);
/* The stratum of `user` (< habits_strata(h)): its Z's step of [-3, 3]. */
uint32_t habits_stratum(const struct habits *h, uint32_t user);
/* per[s], for every stratum s: an upper bound of the weight
 * (activity / ceiling)^power of its members, in HABITS_UNITs (>= 1),
 * rounded up: stratum s's weights never exceed per[s] * HABITS_UNIT. */
void habits_bounds(const struct habits *h, double power, uint64_t *per);

/* A holder's position drawn with weight activity[wallet id] from the
 * holders of p, weighed with habits_bounds(h, 1) (about one try); at most
 * HABITS_MAX_TRIES, then the last candidate. On return *low is a fresh
 * word of r (for the caller's coin). activity[] is at most ceiling. */
uint32_t habits_pick(gsl_rng *r, const struct population *p, const float *activity, double ceiling,
                     uint32_t *low);
/* A position drawn from segment seg of p, weighed with
 * habits_bounds(h, power), with weight activity^power (about one try): try
 * t is the block (key, agent | t, item) (rng_block_keyed); at most
 * HABITS_MAX_TRIES, then the last candidate. */
uint32_t habits_draw(const struct habits *h, const struct population *p,
                     enum population_segment seg, double power, uint64_t key, uint64_t agent,
                     uint64_t item);
/* The holder a pick whose first 64-bit draw is `bits` tries first: a
 * guess of habits_pick's answer (the same when it accepts at once). */
uint32_t habits_pick_guess(const struct population *p, uint64_t bits);
/* x uniform below `total` from 64 random bits, by multiplication (Lemire):
 * 0 when `bits` falls in the sliver that would bias it (probability below
 * total / 2^64), and the caller draws again. */
int habits_below64(uint64_t bits, uint64_t total, uint64_t *x);

/* For tests: the standard normal quantile used (about 1e-9 relative). */
double habits_normal_quantile(double p);
/* For tests: the stratum of a person whose block's first word is `bits`,
 * from the edges (habits_stratum's way) and from the quantile (the
 * definition: the two must always agree). */
uint32_t habits_stratum_bits(const struct habits *h, uint64_t bits);
uint32_t habits_stratum_exact(uint64_t bits);

#endif
