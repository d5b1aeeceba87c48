/* roster: the scenario's operators and cities, the two id-keyed mappings.
 *
 * Each mapping holds 1 to SCENARIO_MAX_OPERATORS (or _CITIES) entries keyed
 * by id ([a-z0-9_-]+), in file order; an entry that --set alone created is
 * a mistyped id and reported as such. Operators come first: a city's
 * `operators:` is a mapping operator id -> share whose shares sum to 1
 * (operators left out get 0; no mapping: equal shares). Defaults: an
 * operator's resource (16 servers of 20 ms, timeout 10 s), a city's
 * smartphone share (0.86), one merchant per 40 people, corporates by
 * ROSTER_CORPORATES_PER_PERSON, adoption rates from `adoption:`. Ownership: what roster_load_* allocates belongs to the
 * scenario (scenario_free). */
#ifndef PILOTSIM_ROSTER_H
#define PILOTSIM_ROSTER_H

#include "scenario/loader.h"

/* Businesses that may open a corporate wallet, per person (a city's default
 * `corporates`): China's registered market entities, 146 million at the end
 * of July 2021 (46 million companies and 98 million self-employed
 * businesses, SAMR, reported by China Daily / Xinhua, 7 Sep 2021: H), over
 * the 2020 census's 1,411.78 million people. An assumption that a city has
 * the national density, and that every market entity may open one (the
 * PBoC's corporate wallets are open to companies and unincorporated
 * businesses alike). */
#define ROSTER_CORPORATES_PER_PERSON (146.0 / 1411.78)

/* `operators:` and `cities:` of root, in that order (after `adoption:`). */
void roster_load_operators(struct loader *L, const struct ytree *root);
void roster_load_cities(struct loader *L, const struct ytree *root);

/* v: a mapping operator id -> share whose shares sum to 1, stored into
 * out[n_operators] (operators left out keep their 0). */
void roster_shares(struct loader *L, const struct ytree *v, const char *path, double *out);

/* Index of a city or operator id, or -1. */
int roster_city(const struct scenario *s, const char *id);
int roster_operator(const struct scenario *s, const char *id);

#endif
