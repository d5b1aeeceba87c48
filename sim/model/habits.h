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

#include <stdint.h>

struct model;

#define HABITS_TRUNCATION 3.0 /* |Z| at most this many standard deviations */
#define HABITS_MAX_SIGMA 2.0  /* the key's bound: ceiling 65 at most */

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

/* For tests: the standard normal quantile used (about 1e-9 relative). */
double habits_normal_quantile(double p);

#endif
