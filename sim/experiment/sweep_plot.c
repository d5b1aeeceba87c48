/* sweep_plot: a sweep's charts from summary.json and sweep.csv (see
 * sweep_plot.h). Lists travel to plots/sweep.gp tab-separated, as data. */
#include "experiment/sweep_plot.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/sweep_files.h"
#include "output/plot.h"

#define LIST_MAX (64 * 1024)

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

/* The x axis: each value of the first key at its number (numeric keys) or
 * its rank, and its tic label (a number for reading: 5 M; else as written). */
static void x_axis(const struct sweep_files *f, char *xs, char *labels)
{
    const struct sweep_files_key *k = &f->keys[0];
    for (size_t i = 0; i < k->n_values; i++) {
        char buf[64];
        if (k->numeric) {
            tab_append(xs, LIST_MAX, k->values[i], i == 0);
            sweep_files_number(strtod(k->values[i], NULL), buf, sizeof buf);
        } else {
            snprintf(buf, sizeof buf, "%zu", i);
            tab_append(xs, LIST_MAX, buf, i == 0);
        }
        tab_append(labels, LIST_MAX, k->numeric ? buf : k->values[i], i == 0);
    }
}

/* One legend per combination of the other keys, their values ("10%,
 * 500"), in sweep.csv's order within an x value; "" for one line. The
 * legend's title names the keys. */
static void legends(const struct sweep_files *f, char *out)
{
    size_t groups = f->n_points / f->keys[0].n_values;
    for (size_t p = 0; f->n_keys > 1 && p < groups; p++) {
        char g[1024] = "";
        for (size_t k = 1; k < f->n_keys; k++) {
            size_t n = strlen(g);
            snprintf(g + n, sizeof g - n, "%s%s", k > 1 ? ", " : "", f->points[p].values[k]);
        }
        tab_append(out, LIST_MAX, g, p == 0);
    }
}

/* Chart m's text, tab-separated: title, subtitle, x label, y label,
 * provenance line, the scale of the values, the legend's title. */
static void chart_text(const char *dir, const struct sweep_files *f, size_t m, char *out,
                       size_t size)
{
    char prov[PLOT_PROVENANCE_MAX];
    plot_provenance(dir, prov, sizeof prov);
    const struct sweep_files_metric *x = &f->metrics[m];
    double scale;
    char unit[160], title[512], sub[512], ylabel[512], scale_s[32];
    sweep_files_scale(f, m, &scale, unit, sizeof unit);
    snprintf(title, sizeof title, "%s%s%s by %s", x->label, *x->where ? " in " : "", x->where,
             f->keys[0].label);
    if (strncmp(title, "e-", 2)) /* e-CNY stays as it is spelled */
        title[0] = (char)toupper((unsigned char)title[0]);
    if (f->replications > 1)
        snprintf(sub, sizeof sub, "%s: mean of %u replications at each point, 95%% intervals",
                 f->scenario, f->replications);
    else
        snprintf(sub, sizeof sub, "%s: one replication at each point", f->scenario);
    snprintf(ylabel, sizeof ylabel, "%s (%s)", x->label, unit);
    snprintf(scale_s, sizeof scale_s, "%.17g", scale);
    char keys[512] = "";
    for (size_t k = 1; k < f->n_keys; k++) {
        size_t n = strlen(keys);
        snprintf(keys + n, sizeof keys - n, "%s%s", k > 1 ? ", " : "", f->keys[k].label);
    }
    out[0] = '\0';
    const char *parts[] = {title, sub, f->keys[0].label, ylabel, prov, scale_s, keys};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        tab_append(out, size, parts[i], i == 0);
}

/* Metric m's chart: drawn empty, saying why, when no point has a value. */
static int draw(const char *dir, const struct sweep_files *f, size_t m, const char *xs,
                const char *xlabels, const char *groups, FILE *err)
{
    const struct sweep_files_metric *x = &f->metrics[m];
    size_t values = 0, bounds = 0;
    for (size_t p = 0; p < f->n_points; p++) {
        values += isfinite(f->points[p].mean[m]) != 0;
        bounds += isfinite(f->points[p].lo[m]) != 0;
    }
    const char *note = "";
    if (values == 0)
        note = !strcmp(x->type, "latency") ? "no e-CNY payment completed at any point of the sweep"
                                           : "no value at any point of the sweep";
    char text[4096], flags[64];
    chart_text(dir, f, m, text, sizeof text);
    snprintf(flags, sizeof flags, "%s%s%s", f->keys[0].numeric ? "numeric" : "category",
             bounds ? " ci" : "", values ? "" : " frame");
    const char *rest[] = {text, x->name, xs, xlabels, groups, flags, note};
    return plot_sweep(dir, x->name, rest, sizeof rest / sizeof rest[0], err);
}

int sweep_plot_dir(const char *dir, FILE *err)
{
    struct sweep_files f;
    if (sweep_files_read(dir, &f, err) < 0) {
        sweep_files_destroy(&f);
        return -1;
    }
    char *xs = calloc(1, LIST_MAX), *xlabels = calloc(1, LIST_MAX), *groups = calloc(1, LIST_MAX);
    int rc = xs && xlabels && groups ? 0 : -1;
    if (rc < 0)
        fprintf(err, "pilotsim: out of memory\n");
    if (rc == 0 && f.n_points % f.keys[0].n_values) {
        fprintf(err, "pilotsim: %s/summary.json: %zu points are not a grid over %zu values\n", dir,
                f.n_points, f.keys[0].n_values);
        rc = -1;
    }
    if (rc == 0) {
        x_axis(&f, xs, xlabels);
        legends(&f, groups);
    }
    for (size_t m = 0; rc == 0 && m < f.n_metrics; m++)
        if (f.metrics[m].charted)
            rc = draw(dir, &f, m, xs, xlabels, groups, err);
    free(xs);
    free(xlabels);
    free(groups);
    sweep_files_destroy(&f);
    return rc;
}
