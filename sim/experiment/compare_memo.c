/* compare_memo: compare.md.
 *
 * Written for a reader who will not open the CSV: numbers in the units a
 * memo uses (percent, yuan with M/bn, ms), each with its interval; plans
 * described by what they change, read off the resolved scenarios rather
 * than their files, so a plan given with --set is described correctly.
 * Nothing in it depends on the machine: it is byte-identical whatever
 * --jobs or the ranks. */
#include "experiment/compare_memo.h"

#include <math.h>
#include <string.h>

#include "output/report.h"

#define MAX_DIFFS 8 /* differences listed per plan, then "and N more" */

/* The rows of the memo's table: metric name and how a reader calls it. */
static const struct {
    const char *metric, *label;
} rows[] = {{"total.adoption", "Wallet adoption, all cities"},
            {"total.active_users", "Active e-CNY users"},
            {"total.payments", "e-CNY payments"},
            {"total.value_fen", "Value paid in e-CNY"},
            {"total.payments_failed", "Failed payments"},
            {"total.latency_ms.p99", "Payment latency, p99"},
            {"money.circulation_fen", "e-CNY in circulation at the end"}};
#define N_ROWS (sizeof rows / sizeof rows[0])

enum unit { UNIT_SHARE, UNIT_FEN, UNIT_MS, UNIT_COUNT };

/* The unit from the metric's name: the naming is regular (adoption shares,
 * _fen money, latency_ms), so no table to keep in step. */
static enum unit unit_of(const char *metric)
{
    size_t n = strlen(metric);
    if (n >= 8 && strcmp(metric + n - 8, "adoption") == 0)
        return UNIT_SHARE;
    if (n >= 4 && strcmp(metric + n - 4, "_fen") == 0)
        return UNIT_FEN;
    if (strstr(metric, "latency_ms"))
        return UNIT_MS;
    return UNIT_COUNT;
}

/* A value as a reader wants it: adoption in percent (a difference in
 * percentage points), money in yuan, counts with k/M/bn. */
static void human(FILE *f, double x, enum unit u, int difference)
{
    const char *sign = difference && x > 0 ? "+" : "";
    if (!isfinite(x)) {
        fputs("n/a", f);
        return;
    }
    if (u == UNIT_SHARE) {
        fprintf(f, "%s%.2f%s", sign, 100 * x, difference ? " pp" : "%");
        return;
    }
    if (u == UNIT_MS) {
        fprintf(f, "%s%.1f ms", sign, x);
        return;
    }
    double v = u == UNIT_FEN ? x / 100 : x, a = fabs(v);
    const char *unit = u == UNIT_FEN ? " yuan" : "";
    if (a >= 1e9)
        fprintf(f, "%s%.3g bn%s", sign, v / 1e9, unit);
    else if (a >= 1e6)
        fprintf(f, "%s%.3g M%s", sign, v / 1e6, unit);
    else if (a >= 1e4)
        fprintf(f, "%s%.3g k%s", sign, v / 1e3, unit);
    else
        fprintf(f, "%s%.0f%s", sign, v, unit);
}

/* "mean [lo, hi]" in human units. */
static void human_ci(FILE *f, const struct stats_summary *s, enum unit u, int difference)
{
    human(f, s->mean, u, difference);
    fputs(" [", f);
    human(f, s->lo, u, difference);
    fputs(", ", f);
    human(f, s->hi, u, difference);
    fputs("]", f);
}

/* Scenario text as one line of Markdown: no line breaks, no table pipes. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s == '|' ? '/' : *s, f);
}

/* The local date (YYYY-MM-DD) of scenario time t. */
static void date(const struct scenario *s, double t, char out[32])
{
    report_time(s, t, out);
    out[10] = '\0';
}

/* One difference of a plan from the baseline: "; "-separated, counted. */
struct diff_list {
    FILE *f;
    size_t n;
};

/* Start the next difference: the stream to write it to, or NULL once
 * MAX_DIFFS are listed (the rest are only counted). */
static FILE *item(struct diff_list *d)
{
    if (d->n++ < MAX_DIFFS)
        fputs(d->n > 1 ? "; " : "", d->f);
    return d->n <= MAX_DIFFS ? d->f : NULL;
}

/* A numeric parameter that differs: "what B (baseline A)". */
static void num_diff(struct diff_list *d, const char *what, double a, double b)
{
    FILE *f;
    if (a != b && (f = item(d))) {
        md_text(f, what);
        fprintf(f, " %g (baseline %g)", b, a);
    }
}

/* Interventions are matched across plans by id. */
static const struct intervention *find_iv(const struct scenario *s, const char *id)
{
    for (size_t i = 0; i < s->n_interventions; i++)
        if (strcmp(s->interventions[i].id, id) == 0)
            return &s->interventions[i];
    return NULL;
}

/* A city's display name; interventions without a city apply to all. */
static const char *city_name(const struct scenario *s, int city)
{
    return city >= 0 && (size_t)city < s->n_cities ? s->cities[city].name : "every city";
}

/* An intervention in a few words: its kind, id and city, and for the
 * kinds a rollout plan is made of, its size and date. */
static void describe_iv(FILE *f, const struct scenario *s, const struct intervention *iv)
{
    char from[32];
    fprintf(f, "%s %s in ",
            iv->kind == INTERVENTION_MERCHANT_CAMPAIGN ? "merchant campaign"
                                                       : scenario_kind_name(iv->kind),
            iv->id);
    md_text(f, city_name(s, iv->city));
    if (iv->kind == INTERVENTION_LOTTERY) {
        date(s, iv->spend_from_s, from);
        fprintf(f, " (%lld envelopes of %g yuan, spent from %s)", (long long)iv->envelopes,
                iv->n_amounts ? (double)iv->amounts_fen[0] / 100 : 0.0, from);
    } else if (iv->kind == INTERVENTION_MERCHANT_CAMPAIGN) {
        date(s, iv->from_s, from);
        fprintf(f, " (%lld merchants paid %g yuan each, from %s)", (long long)iv->merchants,
                (double)iv->subsidy_fen / 100, from);
    }
}

/* Do two interventions of the same id differ in what a plan sets? */
static int iv_differs(const struct intervention *a, const struct intervention *b)
{
    if (a->kind != b->kind || a->city != b->city || a->envelopes != b->envelopes ||
        a->n_amounts != b->n_amounts || a->spend_from_s != b->spend_from_s ||
        a->spend_until_s != b->spend_until_s || a->registration_from_s != b->registration_from_s ||
        a->registration_until_s != b->registration_until_s || a->propensity != b->propensity ||
        a->claim_share != b->claim_share || a->spend_rate != b->spend_rate ||
        a->spend_sigma != b->spend_sigma || a->merchant_half != b->merchant_half ||
        a->online != b->online || a->online_weight != b->online_weight ||
        a->online_share != b->online_share || a->offline_wallets != b->offline_wallets ||
        a->ticket_ratio != b->ticket_ratio || a->ticket_sigma != b->ticket_sigma ||
        a->merchants != b->merchants || a->subsidy_fen != b->subsidy_fen ||
        a->from_s != b->from_s || a->until_s != b->until_s || a->at_s != b->at_s ||
        a->every_s != b->every_s || a->recipients != b->recipients ||
        a->amount_fen != b->amount_fen || a->multiplier != b->multiplier ||
        a->capacity != b->capacity || a->operator!= b->operator)
        return 1;
    for (size_t i = 0; i < a->n_amounts; i++)
        if (a->amounts_fen[i] != b->amounts_fen[i])
            return 1;
    return 0;
}

/* The plan's differences from the baseline in the parameters an analyst
 * sets: city openings and adoption, behaviour, scale and interventions. */
static void differences(FILE *f, const struct scenario *a, const struct scenario *b)
{
    struct diff_list d = {f, 0};
    FILE *o;
    for (size_t i = 0; i < a->n_cities; i++) {
        const struct city_spec *x = &a->cities[i], *y = &b->cities[i];
        char da[32], db[32], what[160];
        date(a, x->pilot_start_s, da);
        date(b, y->pilot_start_s, db);
        if (strcmp(da, db) != 0 && (o = item(&d))) {
            md_text(o, y->name);
            fprintf(o, " opens %s (baseline %s)", db, da);
        }
        snprintf(what, sizeof what, "%s's Bass p", y->name);
        num_diff(&d, what, x->innovation, y->innovation);
        snprintf(what, sizeof what, "%s's Bass q", y->name);
        num_diff(&d, what, x->imitation, y->imitation);
        snprintf(what, sizeof what, "%s's population", y->name);
        num_diff(&d, what, (double)x->population, (double)y->population);
        snprintf(what, sizeof what, "%s's merchants", y->name);
        num_diff(&d, what, (double)x->merchants, (double)y->merchants);
        snprintf(what, sizeof what, "%s's corporates", y->name);
        num_diff(&d, what, (double)x->corporates, (double)y->corporates);
    }
    num_diff(&d, "merchant effect", a->merchant_effect, b->merchant_effect);
    num_diff(&d, "merchants' Bass p", a->merchant_innovation, b->merchant_innovation);
    num_diff(&d, "merchants' Bass q", a->merchant_imitation, b->merchant_imitation);
    num_diff(&d, "corporate wallets' Bass p", a->corp_innovation, b->corp_innovation);
    num_diff(&d, "corporate wallets' Bass q", a->corp_imitation, b->corp_imitation);
    num_diff(&d, "corporate payments per wallet per day", a->corp_per_wallet_per_day,
             b->corp_per_wallet_per_day);
    num_diff(&d, "e-CNY preference", a->ecny_preference, b->ecny_preference);
    num_diff(&d, "payments per person per day", a->payments_per_day, b->payments_per_day);
    num_diff(&d, "sample (1 simulated in k)", a->sample, b->sample);
    for (size_t i = 0; i < b->n_interventions; i++) {
        const struct intervention *y = &b->interventions[i], *x = find_iv(a, y->id);
        if (x && !iv_differs(x, y))
            continue;
        if ((o = item(&d))) {
            fputs(x ? "changes " : "adds ", o);
            describe_iv(o, b, y);
        }
    }
    for (size_t i = 0; i < a->n_interventions; i++)
        if (!find_iv(b, a->interventions[i].id) && (o = item(&d))) {
            fputs("drops ", o);
            describe_iv(o, a, &a->interventions[i]);
        }
    if (d.n == 0)
        fputs("the same parameters as the baseline (a check of the method: every difference "
              "should be zero)",
              f);
    else if (d.n > MAX_DIFFS)
        fprintf(f, "; and %zu more differences", d.n - MAX_DIFFS);
}

/* Index of a metric among the common ones, or -1. */
static long common_index(const struct compare *c, const char *name)
{
    for (size_t j = 0; j < c->n_metrics; j++)
        if (strcmp(c->catalogs[0]->entries[c->metrics[j]].name, name) == 0)
            return (long)j;
    return -1;
}

/* Bonferroni: is the difference significant at a family-wise 95% over m
 * comparisons (each interval widened to level 1 - 0.05 / m)? */
static int bonferroni(const struct stats_summary *d, size_t m)
{
    if (d->n < 2 || !isfinite(d->sd))
        return 0;
    double half =
        stats_t_quantile(1 - (1 - STATS_LEVEL) / (double)m, d->n - 1) * d->sd / sqrt((double)d->n);
    return d->mean - half > 0 || d->mean + half < 0;
}

/* The headline table, one row per (metric, plan); counts for the caveat
 * the comparisons made, those significant at 95%, and those that stay
 * significant with Bonferroni over the table's comparisons. */
static void table(FILE *f, const struct compare *c, size_t *tests, size_t *sig, size_t *kept)
{
    fputs("| Metric | Plan | Mean [95% CI] | Difference to baseline [95% CI] | Verdict |\n"
          "|---|---|---|---|---|\n",
          f);
    *tests = *sig = *kept = 0;
    size_t m = 0;
    for (size_t r = 0; r < N_ROWS; r++)
        m += common_index(c, rows[r].metric) >= 0 ? c->n - 1 : 0;
    for (size_t r = 0; r < N_ROWS; r++) {
        long j = common_index(c, rows[r].metric);
        if (j < 0)
            continue;
        enum unit u = unit_of(rows[r].metric);
        enum catalog_better better = c->catalogs[0]->entries[c->metrics[j]].better;
        for (size_t p = 0; p < c->n; p++) {
            const struct stats_summary *v = &c->means[(size_t)j * c->n + p];
            const struct stats_summary *d = &c->diffs[(size_t)j * c->n + p];
            fprintf(f, "| %s | %s | ", p ? "" : rows[r].label, c->labels[p]);
            human_ci(f, v, u, 0);
            if (p == 0) {
                fputs(" | | baseline |\n", f);
                continue;
            }
            fputs(" | ", f);
            human_ci(f, d, u, 1);
            const char *verdict = catalog_verdict(better, d);
            fprintf(f, " | %s |\n", verdict);
            (*tests)++;
            if (stats_direction_of(d) != STATS_SAME) {
                (*sig)++;
                *kept += bonferroni(d, m);
            }
        }
    }
}

struct memo_ctx {
    const struct compare *c;
    int charts; /* charts/ was drawn */
};

/* The page: title, question, plans, method, table, charts, caveat. */
static int memo(FILE *f, const void *ctx)
{
    const struct compare *c = ((const struct memo_ctx *)ctx)->c;
    int charts = ((const struct memo_ctx *)ctx)->charts;
    const struct scenario *b = c->plans[0];
    char start[32];
    date(b, 0, start);
    fputs("# Rollout plans compared: ", f);
    for (size_t p = 0; p < c->n; p++)
        fprintf(f, "%s%s", p ? " vs " : "", c->labels[p]);
    fprintf(f, "\n\n**Question.** Over %g days from %s in ", b->duration_s / 86400, start);
    for (size_t i = 0; i < b->n_cities; i++) {
        fputs(i == 0 ? "" : i + 1 == b->n_cities ? " and " : ", ", f);
        md_text(f, b->cities[i].name);
    }
    fprintf(f,
            ", how %s wallet adoption, e-CNY use and the load on the payment "
            "infrastructure, compared with the baseline **%s**?\n\n## The plans\n\n",
            c->n > 2 ? "do the other plans change" : "does the other plan change", c->labels[0]);
    for (size_t p = 0; p < c->n; p++) {
        const struct scenario *s = c->plans[p];
        fprintf(f, "- **%s**%s: ", c->labels[p], p ? "" : " (baseline)");
        const char *what = *s->description ? s->description : s->name;
        md_text(f, what);
        if (!strchr(".!?", what[strlen(what) - 1]))
            fputc('.', f);
        if (p) {
            fputs(" Differs from the baseline in: ", f);
            differences(f, b, s);
            fputc('.', f);
        }
        fputc('\n', f);
    }
    fprintf(f,
            "\nEach plan ran %u replications with seed %llu and common random numbers: in "
            "replication r every plan saw the same people, purchases and random draws "
            "wherever the plans agree, so each difference is paired and its 95%% interval "
            "(Student t, %u - 1 degrees of freedom) measures the plans' difference, not "
            "noise they share.\n\n## Headline results\n\n",
            c->reps, (unsigned long long)b->seed, c->reps);
    size_t tests, sig, kept;
    table(f, c, &tests, &sig, &kept);
    fputs("\nbetter/worse: the 95% interval of the difference excludes zero, in the direction "
          "the metric prefers (latency and failures: lower is better). Every metric, city by "
          "city, with its direction is in `compare.csv`; each plan's own outputs are in "
          "`plans/`.\n",
          f);
    if (charts)
        fputs("\n## Charts\n\nMeans over the replications with their 95% bands, one panel per "
              "city.\n\n![Wallet adoption by city](charts/adoption.png)\n\n"
              "![e-CNY payments per second by city](charts/throughput.png)\n\n"
              "![Payment latency p99 by city](charts/latency.png)\n",
              f);
    fprintf(f,
            "\n## Caveat: multiple comparisons\n\nThe table makes %zu comparisons with the "
            "baseline, each at 95%%: when plans do not really differ, about one verdict in "
            "twenty still reads better or worse by chance, and `compare.csv` makes many more. "
            "Of the %zu significant verdicts above, %zu remain so with a Bonferroni "
            "correction for the table's %zu comparisons (each at 1 - 0.05/%zu). The "
            "intervals describe the model's randomness only, not the uncertainty of its "
            "assumptions (docs/model.md lists them).\n",
            tests, sig, kept, tests, tests ? tests : 1);
    return 0;
}

int compare_memo_write(const struct compare *c, const char *dir, int charts, FILE *err)
{
    struct memo_ctx ctx = {c, charts};
    return report_atomic(dir, "compare.md", memo, &ctx, err);
}
