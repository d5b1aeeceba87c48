/* compare: plans loaded and checked, replicated with common random numbers,
 * compared metric by metric. The memo (compare.md) is in compare_memo.c.
 *
 * Common random numbers need nothing here beyond running every plan with
 * the same seed and the same replication keys: the rng keys each draw by
 * purpose, agent and counter, so plans agree draw for draw wherever their
 * scenarios agree. What this file adds is the pairing: plan p's
 * replication r is compared with the baseline's replication r. */
#include "experiment/compare.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/compare_files.h"
#include "experiment/compare_memo.h"
#include "experiment/compare_plot.h"
#include "experiment/compare_summary.h"
#include "metrics/catalog.h"
#include "output/plot.h"
#include "output/long_csv.h"
#include "output/progress.h"
#include "model/sampling.h"
#include "metrics/stats.h"

/* Frees what compare_load and compare_run made, also half-made. */
const struct scenario *const *compare_plans(const struct compare *c, size_t *n)
{
    *n = c->n;
    return (const struct scenario *const *)c->plans;
}

void compare_free(struct compare *c)
{
    if (!c)
        return;
    for (size_t p = 0; p < c->n; p++) {
        scenario_free(c->plans[p]);
        catalog_free(c->catalogs[p]);
    }
    free(c->plans);
    free(c->catalogs);
    free(c->labels);
    free(c->metrics);
    free(c->means);
    free(c->diffs);
    free(c);
}

/* A plan's label: its file name without directory and .yaml, in letters,
 * digits, '.', '_' and '-' (others become '_'), made unique with -2, -3. */
static void make_label(struct compare *c, size_t p, const char *path)
{
    size_t len;
    const char *base = report_stem(path, &len);
    if (len > COMPARE_LABEL_MAX - 8)
        len = COMPARE_LABEL_MAX - 8;
    char *l = c->labels[p];
    for (size_t i = 0; i < len; i++) {
        char ch = base[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '_' || ch == '-';
        l[i] = ok ? ch : '_';
    }
    l[len] = '\0';
    if (len == 0 || l[0] == '.')
        l[0] = '_', l[1] = '\0';
    char stem[COMPARE_LABEL_MAX];
    memcpy(stem, l, sizeof stem);
    for (unsigned k = 2;; k++) {
        size_t q = 0;
        while (q < p && strcmp(c->labels[q], l) != 0)
            q++;
        if (q == p)
            break;
        snprintf(l, COMPARE_LABEL_MAX, "%.50s-%u", stem, k);
    }
}

/* Plans must share the calendar and the cities, or their rows and metrics
 * would not line up: 0, or -1 after a one-line message. */
static int check_plan(const struct compare *c, size_t p, FILE *err)
{
    const struct scenario *a = c->plans[0], *b = c->plans[p];
    const char *what = NULL;
    if (a->start_unix != b->start_unix)
        what = "start";
    else if (a->duration_s != b->duration_s)
        what = "duration";
    else if (a->step_s != b->step_s)
        what = "step";
    else if (a->n_cities != b->n_cities)
        what = "cities";
    for (size_t i = 0; !what && i < a->n_cities; i++)
        if (strcmp(a->cities[i].id, b->cities[i].id) != 0)
            what = "cities";
    if (!what)
        return 0;
    fprintf(err,
            "pilotsim compare: %s: its %s %s from %s's (compared plans need the same "
            "start, duration, step and cities, in the same order)\n",
            b->path, what, strcmp(what, "cities") ? "differs" : "differ", a->path);
    return -1;
}

/* The metrics every plan reports (the baseline's order), `events` aside. */
/* Metrics are matched by name, so plans with different interventions still
 * compare on everything else (an intervention only one plan has is in that
 * plan's own outputs). */
static int common_metrics(struct compare *c)
{
    const struct catalog *base = c->catalogs[0];
    c->metrics = malloc(base->n * sizeof *c->metrics);
    if (!c->metrics)
        return -1;
    for (size_t k = 0; k < base->n; k++) {
        const char *name = base->entries[k].name;
        if (base->entries[k].section == CATALOG_TOP)
            continue;
        int everywhere = 1;
        for (size_t p = 1; p < c->n && everywhere; p++)
            everywhere = catalog_find(c->catalogs[p], name) >= 0;
        if (everywhere)
            c->metrics[c->n_metrics++] = k;
    }
    return 0;
}

/* Plans load in order; the first failure stops (its message is the
 * loader's, or check_plan's one line), so bad input never starts a run. */
struct compare *compare_load(const char *const *paths, size_t n, const char *const *sets,
                             size_t n_sets, FILE *err)
{
    struct compare *c = calloc(1, sizeof *c);
    const char **all = malloc((n_sets + 1) * sizeof *all);
    if (c) {
        c->plans = calloc(n, sizeof *c->plans);
        c->catalogs = calloc(n, sizeof *c->catalogs);
        c->labels = calloc(n, sizeof *c->labels);
    }
    if (!c || !all || !c->plans || !c->catalogs || !c->labels) {
        fprintf(err, "pilotsim: out of memory\n");
        free(all);
        compare_free(c);
        return NULL;
    }
    /* The first plan's seed for every plan, unless --seed or --set gave one
     * (theirs come last and win). */
    char seed_set[64];
    all[0] = seed_set;
    if (n_sets)
        memcpy(all + 1, sets, n_sets * sizeof *sets);
    int ok = 1;
    for (size_t p = 0; p < n && ok; p++) {
        c->n = p + 1;
        c->plans[p] = p == 0 ? scenario_load(paths[0], sets, n_sets, err)
                             : scenario_load(paths[p], all, n_sets + 1, err);
        ok = c->plans[p] != NULL && sampling_check(c->plans[p]) == 0;
        if (ok && p == 0)
            snprintf(seed_set, sizeof seed_set, "seed=%" PRIu64, c->plans[0]->seed);
        if (ok && p > 0)
            ok = check_plan(c, p, err) == 0;
        if (ok) {
            c->catalogs[p] = catalog_new(c->plans[p]);
            if (!c->catalogs[p])
                fprintf(err, "pilotsim: out of memory\n");
            ok = c->catalogs[p] != NULL;
        }
        if (ok)
            make_label(c, p, paths[p]);
    }
    free(all);
    c->practical = COMPARE_FILES_PRACTICAL;
    if (ok && common_metrics(c) < 0) {
        fprintf(err, "pilotsim: out of memory\n");
        ok = 0;
    }
    if (!ok) {
        compare_free(c);
        return NULL;
    }
    return c;
}

/* ---- results ---- */

/* Fill every plan's and every difference's summary of the common metrics. */
/* Two buffers: a holds the baseline's values of a metric over the
 * replications, b the current plan's; the baseline's difference with itself
 * (all zeros) is computed too, for a uniform table. */
int compare_summarize(struct compare *c, const struct outcome *out, unsigned reps)
{
    size_t m = c->n_metrics;
    c->reps = reps;
    c->means = calloc(c->n * m, sizeof *c->means);
    c->diffs = calloc(c->n * m, sizeof *c->diffs);
    double *a = malloc(reps * sizeof *a), *b = malloc(reps * sizeof *b);
    int rc = c->means && c->diffs && a && b ? 0 : -1;
    for (size_t j = 0; rc == 0 && j < m; j++) {
        const char *name = c->catalogs[0]->entries[c->metrics[j]].name;
        for (size_t p = 0; p < c->n; p++) {
            size_t k = (size_t)catalog_find(c->catalogs[p], name);
            for (unsigned r = 0; r < reps; r++)
                (p ? b : a)[r] = outcome_scalar(&out[p * reps + r], k);
            stats_summarize(p ? b : a, reps, 1, STATS_LEVEL, &c->means[j * c->n + p]);
            stats_paired(a, p ? b : a, reps, 1, STATS_LEVEL, &c->diffs[j * c->n + p]);
        }
    }
    free(a);
    free(b);
    return rc;
}

/* compare.csv: one row per (metric, plan). */
/* Numbers print as report_csv_number does everywhere: exact when whole,
 * else 10 significant digits, empty when undefined. */
static int compare_csv(FILE *f, const void *ctx)
{
    const struct compare *c = ctx;
    fputs("metric,plan,better,mean,ci_lo,ci_hi,diff,diff_ci_lo,diff_ci_hi,verdict\n", f);
    for (size_t j = 0; j < c->n_metrics; j++) {
        const struct catalog_entry *m = &c->catalogs[0]->entries[c->metrics[j]];
        for (size_t p = 0; p < c->n; p++) {
            const struct stats_summary *v = &c->means[j * c->n + p], *d = &c->diffs[j * c->n + p];
            report_csv_field(f, m->name);
            fputc(',', f);
            report_csv_field(f, c->labels[p]);
            fprintf(f, ",%s,", catalog_better_name(m->better));
            report_csv_number(f, v->mean);
            fputc(',', f);
            report_csv_number(f, v->lo);
            fputc(',', f);
            report_csv_number(f, v->hi);
            if (p == 0) {
                fputs(",,,,baseline\n", f);
                continue;
            }
            fputc(',', f);
            report_csv_number(f, d->mean);
            fputc(',', f);
            report_csv_number(f, d->lo);
            fputc(',', f);
            report_csv_number(f, d->hi);
            fprintf(f, ",%s\n",
                    compare_files_verdict(m->better, d, c->means[j * c->n].mean, c->practical));
        }
    }
    return 0;
}

/* Each plan's replicated outputs under DIR/plans/LABEL/. */
/* The same writer as `run --replications` uses, so a plan's directory reads
 * like any replicated run (and `pilotsim plot` redraws it). */
static int write_plans(const struct compare *c, const struct outcome *out, const char *dir,
                       const struct run_info *info, FILE *err)
{
    for (size_t p = 0; p < c->n; p++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/plans/%s", dir, c->labels[p]);
        struct outcome_summary *sum = outcome_summarize(out + p * c->reps, c->reps);
        struct report_run run = {c->plans[p], c->catalogs[p], out + p * c->reps, c->reps, sum, info,
                                 NULL};
        int rc = sum ? report_write(sub, &run, err) : -1;
        if (!sum)
            fprintf(err, "pilotsim: out of memory\n");
        outcome_summary_free(sum);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* DIR/long.csv (--long): every plan's replications, the plan's label first. */
static int write_long(const struct compare *c, const struct outcome *out, const char *dir,
                      FILE *err)
{
    static const char *const column[] = {"plan"};
    const char *labels[COMPARE_MAX_PLANS];
    for (size_t p = 0; p < c->n; p++)
        labels[p] = c->labels[p];
    struct long_csv l = {column,
                         1,
                         labels,
                         c->n,
                         (const struct scenario *const *)c->plans,
                         (const struct catalog *const *)c->catalogs,
                         NULL,
                         out,
                         c->reps};
    return long_csv_write(dir, &l, err);
}

/* Replicate (all plans in one farm batch, so the workers stay busy across
 * plans), summarize, then write: the plans' outputs, compare.csv, the
 * charts (which read the plans' timeseries.csv) and last the memo, which
 * links the charts only if they were drawn. */
enum experiment_status compare_run(struct compare *c, const struct run_options *o, FILE *err)
{
    enum experiment_status status;
    struct replicate_farm *farm =
        experiment_farm((const struct scenario *const *)c->plans, c->n, o, err, &status);
    if (!farm)
        return status;
    replicate_farm_name(farm, "comparing", "plans");
    unsigned reps = o->replications;
    struct outcome *out = calloc(c->n * reps, sizeof *out);
    double t0 = progress_clock();
    int rc = out ? experiment_replicate(farm, c->n, reps, 1, out, err) : -1;
    double wall = progress_clock() - t0;
    if (rc == 0 && compare_summarize(c, out, reps) < 0) {
        fprintf(err, "pilotsim: out of memory\n");
        rc = -1;
    }
    struct run_info info;
    experiment_run_info(&info, o->version, wall);
    info.provenance = o->provenance;
    replicate_farm_info(farm, &info);
    if (rc == 0)
        rc = write_plans(c, out, o->out_dir, &info, err);
    replicate_farm_free(farm);
    if (rc == 0)
        rc = report_atomic(o->out_dir, "compare.csv", compare_csv, c, err);
    if (rc == 0 && o->long_csv)
        rc = write_long(c, out, o->out_dir, err);
    if (rc == 0)
        rc = compare_summary_write(o->out_dir, c->practical, &info, err);
    if (rc == 0 && o->charts && c->plans[0]->charts)
        rc = compare_plot_dir(o->out_dir, err);
    if (rc == 0)
        rc = compare_memo_write(o->out_dir, err);
    for (size_t i = 0; out && i < c->n * reps; i++)
        outcome_destroy(&out[i]);
    free(out);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
