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

#include <math.h>

#include "experiment/sweep_plot.h"
#include "experiment/sweep_report.h"
#include "kernel/rng.h"
#include "model/sampling.h"
#include "output/long_csv.h"
#include "output/progress.h"
#include "scenario/keys.h"

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
    size_t shown[64 + 4]; /* catalog indices in summary.json: charted, then headline */
    size_t n_shown;
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

/* summary.json's metrics: the charted ones, then the headline ones (what a
 * rollout is judged by) not charted, each once. */
static void pick_shown(struct sweep *w)
{
    const char *const *headline;
    size_t n_headline = experiment_headline(&headline);
    for (size_t i = 0; i < w->n_metrics + n_headline; i++) {
        size_t k = (size_t)catalog_find(w->catalog, i < w->n_metrics ? w->metrics[i]
                                                                     : headline[i - w->n_metrics]);
        int seen = 0;
        for (size_t j = 0; j < w->n_shown; j++)
            seen |= w->shown[j] == k;
        if (!seen)
            w->shown[w->n_shown++] = k;
    }
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
    if (ok)
        pick_shown(w);
    if (ok && !(w->points = calloc(w->n_points, sizeof *w->points))) {
        fprintf(err, "pilotsim: out of memory\n");
        ok = 0;
    }
    /* Every point loads before anything runs: a bad value is bad input. */
    for (size_t p = 0; ok && p < w->n_points; p++) {
        w->points[p] = load_point(w, path, p, sets, n_sets, err);
        ok = w->points[p] && same_catalog(w, w->points[p], err) == 0;
    }
    /* The first key is the charts' x axis: one value would be a lone point
     * on an axis of nothing. Checked last, so every other mistake in the
     * command line is named first. */
    if (ok && w->n_values[0] < 2) {
        fprintf(err,
                "pilotsim sweep: --vary %s has one value; the first --vary key needs two or more "
                "(it is the charts' x axis; for a fixed value use --set %s=%s)\n",
                w->keys[0], w->keys[0], w->values[0][0]);
        ok = 0;
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

/* ---- summary.json: the sweep for scripts, and for the charts and report ---- */

/* The point's folder under DIR: points/ and its number, zero-padded to the
 * grid's width so that a listing sorts in grid order (points/07). */
static void point_dir(const struct sweep *w, size_t p, char *buf, size_t size)
{
    size_t width = 1; /* at most 5 digits: SWEEP_MAX_POINTS */
    for (size_t n = w->n_points - 1; n >= 10; n /= 10)
        width++;
    char num[24];
    int len = snprintf(num, sizeof num, "%zu", p);
    snprintf(buf, size, "points/%.*s%s", (int)(width - (size_t)len), "0000000", num);
}

/* "ecny" is how keys spell e-CNY. */
static void words(char *out, size_t size, const char *s, size_t len)
{
    size_t n = strlen(out);
    for (size_t i = 0; i < len && n + 6 < size; i++) {
        if (!strncmp(s + i, "ecny", 4) && (i == 0 || s[i - 1] == '_') && i + 4 <= len) {
            memcpy(out + n, "e-CNY", 5);
            n += 5;
            i += 3;
        } else {
            out[n++] = s[i] == '_' ? ' ' : s[i];
        }
    }
    out[n] = '\0';
}

/* A --vary key for people: its last part's words, then where it sits in
 * parentheses, a city by its name, an intervention by its kind and id
 * ("imitation (adoption)", "population (Suzhou)", "amount (lottery
 * suzhou-2020-12)"); the values' spelling (10%, 30d) carries the unit. */
static void key_label(const struct scenario *s, const char *key, char *buf, size_t size)
{
    static const char *const top[][2] = {{"sample", "people per simulated person (sample)"},
                                         {"seed", "random seed"},
                                         {"step", "time step"}};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        if (!strcmp(key, top[i][0])) {
            snprintf(buf, size, "%s", top[i][1]);
            return;
        }
    const char *last = strrchr(key, '.');
    buf[0] = '\0';
    words(buf, size, last ? last + 1 : key, strlen(last ? last + 1 : key));
    if (!last)
        return;
    char where[256] = "";
    size_t head = (size_t)(last - key);
    const char *dot = strchr(key, '.');
    if (!strncmp(key, "cities.", 7) || !strncmp(key, "interventions.", 14)) {
        const char *id = dot + 1, *end = strchr(id, '.');
        size_t len = (size_t)(end - id);
        int city = key[0] == 'c';
        size_t n = city ? s->n_cities : s->n_interventions;
        for (size_t i = 0; i < n; i++) {
            const char *this = city ? s->cities[i].id : s->interventions[i].id;
            if (strlen(this) == len && !strncmp(this, id, len)) {
                if (city)
                    snprintf(where, sizeof where, "%s", s->cities[i].name);
                else
                    snprintf(where, sizeof where, "%s %s",
                             keys_kind_names[s->interventions[i].kind], this);
            }
        }
        if (!where[0])
            snprintf(where, sizeof where, "%.*s", (int)len, id);
        /* what lies between the id and the last part: "spending until" */
        if (end != last) {
            strncat(where, " ", sizeof where - strlen(where) - 1);
            words(where, sizeof where, end + 1, (size_t)(last - end - 1));
        }
    } else {
        words(where, sizeof where, key, head);
    }
    for (char *p = where; *p; p++)
        *p = *p == '.' ? ' ' : *p;
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, " (%s)", where);
}

/* Where a metric is measured, for people. */
static const char *metric_where(const struct scenario *s, const struct catalog_entry *e)
{
    switch (e->section) {
    case CATALOG_CITY:
        return s->cities[e->owner].name;
    case CATALOG_INTERVENTION:
        return s->interventions[e->owner].id;
    case CATALOG_TOTAL:
    case CATALOG_MONEY:
        return "all cities";
    case CATALOG_TOP:
        break;
    }
    return "";
}

static const char *type_name(enum catalog_type t)
{
    return t == CATALOG_SHARE     ? "share"
           : t == CATALOG_RATE    ? "rate"
           : t == CATALOG_LATENCY ? "latency"
                                  : "count";
}

static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        report_csv_number(f, x);
    else
        fputs("null", f);
}

/* A value as written, as a number when it is one (0.35), else a string (10%). */
static void json_value(FILE *f, const char *v)
{
    char *end;
    double x = strtod(v, &end);
    if (end != v && *end == '\0' && isfinite(x) && strspn(v, "+-.0123456789eE") == strlen(v))
        report_csv_number(f, x);
    else
        report_json_string(f, v);
}

/* What summary.json needs beyond the sweep. */
struct sweep_out {
    const struct sweep *w;
    unsigned reps;
    const struct run_info *info;
    const struct provenance *provenance; /* with the base scenario's hash; NULL: none */
};

static void json_keys(FILE *f, const struct sweep *w)
{
    fputs("  \"keys\": [", f);
    for (size_t k = 0; k < w->n_keys; k++) {
        char label[256];
        key_label(w->base, w->keys[k], label, sizeof label);
        fputs(k ? ",\n    {\"key\": " : "\n    {\"key\": ", f);
        report_json_string(f, w->keys[k]);
        fputs(", \"label\": ", f);
        report_json_string(f, label);
        int numeric = 1;
        fputs(", \"values\": [", f);
        for (size_t i = 0; i < w->n_values[k]; i++) {
            char *end;
            strtod(w->values[k][i], &end);
            numeric &= *end == '\0';
            fputs(i ? ", " : "", f);
            report_json_string(f, w->values[k][i]);
        }
        fprintf(f, "], \"numeric\": %s}", numeric ? "true" : "false");
    }
    fputs("\n  ],\n", f);
}

static void json_metrics(FILE *f, const struct sweep *w)
{
    fputs("  \"metrics\": [", f);
    for (size_t i = 0; i < w->n_shown; i++) {
        const struct catalog_entry *e = &w->catalog->entries[w->shown[i]];
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        report_json_string(f, e->name);
        fputs(", \"label\": ", f);
        report_json_string(f, e->label);
        fputs(", \"where\": ", f);
        report_json_string(f, metric_where(w->base, e));
        fputs(", \"unit\": ", f);
        report_json_string(f, e->unit);
        fprintf(f, ", \"type\": \"%s\", \"better\": \"%s\", \"charted\": %s}", type_name(e->type),
                catalog_better_name(e->better), i < w->n_metrics ? "true" : "false");
    }
    fputs("\n  ],\n", f);
}

/* Point p: its folder, its values, and each listed metric's mean, sd and
 * interval as numbers (null where undefined, or with one replication). */
static void json_point(FILE *f, const struct sweep *w, size_t p, unsigned reps)
{
    char dir[64];
    point_dir(w, p, dir, sizeof dir);
    fprintf(f, "    {\"point\": %zu, \"dir\": \"%s\", \"values\": {", p, dir);
    for (size_t k = 0; k < w->n_keys; k++) {
        fputs(k ? ", " : "", f);
        report_json_string(f, w->keys[k]);
        fputs(": ", f);
        json_value(f, value_at(w, p, k));
    }
    fputs("},\n     \"metrics\": {", f);
    for (size_t i = 0; i < w->n_shown; i++) {
        const char *name = w->catalog->entries[w->shown[i]].name;
        const struct stats_summary *st = &w->sums[p]->scalars[w->shown[i]];
        static const char *const suffix[] = {"", "_sd", "_ci_lo", "_ci_hi"};
        double v[4] = {st->mean, st->sd, st->lo, st->hi};
        for (size_t j = 0; j < 4; j++) {
            fprintf(f, "%s\"%s%s\": ", i || j ? ", " : "", name, suffix[j]);
            json_num(f, reps > 1 || j == 0 ? v[j] : NAN);
        }
    }
    fputs("}}", f);
}

/* The run section: the moment, the machine, the work, the provenance. */
static void json_run(FILE *f, const struct run_info *in, const struct provenance *p)
{
    fputs("  \"run\": {\"version\": ", f);
    report_json_string(f, in->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, in->started_at);
    fputs(", \"wall_s\": ", f);
    json_num(f, in->wall_s);
    fputs(", \"host\": ", f);
    report_json_string(f, in->host);
    fputs(", \"backend\": ", f);
    report_json_string(f, in->backend ? in->backend : "serial");
    if (p) {
        fputs(", \"provenance\": ", f);
        provenance_json(f, p);
    }
    fputs("}\n", f);
}

static int summary_json(FILE *f, const void *ctx)
{
    const struct sweep_out *x = ctx;
    const struct sweep *w = x->w;
    fputs("{\n  \"schema_version\": 1,\n  \"kind\": \"sweep\",\n  \"scenario\": ", f);
    report_json_string(f, w->base->name);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"rng\": ", (unsigned long long)w->base->seed);
    report_json_string(f, rng_name());
    fprintf(f, ",\n  \"replications\": %u,\n  \"confidence\": 0.95,\n", x->reps);
    fputs("  \"warnings\": ", f);
    report_json_warnings(f, &w->base->warnings);
    fputs(",\n", f);
    json_keys(f, w);
    json_metrics(f, w);
    fputs("  \"points\": [\n", f);
    for (size_t p = 0; p < w->n_points; p++) {
        json_point(f, w, p, x->reps);
        fputs(p + 1 < w->n_points ? ",\n" : "\n", f);
    }
    fputs("  ],\n", f);
    json_run(f, x->info, x->provenance);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

/* DIR/long.csv (--long): every point's replications, the point's number
 * and its values of the varied keys first. */
static int write_long(const struct sweep *w, const struct outcome *out, unsigned reps,
                      const char *dir, FILE *err)
{
    size_t nc = 1 + w->n_keys;
    const char **cols = malloc(nc * sizeof *cols);
    const char **labels = malloc(w->n_points * nc * sizeof *labels);
    char(*names)[24] = malloc(w->n_points * sizeof *names);
    int rc = cols && labels && names ? 0 : -1;
    for (size_t p = 0; rc == 0 && p < w->n_points; p++) {
        snprintf(names[p], sizeof names[p], "%zu", p);
        labels[p * nc] = names[p];
        for (size_t k = 0; k < w->n_keys; k++)
            labels[p * nc + 1 + k] = value_at(w, p, k);
    }
    for (size_t k = 0; rc == 0 && k < nc; k++)
        cols[k] = k ? w->keys[k - 1] : "point";
    struct long_csv l = {
        cols, nc,         labels, w->n_points, (const struct scenario *const *)w->points,
        NULL, w->catalog, out,    reps};
    if (rc == 0)
        rc = long_csv_write(dir, &l, err);
    else
        fprintf(err, "pilotsim: out of memory\n");
    free(cols);
    free(labels);
    free(names);
    return rc;
}

/* Each point's replicated-run outputs under DIR/points/POINT/, by the same
 * writer as `run --replications` (so `pilotsim plot` and `report` read a
 * point like any run). */
static int write_points(const struct sweep *w, const struct outcome *out, unsigned reps,
                        const char *dir, const struct run_info *info, FILE *err)
{
    for (size_t p = 0; p < w->n_points; p++) {
        char sub[4096], name[64];
        point_dir(w, p, name, sizeof name);
        snprintf(sub, sizeof sub, "%s/%s", dir, name);
        struct report_run run = {
            w->points[p], w->catalog, out + p * reps, reps, reps > 1 ? w->sums[p] : NULL,
            info,         NULL};
        if (report_write(sub, &run, err) < 0)
            return -1;
    }
    return 0;
}

/* Replicate every point, summarize each, write each point's outputs,
 * sweep.csv, the base scenario and summary.json, then the charts and
 * report.html, both read back from those files (sweep_plot.h,
 * sweep_report.h). */
enum experiment_status sweep_run(struct sweep *w, const struct run_options *o, FILE *err)
{
    enum experiment_status status;
    struct replicate_farm *farm =
        experiment_farm((const struct scenario *const *)w->points, w->n_points, o, err, &status);
    if (!farm)
        return status;
    replicate_farm_name(farm, "sweeping", "points");
    unsigned reps = o->replications;
    size_t n = w->n_points * reps;
    struct outcome *out = calloc(n, sizeof *out);
    w->sums = calloc(w->n_points, sizeof *w->sums);
    double t0 = progress_clock();
    int rc = out && w->sums ? experiment_replicate(farm, w->n_points, reps, 1, out, err) : -1;
    double wall = progress_clock() - t0;
    struct run_info info;
    experiment_run_info(&info, o->version, wall);
    replicate_farm_info(farm, &info);
    info.provenance = o->provenance;
    /* The sweep's own provenance names the base scenario.yaml it writes
     * (a point's names its own: report_write). */
    struct provenance prov = {0};
    if (o->provenance)
        prov = *o->provenance;
    for (size_t p = 0; rc == 0 && p < w->n_points; p++)
        if (!(w->sums[p] = outcome_summarize(out + p * reps, reps))) {
            fprintf(err, "pilotsim: out of memory\n");
            rc = -1;
        }
    if (rc == 0)
        rc = report_mkdir(o->out_dir, err);
    if (rc == 0)
        rc = write_points(w, out, reps, o->out_dir, &info, err);
    replicate_farm_free(farm);
    struct sweep_out x = {w, reps, &info, o->provenance ? &prov : NULL};
    if (rc == 0)
        rc = report_scenario(o->out_dir, w->base, o->provenance ? &prov : NULL, err);
    if (rc == 0)
        rc = report_atomic(o->out_dir, "sweep.csv", sweep_csv, w, err);
    if (rc == 0 && o->long_csv)
        rc = write_long(w, out, reps, o->out_dir, err);
    if (rc == 0)
        rc = report_atomic(o->out_dir, "summary.json", summary_json, &x, err);
    if (rc == 0 && o->charts && w->base->charts)
        rc = sweep_plot_dir(o->out_dir, err);
    if (rc == 0) /* last: it embeds the charts */
        rc = sweep_report_write(o->out_dir, err);
    for (size_t i = 0; out && i < n; i++)
        outcome_destroy(&out[i]);
    free(out);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
