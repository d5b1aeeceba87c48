/* calibrate.c: a scenario evaluated against targets, and the two files
 * that say how close it comes (see calibrate.h and docs/calibration.md).
 *
 * Numbers in calibrate.json follow the replicated outputs' one rule
 * (report_csv_number: whole numbers exactly, others with 10 significant
 * digits; null for NaN); calibrate.md and report.html, built from it
 * (calibrate_report.h), round for reading. */
#include "experiment/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "experiment/calibrate_report.h"
#include "output/report.h"

/* A JSON number, null when not finite. */
static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        report_csv_number(f, x);
    else
        fputs("null", f);
}

static void json_fitted(FILE *f, const struct calibrate_result *r)
{
    fputs("  \"fitted\": {", f);
    for (size_t i = 0; i < r->n_fitted; i++) {
        const struct calibrate_fitted *k = &r->fitted[i];
        fputs(i ? ",\n    " : "\n    ", f);
        report_json_string(f, k->key);
        fputs(": {\"value\": ", f);
        json_num(f, k->value);
        fputs(", \"ci_lo\": ", f);
        json_num(f, k->ci_lo);
        fputs(", \"ci_hi\": ", f);
        json_num(f, k->ci_hi);
        fprintf(f, ", \"identified\": %s}", k->identified ? "true" : "false");
    }
    fputs(r->n_fitted ? "\n  },\n" : "},\n", f);
}

/* What a target measures, for people: "wallets in xiongan on 2020-06-29",
 * "payments in all cities, summed to 2021-06-30", or its path. */
static void measures(const struct target *t, char *buf, size_t size)
{
    if (!t->series) {
        snprintf(buf, size, "%s", t->path ? t->path : "");
        return;
    }
    char day[16];
    time_t at = (time_t)(t->at_unix + 8 * 3600); /* the day in Shanghai */
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    int total = !strcmp(t->city, "total");
    snprintf(buf, size, "%s in %s%s, %s %s", t->series, total ? "all cities" : "",
             total ? "" : t->city, t->cumulative ? "summed to" : "on", day);
}

/* One target: what was observed, what the model gives, how far apart. */
static void json_target(FILE *f, const struct target *t, const struct evaluation_target *e)
{
    char tol[64], what[256];
    measures(t, what, sizeof what);
    fputs("    {\"id\": ", f);
    report_json_string(f, t->id);
    fputs(", \"measures\": ", f);
    report_json_string(f, what);
    fprintf(f, ", \"role\": \"%s\", \"observed\": ", targets_role_name(t->role));
    json_num(f, t->value);
    fprintf(f, ", \"unit\": %s,\n     \"model\": {\"mean\": ", t->yuan ? "\"yuan\"" : "null");
    json_num(f, e->mean);
    fputs(", \"ci_lo\": ", f);
    json_num(f, e->ci_lo);
    fputs(", \"ci_hi\": ", f);
    json_num(f, e->ci_hi);
    fprintf(f, ", \"replications\": %zu},\n     \"tolerance\": ", e->n);
    report_json_string(f, targets_tolerance_text(t, tol, sizeof tol));
    fputs(", \"tolerance_value\": ", f);
    json_num(f, targets_tolerance_units(t));
    fputs(", \"error\": ", f);
    json_num(f, e->error);
    fprintf(f, ", \"within\": %s, \"not_applicable\": ",
            e->within < 0 ? "null"
            : e->within   ? "true"
                          : "false");
    if (e->within < 0)
        report_json_string(f, e->why[0] ? e->why : "not measured");
    else
        fputs("null", f);
    fputc('}', f);
}

static int write_json(FILE *f, const void *ctx)
{
    const struct calibrate_result *r = ctx;
    fputs("{\n  \"scenario\": ", f);
    report_json_string(f, r->s->name);
    fputs(",\n  \"scenario_file\": ", f);
    report_json_string(f, r->s->path);
    fputs(",\n  \"targets_file\": ", f);
    report_json_string(f, r->t->file);
    fprintf(f, ",\n  \"seed\": %llu,\n  \"replications\": %u,\n", (unsigned long long)r->s->seed,
            (unsigned)r->e->replications);
    json_fitted(f, r);
    fputs("  \"targets\": [", f);
    for (size_t i = 0; i < r->t->n; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_target(f, &r->t->items[i], &r->e->targets[i]);
    }
    fputs(r->t->n ? "\n  ],\n  \"objective\": " : "],\n  \"objective\": ", f);
    json_num(f, r->objective);
    fprintf(f, ",\n  \"evaluations\": %zu", r->evaluations);
    /* run: what may differ between two calibrations of one seed. */
    if (r->provenance) {
        fputs(",\n  \"run\": {\"provenance\": ", f);
        provenance_json(f, r->provenance);
        fputs("}", f);
    }
    fputs("\n}\n", f);
    return ferror(f) ? -1 : 0;
}

int calibrate_write(const char *dir, const struct calibrate_result *r, FILE *err)
{
    if (report_mkdir(dir, err) < 0)
        return -1;
    return report_atomic(dir, "calibrate.json", write_json, r, err);
}

enum experiment_status calibrate_evaluate(const struct scenario *s, const struct targets *t,
                                          const struct run_options *o, FILE *err)
{
    struct evaluation e;
    char why[512];
    unsigned reps = o->replications ? o->replications : CALIBRATE_DEFAULT_REPS;
    if (evaluate_run_shown(s, t, reps, o->jobs, o->quiet, &e, why, sizeof why) < 0) {
        fprintf(err, "pilotsim: calibrate: %s\n", why);
        return EXPERIMENT_FAILED;
    }
    if (!e.leader) /* an MPI rank that served: rank 0 writes */
        return EXPERIMENT_OK;
    /* The hash of the scenario evaluated (calibrate writes no scenario.yaml). */
    struct provenance prov = {0};
    if (o->provenance) {
        prov = *o->provenance;
        report_scenario_hash(s, &prov);
    }
    struct calibrate_result r = {s, t,    &e, evaluate_objective(t, &e),
                                 1, NULL, 0,  o->provenance ? &prov : NULL};
    int rc = calibrate_write(o->out_dir, &r, err);
    if (rc == 0)
        rc = calibrate_report_write(o->out_dir, err);
    evaluate_destroy(&e);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
