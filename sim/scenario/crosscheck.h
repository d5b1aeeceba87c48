/* crosscheck: the rules between an intervention and the rest of the
 * scenario, once the item's keys are read.
 *
 * A date must lie inside the horizon; a salary repeats at most daily; a
 * count (envelopes, recipients, merchants) is checked against the city it
 * acts in: more than the city holds is an error at the count, more than the
 * run can reach is trimmed by the model and a warning says by how much.
 * Merchant campaigns of one city are checked together. Each check reports
 * through the loader and changes nothing, except that a lottery's default
 * merchants become the city's own when it has fewer, so that the resolved
 * scenario says what runs. */
#ifndef PILOTSIM_CROSSCHECK_H
#define PILOTSIM_CROSSCHECK_H

#include "scenario/loader.h"

/* item's date `key` (already stored as `at`) inside the horizon. */
void crosscheck_inside(struct loader *L, const struct ytree *item, const char *path,
                       const char *key, double at);
/* A salary's `every`: 0 (once) or at least SCENARIO_MIN_EVERY_S. */
void crosscheck_every(struct loader *L, const struct ytree *item, const char *path,
                      const struct intervention *iv);
/* A lottery's, salary's or campaign's counts against its city. */
void crosscheck_counts(struct loader *L, const struct ytree *item, const char *path,
                       struct intervention *iv);
/* Each city's merchant campaigns together, once every item is read. */
void crosscheck_campaigns(struct loader *L);

#endif
