/* sweep_report: a sweep's report from summary.json (see sweep_report.h).
 *
 * How a metric "responds" is read from the means along the first key,
 * averaged over the other keys' combinations: its direction (first value
 * to last), and where it flattens: the first value from which every later
 * step moves it by less than a tenth of its range over the grid. Whether
 * the grid's highest and lowest points differ at all is their paired
 * difference over the replications (points/POINT/replications.csv): an
 * interval that holds zero is called what it is, no clear difference. */
#include "experiment/sweep_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/sweep_files.h"
#include "metrics/stats.h"
#include "output/doc.h"
#include "output/provenance.h"

#define MEMO_ROWS 40   /* points in the at-a-glance table (appendix) */
#define FLAT_SHARE 0.1 /* a step under this share of the range is flat */

/* x shown as the metric is shown: "1.23% of the population", "4.9 million
 * payments", "126 ms". */
static char *shown(const struct sweep_files *f, size_t m, double x, char *buf, size_t size)
{
    double scale;
    char unit[160], num[48];
    sweep_files_scale(f, m, &scale, unit, sizeof unit);
    sweep_files_number(x * scale, num, sizeof num);
    snprintf(buf, size, "%s%s%s", num, unit[0] == '%' ? "" : " ", unit);
    return buf;
}

/* Only the number, at the metric's scale (for tables and intervals). */
static char *number(const struct sweep_files *f, size_t m, double x, char *buf, size_t size)
{
    double scale;
    char unit[160];
    sweep_files_scale(f, m, &scale, unit, sizeof unit);
    return sweep_files_number(x * scale, buf, size);
}

/* s with a capital first letter ("e-CNY" stays as spelled). */
static char *capital(const char *s, char *buf, size_t size)
{
    snprintf(buf, size, "%s", s);
    if (strncmp(buf, "e-", 2) && buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

/* "imitation (adoption) 0.5, e-CNY preference (payments) 10%" */
static char *point_name(const struct sweep_files *f, size_t p, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t k = 0; k < f->n_keys; k++) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s%s %s", k ? ", " : "", f->keys[k].label,
                 f->points[p].values[k]);
    }
    return buf;
}

/* The metric's mean at each value of key k, over the other keys'
 * combinations (NaN where no point has one). The first key varies
 * slowest: point p has key k's value (p / stride) % n. */
static void along(const struct sweep_files *f, size_t m, size_t k, double *out)
{
    size_t stride = 1, nk = f->keys[k].n_values;
    for (size_t j = k + 1; j < f->n_keys; j++)
        stride *= f->keys[j].n_values;
    for (size_t i = 0; i < nk; i++) {
        double sum = 0;
        size_t n = 0;
        for (size_t p = 0; p < f->n_points; p++) {
            double v = f->points[p].mean[m];
            if ((p / stride) % nk == i && isfinite(v))
                sum += v, n++;
        }
        out[i] = n ? sum / (double)n : NAN;
    }
}

/* The spread of a key's means: max - min over its values (0 if none). */
static double spread(const double *v, size_t n)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    return hi > lo ? hi - lo : 0;
}

/* Where key k's means flatten: the first value from which every later
 * step moves them by less than FLAT_SHARE of the range (n - 1: never). */
static size_t flattens(const double *v, size_t n, double range)
{
    size_t flat = n - 1;
    for (size_t i = n - 1; i-- > 0; flat = i)
        if (!isfinite(v[i]) || !isfinite(v[i + 1]) || fabs(v[i + 1] - v[i]) >= FLAT_SHARE * range)
            break;
    return flat;
}

/* The key metric m moves most with: the largest spread of its means. */
static size_t driver_of(const struct sweep_files *f, size_t m)
{
    double best = -1;
    size_t driver = 0;
    for (size_t k = 0; k < f->n_keys; k++) {
        double *v = malloc(f->keys[k].n_values * sizeof *v), s;
        if (!v)
            return 0;
        along(f, m, k, v);
        s = spread(v, f->keys[k].n_values);
        if (s > best)
            best = s, driver = k;
        free(v);
    }
    return driver;
}

/* How metric m responds to the keys: the key it moves most with, from its
 * first value to its last, where it flattens; the keys that barely move it. */
static void response(struct doc *d, const struct sweep_files *f, size_t m, double range,
                     size_t driver)
{
    const struct sweep_files_key *k = &f->keys[driver];
    size_t n = k->n_values;
    double *v = malloc(n * sizeof *v), *w = malloc(f->n_points * sizeof *w);
    char a[256], b[256];
    if (!v || !w) {
        free(v), free(w);
        return;
    }
    along(f, m, driver, v);
    size_t flat = flattens(v, n, range);
    doc_text(d, " It moves most with %s: %s at %s, %s at %s%s.", k->label,
             shown(f, m, v[0], a, sizeof a), k->values[0], shown(f, m, v[n - 1], b, sizeof b),
             k->values[n - 1], f->n_keys > 1 ? " (averaged over the other keys)" : "");
    if (n > 2 && flat == n - 1)
        doc_text(d, " It is still changing at %s: no flattening within this range.",
                 k->values[n - 1]);
    else if (n > 2 && flat > 0)
        doc_text(d,
                 " It flattens from %s: each later step moves it by less than a tenth of its "
                 "range.",
                 k->values[flat]);
    for (size_t j = 0; j < f->n_keys; j++) {
        along(f, m, j, w);
        if (j != driver && spread(w, f->keys[j].n_values) < FLAT_SHARE * range)
            doc_text(d, " %s makes little difference to it.",
                     capital(f->keys[j].label, a, sizeof a));
    }
    free(v), free(w);
}

/* The paired difference hi - lo of metric m between two points over their
 * replications (they share random numbers): 0, or -1 when not at hand
 * (one replication, a missing file, an undefined value). */
static int paired(const char *dir, const struct sweep_files *f, size_t m, size_t lo, size_t hi,
                  struct stats_summary *out)
{
    size_t max = f->replications, na, nb;
    double *a = malloc((max + 1) * sizeof *a), *b = malloc((max + 1) * sizeof *b);
    int rc = -1;
    if (a && b && max > 1) {
        na = sweep_files_replications(dir, f, lo, f->metrics[m].name, a, max);
        nb = sweep_files_replications(dir, f, hi, f->metrics[m].name, b, max);
        rc = na == max && nb == max ? 0 : -1;
        for (size_t i = 0; rc == 0 && i < max; i++)
            rc = isfinite(a[i]) && isfinite(b[i]) ? 0 : -1;
        if (rc == 0)
            stats_paired(a, b, max, 1, 0.95, out);
    }
    free(a);
    free(b);
    return rc;
}

/* What the grid says of metric m. */
enum verdict_kind { VERDICT_NONE, VERDICT_SAME, VERDICT_MOVES };
struct verdict {
    enum verdict_kind kind;
    size_t lo, hi; /* points of the lowest and highest mean */
    double range;  /* hi's mean - lo's */
    int paired;    /* dd holds their paired difference */
    struct stats_summary dd;
    size_t driver; /* VERDICT_MOVES: the key it moves most with */
};

/* Judge metric m: no value anywhere; no clear difference (the paired
 * difference of its highest and lowest points holds zero, or no spread);
 * else it moves, most with `driver`. The points share their random
 * numbers, so the paired interval is the one that tells them apart. */
static void judge(const char *dir, const struct sweep_files *f, size_t m, struct verdict *v)
{
    size_t n = 0;
    memset(v, 0, sizeof *v);
    for (size_t p = 0; p < f->n_points; p++) {
        double x = f->points[p].mean[m];
        if (!isfinite(x))
            continue;
        if (!n++)
            v->lo = v->hi = p;
        v->lo = x < f->points[v->lo].mean[m] ? p : v->lo;
        v->hi = x > f->points[v->hi].mean[m] ? p : v->hi;
    }
    if (!n)
        return;
    v->range = f->points[v->hi].mean[m] - f->points[v->lo].mean[m];
    v->paired = v->range > 0 && paired(dir, f, m, v->lo, v->hi, &v->dd) == 0;
    v->kind = v->range <= 0 || (v->paired && stats_direction_of(&v->dd) == STATS_SAME)
                  ? VERDICT_SAME
                  : VERDICT_MOVES;
    if (v->kind == VERDICT_MOVES)
        v->driver = driver_of(f, m);
}

/* One bullet of the answer: the best point, the range, the response. */
static void answer(struct doc *d, const struct sweep_files *f, size_t m, const struct verdict *v)
{
    const struct sweep_files_metric *x = &f->metrics[m];
    char a[256], b[256], c[256], name[1024];
    doc_item_begin(d);
    doc_strong(d, "%s%s%s.", capital(x->label, a, sizeof a), *x->where ? " in " : "", x->where);
    if (v->kind == VERDICT_NONE) {
        doc_text(d, " No value at any point (%s).",
                 !strcmp(x->type, "latency") ? "no e-CNY payment completed" : "not measured");
        doc_para_end(d);
        return;
    }
    size_t best = strcmp(x->better, "lower") ? v->hi : v->lo;
    const struct sweep_files_point *pt = &f->points[best];
    doc_text(d, " %s at %s: ", strcmp(x->better, "neither") ? "Best" : "Highest",
             point_name(f, best, name, sizeof name));
    doc_strong(d, "%s", shown(f, m, pt->mean[m], a, sizeof a));
    if (isfinite(pt->lo[m]))
        doc_text(d, " (95%% interval %s to %s)", number(f, m, pt->lo[m], b, sizeof b),
                 number(f, m, pt->hi[m], c, sizeof c));
    doc_text(d, ". It ranges from %s to %s", shown(f, m, f->points[v->lo].mean[m], a, sizeof a),
             shown(f, m, f->points[v->hi].mean[m], b, sizeof b));
    if (v->paired)
        doc_text(d, " (paired difference %s, 95%% interval %s to %s)",
                 number(f, m, v->dd.mean, a, sizeof a), number(f, m, v->dd.lo, b, sizeof b),
                 number(f, m, v->dd.hi, c, sizeof c));
    doc_text(d, ".");
    if (v->kind == VERDICT_SAME && v->range <= 0)
        doc_text(d, " It is the same at every point: the varied keys do not move it.");
    else if (v->kind == VERDICT_SAME)
        doc_text(d, " Even its highest and lowest points do not differ significantly: the varied "
                    "keys make no clear difference to it.");
    else if (v->kind == VERDICT_MOVES)
        response(d, f, m, v->range, v->driver);
    doc_para_end(d);
}

/* The bottom line in one paragraph: which metric moves with which key,
 * which do not move. */
static void bottom_line(struct doc *d, const struct sweep_files *f, const struct verdict *v)
{
    char a[256];
    size_t same = 0, n_same = 0, moves = 0;
    for (size_t m = 0; m < f->n_metrics; m++)
        n_same += f->metrics[m].charted && v[m].kind != VERDICT_MOVES;
    doc_para_begin(d, DOC_ANSWER);
    doc_text(d, "Across the %zu points:", f->n_points);
    for (size_t m = 0; m < f->n_metrics; m++) {
        if (!f->metrics[m].charted || v[m].kind != VERDICT_MOVES)
            continue;
        doc_text(d, "%s ", moves++ ? ";" : "");
        doc_strong(d, "%s", f->metrics[m].label);
        doc_text(d, " from %s", shown(f, m, f->points[v[m].lo].mean[m], a, sizeof a));
        doc_text(d, " to %s, most sensitive to %s",
                 shown(f, m, f->points[v[m].hi].mean[m], a, sizeof a), f->keys[v[m].driver].label);
    }
    for (size_t m = 0; m < f->n_metrics; m++) {
        if (!f->metrics[m].charted || v[m].kind == VERDICT_MOVES)
            continue;
        doc_text(d, "%s%s",
                 same == 0            ? (moves ? "; " : " ")
                 : same + 1 == n_same ? " and "
                                      : ", ",
                 f->metrics[m].label);
        same++;
    }
    if (n_same)
        doc_text(d, " show%s no clear difference", n_same == 1 ? "s" : "");
    doc_text(d, ".");
    doc_para_end(d);
}

/* The memo's table: a row per point, the keys' values, then each charted
 * metric's mean at its scale. */
static void table(struct doc *d, const struct sweep_files *f)
{
    size_t n_cols = 1 + f->n_keys, col = 0;
    for (size_t m = 0; m < f->n_metrics; m++)
        n_cols += f->metrics[m].charted != 0;
    const char **headers = calloc(n_cols, sizeof *headers);
    char *align = calloc(n_cols + 1, 1), (*names)[256] = calloc(n_cols, sizeof *names);
    if (!headers || !align || !names) {
        free(headers), free(align), free(names);
        return;
    }
    headers[col] = "point", align[col++] = 'r';
    for (size_t k = 0; k < f->n_keys; k++)
        headers[col] = f->keys[k].label, align[col++] = 'l';
    for (size_t m = 0; m < f->n_metrics; m++) {
        double scale;
        char unit[160];
        if (!f->metrics[m].charted)
            continue;
        sweep_files_scale(f, m, &scale, unit, sizeof unit);
        snprintf(names[col], sizeof names[col], "%s (%s)", f->metrics[m].label, unit);
        headers[col] = names[col], align[col++] = 'r';
    }
    doc_table_begin(d, n_cols, headers, align);
    for (size_t p = 0; p < f->n_points; p++) {
        doc_cell(d, "%zu", p);
        for (size_t k = 0; k < f->n_keys; k++)
            doc_cell(d, "%s", f->points[p].values[k]);
        for (size_t m = 0; m < f->n_metrics; m++) {
            char a[48];
            if (f->metrics[m].charted)
                doc_cell(d, "%s", number(f, m, f->points[p].mean[m], a, sizeof a));
        }
    }
    doc_table_end(d);
    free(headers), free(align), free(names);
}

/* The appendix's table of metric m: a row per point, the keys' values,
 * the mean and its 95% interval. */
static void metric_table(struct doc *d, const struct sweep_files *f, size_t m)
{
    const struct sweep_files_metric *x = &f->metrics[m];
    const char *headers[2 + SWEEP_FILES_MAX_KEYS + 1];
    char align[2 + SWEEP_FILES_MAX_KEYS + 2] = "r", unit[160], cap[256];
    double scale;
    size_t col = 1;
    sweep_files_scale(f, m, &scale, unit, sizeof unit);
    doc_heading(d, 2, "%s%s%s (%s)", capital(x->label, cap, sizeof cap), *x->where ? " in " : "",
                x->where, unit);
    headers[0] = "point";
    for (size_t k = 0; k < f->n_keys && k < SWEEP_FILES_MAX_KEYS; k++)
        headers[col] = f->keys[k].label, align[col++] = 'l';
    headers[col] = "mean", align[col++] = 'r';
    headers[col] = "95% interval", align[col++] = 'r';
    align[col] = '\0';
    doc_table_begin(d, col, headers, align);
    for (size_t p = 0; p < f->n_points; p++) {
        const struct sweep_files_point *pt = &f->points[p];
        char a[48], b[48];
        doc_cell(d, "%zu", p);
        for (size_t k = 0; k < f->n_keys; k++)
            doc_cell(d, "%s", pt->values[k]);
        doc_cell(d, "%s", number(f, m, pt->mean[m], a, sizeof a));
        if (isfinite(pt->lo[m]))
            doc_cell(d, "%s to %s", number(f, m, pt->lo[m], a, sizeof a),
                     number(f, m, pt->hi[m], b, sizeof b));
        else
            doc_cell(d, "-");
    }
    doc_table_end(d);
}

/* What the reader must keep in mind, in small print (the scenario's
 * warnings, which can be long, are counted here, listed in the appendix). */
static void caveats(struct doc *d, const struct sweep_files *f)
{
    doc_para_begin(d, DOC_NOTE);
    doc_strong(d, "Caveats.");
    doc_text(d,
             " All points ran the same %u replication%s with the same seed (common random "
             "numbers): they differ by their keys, not their draws. Intervals are the model's "
             "randomness only, not the uncertainty of its assumptions.",
             f->replications, f->replications == 1 ? "" : "s");
    if (f->replications < 2)
        doc_text(d, " One replication a point: no intervals, so a small difference may be noise; "
                    "run --replications 5 or more to judge it.");
    doc_text(d, " Only the grid's values were run; \"flattens\" means each later step moves the "
                "metric by less than a tenth of its range.");
    if (f->n_warnings)
        doc_text(d, " The scenario has %zu warning%s (appendix).", f->n_warnings,
                 f->n_warnings == 1 ? "" : "s");
    doc_para_end(d);
}

/* The scenario's warnings, whole. */
static void warnings(struct doc *d, const struct sweep_files *f)
{
    if (!f->n_warnings)
        return;
    doc_heading(d, 2, "The scenario's warnings");
    for (size_t i = 0; i < f->n_warnings; i++) {
        doc_item_begin(d);
        doc_text(d, "%s", f->warnings[i]);
        doc_para_end(d);
    }
}

/* The memo page: the grid in a sentence, the bottom line, a bullet per
 * charted metric, the charts, the caveats. -1: out of memory. */
static int memo(const char *dir, struct doc *d, const struct sweep_files *f)
{
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Scenario %s at %zu points", f->scenario, f->n_points);
    for (size_t k = 0; k < f->n_keys; k++) {
        doc_text(d, "%s%s ", k ? "; " : ": ", f->keys[k].label);
        for (size_t i = 0; i < f->keys[k].n_values; i++)
            doc_text(d, "%s%s", i ? ", " : "", f->keys[k].values[i]);
    }
    doc_text(d, "; each the mean of %u replication%s.", f->replications,
             f->replications == 1 ? "" : "s");
    doc_para_end(d);
    struct verdict *v = calloc(f->n_metrics + 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t m = 0; m < f->n_metrics; m++)
        judge(dir, f, m, &v[m]);
    bottom_line(d, f, v);
    for (size_t m = 0; m < f->n_metrics; m++)
        if (f->metrics[m].charted)
            answer(d, f, m, &v[m]);
    free(v);
    for (size_t m = 0; m < f->n_metrics; m++) {
        const struct sweep_files_metric *x = &f->metrics[m];
        char chart[600], a[160];
        if (!x->charted)
            continue;
        snprintf(chart, sizeof chart, "sweep-%s", x->name);
        doc_figure(d, chart, "%s%s%s by %s: the mean at each point%s%s.",
                   capital(x->label, a, sizeof a), *x->where ? " in " : "", x->where,
                   f->keys[0].label, f->replications > 1 ? " with its 95% interval" : "",
                   f->n_keys > 1 ? ", one line per value of the other keys" : "");
    }
    caveats(d, f);
    return 0;
}

/* The appendix: the points at a glance (grids up to MEMO_ROWS points),
 * then each listed metric at every point with its interval. */
static void appendix(struct doc *d, const struct sweep_files *f)
{
    doc_heading(d, 1, "Appendix: every point");
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Each listed metric at every point: the mean and its 95%% interval (none with one "
                "replication). Each point's own outputs are in ");
    doc_code(d, "points/POINT/");
    doc_text(d, " (summary.json, timeseries.csv, replications.csv); every metric of every point "
                "is in ");
    doc_code(d, "sweep.csv");
    doc_text(d, ". To repeat a point: ");
    doc_code(d, "pilotsim run DIR/scenario.yaml --set KEY=VALUE ...");
    doc_text(d, ".");
    doc_para_end(d);
    if (f->n_points <= MEMO_ROWS) {
        doc_heading(d, 2, "The charted metrics at a glance");
        table(d, f);
    }
    for (size_t m = 0; m < f->n_metrics; m++)
        metric_table(d, f, m);
}

/* The provenance footer, from the directory's own record (run.provenance);
 * a directory without one (written before provenance existed) says so. */
static void footer(const char *dir, struct doc *d)
{
    char line[512];
    provenance_footer(dir, line, sizeof line);
    doc_footer(d, "%s", line);
}

int sweep_report_build(const char *dir, struct doc *d, FILE *err)
{
    struct sweep_files f;
    if (sweep_files_read(dir, &f, err) < 0) {
        sweep_files_destroy(&f);
        return -1;
    }
    doc_title(d, "Sweep of %s", f.scenario);
    char keys[1024] = "";
    for (size_t k = 0; k < f.n_keys; k++) {
        size_t n = strlen(keys);
        snprintf(keys + n, sizeof keys - n, "%s%s",
                 k == 0              ? ""
                 : k + 1 == f.n_keys ? " and "
                                     : ", ",
                 f.keys[k].label);
    }
    doc_heading(d, 1, "How the results respond to %s", keys);
    int rc = memo(dir, d, &f);
    if (rc < 0)
        fprintf(err, "pilotsim: out of memory\n");
    doc_page_end(d);
    appendix(d, &f);
    warnings(d, &f);
    footer(dir, d);
    sweep_files_destroy(&f);
    return rc < 0 || doc_failed(d) ? -1 : 0;
}

int sweep_report_write(const char *dir, FILE *err)
{
    struct doc *d = doc_new("Sweep");
    int rc = d ? sweep_report_build(dir, d, err) : -1;
    if (!d)
        fprintf(err, "pilotsim: out of memory\n");
    if (rc == 0)
        rc = doc_write_html(d, dir, err);
    doc_free(d);
    return rc;
}
