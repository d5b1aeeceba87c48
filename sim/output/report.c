/* report: summary.json, timeseries.csv and scenario.yaml, written atomically. */
#include "output/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output/outdir.h"
#include "kernel/rng.h"
#include "metrics/stats.h"

#define SCHEMA_VERSION 2 /* 2: one shape at any R (docs/outputs.md) */

/* ---- atomic files ---- */

/* Write dir/name through fn into a temporary file, then rename it into
 * place. The temporary is a fresh name made exclusively (outdir_tmp), so a
 * link or a stale file in its place is never followed or truncated, and
 * two writers never share one. */
int report_atomic(const char *dir, const char *name, report_write_fn fn, const void *ctx, FILE *err)
{
    char path[4096], tmp[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(err, "pilotsim: %s/%s: path too long\n", dir, name);
        return -1;
    }
    int fd = outdir_tmp(dir, name, tmp, sizeof tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(err, "pilotsim: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return -1;
    }
    int failed = fn(f, ctx) < 0;
    failed |= ferror(f) != 0;
    int saved = errno;
    failed |= fclose(f) != 0;
    outdir_note(path);
    if (failed || rename(tmp, path) != 0) {
        fprintf(err, "pilotsim: cannot write %s: %s\n", path, strerror(errno ? errno : saved));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int report_mkdir(const char *dir, FILE *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        fprintf(err, "pilotsim: %s: path too long\n", dir);
        return -1;
    }
    /* mkdir -p: create each prefix in turn; an interruption removes the
     * folders made here (outdir_note_dir). */
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) == 0)
                outdir_note_dir(buf);
            else if (errno != EEXIST) {
                fprintf(err, "pilotsim: cannot create %s: %s\n", buf, strerror(errno));
                return -1;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(err, "pilotsim: %s: not a directory\n", dir);
        return -1;
    }
    return 0;
}

const char *report_stem(const char *path, size_t *len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    *len = n;
    return base;
}

void report_time(const struct scenario *s, double t, char buf[32])
{
    double whole = floor(t);
    time_t local = (time_t)(s->start_unix + 8 * 3600 + (int64_t)whole);
    struct tm tm;
    gmtime_r(&local, &tm);
    size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    int ms = (int)llround((t - whole) * 1000);
    if (ms > 0 && ms < 1000)
        n += (size_t)snprintf(buf + n, 32 - n, ".%03d", ms);
    snprintf(buf + n, 32 - n, "+08:00");
}

/* ---- JSON ---- */

void report_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* Doubles with a fixed precision, so equal values print the same bytes;
 * JSON has no NaN or infinity: those become null. */
void report_json_warnings(FILE *f, const struct warnings *w)
{
    fputc('[', f);
    for (size_t i = 0; i < w->n; i++) {
        fputs(i ? ", " : "", f);
        report_json_string(f, w->lines[i]);
    }
    fputc(']', f);
}

static void json_number(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.10g", x);
    else
        fputs("null", f);
}

/* ---- CSV ---- */

/* RFC 4180: quote a field when it holds a comma, quote or line break. */
void report_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- the resolved scenario ---- */

struct text {
    char *bytes;
    size_t len;
};

/* s as scenario_write writes it, in memory. 0 or -1. */
static int scenario_text(const struct scenario *s, struct text *t)
{
    t->bytes = NULL;
    t->len = 0;
    FILE *f = open_memstream(&t->bytes, &t->len);
    if (!f)
        return -1;
    int rc = scenario_write(s, f);
    rc |= ferror(f) != 0;
    if (fclose(f) != 0 || rc) {
        free(t->bytes);
        t->bytes = NULL;
        return -1;
    }
    return 0;
}

static int text_write(FILE *f, const void *ctx)
{
    const struct text *t = ctx;
    return fwrite(t->bytes, 1, t->len, f) == t->len ? 0 : -1;
}

int report_scenario_hash(const struct scenario *s, struct provenance *p)
{
    struct text t;
    if (scenario_text(s, &t) < 0)
        return -1;
    provenance_scenario(p, t.bytes, t.len);
    free(t.bytes);
    return 0;
}

/* One text for the file and the hash, so the two cannot differ. */
int report_scenario(const char *dir, const struct scenario *s, struct provenance *p, FILE *err)
{
    struct text t;
    if (scenario_text(s, &t) < 0) {
        fprintf(err, "pilotsim: out of memory writing %s/scenario.yaml\n", dir);
        return -1;
    }
    int rc = report_atomic(dir, "scenario.yaml", text_write, &t, err);
    if (rc == 0 && p)
        provenance_scenario(p, t.bytes, t.len);
    free(t.bytes);
    return rc;
}

/* ---- a run's files, for any R ----
 *
 * One writer for one run and for R replications, both read from outcomes
 * in catalog order (outcome.h). A single run prints each value as its
 * type says (counts exact, shares and rates with fixed digits, an undefined
 * latency as 0); R > 1 prints each metric's mean in its place, its sd
 * and 95% interval beside it (null in a single run: summary.json has one
 * shape at any R), appends interval columns to timeseries.csv and adds
 * replications.csv. Replicated numbers use one rule throughout
 * (report_csv_number), so equal values print equal bytes. */

/* Whole numbers (counts, and means of constant metrics) print exactly, as
 * integers do in a single run; others with 10 significant digits, more than
 * any interval here resolves. */
void report_csv_number(FILE *f, double x)
{
    if (!isfinite(x))
        return;
    if (x == floor(x) && fabs(x) < 9007199254740992.0) /* 2^53: exact as an integer */
        fprintf(f, "%.0f", x);
    else
        fprintf(f, "%.10g", x);
}

/* The same rule for JSON, where a missing number is null. */
static void json_value(FILE *f, double x)
{
    if (isfinite(x))
        report_csv_number(f, x);
    else
        fputs("null", f);
}

/* A single run's value of the given type: counts exact (below 2^53 as
 * doubles), others with 10 digits; an undefined latency (no payment) is 0,
 * as in timeseries.csv (docs/outputs.md). */
static void json_single(FILE *f, double x, enum catalog_type type)
{
    if (type == CATALOG_COUNT)
        fprintf(f, "%lld", (long long)x);
    else
        json_number(f, type == CATALOG_LATENCY && !isfinite(x) ? 0 : x);
}

/* Catalog entry k under `key`: one shape at any R (docs/outputs.md). The
 * value is a plain number, the single run's or the mean over the
 * replications, and beside it `key_sd`, `key_ci_lo` and `key_ci_hi`, null
 * with one replication, so that a script reads the same keys at any R. */
static void json_metric(FILE *f, const struct report_run *x, size_t k, const char *key, size_t len)
{
    static const char *const sibling[] = {"sd", "ci_lo", "ci_hi"};
    const struct stats_summary *st = x->n_reps > 1 ? &x->sum->scalars[k] : NULL;
    fprintf(f, "\"%.*s\": ", (int)len, key);
    if (st)
        json_value(f, st->mean);
    else
        json_single(f, outcome_scalar(&x->reps[0], k), x->catalog->entries[k].type);
    for (size_t i = 0; i < 3; i++) {
        fprintf(f, ", \"%.*s_%s\": ", (int)len, key, sibling[i]);
        if (st)
            json_value(f, i == 0 ? st->sd : i == 1 ? st->lo : st->hi);
        else
            fputs("null", f);
    }
}

/* The metrics of one object (a section and owner), in catalog order; leaves
 * `a.b` are grouped into a nested object `a`. `first` says whether the
 * object already holds a key. */
static void json_leaves(FILE *f, const struct report_run *x, enum catalog_section sec, size_t owner,
                        int first)
{
    const char *open = NULL; /* the nested object being written, if any */
    size_t open_len = 0;
    for (size_t k = 0; k < x->catalog->n; k++) {
        const struct catalog_entry *m = &x->catalog->entries[k];
        if (m->section != sec || m->owner != owner)
            continue;
        const char *dot = strchr(m->leaf, '.');
        size_t plen = dot ? (size_t)(dot - m->leaf) : 0;
        if (open && (!dot || plen != open_len || strncmp(open, m->leaf, plen) != 0)) {
            fputs("}", f);
            open = NULL;
        }
        fputs(first ? "" : ", ", f);
        first = 0;
        if (dot && !open) {
            fprintf(f, "\"%.*s\": {", (int)plen, m->leaf);
            open = m->leaf;
            open_len = plen;
        }
        const char *key = dot && open ? dot + 1 : m->leaf;
        json_metric(f, x, k, key, strlen(key));
    }
    if (open)
        fputs("}", f);
}

/* The run section: what depends on the machine or the moment. Rates are
 * over every replication; the back end and each worker's share at any R
 * (a single run is one serial worker, this process). */
static void json_run(FILE *f, const struct report_run *x)
{
    const struct run_info *in = x->info;
    double wall = in->wall_s > 0 ? in->wall_s : 1e-9, events = 0, payments = 0;
    for (size_t i = 0; i < x->n_reps; i++) {
        events += x->reps[i].values[0];
        payments += x->reps[i].payments_sim;
    }
    fputs("  \"run\": {\"version\": ", f);
    report_json_string(f, in->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, in->started_at);
    fputs(", \"wall_s\": ", f);
    json_number(f, in->wall_s);
    fputs(", \"replications_per_s\": ", f);
    json_number(f, (double)x->n_reps / wall);
    fputs(", \"events_per_s\": ", f);
    json_number(f, events / wall);
    fputs(", \"payments_per_s\": ", f);
    json_number(f, payments / wall);
    fputs(", \"host\": ", f);
    report_json_string(f, in->host);
    if (in->provenance) {
        fputs(", \"provenance\": ", f);
        provenance_json(f, in->provenance);
    }
    struct run_worker self = {.tasks = x->n_reps, .busy_s = in->wall_s};
    memcpy(self.host, in->host, sizeof self.host);
    const struct run_worker *workers = in->n_workers ? in->workers : &self;
    fputs(", \"backend\": ", f);
    report_json_string(f, in->backend ? in->backend : "serial");
    fputs(", \"workers\": [", f);
    for (size_t w = 0; w < (in->n_workers ? in->n_workers : 1); w++) {
        fputs(w ? ", {\"host\": " : "{\"host\": ", f);
        report_json_string(f, workers[w].host);
        fprintf(f, ", \"replications\": %llu, \"busy_s\": ", (unsigned long long)workers[w].tasks);
        json_number(f, workers[w].busy_s);
        fputs("}", f);
    }
    fputs("]},\n", f);
}

/* The keys before the run section: the scenario, its seed, the
 * replications and the intervals' confidence level (at any R), the
 * calendar, whether the run is complete, its events; --precision adds how
 * it went. */
static void json_head(FILE *f, const struct report_run *x)
{
    const struct scenario *s = x->s;
    char start[32];
    report_time(s, 0, start);
    int complete = 1;
    for (size_t i = 0; i < x->n_reps; i++)
        complete &= x->reps[i].complete;
    fprintf(f, "{\n  \"schema_version\": %d,\n  \"scenario\": ", SCHEMA_VERSION);
    report_json_string(f, s->name);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"replications\": %zu,\n  \"confidence\": %g,\n  \"rng\": ",
            (unsigned long long)s->seed, x->n_reps, STATS_LEVEL);
    report_json_string(f, rng_name());
    fprintf(f, ",\n  \"start\": \"%s\",\n  \"horizon\": ", start);
    json_number(f, s->duration_s);
    fprintf(f, ",\n  \"complete\": %s,\n  ", complete ? "true" : "false");
    json_metric(f, x, 0, "events", 6);
    fputs(",\n  \"sample\": ", f);
    json_number(f, s->sample);
    fprintf(f, ",\n  \"latency_exact\": %s,\n  \"warnings\": ", s->sample == 1 ? "true" : "false");
    report_json_warnings(f, &s->warnings);
    fputs(",\n", f);
    if (x->precision) {
        const struct report_precision *p = x->precision;
        fputs("  \"precision\": {\"target\": ", f);
        json_number(f, p->target);
        fputs(", \"metrics\": [", f);
        for (size_t i = 0; i < p->n_metrics; i++) {
            fputs(i ? ", " : "", f);
            report_json_string(f, p->metrics[i]);
        }
        fprintf(f, "], \"reached\": %s, \"max_replications\": %u},\n",
                p->reached ? "true" : "false", p->max_replications);
    }
}

/* summary.json: the head, the run section, the all-city totals, each
 * city, each intervention and the money (docs/outputs.md), in one shape
 * at any R. */
static int summary_write(FILE *f, const void *ctx)
{
    const struct report_run *x = ctx;
    const struct scenario *s = x->s;
    json_head(f, x);
    json_run(f, x);
    int64_t pop = 0;
    for (size_t i = 0; i < s->n_cities; i++)
        pop += s->cities[i].population;
    fprintf(f, "  \"total\": {\"population\": %lld", (long long)pop);
    json_leaves(f, x, CATALOG_TOTAL, 0, 0);
    fputs("},\n", f);
    fputs("  \"cities\": {\n", f);
    for (size_t i = 0; i < s->n_cities; i++) {
        fputs("    ", f);
        report_json_string(f, s->cities[i].id);
        fputs(": {\"name\": ", f);
        report_json_string(f, s->cities[i].name);
        fprintf(f, ", \"population\": %lld", (long long)s->cities[i].population);
        json_leaves(f, x, CATALOG_CITY, i, 0);
        fputs(i + 1 < s->n_cities ? "},\n" : "}\n", f);
    }
    fputs("  },\n  \"interventions\": [", f);
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        report_json_string(f, iv->id);
        fputs(", \"kind\": ", f);
        report_json_string(f, scenario_kind_name(iv->kind));
        fputs(", \"city\": ", f);
        report_json_string(f, iv->city >= 0 ? s->cities[iv->city].id : "all");
        json_leaves(f, x, CATALOG_INTERVENTION, i, 0);
        fputs("}", f);
    }
    fputs(s->n_interventions ? "\n  ],\n  \"money\": {" : "],\n  \"money\": {", f);
    json_leaves(f, x, CATALOG_MONEY, 0, 1);
    fputs("}\n}\n", f);
    return 0;
}

/* A single run's time-series value, as its type prints (docs/outputs.md):
 * a latency without payments is written as 0. */
static void csv_single(FILE *f, double x, enum catalog_type type)
{
    switch (type) {
    case CATALOG_COUNT:
        fprintf(f, ",%lld", (long long)x);
        break;
    case CATALOG_SHARE:
        fprintf(f, ",%.8g", x);
        break;
    case CATALOG_RATE:
        fprintf(f, ",%.6g", x);
        break;
    case CATALOG_LATENCY:
        fprintf(f, ",%.6g", isfinite(x) ? x : 0.0);
        break;
    }
}

/* One row's values: a single run's as they are; R's means, then each
 * column's interval bounds. */
static void csv_row(FILE *f, const struct report_run *x, size_t r,
                    const struct catalog_metric *const *col, size_t n_cols)
{
    if (x->n_reps == 1) {
        const double *v = outcome_row(&x->reps[0], r) + 2;
        for (size_t j = 0; j < n_cols; j++)
            csv_single(f, v[j], col[j]->type);
        return;
    }
    const struct stats_summary *v = &x->sum->series[r * n_cols];
    for (size_t j = 0; j < n_cols; j++) {
        fputc(',', f);
        report_csv_number(f, v[j].mean);
    }
    for (size_t j = 0; j < n_cols; j++) {
        fputc(',', f);
        report_csv_number(f, v[j].lo);
        fputc(',', f);
        report_csv_number(f, v[j].hi);
    }
}

/* timeseries.csv: time, city, the catalog's columns (R > 1: their means,
 * then each column's `_ci_lo` and `_ci_hi`). */
static int timeseries_write(FILE *f, const void *ctx)
{
    const struct report_run *x = ctx;
    size_t n_cols = x->reps[0].n_cols, n_rows = x->reps[0].n_rows;
    const struct catalog_metric **col = malloc((n_cols ? n_cols : 1) * sizeof *col);
    if (!col)
        return -1;
    fputs("time,city", f);
    for (size_t j = 0; j < n_cols; j++) {
        col[j] = catalog_column(j);
        fprintf(f, ",%s", col[j]->column);
    }
    for (size_t j = 0; x->n_reps > 1 && j < n_cols; j++)
        fprintf(f, ",%s_ci_lo,%s_ci_hi", col[j]->column, col[j]->column);
    fputc('\n', f);
    for (size_t r = 0; r < n_rows; r++) {
        const double *row = outcome_row(&x->reps[0], r);
        char when[32];
        report_time(x->s, row[0], when);
        fprintf(f, "%s,", when);
        report_csv_field(f, x->s->cities[(size_t)row[1]].id);
        csv_row(f, x, r, col, n_cols);
        fputc('\n', f);
    }
    free(col);
    return 0;
}

/* replications.csv: one row per replication, one column per metric. */
static int replications_write(FILE *f, const void *ctx)
{
    const struct report_run *x = ctx;
    fputs("replication", f);
    for (size_t k = 0; k < x->catalog->n; k++) {
        fputc(',', f);
        report_csv_field(f, x->catalog->entries[k].name);
    }
    fputc('\n', f);
    for (size_t r = 0; r < x->n_reps; r++) {
        fprintf(f, "%zu", r);
        for (size_t k = 0; k < x->catalog->n; k++) {
            fputc(',', f);
            report_csv_number(f, outcome_scalar(&x->reps[r], k));
        }
        fputc('\n', f);
    }
    return 0;
}

/* summary.json goes last: its presence says the directory is complete. */
int report_write(const char *dir, const struct report_run *run, FILE *err)
{
    if (run->n_reps == 0 || run->reps[0].n_scalars != run->catalog->n ||
        (run->n_reps > 1 && !run->sum)) {
        fprintf(err, "pilotsim: internal error: %zu metrics for a catalog of %zu\n",
                run->n_reps ? run->reps[0].n_scalars : 0, run->catalog->n);
        return -1;
    }
    if (report_mkdir(dir, err) < 0)
        return -1;
    /* The provenance on copies, to take this scenario's hash. */
    struct report_run x = *run;
    struct run_info info = *run->info;
    struct provenance prov;
    if (info.provenance) {
        prov = *info.provenance;
        info.provenance = &prov;
    }
    x.info = &info;
    run = &x;
    if (report_scenario(dir, run->s, info.provenance ? &prov : NULL, err) < 0 ||
        (run->n_reps > 1 &&
         report_atomic(dir, "replications.csv", replications_write, run, err) < 0) ||
        report_atomic(dir, "timeseries.csv", timeseries_write, run, err) < 0 ||
        report_atomic(dir, "summary.json", summary_write, run, err) < 0)
        return -1;
    return 0;
}
