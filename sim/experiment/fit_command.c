/* fit_command.c: calibrate --fit (see fit_command.h): the candidates as
 * scenarios, the objective that fit.c minimizes, the record of every
 * evaluation, and what the fit says on stderr. */
#include "experiment/fit_command.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/mpi_farm.h"
#include "output/progress.h"
#include "scenario/overlay.h"

struct objective { /* fit.c's ctx */
    const struct fit_command *fc;
    struct fit_outcome *out;
    const char *sets[FIT_COMMAND_MAX_SETS + FIT_MAX_KEYS];
    char text[FIT_MAX_KEYS][FIT_KEY_LEN + 32]; /* this candidate's KEY=VALUE */
    size_t cap_rows;                           /* rows allocated */
    struct progress bar;
    char label[96];
    double best;
    FILE *err;
};

/* The candidate x as --set texts, and x as the texts say it (9 digits). */
static void candidate(struct objective *o, double *x)
{
    size_t i;

    for (i = 0; i < o->out->n_keys; i++) {
        char *eq;
        if (o->out->decimals[i] >= 0) /* money (2) or a count (0) */
            snprintf(o->text[i], sizeof o->text[i], "%s=%.*f", o->out->keys[i].key,
                     o->out->decimals[i], x[i]);
        else
            snprintf(o->text[i], sizeof o->text[i], "%s=%.9g", o->out->keys[i].key, x[i]);
        eq = strchr(o->text[i], '=');
        x[i] = strtod(eq + 1, NULL);
        o->sets[o->fc->n_sets + i] = o->text[i];
    }
}

/* Append a row (phase, x, objective, every fit target's mean) to out->rows. */
static int record(struct objective *o, int curvature, const double *x, double value,
                  const struct evaluation *e)
{
    struct fit_outcome *out = o->out;
    const struct targets *t = o->fc->targets;
    double *row;
    size_t i, k;

    if (out->n_rows == o->cap_rows) {
        size_t cap = o->cap_rows ? 2 * o->cap_rows : 64;
        double *rows = realloc(out->rows, cap * out->width * sizeof *rows);
        if (!rows)
            return -1;
        out->rows = rows;
        o->cap_rows = cap;
    }
    row = out->rows + out->n_rows++ * out->width;
    row[0] = curvature;
    memcpy(row + 1, x, out->n_keys * sizeof *row);
    row[1 + out->n_keys] = value;
    for (i = k = 0; i < t->n; i++)
        if (t->items[i].role == TARGETS_FIT)
            row[2 + out->n_keys + k++] = e->targets[i].mean;
    return 0;
}

/* rank 0's double on every rank, bit for bit (two shared halves). */
static double share_double(double v)
{
    unsigned long long bits;
    unsigned hi, lo;

    memcpy(&bits, &v, sizeof bits);
    hi = (unsigned)mpi_farm_share((int)(unsigned)(bits >> 32));
    lo = (unsigned)mpi_farm_share((int)(unsigned)(bits & 0xffffffffu));
    bits = (unsigned long long)hi << 32 | lo;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Keep e as the best point's evaluation (its scenario s too). */
static void keep_best(struct objective *o, struct scenario *s, struct evaluation *e)
{
    struct fit_outcome *out = o->out;
    size_t i;

    scenario_free(out->best);
    evaluate_destroy(&out->eval);
    out->best = s;
    out->eval = *e;
    memset(e, 0, sizeof *e);
    for (i = 0; i < out->n_keys; i++)
        memcpy(out->best_sets[i], o->text[i], sizeof out->best_sets[i]);
}

/* The fit targets' errors in tolerances (NaN out of reach) into res. */
static void residuals(const struct targets *t, const struct evaluation *e, double *res)
{
    size_t i, k = 0;

    for (i = 0; i < t->n; i++)
        if (t->items[i].role == TARGETS_FIT)
            res[k++] = e->targets[i].error;
}

/* fit.c's objective: load the candidate, evaluate it, record it. */
static int objective(void *ctx, const double *x_in, int curvature, double *res)
{
    struct objective *o = ctx;
    const struct fit_command *fc = o->fc;
    double x[FIT_MAX_KEYS], value = NAN;
    struct evaluation e = {0};
    struct scenario *s;
    char why[256] = "";
    size_t k, m = o->out->width - 2 - o->out->n_keys;
    int failed;

    memcpy(x, x_in, o->out->n_keys * sizeof *x);
    candidate(o, x);
    s = scenario_load(fc->path, o->sets, fc->n_sets + o->out->n_keys, o->err);
    failed =
        !s || evaluate_run(s, fc->targets, fc->replications, fc->jobs, &e, why, sizeof why) < 0;
    if (!failed && e.leader) {
        value = evaluate_objective(fc->targets, &e);
        residuals(fc->targets, &e, res);
        if (record(o, curvature, x, value, &e) < 0)
            snprintf(why, sizeof why, "out of memory");
        else if (isnan(value))
            snprintf(why, sizeof why,
                     "no fit target applies to %s (every one beyond its horizon or scope; "
                     "expected targets the scenario can measure)",
                     fc->path);
    }
    failed = mpi_farm_share(failed || *why);
    value = share_double(value); /* every rank follows rank 0's search */
    for (k = 0; k < m; k++)
        res[k] = share_double(res[k]);
    if (failed) {
        if (*why)
            fprintf(o->err, "pilotsim calibrate: %s\n", why);
    } else if (!curvature && (value < o->best || !o->out->best)) {
        o->best = value < o->best ? value : o->best;
        keep_best(o, s, &e);
        s = NULL;
    }
    snprintf(o->label, sizeof o->label, "calibrate: evaluation %zu, best objective %.4g",
             o->out->n_rows, o->best);
    progress_update(&o->bar, (double)o->out->n_rows, (double)fc->max_evaluations);
    scenario_free(s);
    evaluate_destroy(&e);
    return failed ? -1 : 0;
}

/* The loader's errors for the fitted keys' --set (numbered after the
 * command line's) told as --fit:N. */
static void retell(const char *text, size_t n_sets, FILE *err)
{
    const char *line = text;

    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        unsigned long k;
        int used = 0;
        if (sscanf(line, "--set:%lu:%n", &k, &used) == 1 && used && k > n_sets)
            fprintf(err, "--fit:%lu:%.*s", k - n_sets, (int)(len - (size_t)used), line + used);
        else
            fprintf(err, "%.*s", (int)len, line);
        line += len;
    }
}

/* Load the scenario with every key at its start but key k at v: the
 * schema's verdict on the bounds. 0, or -1 after the errors. */
static int try_bound(const struct fit_command *fc, const struct fit_outcome *out, size_t k,
                     double v, FILE *err)
{
    struct objective o = {.fc = fc, .out = (struct fit_outcome *)out};
    double x[FIT_MAX_KEYS];
    char *text = NULL;
    size_t len;
    FILE *mem = open_memstream(&text, &len);
    struct scenario *s;

    if (!mem)
        return -1;
    memcpy(o.sets, fc->sets, fc->n_sets * sizeof *o.sets);
    memcpy(x, out->start, out->n_keys * sizeof *x);
    x[k] = v;
    candidate(&o, x);
    s = scenario_load(fc->path, o.sets, fc->n_sets + out->n_keys, mem);
    fclose(mem);
    if (err)
        retell(text, fc->n_sets, err);
    free(text);
    scenario_free(s);
    return s ? 0 : -1;
}

/* How key k's values are written: 9 significant digits if the scenario
 * takes them, else 2 decimals (money) or none (a count), tried at a point
 * inside the bounds. 0, or -1 after the errors with 9 digits. */
static int probe_decimals(const struct fit_command *fc, struct fit_outcome *out, size_t k,
                          FILE *err)
{
    static const int tries[] = {-1, 2, 0};
    double v = out->keys[k].lo + (out->keys[k].hi - out->keys[k].lo) * 0.381966011;
    size_t i;

    for (i = 0; i < sizeof tries / sizeof *tries; i++) {
        out->decimals[k] = tries[i];
        if (try_bound(fc, out, k, v, NULL) == 0)
            return 0;
    }
    out->decimals[k] = -1;
    return try_bound(fc, out, k, v, err);
}

/* Parse one --fit into out->keys[i] and find its start. 0, or -1. */
static int prepare_key(const struct fit_command *fc, struct fit_outcome *out, size_t i, FILE *err)
{
    struct fit_key *k = &out->keys[i];
    char msg[320];
    int other_list;
    size_t j;

    if (fit_parse(fc->fits[i], k, msg, sizeof msg) < 0) {
        fprintf(err, "pilotsim calibrate: %s\n", msg);
        return -1;
    }
    for (j = 0; j < i; j++)
        if (!strcmp(out->keys[j].key, k->key)) {
            fprintf(err, "pilotsim calibrate: --fit %s given twice (expected each key once)\n",
                    k->key);
            return -1;
        }
    if (overlay_number(fc->path, fc->sets, fc->n_sets, k->key, &out->start[i], &other_list) < 0 ||
        !(out->start[i] > k->lo && out->start[i] < k->hi))
        out->start[i] = (k->lo + k->hi) / 2;
    if (other_list) {
        fprintf(err,
                "pilotsim calibrate: --fit %s: a step through a list other than interventions "
                "(calibrated.yaml could not set it; expected a mapping key or "
                "interventions.ID.KEY)\n",
                k->key);
        return -1;
    }
    return 0;
}

int fit_command_prepare(const struct fit_command *fc, struct fit_outcome *out, FILE *err)
{
    size_t i, n_fit = 0;
    unsigned need;

    memset(out, 0, sizeof *out);
    out->leader = mpi_farm_rank() == 0;
    if (fc->n_fits > FIT_MAX_KEYS) {
        fprintf(err, "pilotsim calibrate: %zu --fit keys (expected at most %d)\n", fc->n_fits,
                FIT_MAX_KEYS);
        return -1;
    }
    out->n_keys = fc->n_fits;
    for (i = 0; i < fc->n_fits; i++)
        if (prepare_key(fc, out, i, err) < 0)
            return -1;
    need = fit_min_evaluations(fc->n_fits);
    if (fc->max_evaluations && fc->max_evaluations < need) {
        fprintf(err,
                "pilotsim calibrate: --max-evaluations %u is too few for %zu key%s (expected "
                "at least %u: a simplex and the curvature)\n",
                fc->max_evaluations, fc->n_fits, fc->n_fits > 1 ? "s" : "", need);
        return -1;
    }
    for (i = 0; i < fc->targets->n; i++)
        n_fit += fc->targets->items[i].role == TARGETS_FIT;
    if (!n_fit) {
        fprintf(err, "%s: no target with role fit (expected at least one to fit to)\n",
                fc->targets->file);
        return -1;
    }
    out->width = 1 + out->n_keys + 1 + n_fit;
    for (i = 0; i < out->n_keys; i++)
        out->decimals[i] = -1;
    for (i = 0; i < out->n_keys; i++)
        if (probe_decimals(fc, out, i, err) < 0 ||
            try_bound(fc, out, i, out->keys[i].lo, err) < 0 ||
            try_bound(fc, out, i, out->keys[i].hi, err) < 0)
            return -1;
    return 0;
}

/* Say on err which keys the targets do not identify, by name. */
static void tell_identification(const struct fit_outcome *out, FILE *err)
{
    size_t i, n = 0;

    for (i = 0; i < out->n_keys; i++)
        n += !out->result.p[i].identified;
    if (!n || !out->leader)
        return;
    fprintf(err, "pilotsim calibrate: not identified by the targets (a flat objective or a ridge: "
                 "no interval):");
    for (i = 0; i < out->n_keys; i++)
        if (!out->result.p[i].identified)
            fprintf(err, " %s", out->keys[i].key);
    fprintf(err, "\n");
}

int fit_command_run(const struct fit_command *fc_in, struct fit_outcome *out, FILE *err)
{
    struct fit_command fc = *fc_in;
    struct objective o = {.fc = &fc, .out = out, .best = INFINITY, .err = err};
    int rc;

    if (!fc.max_evaluations)
        fc.max_evaluations = FIT_DEFAULT_EVALUATIONS;
    memcpy(o.sets, fc.sets, fc.n_sets * sizeof *o.sets);
    progress_init(&o.bar, o.label, fc.quiet || !out->leader);
    snprintf(o.label, sizeof o.label, "calibrate: evaluation 0");
    rc = fit_run(out->keys, out->n_keys, out->width - 2 - out->n_keys, out->start,
                 fc.max_evaluations, objective, &o, &out->result);
    progress_finish(&o.bar);
    if (rc < 0)
        return -1;
    if (!out->result.converged && out->leader)
        fprintf(err,
                "pilotsim calibrate: --max-evaluations %u reached before the simplex "
                "converged (the best point so far is written)\n",
                fc.max_evaluations);
    tell_identification(out, err);
    return 0;
}

void fit_command_destroy(struct fit_outcome *o)
{
    scenario_free(o->best);
    evaluate_destroy(&o->eval);
    free(o->rows);
    o->best = NULL;
    o->rows = NULL;
}
