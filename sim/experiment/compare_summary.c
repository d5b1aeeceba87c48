/* compare_summary: the comparison's summary.json (compare_summary.h).
 *
 * The figures are read back from compare.csv and the plans' summaries
 * (compare_files), not taken from memory, so `pilotsim report` and a
 * script see the same numbers the memo prints. */
#include "experiment/compare_summary.h"

#include <math.h>
#include <string.h>

#include "experiment/compare_files.h"
#include "experiment/compare_memo.h"
#include "metrics/stats.h"
#include "output/provenance.h"

/* A number, or null when undefined. */
static void number(FILE *f, double x)
{
    if (isfinite(x))
        report_csv_number(f, x);
    else
        fputs("null", f);
}

/* "key": number */
static void key_number(FILE *f, const char *key, double x)
{
    fprintf(f, ", \"%s\": ", key);
    number(f, x);
}

struct summary_ctx {
    const struct compare_files *cf;
    double practical;
    const struct run_info *info;
};

/* The plans: what each spent and what a wallet and an active user cost. */
static void plans(FILE *f, const struct compare_files *cf)
{
    fputs("  \"plans\": [\n", f);
    for (size_t p = 0; p < cf->n; p++) {
        const struct compare_files_plan *q = &cf->plans[p];
        long w = compare_files_metric(cf, "total.wallets");
        long a = compare_files_metric(cf, "total.active_users");
        double wallets = w >= 0 ? cf->metrics[w].cells[p].mean : NAN;
        double active = a >= 0 ? cf->metrics[a].cells[p].mean : NAN;
        double paid = compare_files_spending(q);
        fputs("    {\"label\": ", f);
        report_json_string(f, q->label);
        fputs(", \"name\": ", f);
        report_json_string(f, q->name);
        fprintf(f, ", \"baseline\": %s, \"replications\": %u", p ? "false" : "true", q->reps);
        key_number(f, "sample", q->sample);
        fprintf(f, ", \"latency_exact\": %s", q->latency_exact ? "true" : "false");
        key_number(f, "spending_fen", paid);
        key_number(f, "lottery_fen", q->lottery_fen);
        key_number(f, "subsidy_fen", q->subsidy_fen);
        key_number(f, "salary_fen", q->salary_fen);
        key_number(f, "wallets", wallets);
        key_number(f, "active_users", active);
        key_number(f, "cost_per_wallet_fen", wallets > 0 ? paid / wallets : NAN);
        key_number(f, "cost_per_active_user_fen", active > 0 ? paid / active : NAN);
        fputs(p + 1 < cf->n ? "},\n" : "}\n", f);
    }
    fputs("  ],\n", f);
}

/* The plan with the best mean of metric j (the first of equals). */
static size_t best(const struct compare_files *cf, size_t j)
{
    const struct compare_files_metric *m = &cf->metrics[j];
    int lower = strcmp(m->better, "lower") == 0;
    size_t b = 0;
    for (size_t p = 1; p < cf->n; p++)
        if (lower ? m->cells[p].mean < m->cells[b].mean : m->cells[p].mean > m->cells[b].mean)
            b = p;
    return b;
}

/* One headline metric: which way is better, the best plan, and each
 * plan's figures keyed by its label. */
static void metric(FILE *f, const struct compare_files *cf, size_t j, int last)
{
    const struct compare_files_metric *m = &cf->metrics[j];
    fputs("    ", f);
    report_json_string(f, m->name);
    fputs(": {\"better\": ", f);
    report_json_string(f, m->better);
    fputs(", \"best\": ", f);
    report_json_string(f, cf->plans[best(cf, j)].label);
    fputs(", \"plans\": {", f);
    for (size_t p = 0; p < cf->n; p++) {
        const struct compare_files_cell *c = &m->cells[p];
        fputs(p ? ", " : "", f);
        report_json_string(f, cf->plans[p].label);
        fputs(": {\"mean\": ", f);
        number(f, c->mean);
        key_number(f, "ci_lo", c->lo);
        key_number(f, "ci_hi", c->hi);
        key_number(f, "diff", c->diff);
        key_number(f, "diff_ci_lo", c->dlo);
        key_number(f, "diff_ci_hi", c->dhi);
        fputs(", \"verdict\": ", f);
        report_json_string(f, c->verdict);
        fputs("}", f);
    }
    fputs(last ? "}}\n" : "}},\n", f);
}

/* The run section: version, when, how long, where, and the provenance
 * (a shallow copy: provenance.h allows it). */
static void run(FILE *f, const struct run_info *in)
{
    fputs("  \"run\": {\"version\": ", f);
    report_json_string(f, in->version);
    fputs(", \"started_at\": ", f);
    report_json_string(f, in->started_at);
    key_number(f, "wall_s", in->wall_s);
    fputs(", \"host\": ", f);
    report_json_string(f, in->host);
    if (in->provenance) {
        /* The plans' scenarios are hashed in their own summaries: none here. */
        struct provenance p = *in->provenance;
        p.scenario_sha256[0] = '\0';
        fputs(", \"provenance\": ", f);
        provenance_json(f, &p);
    }
    fputs("}\n", f);
}

static int write_summary(FILE *f, const void *ctx)
{
    const struct summary_ctx *x = ctx;
    const struct compare_files *cf = x->cf;
    fprintf(f, "{\n  \"schema_version\": 1,\n  \"kind\": \"compare\",\n  \"seed\": %llu,\n",
            (unsigned long long)cf->plans[0].s->seed);
    fprintf(f, "  \"replications\": %u,\n  \"confidence\": ", cf->plans[0].reps);
    number(f, STATS_LEVEL);
    fputs(",\n  \"practical\": ", f);
    number(f, x->practical);
    fputs(",\n  \"baseline\": ", f);
    report_json_string(f, cf->plans[0].label);
    char bottom[1024];
    compare_memo_bottom_line(cf, bottom, sizeof bottom);
    fputs(",\n  \"bottom_line\": ", f);
    report_json_string(f, bottom);
    fputs(",\n", f);
    plans(f, cf);
    size_t n, last = 0;
    const struct compare_files_headline *h = compare_files_headlines(&n);
    for (size_t k = 0; k < n; k++)
        last = compare_files_metric(cf, h[k].metric) >= 0 ? k : last;
    fputs("  \"headline\": {\n", f);
    for (size_t k = 0; k < n; k++) {
        long j = compare_files_metric(cf, h[k].metric);
        if (j >= 0)
            metric(f, cf, (size_t)j, k == last);
    }
    fputs("  },\n", f);
    run(f, x->info);
    fputs("}\n", f);
    return 0;
}

int compare_summary_write(const char *dir, double practical, const struct run_info *info, FILE *err)
{
    struct compare_files cf;
    int rc = compare_files_read(dir, &cf, err);
    struct summary_ctx ctx = {&cf, practical, info};
    if (rc == 0)
        rc = report_atomic(dir, "summary.json", write_summary, &ctx, err);
    compare_files_destroy(&cf);
    return rc;
}
