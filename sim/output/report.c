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

#define SCHEMA_VERSION 1

/* ---- atomic files ---- */

/* Write dir/name through fn into a temporary file, then rename it into
 * place. The temporary is a fresh name made exclusively (outdir_tmp), so a
 * link or a stale file in its place is never followed or truncated, and
 * two writers never share one. */
int report_atomic(const char *dir, const char *name, report_write_fn fn, const void *ctx,
                  FILE *err) {
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

int report_mkdir(const char *dir, FILE *err) {
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

const char *report_stem(const char *path, size_t *len) {
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

void report_time(const struct scenario *s, double t, char buf[32]) {
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

void report_json_string(FILE *f, const char *s) {
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
void report_json_warnings(FILE *f, const struct warnings *w) {
    fputc('[', f);
    for (size_t i = 0; i < w->n; i++) {
        fputs(i ? ", " : "", f);
        report_json_string(f, w->lines[i]);
    }
    fputc(']', f);
}

static void json_number(FILE *f, double x) {
    if (isfinite(x))
        fprintf(f, "%.10g", x);
    else
        fputs("null", f);
}

static void json_latency(FILE *f, const struct hist *h) {
    static const struct { const char *name; double q; } qs[] = {
        {"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}, {"p9999", 0.9999}};
    fputs("{", f);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        fprintf(f, "\"%s\": ", qs[i].name);
        json_number(f, hist_quantile(h, qs[i].q) * 1e3);
        fputs(", ", f);
    }
    fputs("\"max\": ", f);
    json_number(f, hist_max(h) * 1e3);
    fputs("}", f);
}

struct summary_ctx {
    const struct scenario *s;
    const struct model_result *r;
    const struct run_info *info;
};

static void summary_run(FILE *f, const struct summary_ctx *c) {
    double wall = c->info->wall_s > 0 ? c->info->wall_s : 1e-9;
    fputs("  \"run\": {\"version\": ", f);
    report_json_string(f, c->info->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, c->info->started_at);
    fputs(", \"wall_s\": ", f);
    json_number(f, c->info->wall_s);
    fputs(", \"events_per_s\": ", f);
    json_number(f, (double)c->r->events / wall);
    fputs(", \"payments_per_s\": ", f);
    json_number(f, (double)c->r->payments / wall);
    fputs(", \"host\": ", f);
    report_json_string(f, c->info->host);
    fputs("},\n", f);
}

/* An int64 field, by name, inside an object being written. */
static void json_count(FILE *f, const char *name, int64_t v) {
    fprintf(f, ", \"%s\": %lld", name, (long long)v);
}

static void json_real(FILE *f, const char *name, double v) {
    fprintf(f, ", \"%s\": ", name);
    json_number(f, v);
}

static void summary_cities(FILE *f, const struct summary_ctx *c) {
    fputs("  \"cities\": {\n", f);
    for (size_t i = 0; i < c->s->n_cities; i++) {
        const struct city_result *cr = &c->r->cities[i];
        fputs("    ", f);
        report_json_string(f, c->s->cities[i].id);
        fputs(": {\"name\": ", f);
        report_json_string(f, c->s->cities[i].name);
        json_count(f, "population", cr->population);
        json_count(f, "wallets", cr->wallets);
        json_count(f, "active_users", cr->active_users);
        json_real(f, "adoption", cr->adoption);
        json_count(f, "merchants_accepting", cr->merchants_accepting);
        json_count(f, "payments", cr->payments);
        json_count(f, "payments_failed", cr->payments_failed);
        json_count(f, "payments_in_flight", cr->payments_in_flight);
        json_count(f, "payments_refused", cr->payments_refused);
        fprintf(f, ", \"refused\": {\"balance\": %lld, \"per_payment\": %lld, \"per_day\": %lld}",
                (long long)cr->refused_balance, (long long)cr->refused_per_payment,
                (long long)cr->refused_per_day);
        json_count(f, "payments_offline", cr->payments_offline);
        json_count(f, "transfers", cr->transfers);
        json_count(f, "value_fen", cr->value_fen);
        json_real(f, "ecny_share", cr->ecny_share);
        json_count(f, "circulation_fen", cr->circulation_fen);
        json_real(f, "tps_mean", cr->tps_mean);
        json_real(f, "tps_peak", cr->tps_peak);
        fputs(", \"latency_ms\": ", f);
        json_latency(f, cr->latency);
        fputs(i + 1 < c->s->n_cities ? "},\n" : "}\n", f);
    }
    fputs("  },\n", f);
}

/* One object per intervention: id, kind, city (or "all"), then the outcomes
 * that apply to its kind. */
static void summary_interventions(FILE *f, const struct summary_ctx *c) {
    fputs("  \"interventions\": [", f);
    for (size_t i = 0; i < c->s->n_interventions; i++) {
        const struct intervention *iv = &c->s->interventions[i];
        const char *o = (const char *)&c->r->interventions[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        report_json_string(f, iv->id);
        fputs(", \"kind\": ", f);
        report_json_string(f, scenario_kind_name(iv->kind));
        fputs(", \"city\": ", f);
        report_json_string(f, iv->city >= 0 ? c->s->cities[iv->city].id : "all");
        size_t n;
        const struct outcome_field *fields = model_outcomes(iv->kind, &n);
        for (size_t k = 0; k < n; k++) {
            int64_t v;
            memcpy(&v, o + fields[k].offset, sizeof v);
            json_count(f, fields[k].name, v);
        }
        fputs("}", f);
    }
    fputs(c->s->n_interventions ? "\n  ],\n" : "],\n", f);
}

static int summary_write(FILE *f, const void *ctx) {
    const struct summary_ctx *c = ctx;
    const struct model_result *r = c->r;
    char start[32];
    report_time(c->s, 0, start);
    fprintf(f, "{\n  \"schema_version\": %d,\n  \"scenario\": ", SCHEMA_VERSION);
    report_json_string(f, c->s->name);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"rng\": ", (unsigned long long)c->s->seed);
    report_json_string(f, rng_name());
    fprintf(f, ",\n  \"start\": \"%s\",\n  \"horizon\": ", start);
    json_number(f, c->s->duration_s);
    fprintf(f, ",\n  \"complete\": %s,\n  \"events\": %llu,\n  \"sample\": ",
            r->complete ? "true" : "false", (unsigned long long)r->events);
    json_number(f, c->s->sample);
    fprintf(f, ",\n  \"latency_exact\": %s,\n  \"warnings\": ", r->latency_exact ? "true" : "false");
    report_json_warnings(f, &c->s->warnings);
    fputs(",\n", f);
    summary_run(f, c);
    summary_cities(f, c);
    summary_interventions(f, c);
    fprintf(f, "  \"money\": {\"issued_fen\": %lld, \"redeemed_fen\": %lld, \"reclaimed_fen\": %lld, "
               "\"circulation_fen\": %lld, \"wallets_fen\": %lld}\n}\n",
            (long long)r->money.issued_fen, (long long)r->money.redeemed_fen,
            (long long)r->money.reclaimed_fen, (long long)r->money.circulation_fen,
            (long long)r->money.wallets_fen);
    return 0;
}

/* ---- CSV ---- */

/* RFC 4180: quote a field when it holds a comma, quote or line break. */
void report_csv_field(FILE *f, const char *s) {
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

static int timeseries_write(FILE *f, const void *ctx) {
    const struct summary_ctx *c = ctx;
    fputs("time,city", f);
    for (size_t k = 0; k < CATALOG_N_COLUMNS; k++)
        fprintf(f, ",%s", catalog_columns[k].name);
    fputc('\n', f);
    for (size_t i = 0; i < c->r->series.n_rows; i++) {
        const struct ts_row *w = &c->r->series.rows[i];
        char when[32];
        report_time(c->s, w->time_s, when);
        fprintf(f, "%s,", when);
        report_csv_field(f, c->s->cities[w->city].id);
        for (size_t k = 0; k < CATALOG_N_COLUMNS; k++) {
            const char *at = (const char *)w + catalog_columns[k].offset;
            int64_t n;
            double x;
            switch (catalog_columns[k].type) {
            case CATALOG_COUNT:
                memcpy(&n, at, sizeof n);
                fprintf(f, ",%lld", (long long)n);
                break;
            case CATALOG_SHARE:
                memcpy(&x, at, sizeof x);
                fprintf(f, ",%.8g", x);
                break;
            case CATALOG_RATE:
                memcpy(&x, at, sizeof x);
                fprintf(f, ",%.6g", x);
                break;
            case CATALOG_LATENCY:   /* a single run writes "none" as 0 (docs/outputs.md) */
                memcpy(&x, at, sizeof x);
                fprintf(f, ",%.6g", isfinite(x) ? x : 0.0);
                break;
            }
        }
        fputc('\n', f);
    }
    return 0;
}

static int scenario_file_write(FILE *f, const void *ctx) {
    return scenario_write(ctx, f);
}

int report_write(const char *dir, const struct scenario *s, const struct model_result *r,
                 const struct run_info *info, FILE *err) {
    struct summary_ctx c = {s, r, info};
    if (report_mkdir(dir, err) < 0)
        return -1;
    if (report_atomic(dir, "scenario.yaml", scenario_file_write, s, err) < 0 ||
        report_atomic(dir, "timeseries.csv", timeseries_write, &c, err) < 0 ||
        report_atomic(dir, "summary.json", summary_write, &c, err) < 0)
        return -1;
    return 0;
}

/* ---- replicated runs (R > 1) ----
 *
 * The same files as a single run, written from an outcome_summary instead
 * of a model_result: each metric a {mean, sd, ci_lo, ci_hi} object in
 * summary.json, interval columns appended to timeseries.csv, and every
 * replication's values in replications.csv. Numbers use one rule
 * throughout (report_csv_number), so equal values print equal bytes. */

/* Whole numbers (counts, and means of constant metrics) print exactly, as
 * integers do in a single run; others with 10 significant digits, more than
 * any interval here resolves. */
void report_csv_number(FILE *f, double x) {
    if (!isfinite(x))
        return;
    if (x == floor(x) && fabs(x) < 9007199254740992.0)   /* 2^53: exact as an integer */
        fprintf(f, "%.0f", x);
    else
        fprintf(f, "%.10g", x);
}

/* The same rule for JSON, where a missing number is null. */
static void json_value(FILE *f, double x) {
    if (isfinite(x))
        report_csv_number(f, x);
    else
        fputs("null", f);
}

/* A metric over the replications: {"mean", "sd", "ci_lo", "ci_hi"}. */
static void json_stat(FILE *f, const struct stats_summary *st) {
    fputs("{\"mean\": ", f);
    json_value(f, st->mean);
    fputs(", \"sd\": ", f);
    json_value(f, st->sd);
    fputs(", \"ci_lo\": ", f);
    json_value(f, st->lo);
    fputs(", \"ci_hi\": ", f);
    json_value(f, st->hi);
    fputs("}", f);
}

struct replicated_ctx {
    const struct scenario *s;
    const struct outcome_catalog *c;          /* names and places of the metrics */
    const struct outcome_summary *sum;        /* their summaries */
    const struct outcome *reps;               /* [sum->n_reps]: replications.csv */
    const struct run_info *info;              /* the run section */
    const struct report_precision *precision; /* NULL without --precision */
};

/* The metrics of one object (a section and owner), in catalog order; leaves
 * `a.b` are grouped into a nested object `a`. `first` says whether the
 * object already holds a key. */
static void json_leaves(FILE *f, const struct replicated_ctx *x, enum outcome_section sec,
                        size_t owner, int first) {
    const char *open = NULL;    /* the nested object being written, if any */
    size_t open_len = 0;
    for (size_t k = 0; k < x->c->n; k++) {
        const struct outcome_metric *m = &x->c->metrics[k];
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
        report_json_string(f, dot && open ? dot + 1 : m->leaf);
        fputs(": ", f);
        json_stat(f, &x->sum->scalars[k]);
        first = 0;
    }
    if (open)
        fputs("}", f);
}

/* The run section of a replicated run: the single run's keys (rates now
 * over every replication), the back end and each worker's share. */
static void replicated_run(FILE *f, const struct replicated_ctx *x) {
    const struct run_info *in = x->info;
    double wall = in->wall_s > 0 ? in->wall_s : 1e-9;
    fputs("  \"run\": {\"version\": ", f);
    report_json_string(f, in->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, in->started_at);
    fputs(", \"wall_s\": ", f);
    json_number(f, in->wall_s);
    fputs(", \"replications_per_s\": ", f);
    json_number(f, (double)x->sum->n_reps / wall);
    fputs(", \"events_per_s\": ", f);
    json_number(f, x->sum->events_total / wall);
    fputs(", \"payments_per_s\": ", f);
    json_number(f, x->sum->payments_sim / wall);
    fputs(", \"host\": ", f);
    report_json_string(f, in->host);
    fputs(", \"backend\": ", f);
    report_json_string(f, in->backend ? in->backend : "serial");
    fputs(", \"workers\": [", f);
    for (size_t w = 0; w < in->n_workers; w++) {
        fputs(w ? ", {\"host\": " : "{\"host\": ", f);
        report_json_string(f, in->workers[w].host);
        fprintf(f, ", \"replications\": %llu, \"busy_s\": ", (unsigned long long)in->workers[w].tasks);
        json_number(f, in->workers[w].busy_s);
        fputs("}", f);
    }
    fputs("]},\n", f);
}

/* summary.json for R > 1: the single run's layout, key for key, with
 * statistics objects for metrics, plus replications, confidence,
 * precision and total (docs/outputs.md). */
static int replicated_summary(FILE *f, const void *ctx) {
    const struct replicated_ctx *x = ctx;
    const struct scenario *s = x->s;
    char start[32];
    report_time(s, 0, start);
    fprintf(f, "{\n  \"schema_version\": %d,\n  \"scenario\": ", SCHEMA_VERSION);
    report_json_string(f, s->name);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"rng\": ", (unsigned long long)s->seed);
    report_json_string(f, rng_name());
    fprintf(f, ",\n  \"start\": \"%s\",\n  \"horizon\": ", start);
    json_number(f, s->duration_s);
    fprintf(f, ",\n  \"complete\": %s,\n  \"events\": ", x->sum->complete ? "true" : "false");
    json_stat(f, &x->sum->scalars[0]);
    fputs(",\n  \"sample\": ", f);
    json_number(f, s->sample);
    fprintf(f, ",\n  \"latency_exact\": %s,\n  \"warnings\": ", s->sample == 1 ? "true" : "false");
    report_json_warnings(f, &s->warnings);
    fprintf(f, ",\n  \"replications\": %zu,\n  \"confidence\": %g,\n", x->sum->n_reps,
            STATS_LEVEL);
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
    replicated_run(f, x);
    int64_t pop = 0;
    for (size_t i = 0; i < s->n_cities; i++)
        pop += s->cities[i].population;
    fprintf(f, "  \"total\": {\"population\": %lld", (long long)pop);
    json_leaves(f, x, OUTCOME_TOTAL, 0, 0);
    fputs("},\n  \"cities\": {\n", f);
    for (size_t i = 0; i < s->n_cities; i++) {
        fputs("    ", f);
        report_json_string(f, s->cities[i].id);
        fputs(": {\"name\": ", f);
        report_json_string(f, s->cities[i].name);
        fprintf(f, ", \"population\": %lld", (long long)s->cities[i].population);
        json_leaves(f, x, OUTCOME_CITY, i, 0);
        fputs(i + 1 < s->n_cities ? "},\n" : "}\n", f);
    }
    fputs("  },\n  \"interventions\": [", f);
    for (size_t i = 0; i < s->n_interventions; i++) {
        const struct intervention *iv = &s->interventions[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        report_json_string(f, iv->id);
        fprintf(f, ", \"kind\": \"%s\", \"city\": ", scenario_kind_name(iv->kind));
        report_json_string(f, iv->city >= 0 ? s->cities[iv->city].id : "all");
        json_leaves(f, x, OUTCOME_INTERVENTION, i, 0);
        fputs("}", f);
    }
    fputs(s->n_interventions ? "\n  ],\n  \"money\": {" : "],\n  \"money\": {", f);
    json_leaves(f, x, OUTCOME_MONEY, 0, 1);
    fputs("}\n}\n", f);
    return 0;
}

/* timeseries.csv: the columns of a single run (now means), then each
 * column's interval bounds. */
static int replicated_timeseries(FILE *f, const void *ctx) {
    const struct replicated_ctx *x = ctx;
    fputs("time,city", f);
    for (size_t j = 0; j < OUTCOME_COLS; j++)
        fprintf(f, ",%s", outcome_series_column(j));
    for (size_t j = 0; j < OUTCOME_COLS; j++)
        fprintf(f, ",%s_ci_lo,%s_ci_hi", outcome_series_column(j), outcome_series_column(j));
    fputc('\n', f);
    for (size_t r = 0; r < x->sum->n_rows; r++) {
        const struct stats_summary *v = &x->sum->series[r * OUTCOME_COLS];
        char when[32];
        report_time(x->s, x->sum->row_time[r], when);
        fprintf(f, "%s,", when);
        report_csv_field(f, x->s->cities[x->sum->row_city[r]].id);
        for (size_t j = 0; j < OUTCOME_COLS; j++) {
            fputc(',', f);
            report_csv_number(f, v[j].mean);
        }
        for (size_t j = 0; j < OUTCOME_COLS; j++) {
            fputc(',', f);
            report_csv_number(f, v[j].lo);
            fputc(',', f);
            report_csv_number(f, v[j].hi);
        }
        fputc('\n', f);
    }
    return 0;
}

/* replications.csv: one row per replication, one column per metric. */
static int replications_write(FILE *f, const void *ctx) {
    const struct replicated_ctx *x = ctx;
    fputs("replication", f);
    for (size_t k = 0; k < x->c->n; k++) {
        fputc(',', f);
        report_csv_field(f, x->c->metrics[k].name);
    }
    fputc('\n', f);
    for (size_t r = 0; r < x->sum->n_reps; r++) {
        fprintf(f, "%zu", r);
        for (size_t k = 0; k < x->c->n; k++) {
            fputc(',', f);
            report_csv_number(f, outcome_scalar(&x->reps[r], k));
        }
        fputc('\n', f);
    }
    return 0;
}

/* summary.json goes last, as in a single run: its presence says the
 * directory is complete. */
int report_write_replicated(const char *dir, const struct scenario *s,
                            const struct outcome_catalog *c, const struct outcome_summary *sum,
                            const struct outcome *reps, const struct run_info *info,
                            const struct report_precision *precision, FILE *err) {
    struct replicated_ctx x = {s, c, sum, reps, info, precision};
    if (sum->n_scalars != c->n) {
        fprintf(err, "pilotsim: internal error: %zu metrics for a catalog of %zu\n",
                sum->n_scalars, c->n);
        return -1;
    }
    if (report_mkdir(dir, err) < 0)
        return -1;
    if (report_atomic(dir, "scenario.yaml", scenario_file_write, s, err) < 0 ||
        report_atomic(dir, "replications.csv", replications_write, &x, err) < 0 ||
        report_atomic(dir, "timeseries.csv", replicated_timeseries, &x, err) < 0 ||
        report_atomic(dir, "summary.json", replicated_summary, &x, err) < 0)
        return -1;
    return 0;
}
