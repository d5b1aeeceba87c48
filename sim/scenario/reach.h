/* reach: how often a red-envelope lottery's winner spends, and where,
 * from the scenario's keys alone (docs/model.md, Red-envelope lotteries).
 *
 * One formula for the model (model/lottery.c, at the window's opening) and
 * for the estimates made before a run (typelimits, sampling, budget), so
 * that they cannot drift apart. Pure functions: nothing is owned. */
#ifndef PILOTSIM_REACH_H
#define PILOTSIM_REACH_H

#include "scenario/scenario.h"

/* Lottery iv's payments a day per winner of eagerness 1 (spend_rate x
 * (store reach + online weight)); the share of them made online into
 * *online unless it is NULL. iv->city must be a city of s. */
double reach_spend_rate(const struct scenario *s, const struct intervention *iv, double *online);

#endif
