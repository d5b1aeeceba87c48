/* sweep: a scenario over the grid of --vary values, replicated per point.
 *
 * Every point is a scenario loaded through the loader's own --set (the base
 * sets, then the point's key=value), so a key or value the loader refuses
 * is refused here with its message, before anything runs. Points are the
 * farm's plans: one batch runs every (point, replication), time series left
 * out (a sweep reports totals). */
#include "experiment/sweep.h"

#include <stdlib.h>
#include <string.h>

#include "output/plot.h"
#include "output/progress.h"
#include "model/sampling.h"

#define MAX_VALUES 1000 /* values of one key */

struct sweep {
    struct scenario *base; /* with --set, before --vary */
    size_t n_keys;
    char *spec[SWEEP_MAX_KEYS]; /* copies of the --vary options, split in place */
    const char *keys[SWEEP_MAX_KEYS];
    const char **values[SWEEP_MAX_KEYS];
    size_t n_values[SWEEP_MAX_KEYS];
    size_t n_points;
    struct scenario **points; /* [n_points] */
    struct catalog *catalog;  /* the base's; every point has the same */
    const char *metrics[64];  /* charted (borrowed from argv or the defaults) */
    size_t n_metrics;
    struct outcome_summary **sums; /* [n_points], after the run */
};

static const char *const default_metrics[] = {"total.adoption", "total.payments",
                                              "total.latency_ms.p99"};

const struct scenario *const *sweep_points(const struct sweep *w, size_t *n)
{
    *n = w->n_points;
    return (const struct scenario *const *)w->points;
}

/* Frees what sweep_load and sweep_run made, also half-made. */
void sweep_free(struct sweep *w)
{
    if (!w)
        return;
    scenario_free(w->base);
    for (size_t k = 0; k < w->n_keys; k++) {
        free(w->spec[k]);
        free(w->values[k]);
    }
    for (size_t p = 0; w->points && p < w->n_points; p++)
        scenario_free(w->points[p]);
    for (size_t p = 0; w->sums && p < w->n_points; p++)
        outcome_summary_free(w->sums[p]);
    free(w->points);
    free(w->sums);
    catalog_free(w->catalog);
    free(w);
}

/* Split "key=v1,v2,..." into w's next key and its values. 0, or -1 after a
 * one-line message. */
static int parse_vary(struct sweep *w, const char *opt, FILE *err)
{
    const char *eq = strchr(opt, '=');
    if (!eq || eq == opt || !eq[1]) {
        fprintf(err, "pilotsim sweep: --vary wants KEY=V1,V2,..., not '%s'\n", opt);
        return -1;
    }
    size_t k = w->n_keys;
    if (k == SWEEP_MAX_KEYS) {
        fprintf(err, "pilotsim sweep: too many --vary options (%d at most)\n", SWEEP_MAX_KEYS);
        return -1;
    }
    char *s = w->spec[k] = strdup(opt);
    w->values[k] = calloc(MAX_VALUES, sizeof *w->values[k]);
    w->n_keys++;
    if (!s || !w->values[k]) {
        fprintf(err, "pilotsim: out of memory\n");
        return -1;
    }
    s[eq - opt] = '\0';
    w->keys[k] = s;
    for (size_t j = 0; j < k; j++)
        if (strcmp(w->keys[j], s) == 0) {
            fprintf(err, "pilotsim sweep: --vary %s given twice (list all its values once)\n", s);
            return -1;
        }
    for (char *v = s + (eq - opt) + 1;;) {
        char *comma = strchr(v, ',');
        if (comma)
            *comma = '\0';
        if (!*v || w->n_values[k] == MAX_VALUES) {
            fprintf(err, "pilotsim sweep: --vary %s: %s\n", s,
                    *v ? "too many values (1000 at most)" : "an empty value (expected V1,V2,...)");
            return -1;
        }
        w->values[k][w->n_values[k]++] = v;
        if (!comma)
            break;
        v = comma + 1;
    }
    return 0;
}

/* Edit distance (Levenshtein, one row), for "did you mean": names are
 * short, and this runs once per unknown --metric. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[256];
    if (la > 255 || lb > 255)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* A --metric must be in the catalog; else one line with the closest name. */
static int check_metric(const struct sweep *w, const char *name, FILE *err)
{
    if (catalog_find(w->catalog, name) >= 0)
        return 0;
    const char *best = w->catalog->entries[0].name;
    size_t d = (size_t)-1;
    for (size_t k = 0; k < w->catalog->n; k++) {
        size_t e = distance(name, w->catalog->entries[k].name);
        if (e < d)
            d = e, best = w->catalog->entries[k].name;
    }
    fprintf(err,
            "pilotsim sweep: unknown metric '%s' (did you mean '%s'? the metrics are "
            "replications.csv's columns)\n",
            name, best);
    return -1;
}

/* The grid's point p: the value of key k (the last key varies fastest). */
static const char *value_at(const struct sweep *w, size_t p, size_t k)
{
    size_t stride = 1;
    for (size_t j = w->n_keys; j-- > k + 1;)
        stride *= w->n_values[j];
    return w->values[k][(p / stride) % w->n_values[k]];
}

/* Load point p: the base's sets, then its own key=value (so --vary wins). */
static struct scenario *load_point(const struct sweep *w, const char *path, size_t p,
                                   const char *const *sets, size_t n_sets, FILE *err)
{
    const char **all = malloc((n_sets + w->n_keys) * sizeof *all);
    char *buf[SWEEP_MAX_KEYS] = {0};
    int ok = all != NULL;
    for (size_t k = 0; ok && k < w->n_keys; k++) {
        size_t len = strlen(w->keys[k]) + strlen(value_at(w, p, k)) + 2;
        ok = (buf[k] = malloc(len)) != NULL;
        if (ok)
            snprintf(buf[k], len, "%s=%s", w->keys[k], value_at(w, p, k));
    }
    struct scenario *s = NULL;
    if (ok) {
        if (n_sets)
            memcpy(all, sets, n_sets * sizeof *sets);
        for (size_t k = 0; k < w->n_keys; k++)
            all[n_sets + k] = buf[k];
        s = scenario_load(path, all, n_sets + w->n_keys, err);
        if (s && sampling_check(s) < 0) { /* out of memory: as if not loaded */
            scenario_free(s);
            s = NULL;
        }
    } else {
        fprintf(err, "pilotsim: out of memory\n");
    }
    for (size_t k = 0; k < w->n_keys; k++)
        free(buf[k]);
    free(all);
    return s;
}

/* Every point must report the same metrics as the base. */
static int same_catalog(const struct sweep *w, const struct scenario *s, FILE *err)
{
    struct catalog *c = catalog_new(s);
    int same = c && c->n == w->catalog->n;
    for (size_t k = 0; same && k < c->n; k++)
        same = strcmp(c->entries[k].name, w->catalog->entries[k].name) == 0;
    if (c && !same)
        fprintf(err, "pilotsim sweep: --vary changes which metrics the scenario reports "
                     "(vary values, not its cities or interventions)\n");
    else if (!c)
        fprintf(err, "pilotsim: out of memory\n");
    catalog_free(c);
    return same ? 0 : -1;
}

/* Everything that can be wrong with the input is found here: the --vary
 * syntax, the grid's size, the base scenario, the metrics, every point. */
struct sweep *sweep_load(const char *path, const char *const *sets, size_t n_sets,
                         const char *const *varies, size_t n_varies, const char *const *metrics,
                         size_t n_metrics, FILE *err)
{
    struct sweep *w = calloc(1, sizeof *w);
    if (!w) {
        fprintf(err, "pilotsim: out of memory\n");
        return NULL;
    }
    int ok = 1;
    for (size_t i = 0; ok && i < n_varies; i++)
        ok = parse_vary(w, varies[i], err) == 0;
    w->n_points = 1;
    for (size_t k = 0; ok && k < w->n_keys; k++) {
        w->n_points *= w->n_values[k];
        if (w->n_points > SWEEP_MAX_POINTS) {
            fprintf(err, "pilotsim sweep: the grid has more than %d points\n", SWEEP_MAX_POINTS);
            ok = 0;
        }
    }
    if (ok)
        ok = (w->base = scenario_load(path, sets, n_sets, err)) != NULL;
    if (ok && !(w->catalog = catalog_new(w->base))) {
        fprintf(err, "pilotsim: out of memory\n");
        ok = 0;
    }
    if (ok && n_metrics > sizeof w->metrics / sizeof w->metrics[0]) {
        fprintf(err, "pilotsim sweep: too many --metric options\n");
        ok = 0;
    }
    for (size_t i = 0; ok && i < (n_metrics ? n_metrics : 3); i++) {
        w->metrics[w->n_metrics++] = n_metrics ? metrics[i] : default_metrics[i];
        ok = check_metric(w, w->metrics[i], err) == 0;
    }
    if (ok && !(w->points = calloc(w->n_points, sizeof *w->points))) {
        fprintf(err, "pilotsim: out of memory\n");
        ok = 0;
    }
    /* Every point loads before anything runs: a bad value is bad input. */
    for (size_t p = 0; ok && p < w->n_points; p++) {
        w->points[p] = load_point(w, path, p, sets, n_sets, err);
        ok = w->points[p] && same_catalog(w, w->points[p], err) == 0;
    }
    if (!ok) {
        sweep_free(w);
        return NULL;
    }
    return w;
}

/* ---- outputs ---- */

/* Wide: one row per point, three columns per metric (mean and interval),
 * so a point's row is everything known about it; values as given. */
static int sweep_csv(FILE *f, const void *ctx)
{
    const struct sweep *w = ctx;
    fputs("point", f);
    for (size_t k = 0; k < w->n_keys; k++) {
        fputc(',', f);
        report_csv_field(f, w->keys[k]);
    }
    for (size_t m = 0; m < w->catalog->n; m++) {
        const char *name = w->catalog->entries[m].name;
        fprintf(f, ",%s,%s_ci_lo,%s_ci_hi", name, name, name);
    }
    fputc('\n', f);
    for (size_t p = 0; p < w->n_points; p++) {
        fprintf(f, "%zu", p);
        for (size_t k = 0; k < w->n_keys; k++) {
            fputc(',', f);
            report_csv_field(f, value_at(w, p, k));
        }
        for (size_t m = 0; m < w->catalog->n; m++) {
            const struct stats_summary *st = &w->sums[p]->scalars[m];
            fputc(',', f);
            report_csv_number(f, st->mean);
            fputc(',', f);
            report_csv_number(f, st->lo);
            fputc(',', f);
            report_csv_number(f, st->hi);
        }
        fputc('\n', f);
    }
    return 0;
}

/* The base scenario resolved: a point is this plus its key=value. */
static int scenario_yaml(FILE *f, const void *ctx)
{
    return scenario_write(ctx, f);
}

/* Append s to a tab-separated list (tabs inside s become spaces). */
static void tab_append(char *list, size_t size, const char *s, int first)
{
    size_t n = strlen(list);
    if (!first && n + 1 < size)
        list[n++] = '\t';
    for (; *s && n + 1 < size; s++)
        list[n++] = *s == '\t' ? ' ' : *s;
    list[n] = '\0';
}

/* The charts: the first key on x, one line per combination of the others. */
/* Lists go to gnuplot tab-separated, as data: the x values (numeric when
 * every one parses as a number) and one legend per combination of the
 * other keys, in the order of sweep.csv's rows within an x value. */
static int charts(const struct sweep *w, const char *dir, int bars, FILE *err)
{
    size_t groups = w->n_points / w->n_values[0], size = 64 * 1024;
    char *xs = calloc(1, size), *gs = calloc(1, size), *g = malloc(1024);
    int numeric = 1, rc = xs && gs && g ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < w->n_values[0]; i++) {
        char *end;
        strtod(w->values[0][i], &end);
        numeric &= *end == '\0';
        tab_append(xs, size, w->values[0][i], i == 0);
    }
    for (size_t p = 0; rc == 0 && w->n_keys > 1 && p < groups; p++) {
        g[0] = '\0';
        for (size_t k = 1; k < w->n_keys; k++) {
            size_t n = strlen(g);
            snprintf(g + n, 1024 - n, "%s%s=%s", k > 1 ? ", " : "", w->keys[k], value_at(w, p, k));
        }
        tab_append(gs, size, g, p == 0);
    }
    for (size_t m = 0; rc == 0 && m < w->n_metrics; m++)
        rc = plot_sweep(dir, w->base->name, w->metrics[m], w->keys[0], xs, numeric, gs, bars, err);
    free(xs);
    free(gs);
    free(g);
    return rc;
}

/* Replicate every point, summarize each, write sweep.csv and the base
 * scenario, draw a chart per metric. */
enum experiment_status sweep_run(struct sweep *w, const struct run_options *o, FILE *err)
{
    enum experiment_status status;
    struct replicate_farm *farm =
        experiment_farm((const struct scenario *const *)w->points, w->n_points, o, err, &status);
    if (!farm)
        return status;
    unsigned reps = o->replications;
    size_t n = w->n_points * reps;
    struct outcome *out = calloc(n, sizeof *out);
    w->sums = calloc(w->n_points, sizeof *w->sums);
    double t0 = progress_clock();
    int rc = out && w->sums ? experiment_replicate(farm, w->n_points, reps, 0, out, err) : -1;
    double wall = progress_clock() - t0;
    replicate_farm_free(farm);
    for (size_t p = 0; rc == 0 && p < w->n_points; p++)
        if (!(w->sums[p] = outcome_summarize(out + p * reps, reps))) {
            fprintf(err, "pilotsim: out of memory\n");
            rc = -1;
        }
    if (rc == 0)
        rc = report_mkdir(o->out_dir, err);
    if (rc == 0)
        rc = report_atomic(o->out_dir, "scenario.yaml", scenario_yaml, w->base, err);
    if (rc == 0)
        rc = report_atomic(o->out_dir, "sweep.csv", sweep_csv, w, err);
    if (rc == 0 && o->charts && w->base->charts)
        rc = charts(w, o->out_dir, reps > 1, err);
    if (rc == 0 && !o->quiet)
        fprintf(stderr, "pilotsim: swept %zu points, %u replications each, in %.2f s -> %s/\n",
                w->n_points, reps, wall, o->out_dir);
    for (size_t i = 0; out && i < n; i++)
        outcome_destroy(&out[i]);
    free(out);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
