/* calibrate_report: calibrate.json read back into a report (see
 * calibrate_report.h). Numbers are rounded for reading (four significant
 * digits, thousands separated by commas); calibrate.json keeps them whole. */
#include "experiment/calibrate_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/doc.h"
#include "output/provenance.h"
#include "scenario/ytree.h"

#define MEMO_MISSES 6 /* misses named on the memo page; all in the appendix */

/* ---- numbers for reading ---- */

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

/* x with four significant digits, thousands separated by commas from
 * 10,000 up (34,500,000,000), "-" when not a number. */
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

/* ---- calibrate.json read back ---- */

struct cal_target {
    const char *id, *role, *measures, *tolerance, *why; /* why: not applicable */
    int yuan;
    double observed, mean, lo, hi, error;
    int within; /* 1, 0, or -1: not applicable */
};

struct cal_fitted {
    const char *key;
    double value, lo, hi;
    int identified;
};

struct cal {
    struct ytree_ctx ctx;
    const char *scenario, *scenario_file, *targets_file, *seed;
    unsigned replications;
    double objective;
    const char *evaluations;
    struct cal_target *targets;
    size_t n_targets;
    struct cal_fitted *fitted;
    size_t n_fitted;
};

static const char *text(const struct ytree *t)
{
    return t && t->kind == YTREE_SCALAR ? t->text : NULL;
}

static const char *text_or(const struct ytree *map, const char *key, const char *dflt)
{
    const char *s = text(ytree_get(map, key, NULL));
    return s ? s : dflt;
}

static double number(const struct ytree *map, const char *key)
{
    const char *s = text(ytree_get(map, key, NULL));
    char *end;
    double x = s ? strtod(s, &end) : NAN;
    return s && end != s && *end == '\0' ? x : NAN;
}

static int read_target(const struct ytree *t, struct cal_target *out)
{
    const struct ytree *model = ytree_get(t, "model", NULL);
    const char *within = text_or(t, "within", "null");
    out->id = text(ytree_get(t, "id", NULL));
    out->role = text_or(t, "role", "fit");
    out->measures = text_or(t, "measures", "");
    out->tolerance = text_or(t, "tolerance", "");
    out->why = text_or(t, "not_applicable", "not measured");
    out->yuan = !strcmp(text_or(t, "unit", "null"), "yuan");
    out->observed = number(t, "observed");
    out->mean = model ? number(model, "mean") : NAN;
    out->lo = model ? number(model, "ci_lo") : NAN;
    out->hi = model ? number(model, "ci_hi") : NAN;
    out->error = number(t, "error");
    out->within = !strcmp(within, "true") ? 1 : !strcmp(within, "false") ? 0 : -1;
    return out->id ? 0 : -1;
}

static int read_fitted(struct cal *c, const struct ytree *map)
{
    if (!map || map->kind != YTREE_MAP)
        return -1;
    if (map->n && !(c->fitted = ytree_alloc(&c->ctx, map->n * sizeof *c->fitted)))
        return -1;
    for (size_t i = 0; i < map->n; i++) {
        const struct ytree *v = map->items[i].val;
        struct cal_fitted *f = &c->fitted[c->n_fitted++];
        f->key = map->items[i].key;
        f->value = number(v, "value");
        f->lo = number(v, "ci_lo");
        f->hi = number(v, "ci_hi");
        f->identified = !strcmp(text_or(v, "identified", "false"), "true");
    }
    return 0;
}

static int cal_read(const char *dir, struct cal *c, FILE *err)
{
    char path[4096];
    memset(c, 0, sizeof *c);
    ytree_init(&c->ctx, err);
    c->ctx.what = "calibration";
    snprintf(path, sizeof path, "%s/calibrate.json", dir);
    struct ytree_id id;
    struct ytree *top = ytree_read(&c->ctx, path, NULL, &id);
    if (!top)
        return -1;
    const struct ytree *targets = ytree_get(top, "targets", NULL);
    c->scenario = text_or(top, "scenario", "");
    c->scenario_file = text_or(top, "scenario_file", "");
    c->targets_file = text_or(top, "targets_file", "");
    c->seed = text_or(top, "seed", "");
    c->replications = (unsigned)strtoul(text_or(top, "replications", "0"), NULL, 10);
    c->objective = number(top, "objective");
    c->evaluations = text_or(top, "evaluations", "1");
    int rc = targets && targets->kind == YTREE_SEQ ? 0 : -1;
    if (rc == 0 && targets->n &&
        !(c->targets = ytree_alloc(&c->ctx, targets->n * sizeof *c->targets)))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < targets->n; i++)
        rc = read_target(targets->items[i].val, &c->targets[c->n_targets++]);
    if (rc == 0)
        rc = read_fitted(c, ytree_get(top, "fitted", NULL));
    if (rc < 0)
        fprintf(err, "pilotsim: %s: a calibration without its targets or fitted keys\n", path);
    return rc;
}

/* ---- the report ---- */

/* Targets of a role: within, measured, all. */
static void count(const struct cal *c, const char *role, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < c->n_targets; i++)
        if (!strcmp(c->targets[i].role, role)) {
            n[0] += c->targets[i].within == 1;
            n[1] += c->targets[i].within >= 0;
            n[2]++;
        }
}

/* One miss: the model against the figure, in percent and in tolerances. */
static void miss(struct doc *d, const struct cal_target *t)
{
    char a[48], b[48];
    doc_item_begin(d);
    doc_code(d, "%s", t->id);
    if (*t->measures)
        doc_text(d, " (%s)", t->measures);
    doc_text(d, ": the model gives %s%s against %s observed, ", fmt(a, sizeof a, t->mean),
             t->yuan ? " yuan" : "", fmt_observed(b, sizeof b, t->observed));
    if (t->observed != 0)
        doc_strong(d, "%.0f%% %s", fabs(t->mean / t->observed - 1) * 100,
                   t->mean > t->observed ? "too high" : "too low");
    else
        doc_strong(d, "%s", t->mean > t->observed ? "too high" : "too low");
    doc_text(d, " (%.1f tolerances of %s).", fabs(t->error), t->tolerance);
    doc_para_end(d);
}

/* The misses, worst first (by error in tolerances); at most `most`. */
static void misses(struct doc *d, const struct cal *c, size_t most)
{
    size_t n = 0, *order = malloc((c->n_targets + 1) * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < c->n_targets; i++)
        if (c->targets[i].within == 0)
            order[n++] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort: a few hundred at most */
        for (size_t j = i;
             j > 0 && fabs(c->targets[order[j]].error) > fabs(c->targets[order[j - 1]].error);
             j--) {
            size_t s = order[j];
            order[j] = order[j - 1], order[j - 1] = s;
        }
    for (size_t i = 0; i < n && i < most; i++)
        miss(d, &c->targets[order[i]]);
    if (n > most) {
        doc_item_begin(d);
        doc_text(d, "and %zu more, in the appendix.", n - most);
        doc_para_end(d);
    }
    free(order);
}

/* The bottom line: targets met, the misses, the fitted keys. */
static void answer(struct doc *d, const struct cal *c)
{
    size_t fit[3], chk[3];
    count(c, "fit", fit);
    count(c, "check", chk);
    size_t na = fit[2] - fit[1] + chk[2] - chk[1], missed = fit[1] - fit[0] + chk[1] - chk[0];
    doc_para_begin(d, DOC_ANSWER);
    doc_strong(d, "%zu of %zu measured targets within tolerance", fit[0] + chk[0], fit[1] + chk[1]);
    doc_text(d, ": %zu of %zu fit targets", fit[0], fit[1]);
    if (chk[2])
        doc_text(d, ", %zu of %zu check targets", chk[0], chk[1]);
    if (na)
        doc_text(d, "; %zu more out of the scenario's reach (listed in the appendix)", na);
    doc_text(d, ".%s", missed ? " The model misses:" : " The model misses none.");
    doc_para_end(d);
    if (missed)
        misses(d, c, MEMO_MISSES);
    if (!c->n_fitted)
        return;
    doc_para_begin(d, DOC_ANSWER);
    doc_strong(d, "Fitted values");
    doc_text(d,
             " (%s evaluations, 95%% intervals from the objective's curvature):", c->evaluations);
    doc_para_end(d);
    for (size_t i = 0; i < c->n_fitted; i++) {
        const struct cal_fitted *f = &c->fitted[i];
        char a[48], b[48], v[48];
        doc_item_begin(d);
        doc_code(d, "%s", f->key);
        doc_text(d, " = ");
        doc_strong(d, "%s", fmt(v, sizeof v, f->value));
        if (isfinite(f->lo))
            doc_text(d, " (%s to %s)", fmt(a, sizeof a, f->lo), fmt(b, sizeof b, f->hi));
        doc_text(d, "%s",
                 f->identified ? ": identified by the targets."
                               : ": not identified: the targets do not pin it down, "
                                 "so its value is not evidence.");
        doc_para_end(d);
    }
}

static int is_file(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void caveats(struct doc *d, const struct cal *c)
{
    char a[48];
    doc_heading(d, 2, "Caveats");
    doc_item_begin(d);
    doc_text(d,
             "Each model figure is the mean of %u replication%s (seed %s, the same draws for "
             "every candidate); its interval is the model's randomness only, not the "
             "uncertainty of its assumptions or of the published figure.",
             c->replications, c->replications == 1 ? "" : "s", c->seed);
    doc_para_end(d);
    doc_item_begin(d);
    doc_text(d,
             "Within tolerance means |model - observed| <= the target's tolerance; the error "
             "is that difference in tolerances. The objective, %s, is the sum of squared "
             "errors over the fit targets; check targets are never fitted.",
             fmt(a, sizeof a, c->objective));
    doc_para_end(d);
    if (c->n_fitted) {
        doc_item_begin(d);
        doc_text(d, "A fitted value's interval assumes the objective is close to quadratic near "
                    "the best point; \"not identified\" means moving the key barely changes the "
                    "fit targets, so the targets say little about it.");
        doc_para_end(d);
    }
}

/* Every target: what it measures, the figure, the model, the verdict. */
static void appendix(struct doc *d, const struct cal *c)
{
    static const char *const headers[] = {
        "target", "role", "observed", "model mean (95% interval)", "tolerance", "within (error)"};
    doc_heading(d, 1, "Appendix: every target");
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Scenario ");
    doc_code(d, "%s", c->scenario_file);
    doc_text(d, " against ");
    doc_code(d, "%s", c->targets_file);
    doc_text(d, "; the numbers in full are in ");
    doc_code(d, "calibrate.json");
    doc_text(d, ".");
    if (c->n_fitted) {
        doc_text(d, " The best point as a scenario: ");
        doc_code(d, "calibrated.yaml");
        doc_text(d, " (");
        doc_code(d, "pilotsim run DIR/calibrated.yaml");
        doc_text(d, "); every evaluation of the fit: ");
        doc_code(d, "calibrate.csv");
        doc_text(d, ".");
    }
    doc_para_end(d);
    doc_table_begin(d, 6, headers, "llrrrl");
    for (size_t i = 0; i < c->n_targets; i++) {
        const struct cal_target *t = &c->targets[i];
        char a[48], b[48], e[48];
        doc_cell(d, "%s", t->id);
        doc_cell(d, "%s", t->role);
        doc_cell(d, "%s%s", fmt_observed(a, sizeof a, t->observed), t->yuan ? " yuan" : "");
        if (t->within < 0)
            doc_cell(d, "-");
        else if (isfinite(t->lo))
            doc_cell(d, "%s (%s to %s)", fmt(a, sizeof a, t->mean), fmt(b, sizeof b, t->lo),
                     fmt(e, sizeof e, t->hi));
        else
            doc_cell(d, "%s", fmt(a, sizeof a, t->mean));
        doc_cell(d, "%s", t->tolerance);
        if (t->within < 0)
            doc_cell(d, "n/a: %s", t->why);
        else if (t->within)
            doc_cell(d, "yes (%+.2f)", t->error);
        else
            doc_cell_strong(d, "no (%+.2f)", t->error);
    }
    doc_table_end(d);
}

/* The provenance footer, from the directory's own record (run.provenance);
 * a directory without one (written before provenance existed) says so. */
static void footer(const char *dir, struct doc *d)
{
    char line[512];
    provenance_footer(dir, line, sizeof line);
    doc_footer(d, "%s", line);
}

int calibrate_report_build(const char *dir, struct doc *d, FILE *err)
{
    struct cal c;
    if (cal_read(dir, &c, err) < 0) {
        ytree_destroy(&c.ctx);
        return -1;
    }
    doc_title(d, "Calibration of %s", c.scenario);
    doc_heading(d, 1, "How close %s comes to the published figures", c.scenario);
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Scenario %s%s against the %zu targets of ", c.scenario,
             c.n_fitted ? ", at the best point of a fit," : "", c.n_targets);
    doc_code(d, "%s", c.targets_file);
    doc_text(d, ".");
    doc_para_end(d);
    answer(d, &c);
    if (is_file(dir, "calibrate-trajectory.csv"))
        doc_figure(d, "calibrate",
                   "The model at the best point (its mean and 95%% band) against the published "
                   "figures and their tolerances, one panel per series and city.");
    caveats(d, &c);
    doc_page_end(d);
    appendix(d, &c);
    footer(dir, d);
    ytree_destroy(&c.ctx);
    return doc_failed(d) ? -1 : 0;
}

int calibrate_report_write(const char *dir, FILE *err)
{
    struct doc *d = doc_new("Calibration");
    int rc = d ? calibrate_report_build(dir, d, err) : -1;
    if (!d)
        fprintf(err, "pilotsim: out of memory\n");
    if (rc == 0)
        rc = doc_write_markdown(d, dir, "calibrate.md", err);
    if (rc == 0)
        rc = doc_write_html(d, dir, err);
    doc_free(d);
    return rc;
}
