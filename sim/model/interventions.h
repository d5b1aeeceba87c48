/* interventions: the levers of a rollout plan (interventions.c lists them),
 * each driven by EV_INTERVENTION events at its dates and by the daily step.
 *
 * Outcomes are kept in simulated units and scaled in interventions_collect.
 * The functions returning int give 0, or -1 when out of memory. */
#ifndef PILOTSIM_INTERVENTIONS_H
#define PILOTSIM_INTERVENTIONS_H

#include "model/model_state.h"

int interventions_setup(struct model *m);
void interventions_destroy(struct model *m);
/* Phase `phase` of intervention i (an EV_INTERVENTION event). */
int interventions_handle(struct model *m, uint32_t i, uint32_t phase, double now);
/* The daily step of a city's interventions (merchant campaigns). */
void interventions_day(struct model *m, uint32_t city, uint64_t day, double now, double dt);
/* Every intervention's outcomes in real units, into r. */
void interventions_collect(struct model *m, struct model_result *r);

#endif
