/* compare_diff: how a plan differs from the baseline, in the parameters
 * an analyst sets (city openings and adoption, behaviour, scale, the
 * interventions), read off two resolved scenarios, so that a plan given
 * with --set is described as it ran. Each difference is one line of plain
 * text, "what: baseline -> plan" ("Xiong'an opens: 2021-04-01 → 2020-10-09",
 * "added: lottery sz-late in Shenzhen (...)"); every one is listed, none
 * cut. Interventions are matched across the plans by id. */
#ifndef PILOTSIM_COMPARE_DIFF_H
#define PILOTSIM_COMPARE_DIFF_H

#include <stddef.h>

#include "scenario/scenario.h"

/* Hand each difference of plan b from baseline a to each(ctx, text) (NULL:
 * only count them); returns how many there are. */
size_t compare_diff_list(const struct scenario *a, const struct scenario *b,
                         void (*each)(void *ctx, const char *text), void *ctx);

/* The local date (YYYY-MM-DD) of scenario time t. */
void compare_diff_date(const struct scenario *s, double t, char out[32]);

#endif
