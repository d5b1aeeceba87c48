/* experiment: one run, or R replications with intervals, end to end.
 *
 * A single run is replication 0 measured in this process (trial.h); a
 * replicated run goes through the farm (replicate.h): outcomes come back in
 * replication order whoever computed them and are summarized (outcome.h).
 * Both are written by report_write, in the layout of their R. The farm is
 * released before the charts are drawn, so MPI ranks do not wait on
 * gnuplot. */
#include "experiment/experiment.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "experiment/budget.h"
#include "experiment/trial.h"
#include "metrics/catalog.h"
#include "model/calendar.h"
#include "model/model.h"
#include "experiment/mpi_farm.h"
#include "output/long_csv.h"
#include "output/plot.h"
#include "output/progress.h"
#include "output/run_report.h"
#include "metrics/stats.h"

#define DEFAULT_MAX_REPS EXPERIMENT_DEFAULT_MAX_REPS

/* Adoption, use and value over every city: what a rollout is judged by. */
static const char *const headline[] = {"total.adoption", "total.active_users", "total.payments",
                                       "total.value_fen"};
#define N_HEADLINE (sizeof headline / sizeof headline[0])

size_t experiment_headline(const char *const **names)
{
    *names = headline;
    return N_HEADLINE;
}

/* What summary.json's run section says about the moment and the machine;
 * the farm adds its back end and workers. */
void experiment_run_info(struct run_info *info, const char *version, double wall_s)
{
    memset(info, 0, sizeof *info);
    info->version = version;
    info->wall_s = wall_s;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(info->started_at, sizeof info->started_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (gethostname(info->host, sizeof info->host) != 0)
        strcpy(info->host, "unknown");
    info->host[sizeof info->host - 1] = '\0';
}

/* DIR/long.csv (--long): one scenario's replications, no group column. */
static int write_long(const char *dir, const struct scenario *s, const struct catalog *cat,
                      const struct outcome *reps, size_t n, FILE *err)
{
    struct long_csv l = {NULL, 0, NULL, 1, &s, NULL, cat, reps, n};
    return long_csv_write(dir, &l, err);
}

/* The single run: replication 0 measured into an outcome and written by
 * the same writer as R replications, in the single run's layout. */
static enum experiment_status run_once(const struct scenario *s, const struct run_options *o,
                                       FILE *err)
{
    /* Under MPI one rank suffices; the others have nothing to do. */
    if (mpi_farm_rank() != 0)
        return EXPERIMENT_OK;
    struct progress bar;
    progress_init(&bar, "simulating", o->quiet);
    progress_dates(&bar, s->start_unix, CALENDAR_UTC_OFFSET_S);
    /* The bar's share is of the forecast events, not of the days: the
     * time left stays honest while adoption grows (progress.h). Without
     * room for the forecast, the bar gives no time left. */
    size_t days = (size_t)ceil(s->duration_s / CALENDAR_DAY);
    double *work = malloc((days ? days : 1) * sizeof *work);
    if (work && days && budget_work(s, work, days) == 0)
        progress_work(&bar, work, days, CALENDAR_DAY);
    progress_phase(&bar, "building the population");
    struct outcome one;
    struct catalog *cat = catalog_new(s);
    int rc = cat ? trial_run(NULL, s, 0, 1, progress_update, &bar, &one) : -1;
    int why = cat ? errno : ENOMEM;
    progress_finish(&bar);
    free(work);
    if (rc < 0) {
        char hint[512];
        if (why == EOVERFLOW)
            fprintf(err,
                    "pilotsim: a sum of money overflowed 64-bit fen simulating %s, nothing "
                    "written (" MODEL_OVERFLOW_HINT ")\n",
                    s->path);
        else
            fprintf(err, "pilotsim: out of memory simulating %s (%s)\n", s->path,
                    budget_explain(s, hint, sizeof hint));
        catalog_free(cat);
        return EXPERIMENT_FAILED;
    }
    double wall = one.wall_s;
    struct run_info info;
    experiment_run_info(&info, o->version, wall);
    info.provenance = o->provenance;
    struct report_run run = {s, cat, &one, 1, NULL, &info, NULL};
    rc = report_write(o->out_dir, &run, err);
    if (rc == 0 && o->long_csv)
        rc = write_long(o->out_dir, s, cat, &one, 1, err);
    if (rc == 0 && o->charts && s->charts)
        rc = plot_render(o->out_dir, s, err);
    if (rc == 0)
        rc = run_report_write(o->out_dir, err); /* after the charts it embeds */
    outcome_destroy(&one);
    catalog_free(cat);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}

/* Tasks in plan-major order, so each plan's replications are contiguous in
 * `out` and can be summarized in place. */
int experiment_replicate(struct replicate_farm *farm, size_t n_plans, unsigned reps,
                         int want_series, struct outcome *out, FILE *err)
{
    size_t n = n_plans * reps;
    struct replicate_task *tasks = malloc(n * sizeof *tasks);
    if (!tasks) {
        fprintf(err, "pilotsim: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        tasks[i] = (struct replicate_task){(uint32_t)(i / reps), (uint32_t)(i % reps)};
    int rc = replicate_farm_run(farm, tasks, n, want_series, out, err);
    free(tasks);
    return rc;
}

/* ---- --precision ---- */

/* Is every headline metric precise over the first k replications? When
 * `need` is given, also estimate the replications the least precise one
 * needs (the half-width shrinks as 1/sqrt(n)). */
static int precise_at(const struct outcome *reps, size_t k, const long *idx, double target,
                      double *need)
{
    double *x = malloc(k * sizeof *x);
    int ok = x != NULL;
    for (size_t h = 0; x && h < N_HEADLINE; h++) {
        for (size_t i = 0; i < k; i++)
            x[i] = outcome_scalar(&reps[i], (size_t)idx[h]);
        struct stats_summary st;
        stats_summarize(x, k, 1, STATS_LEVEL, &st);
        ok &= stats_precise(&st, target);
        if (need && isfinite(st.half) && st.mean != 0) {
            double ratio = st.half / (target * fabs(st.mean));
            if ((double)k * ratio * ratio > *need)
                *need = (double)k * ratio * ratio;
        }
    }
    free(x);
    return ok;
}

/* Replicate until the first prefix of k >= min replications where every
 * headline metric is precise, or the cap. Batches are sized from the
 * current estimate (a multiple of the farm's width), but the prefixes are
 * tested one by one in order, so where it stops does not depend on the
 * batches, and the outputs do not depend on --jobs or the ranks. *n_out is
 * the count kept; extra replications of the last batch are dropped. */
static int replicate_until(struct replicate_farm *farm, unsigned min, unsigned cap, double target,
                           const long *idx, struct outcome *reps, size_t *n_out, int *reached,
                           FILE *err)
{
    size_t n = 0, checked = min - 1, width = replicate_farm_width(farm), batch = min;
    *reached = 0;
    for (;;) {
        struct replicate_task *tasks = malloc(batch * sizeof *tasks);
        if (!tasks) {
            fprintf(err, "pilotsim: out of memory\n");
            return -1;
        }
        for (size_t i = 0; i < batch; i++)
            tasks[i] = (struct replicate_task){0, (uint32_t)(n + i)};
        int rc = replicate_farm_run(farm, tasks, batch, 1, reps + n, err);
        free(tasks);
        if (rc < 0)
            return -1;
        n += batch;
        /* Test each new prefix in order: the first precise one wins. */
        while (checked < n && !*reached)
            *reached = precise_at(reps, ++checked, idx, target, NULL);
        if (*reached || n >= cap)
            break;
        /* Next batch: what the least precise metric seems to need, at least
         * one, rounded up to keep every worker busy, within the cap. */
        double need = (double)n;
        precise_at(reps, n, idx, target, &need);
        size_t want = need > (double)cap ? cap : (size_t)ceil(need);
        batch = want > n ? want - n : 1;
        batch = (batch + width - 1) / width * width;
        if (batch > cap - n)
            batch = cap - n;
    }
    /* Replications past the stopping point were computed in the same batch
     * but are not part of the result: a smaller J would not have run them. */
    for (size_t i = checked; i < n; i++)
        outcome_destroy(&reps[i]);
    *n_out = checked;
    return 0;
}

/* ---- a replicated run ---- */

/* R replications (or --precision), summarized and written. Under MPI every
 * rank comes here; the non-leaders serve the farm and return. */
static enum experiment_status run_replicated(const struct scenario *s, const struct run_options *o,
                                             FILE *err)
{
    struct catalog *cat = catalog_new(s);
    struct replicate_farm *farm = cat ? replicate_farm_new(&s, 1, o->jobs, o->quiet) : NULL;
    if (!farm) {
        catalog_free(cat);
        fprintf(err, "pilotsim: out of memory\n");
        return EXPERIMENT_FAILED;
    }
    if (!replicate_farm_leader(farm)) {
        int rc = replicate_farm_serve(farm);
        replicate_farm_free(farm);
        catalog_free(cat);
        return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
    }
    /* With --precision: at least 2 replications (default 5, but not above
     * an explicit cap) and at most the cap (default 100, at least the
     * minimum asked for). Without: exactly R. */
    unsigned min = o->replications, cap = o->precision > 0 ? o->max_replications : min;
    if (o->precision > 0 && !min)
        min = cap && cap < EXPERIMENT_MIN_PRECISION_REPS ? cap : EXPERIMENT_MIN_PRECISION_REPS;
    if (o->precision > 0 && min < 2)
        min = 2;
    if (o->precision > 0 && !cap)
        cap = DEFAULT_MAX_REPS;
    if (min > cap)
        cap = min;
    struct outcome *reps = calloc(cap, sizeof *reps);
    long idx[N_HEADLINE]; /* the headline metrics' places in an outcome */
    for (size_t h = 0; h < N_HEADLINE; h++) {
        idx[h] = catalog_find(cat, headline[h]);
        assert(idx[h] >= 0); /* totals are in every catalog */
    }
    double t0 = progress_clock();
    size_t n = min;
    int rc = reps ? 0 : -1, reached = 0;
    if (rc == 0 && o->precision > 0)
        rc = replicate_until(farm, min, cap, o->precision, idx, reps, &n, &reached, err);
    else if (rc == 0)
        rc = experiment_replicate(farm, 1, min, 1, reps, err);
    replicate_farm_finish(farm); /* the workers exit while we summarize and write */
    double wall = progress_clock() - t0;
    struct outcome_summary *sum = rc == 0 ? outcome_summarize(reps, n) : NULL;
    if (rc == 0 && !sum) {
        fprintf(err, "pilotsim: out of memory summarizing %zu replications\n", n);
        rc = -1;
    }
    if (rc == 0) {
        struct run_info info;
        experiment_run_info(&info, o->version, wall);
        info.provenance = o->provenance;
        replicate_farm_info(farm, &info);
        struct report_precision prec = {o->precision, cap, reached, headline, N_HEADLINE};
        struct report_run run = {s, cat, reps, n, sum, &info, o->precision > 0 ? &prec : NULL};
        rc = report_write(o->out_dir, &run, err); /* info.workers live in the farm */
    }
    if (rc == 0 && o->long_csv)
        rc = write_long(o->out_dir, s, cat, reps, n, err);
    /* The workers are no longer needed: release them before drawing. */
    replicate_farm_free(farm);
    if (rc == 0 && o->charts && s->charts)
        rc = plot_render(o->out_dir, s, err);
    if (rc == 0)
        rc = run_report_write(o->out_dir, err); /* after the charts it embeds */
    if (rc == 0 && o->precision > 0 && !o->quiet)
        fprintf(stderr,
                "pilotsim: %s: %zu replications %s the 95%% half-width of %s, %s, %s "
                "and %s within %g%% of the mean\n",
                s->name, n, reached ? "brought" : "(the cap) did not bring", headline[0],
                headline[1], headline[2], headline[3], o->precision * 100);
    for (size_t i = 0; reps && i < cap; i++)
        outcome_destroy(&reps[i]);
    free(reps);
    outcome_summary_free(sum);
    catalog_free(cat);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}

/* R <= 1 without --precision is the single run, its layout unchanged. */
enum experiment_status experiment_run(const struct scenario *s, const struct run_options *o,
                                      FILE *err)
{
    if (o->replications <= 1 && o->precision <= 0)
        return run_once(s, o, err);
    return run_replicated(s, o, err);
}

struct replicate_farm *experiment_farm(const struct scenario *const *plans, size_t n,
                                       const struct run_options *o, FILE *err,
                                       enum experiment_status *status)
{
    struct replicate_farm *farm = replicate_farm_new(plans, n, o->jobs, o->quiet);
    if (!farm) {
        fprintf(err, "pilotsim: out of memory\n");
        *status = EXPERIMENT_FAILED;
        return NULL;
    }
    if (!replicate_farm_leader(farm)) {
        int rc = replicate_farm_serve(farm);
        replicate_farm_free(farm);
        *status = rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
        return NULL;
    }
    return farm;
}
