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
 * Ownership: struct habits is a few numbers held by value in the model. */
#ifndef PILOTSIM_HABITS_H
#define PILOTSIM_HABITS_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

struct model;

#define HABITS_TRUNCATION 3.0 /* |Z| at most this many standard deviations */
#define HABITS_MAX_SIGMA 2.0  /* the key's bound: ceiling 65 at most */
/* A draw by rejection takes its candidate after this many tries whatever
 * its weight: reached only when the candidates' mean weight is below
 * 1/4096 of the ceiling's (a handful of the lightest people left). */
#define HABITS_MAX_TRIES 4096u

struct habits {
    double sigma;   /* of log activity before truncation; 0: everyone 1 */
    double mu;      /* log-scale offset that makes the mean 1 */
    double ceiling; /* the largest activity, exp(mu + 3 sigma) */
    uint64_t key;   /* the rng key of purpose P_HABITS */
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

/* A place among n holders drawn with weight activity[place]: `at` is a
 * uniform candidate already drawn by rng_below_low, *low the low word of
 * that draw; a candidate is accepted when its low word, as a uniform,
 * times `ceiling` falls below its activity, else the next one comes from
 * rng_below_low(r, n, low), at most HABITS_MAX_TRIES in all. On return
 * *low is a fresh word of r (for the caller's coin). activity[] is at
 * most ceiling. */
uint32_t habits_pick(gsl_rng *r, const float *activity, uint32_t n, double ceiling, uint32_t at,
                     uint32_t *low);

/* For tests: the standard normal quantile used (about 1e-9 relative). */
double habits_normal_quantile(double p);

#endif
