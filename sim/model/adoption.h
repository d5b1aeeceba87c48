/* adoption: who holds a wallet and which merchants accept e-CNY.
 *
 * Users move along the segments of their city's order[] (model_state.h):
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

/* The stage of the person at position `pos` of a city's order[]: the
 * segment it lies in (no smartphone counts as unaware). */
static inline enum stage adoption_stage(const struct city_state *cs, uint32_t pos) {
    return pos < cs->wallets ? STAGE_WALLET
           : pos < cs->wallets + cs->aware ? STAGE_AWARE : STAGE_UNAWARE;
}
/* The wallet of user u of city c, who holds one. */
static inline uint32_t adoption_wallet(const struct model *m, uint32_t c, uint32_t u) {
    return m->cities[c].first + m->pos[u];
}
/* Open a wallet for user u with an operator drawn from `ops`: 1 when one
 * was opened, 0 when u already had one, has no smartphone, or no operator
 * opens wallets yet (ops NULL). */
int adoption_open_wallet(struct model *m, uint32_t city, uint32_t user, gsl_ran_discrete_t *ops);
/* Make the n users[] aware of e-CNY, in order (the unaware smartphone
 * owners among them join the aware segment). */
void adoption_make_aware(struct model *m, uint32_t city, const uint32_t *users, uint32_t n);
/* Hints for a pass over users[0, n) that moves users[i] now: fetch what
 * the moves a little ahead will touch (opens: the pass opens wallets). */
void adoption_fetch_ahead(const struct model *m, uint32_t city, const uint32_t *users, uint32_t n,
                          uint32_t i, int opens);

#endif
