/* loadtest_plot: a load test's charts from its directory (loadtest_plot.h). */
#include "loadtest/loadtest_plot.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loadtest/loadtest_summary.h"
#include "output/chart.h"
#include "output/plot.h"
#include "scenario/slo_spec.h"
#include "loadtest/slo.h"

#define LP_CHARTS 3
static const char *const lp_names[LP_CHARTS] = {"loadtest-knee", "loadtest-latency",
                                                "loadtest-utilization"};

/* What each chart has to draw, from the CSVs: its note and EMPTY
 * (plots/common.gp), as the scripts expect them. */
struct lp_notes {
    const char *note[LP_CHARTS], *empty[LP_CHARTS];
};

/* Scan the CSVs: payments offered, completed, latency, utilization. */
static int lp_scan(const char *csv, const char *res_csv, struct lp_notes *n, FILE *err,
                   const char *dir)
{
    enum { LT_PAYMENTS, LT_COMPLETED, LT_P50, LT_P90, LT_P99, LT_P999, LT_MAX, LT_COLS };
    struct plot_column col[LT_COLS] = {
        {.name = "payments"}, {.name = "completed"}, {.name = "p50_ms"}, {.name = "p90_ms"},
        {.name = "p99_ms"},   {.name = "p999_ms"},   {.name = "max_ms"}};
    struct plot_column util = {.name = "utilization"};
    size_t rows[2];
    if (plot_csv_scan(csv, col, LT_COLS, &rows[0]) < 0 ||
        plot_csv_scan(res_csv, &util, 1, &rows[1]) < 0) {
        fprintf(err, "pilotsim: %s: cannot read the load test's results to draw them\n", dir);
        return -1;
    }
    size_t latency = 0;
    for (size_t i = LT_P50; i <= LT_MAX; i++)
        latency += col[i].positive;
    const char *none = rows[0] == 0                 ? "loadtest.csv has no rows"
                       : col[LT_PAYMENTS].sum <= 0  ? "no payments offered in this load test"
                       : col[LT_COMPLETED].sum <= 0 ? "no payment completed in this load test"
                                                    : "no latency figures in loadtest.csv";
    for (size_t k = 0; k < LP_CHARTS; k++)
        n->note[k] = n->empty[k] = "";
    if (rows[0] == 0 || col[LT_PAYMENTS].sum <= 0) {
        n->note[0] = none;
        n->empty[0] = "blank"; /* every point at offered 0: no x axis */
    } else if (col[LT_P99].positive == 0) {
        n->note[0] = col[LT_COMPLETED].sum <= 0 ? "no payment completed: no latency to draw"
                                                : "no p99 latency to draw";
        n->empty[0] = "nolatency";
    }
    if (latency == 0) {
        n->note[1] = none;
        n->empty[1] = rows[0] ? "frame" : "blank";
    }
    if (rows[1] == 0 || util.values == 0) {
        n->note[2] = rows[1] ? "no utilization figures in loadtest_resources.csv"
                             : "loadtest_resources.csv has no rows";
        n->empty[2] = rows[1] ? "frame" : "blank";
    } else if (rows[0] && col[LT_PAYMENTS].sum <= 0) {
        n->note[2] = none; /* zero utilization: drawn, and why */
    }
    return 0;
}

/* -1 for a figure that is not there: the scripts' "none". */
static double lp_fig(double x)
{
    return isfinite(x) && x > 0 ? x : -1;
}

/* FIGURES (plots/loadtest-common.gp): SLO_MS SLO_Q CAP CAP_LO CAP_HI TARGET
 * BARS NRES END. */
static void lp_figures(const struct loadtest_summary *s, char *buf, size_t size)
{
    double limit_ms = -1, q = 0.99;
    struct slo slo;
    char why[256];
    if (s->slo && slo_spec_parse(s->slo, &slo, why, sizeof why) == 0) {
        double limit = slo_latency_limit(&slo, &q);
        limit_ms = limit > 0 ? limit * 1e3 : -1;
    }
    snprintf(buf, size, "%.10g %.10g %.10g %.10g %.10g %.10g %d %zu %.10g", limit_ms, q,
             lp_fig(s->capacity_per_s), lp_fig(s->ci_lo), lp_fig(s->ci_hi), lp_fig(s->target_per_s),
             s->replications > 1, s->n_res, lp_fig(s->duration_s));
}

/* Append text to buf at *used; with `field`, tabs in it made spaces (they
 * separate the fields). */
static void lp_put_as(char *buf, size_t size, size_t *used, const char *text, int field)
{
    for (const char *c = text; *c && *used + 1 < size; c++)
        buf[(*used)++] = field && *c == '\t' ? ' ' : *c;
    buf[*used] = '\0';
}

static void lp_put(char *buf, size_t size, size_t *used, const char *text)
{
    lp_put_as(buf, size, used, text, 1);
}

/* FAULTS: FROM UNTIL RECOVERED OK LABEL for each fault that starts within
 * the profile; its aftermath runs to its recovery, else to the end. */
static void lp_faults(const struct loadtest_summary *s, char *buf, size_t size)
{
    size_t used = 0;
    double end = isfinite(s->duration_s) ? s->duration_s : INFINITY;
    buf[0] = '\0';
    for (size_t k = 0; k < s->n_fault; k++) {
        const struct loadtest_summary_fault *f = &s->fault[k];
        if (!(f->from_s < end))
            continue;
        int ok = isfinite(f->recovery_s);
        double until = fmin(f->until_s, end);
        double rec = ok ? fmin(f->until_s + f->recovery_s, end) : end;
        char nums[128];
        snprintf(nums, sizeof nums, "%s%.10g\t%.10g\t%.10g\t%d\t", used ? "\t" : "", f->from_s,
                 until, isfinite(rec) ? rec : until, ok);
        const struct loadtest_summary_resource *r = loadtest_summary_resource(s, f->resource);
        char cut[64];
        snprintf(cut, sizeof cut, f->capacity > 0 ? " at %.0f%%" : " down", 100 * f->capacity);
        lp_put_as(buf, size, &used, nums, 0);
        lp_put(buf, size, &used, f->name ? f->name : "fault");
        lp_put(buf, size, &used, ": ");
        lp_put(buf, size, &used, r && r->name ? r->name : f->resource ? f->resource : "?");
        lp_put(buf, size, &used, cut);
    }
}

/* EXTRA of the utilization chart: the resource ids, tab-separated. */
static void lp_ids(const struct loadtest_summary *s, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < s->n_res; r++) {
        lp_put_as(buf, size, &used, r ? "\t" : "", 0);
        lp_put(buf, size, &used, s->res[r].name ? s->res[r].name : s->res[r].id);
    }
}

/* The three charts, with the arguments built. */
static int lp_draw(const char *dir, const struct loadtest_summary *s, const struct lp_notes *n,
                   FILE *err)
{
    char plots[PATH_MAX], charts_dir[PATH_MAX], csv[PATH_MAX + 32], res_csv[PATH_MAX + 32];
    char probes[PATH_MAX + 32], figs[512], faults[4096], ids[2048];
    if (plot_prepare(dir, plots, sizeof plots, charts_dir, err) < 0)
        return -1;
    snprintf(csv, sizeof csv, "%s/loadtest.csv", dir);
    snprintf(res_csv, sizeof res_csv, "%s/loadtest_resources.csv", dir);
    snprintf(probes, sizeof probes, "%s/loadtest_capacity.csv", dir);
    if (!s->searched || access(probes, R_OK) != 0)
        probes[0] = '\0';
    lp_figures(s, figs, sizeof figs);
    lp_faults(s, faults, sizeof faults);
    lp_ids(s, ids, sizeof ids);
    char prov[PLOT_PROVENANCE_MAX];
    plot_provenance(dir, prov, sizeof prov);
    const char *extra[LP_CHARTS] = {probes, "", ids};
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < LP_CHARTS; k++) {
        char script[PATH_MAX + 32];
        snprintf(script, sizeof script, "%s/%s.gp", plots, lp_names[k]);
        const char *title = s->scenario ? s->scenario : "";
        const char *rest[] = {title, n->note[k], n->empty[k], prov, figs, faults, extra[k]};
        struct chart c = {script, charts_dir, lp_names[k], k == 2 ? res_csv : csv, rest, 7};
        rc = chart_draw(&c, err);
    }
    return rc;
}

int loadtest_plot_dir(const char *dir, FILE *err)
{
    struct loadtest_summary s;
    struct lp_notes n;
    char csv[PATH_MAX + 32], res_csv[PATH_MAX + 32];
    snprintf(csv, sizeof csv, "%s/loadtest.csv", dir);
    snprintf(res_csv, sizeof res_csv, "%s/loadtest_resources.csv", dir);
    int rc = loadtest_summary_read(dir, &s, err) < 0 || lp_scan(csv, res_csv, &n, err, dir) < 0
                 ? -1
                 : lp_draw(dir, &s, &n, err);
    loadtest_summary_destroy(&s);
    return rc;
}
