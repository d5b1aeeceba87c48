/* adoption: who holds a wallet and which merchants accept e-CNY.
 *
 * Users move along the segments of their city's population (population.h):
 * unaware -> aware -> wallet holder; each move is one swap. Each day a
 * city's adoption is a Bass step, raised by merchant acceptance and, for
 * the aware, by their awareness; merchants adopt likewise, their imitation
 * driven by the users. Interventions open wallets and make people aware
 * through this module's functions. It calls no other behaviour. */
#ifndef PILOTSIM_ADOPTION_H
#define PILOTSIM_ADOPTION_H

#include "model/model_state.h"

/* Set up a city's people and merchants (the scenario's initial wallets and
 * acceptance): 0, or -1 when out of memory. */
int adoption_setup(struct model *m, uint32_t city);
/* The day's Bass step for a city: 0 or -1. */
int adoption_day(struct model *m, uint32_t city, uint64_t day, double now, double dt);
/* Draw the operators of new wallets anew from the operators that have
 * joined, by each city's shares: 0 or -1. */
int adoption_refresh_operators(struct model *m);
/* An operator pick for new wallets by weights w[n]; NULL when every weight
 * is 0. The caller frees it (gsl_ran_discrete_free). */
gsl_ran_discrete_t *adoption_alias(const double *w, size_t n);

/* Open a wallet for user u with an operator drawn from `ops`: 1 when one
 * was opened, 0 when u already had one, has no smartphone, or no operator
 * opens wallets yet (ops NULL). */
int adoption_open_wallet(struct model *m, uint32_t city, uint32_t user, gsl_ran_discrete_t *ops);

/* Operator op, which had not joined, joins (intervention i): every holder
 * of every city opens a sub-wallet there with probability
 * wallets.sub_wallet_share (one pass over the holders, a run of draws of
 * i), unless it holds eight wallets already. No draw when the share is 0. */
void adoption_operator_joins(struct model *m, uint32_t i, uint32_t op);
#endif
