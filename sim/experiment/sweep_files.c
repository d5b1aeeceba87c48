/* sweep_files: a sweep's summary.json read back (see sweep_files.h).
 *
 * The reader is strict where a chart or a report would be wrong (a point
 * whose values do not match the keys, a metric without a name) and lenient
 * where a later version may add keys: unknown ones are ignored. */
#include "experiment/sweep_files.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A scalar's text, or NULL when t is not a scalar. */
static const char *text(const struct ytree *t)
{
    return t && t->kind == YTREE_SCALAR ? t->text : NULL;
}

static const char *text_or(const struct ytree *map, const char *key, const char *dflt)
{
    const char *s = text(ytree_get(map, key, NULL));
    return s ? s : dflt;
}

/* A JSON number (null or absent: NaN). */
static double number(const struct ytree *t)
{
    const char *s = text(t);
    char *end;
    double x = s ? strtod(s, &end) : NAN;
    return s && end != s && *end == '\0' ? x : NAN;
}

/* An array of the scalars of a sequence, in the arena. -1: no memory or
 * not a sequence of scalars. */
static int strings(struct ytree_ctx *c, const struct ytree *seq, const char ***out, size_t *n)
{
    *n = 0;
    *out = NULL;
    if (!seq || seq->kind != YTREE_SEQ)
        return -1;
    if (seq->n && !(*out = ytree_alloc(c, seq->n * sizeof **out)))
        return -1;
    for (size_t i = 0; i < seq->n; i++)
        if (!((*out)[(*n)++] = text(seq->items[i].val)))
            return -1;
    return 0;
}

static int read_keys(struct sweep_files *f, const struct ytree *seq)
{
    if (!seq || seq->kind != YTREE_SEQ || seq->n == 0 || seq->n > SWEEP_FILES_MAX_KEYS ||
        !(f->keys = ytree_alloc(&f->ctx, seq->n * sizeof *f->keys)))
        return -1;
    for (size_t i = 0; i < seq->n; i++) {
        const struct ytree *k = seq->items[i].val;
        struct sweep_files_key *out = &f->keys[f->n_keys++];
        out->key = text(ytree_get(k, "key", NULL));
        out->label = text_or(k, "label", out->key);
        const char *numeric = text(ytree_get(k, "numeric", NULL));
        out->numeric = numeric && !strcmp(numeric, "true");
        if (!out->key ||
            strings(&f->ctx, ytree_get(k, "values", NULL), &out->values, &out->n_values) < 0 ||
            out->n_values == 0)
            return -1;
    }
    return 0;
}

static int read_metrics(struct sweep_files *f, const struct ytree *seq)
{
    if (!seq || seq->kind != YTREE_SEQ ||
        (seq->n && !(f->metrics = ytree_alloc(&f->ctx, seq->n * sizeof *f->metrics))))
        return -1;
    for (size_t i = 0; i < seq->n; i++) {
        const struct ytree *m = seq->items[i].val;
        struct sweep_files_metric *out = &f->metrics[f->n_metrics++];
        if (!(out->name = text(ytree_get(m, "name", NULL))))
            return -1;
        out->label = text_or(m, "label", out->name);
        out->where = text_or(m, "where", "");
        out->unit = text_or(m, "unit", "");
        out->type = text_or(m, "type", "count");
        out->better = text_or(m, "better", "neither");
        out->charted = !strcmp(text_or(m, "charted", "false"), "true");
    }
    return 0;
}

/* One point: its values in the keys' order, each metric's four numbers. */
static int read_point(struct sweep_files *f, const struct ytree *t, struct sweep_files_point *p)
{
    const struct ytree *values = ytree_get(t, "values", NULL);
    const struct ytree *metrics = ytree_get(t, "metrics", NULL);
    size_t m = f->n_metrics ? f->n_metrics : 1;
    p->dir = text(ytree_get(t, "dir", NULL));
    p->values = ytree_alloc(&f->ctx, f->n_keys * sizeof *p->values);
    double *v = ytree_alloc(&f->ctx, 4 * m * sizeof *v);
    if (!p->dir || !p->values || !v || !values || values->kind != YTREE_MAP || !metrics ||
        metrics->kind != YTREE_MAP)
        return -1;
    for (size_t k = 0; k < f->n_keys; k++)
        if (!(p->values[k] = text(ytree_get(values, f->keys[k].key, NULL))))
            return -1;
    p->mean = v, p->sd = v + m, p->lo = v + 2 * m, p->hi = v + 3 * m;
    for (size_t i = 0; i < f->n_metrics; i++) {
        static const char *const suffix[] = {"", "_sd", "_ci_lo", "_ci_hi"};
        double *to[] = {p->mean, p->sd, p->lo, p->hi};
        for (size_t j = 0; j < 4; j++) {
            char name[512];
            snprintf(name, sizeof name, "%s%s", f->metrics[i].name, suffix[j]);
            to[j][i] = number(ytree_get(metrics, name, NULL));
        }
    }
    return 0;
}

int sweep_files_read(const char *dir, struct sweep_files *f, FILE *err)
{
    char path[4096];
    memset(f, 0, sizeof *f);
    ytree_init(&f->ctx, err);
    f->ctx.what = "sweep summary";
    snprintf(path, sizeof path, "%s/summary.json", dir);
    struct ytree_id id;
    struct ytree *top = ytree_read(&f->ctx, path, NULL, &id);
    if (!top)
        return -1;
    const char *kind = text(ytree_get(top, "kind", NULL));
    if (!kind || strcmp(kind, "sweep")) {
        fprintf(err, "pilotsim: %s: not a sweep's summary (no \"kind\": \"sweep\")\n", path);
        return -1;
    }
    f->scenario = text_or(top, "scenario", "");
    f->seed = text_or(top, "seed", "");
    f->replications = (unsigned)strtoul(text_or(top, "replications", "1"), NULL, 10);
    const struct ytree *points = ytree_get(top, "points", NULL);
    int rc = read_keys(f, ytree_get(top, "keys", NULL));
    if (rc == 0)
        rc = read_metrics(f, ytree_get(top, "metrics", NULL));
    if (rc == 0 &&
        strings(&f->ctx, ytree_get(top, "warnings", NULL), &f->warnings, &f->n_warnings) < 0)
        f->n_warnings = 0; /* warnings are optional */
    if (rc == 0 && (!points || points->kind != YTREE_SEQ || points->n == 0 ||
                    !(f->points = ytree_alloc(&f->ctx, points->n * sizeof *f->points))))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < points->n; i++)
        rc = read_point(f, points->items[i].val, &f->points[f->n_points++]);
    if (rc < 0)
        fprintf(err, "pilotsim: %s: a sweep's summary without its keys, metrics or points\n", path);
    return rc;
}

void sweep_files_destroy(struct sweep_files *f)
{
    ytree_destroy(&f->ctx);
    memset(f, 0, sizeof *f);
}

/* The field of a CSV line at column `col` (no quoting: replications.csv
 * holds numbers, and names without commas), as a number (NaN if empty). */
static double field_at(const char *line, size_t col)
{
    for (size_t c = 0; c < col; c++) {
        line = strchr(line, ',');
        if (!line)
            return NAN;
        line++;
    }
    char *end;
    double x = strtod(line, &end);
    return end != line && (*end == ',' || *end == '\n' || *end == '\0') ? x : NAN;
}

size_t sweep_files_replications(const char *dir, const struct sweep_files *f, size_t p,
                                const char *metric, double *out, size_t max)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/replications.csv", dir, f->points[p].dir);
    FILE *in = fopen(path, "r");
    size_t len = 0, n = 0, col = 0, found = 0;
    char *line = NULL;
    if (!in)
        return 0;
    /* The header: which column is the metric. */
    if (getline(&line, &len, in) > 0)
        for (char *name = strtok(line, ",\n"); name && !found; name = strtok(NULL, ",\n"), col++)
            found = !strcmp(name, metric);
    col--;
    while (found && n < max && getline(&line, &len, in) > 0)
        out[n++] = field_at(line, col);
    free(line);
    fclose(in);
    return found ? n : 0;
}

/* A share reads in percent, fen in yuan; then thousands, millions or
 * billions so that the largest value reads below a thousand. */
void sweep_files_scale(const struct sweep_files *f, size_t m, double *scale, char *unit,
                       size_t size)
{
    const struct sweep_files_metric *x = &f->metrics[m];
    const char *base = x->unit;
    char buf[128];
    *scale = 1;
    if (!strcmp(x->type, "share")) {
        *scale = 100;
        snprintf(unit, size, "%%%s", strncmp(base, "share", 5) ? "" : base + 5);
        return;
    }
    if (!strcmp(base, "fen")) {
        *scale = 0.01;
        base = "yuan";
    }
    double top = 0;
    for (size_t p = 0; p < f->n_points; p++)
        if (isfinite(f->points[p].mean[m]))
            top = fmax(top, fabs(f->points[p].mean[m] * *scale));
    static const struct {
        double at;
        const char *word;
    } steps[] = {{1e9, "billion"}, {1e6, "million"}, {1e4, "thousand"}};
    snprintf(buf, sizeof buf, "%s", base);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (top >= steps[i].at) {
            *scale /= i == 2 ? 1e3 : steps[i].at;
            snprintf(buf, sizeof buf, "%s %s", steps[i].word, base);
            break;
        }
    snprintf(unit, size, "%s", buf);
}

char *sweep_files_number(double x, char *buf, size_t size)
{
    static const struct {
        double at;
        const char *suffix;
    } steps[] = {{1e9, " bn"}, {1e6, " M"}, {1e4, " k"}};
    if (!isfinite(x)) {
        snprintf(buf, size, "-");
        return buf;
    }
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        double unit = i == 2 ? 1e3 : steps[i].at;
        if (fabs(x) >= steps[i].at * 0.9995) {
            snprintf(buf, size, "%.3g%s", x / unit, steps[i].suffix);
            return buf;
        }
    }
    if (fabs(x) >= 999.5)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%.3g", x);
    return buf;
}
