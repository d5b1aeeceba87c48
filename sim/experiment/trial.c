/* trial: a model run measured into an outcome. */
#include "experiment/trial.h"

#include "output/progress.h"

/* The records of the run, read by the catalog's tables (outcome_fill). */
int trial_outcome(const struct scenario *s, const struct model_result *r, int want_series,
                  struct outcome *o)
{
    struct outcome_records rec = {
        .cities = r->cities,
        .interventions = r->interventions,
        .money = &r->money,
        .series = want_series ? &r->series : NULL,
        .tps_peak = r->tps_peak,
        .events = r->events,
        .payments = r->payments,
        .complete = r->complete,
    };
    return outcome_fill(s, &rec, o);
}

/* One unit of a farm's work: the model run and its extraction, timed (the
 * time goes to the run section's per-worker busy_s). The model_result,
 * which holds histograms and the full series, is freed here: only the
 * vector travels back. */
int trial_run(struct model_workspace *ws, const struct scenario *s, uint32_t replication,
              int want_series, model_progress_fn progress, void *ctx, struct outcome *o)
{
    double t0 = progress_clock();
    struct model_result *r = model_run_in(ws, s, replication, progress, ctx);
    if (!r)
        return -1;
    int rc = trial_outcome(s, r, want_series, o);
    model_result_free(r);
    if (rc == 0)
        o->wall_s = progress_clock() - t0;
    return rc;
}
