/* calibrate.c: a scenario evaluated against targets, and the two files
 * that say how close it comes (see calibrate.h and docs/calibration.md).
 *
 * Numbers in calibrate.json follow the replicated outputs' one rule
 * (report_csv_number: whole numbers exactly, others with 10 significant
 * digits; null for NaN); calibrate.md rounds for reading. */
#include "experiment/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* One target: what was observed, what the model gives, how far apart. */
static void json_target(FILE *f, const struct target *t, const struct evaluation_target *e)
{
    char tol[64];
    fputs("    {\"id\": ", f);
    report_json_string(f, t->id);
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
    fprintf(f, ",\n  \"evaluations\": %zu\n}\n", r->evaluations);
    return ferror(f) ? -1 : 0;
}

/* ---- calibrate.md ---- */

/* digits[0..n) (no sign) into buf with a comma every three from the right. */
static char *group(char *buf, size_t size, int negative, const char *digits, size_t n)
{
    size_t o = 0;
    if (negative && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* x for reading: four significant digits, thousands separated by commas
 * from 10,000 up (34,500,000,000), "-" when not a number. */
static char *fmt(char *buf, size_t size, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (fabs(x) < 1e4) {
        snprintf(buf, size, "%.4g", x);
        return buf;
    }
    /* Four significant digits from printf's rounding ("3.450e+10"), then
     * the zeros up to the exponent: no libm on an output. */
    char e[40], digits[40];
    snprintf(e, sizeof e, "%.3e", fabs(x));
    int exp10 = atoi(strchr(e, 'e') + 1);
    size_t n = 0;
    for (const char *p = e; *p != 'e'; p++)
        if (*p != '.')
            digits[n++] = *p;
    while ((int)n < exp10 + 1 && n + 1 < sizeof digits)
        digits[n++] = '0';
    return group(buf, size, x < 0, digits, n);
}

/* An observed figure as written: whole from 10,000 up (87,565,000,000),
 * else up to 10 significant digits (0.95628). */
static char *fmt_observed(char *buf, size_t size, double x)
{
    char digits[48];
    if (!isfinite(x) || fabs(x) < 1e4 || fabs(x) >= 1e30) {
        snprintf(buf, size, "%.10g", x);
        return buf;
    }
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    return group(buf, size, x < 0, digits, strlen(digits));
}

/* A table cell: `|` would end the cell early. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void md_row(FILE *f, const struct target *t, const struct evaluation_target *e)
{
    char a[48], b[48], c[48], tol[64];
    fputs("| ", f);
    md_cell(f, t->id);
    fprintf(f, " | %s | %s%s | ", targets_role_name(t->role), fmt_observed(a, sizeof a, t->value),
            t->yuan ? " yuan" : "");
    if (e->within < 0)
        fputs("- | ", f);
    else if (isfinite(e->ci_lo))
        fprintf(f, "%s (%s to %s) | ", fmt(a, sizeof a, e->mean), fmt(b, sizeof b, e->ci_lo),
                fmt(c, sizeof c, e->ci_hi));
    else
        fprintf(f, "%s | ", fmt(a, sizeof a, e->mean));
    fprintf(f, "%s | ", targets_tolerance_text(t, tol, sizeof tol));
    if (e->within < 0) {
        fputs("n/a: ", f);
        md_cell(f, e->why[0] ? e->why : "not measured");
    } else {
        fprintf(f, "%s (%+.2f)", e->within ? "yes" : "no", e->error);
    }
    fputs(" |\n", f);
}

/* Counts of targets of a role: within, measured, all. */
static void count(const struct calibrate_result *r, int role, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < r->t->n; i++)
        if (r->t->items[i].role == role) {
            n[0] += r->e->targets[i].within == 1;
            n[1] += r->e->targets[i].within >= 0;
            n[2]++;
        }
}

static int write_md(FILE *f, const void *ctx)
{
    const struct calibrate_result *r = ctx;
    size_t fit[3], chk[3];
    char a[48];
    count(r, TARGETS_FIT, fit);
    count(r, TARGETS_CHECK, chk);
    fputs("# Calibration: ", f);
    md_cell(f, r->s->name);
    fprintf(f,
            "\n\nScenario `%s` against `%s`: %u replications (seed %llu), each target's\n"
            "model mean with its 95%% interval. Fit targets within tolerance: %zu of %zu\n"
            "measured (%zu in the file); check targets: %zu of %zu measured (%zu).\n"
            "Objective (sum of squared errors in tolerances over fit targets): %s.\n\n",
            r->s->path, r->t->file, (unsigned)r->e->replications, (unsigned long long)r->s->seed,
            fit[0], fit[1], fit[2], chk[0], chk[1], chk[2], fmt(a, sizeof a, r->objective));
    fputs("| target | role | observed | model mean (95% interval) | tolerance | within "
          "(error) |\n|---|---|---|---|---|---|\n",
          f);
    for (size_t i = 0; i < r->t->n; i++)
        md_row(f, &r->t->items[i], &r->e->targets[i]);
    return ferror(f) ? -1 : 0;
}

int calibrate_write(const char *dir, const struct calibrate_result *r, FILE *err)
{
    if (report_mkdir(dir, err) < 0 || report_atomic(dir, "calibrate.json", write_json, r, err) < 0)
        return -1;
    return report_atomic(dir, "calibrate.md", write_md, r, err);
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
    struct calibrate_result r = {s, t, &e, evaluate_objective(t, &e), 1, NULL, 0};
    int rc = calibrate_write(o->out_dir, &r, err);
    evaluate_destroy(&e);
    return rc == 0 ? EXPERIMENT_OK : EXPERIMENT_FAILED;
}
