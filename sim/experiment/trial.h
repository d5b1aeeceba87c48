/* trial: one replication of a scenario, run and measured: the model's run
 * turned into an outcome (metrics/outcome.h), the unit of work every farm
 * hands out and the single run's path to its outputs.
 *
 * Ownership: the outcome is caller-owned storage (outcome_destroy). */
#ifndef PILOTSIM_TRIAL_H
#define PILOTSIM_TRIAL_H

#include <stdint.h>
#include "metrics/outcome.h"
#include "model/model.h"
#include "scenario/scenario.h"

/* Run replication `replication` of `s` in workspace `ws` (a farm's
 * worker keeps one across its tasks; NULL: fresh arrays) and fill `o`
 * (series only when want_series), timed in o->wall_s. 0, or -1 when the
 * run failed (errno as model_run left it) or memory ran out. */
int trial_run(struct model_workspace *ws, const struct scenario *s, uint32_t replication,
              int want_series, model_progress_fn progress, void *ctx, struct outcome *o);
/* Fill `o` from a finished model run. 0 or -1. */
int trial_outcome(const struct scenario *s, const struct model_result *r, int want_series,
                  struct outcome *o);

#endif
