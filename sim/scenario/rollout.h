/* rollout: the scenario's `interventions:`, the rollout plan.
 *
 * A list of at most SCENARIO_MAX_INTERVENTIONS items, each a mapping whose
 * `kind` (default lottery) picks its table of keys; ids are unique. Every
 * field takes its default before the item is read (docs/scenarios.md gives
 * the sources), so a key missing or wrong leaves the default and the load
 * goes on. Cities and operators must be loaded first: items refer to them
 * by id and are stored as indices (-1: every city, or the ledger).
 * Ownership: the list and each item's amounts and shares belong to the
 * scenario (scenario_free). */
#ifndef PILOTSIM_ROLLOUT_H
#define PILOTSIM_ROLLOUT_H

#include "scenario/loader.h"

/* `interventions:` of root into s->interventions, with crosscheck.c's rules. */
void rollout_load(struct loader *L, const struct ytree *root);

#endif
