/* compare_memo: the comparison's memo (compare_memo.h).
 *
 * Written for a decision maker who reads one page: the answer first, in
 * the units a memo uses (percent and percentage points, yuan with k/M/bn,
 * ms), each difference with its 95% interval, plans called by their
 * scenario names. Every figure is read from the directory's files
 * (compare_files.h); differences between two plans that are not the
 * baseline are paired replication by replication from their
 * replications.csv (common random numbers make that valid). */
#include "experiment/compare_memo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/compare_files.h"
#include "experiment/compare_format.h"
#include "experiment/compare_diff.h"
#include "metrics/catalog.h"
#include "metrics/stats.h"
#include "output/provenance.h"

/* The headline rows (compare_files_headlines): adoption is row 0,
 * payments row 2. */
static const struct compare_files_headline *row(size_t r)
{
    size_t n;
    return &compare_files_headlines(&n)[r];
}

static size_t n_rows(void)
{
    size_t n;
    compare_files_headlines(&n);
    return n;
}

#define ROW_ADOPTION 0
#define ROW_PAYMENTS 2

/* The plan's cell of a metric, or NULL when compare.csv lacks the metric. */
static const struct compare_files_cell *cell(const struct compare_files *cf, const char *metric,
                                             size_t p)
{
    long j = compare_files_metric(cf, metric);
    return j < 0 ? NULL : &cf->metrics[j].cells[p];
}

/* The same value in every replication of both plans: nothing to test. */
static int identical(const struct compare_files_cell *c)
{
    return c->diff == 0 && c->dlo == 0 && c->dhi == 0;
}

/* ---- the bottom line ---- */

/* The paired difference a - b of a metric over the replications (common
 * random numbers: replication r of every plan saw the same draws). -1
 * when either plan's replications.csv lacks the metric. */
static int pair(const struct compare_files *cf, size_t a, size_t b, const char *metric,
                struct stats_summary *out)
{
    size_t sa, sb,
        n = cf->plans[a].reps < cf->plans[b].reps ? cf->plans[a].reps : cf->plans[b].reps;
    const double *va = compare_files_reps(cf, a, metric, &sa);
    const double *vb = compare_files_reps(cf, b, metric, &sb);
    double *x = malloc(2 * n * sizeof *x + 1);
    if (!va || !vb || !x) {
        free(x);
        return -1;
    }
    for (size_t r = 0; r < n; r++)
        x[r] = va[r * sa], x[n + r] = vb[r * sb];
    stats_paired(x + n, x, n, 1, STATS_LEVEL, out); /* its b - a: here a - b */
    free(x);
    return 0;
}

/* The plan best on a headline metric, and the best of the others. */
static void leaders(const struct compare_files *cf, size_t hr, size_t *first, size_t *second)
{
    long j = compare_files_metric(cf, row(hr)->metric);
    int lower = j >= 0 && strcmp(cf->metrics[j].better, "lower") == 0;
    *first = 0, *second = 1;
    for (size_t pass = 0; j >= 0 && pass < 2; pass++) {
        size_t *at = pass ? second : first, best = pass && *first == 0 ? 1 : 0;
        for (size_t p = 0; p < cf->n; p++) {
            double v = cf->metrics[j].cells[p].mean, w = cf->metrics[j].cells[best].mean;
            if ((pass == 0 || p != *first) && (lower ? v < w : v > w))
                best = p;
        }
        *at = best;
    }
}

/* Is a verdict a real difference (beyond both thresholds)? */
static int decisive(const char *verdict)
{
    return strcmp(verdict, "better") == 0 || strcmp(verdict, "worse") == 0 ||
           strcmp(verdict, "higher") == 0 || strcmp(verdict, "lower") == 0;
}

/* The leader on a headline metric against the next best: who, by how
 * much (paired over the replications), and whether that matters. */
struct lead {
    size_t a, b;        /* the best plan, the next best */
    const char *metric; /* the headline metric */
    const char *verdict;
    char m[64], mb[64]; /* their means */
    char diff[160];     /* a - b with its interval */
    char base[160];     /* a - baseline with its interval ("" when either is it) */
};

/* 0, or -1 when compare.csv or replications.csv lacks the metric. */
static int lead_of(const struct compare_files *cf, size_t hr, struct lead *l)
{
    leaders(cf, hr, &l->a, &l->b);
    l->metric = row(hr)->metric;
    enum compare_format_unit u = compare_format_unit_of(l->metric);
    struct stats_summary s;
    const struct compare_files_cell *ca = cell(cf, l->metric, l->a),
                                    *cb = cell(cf, l->metric, l->b);
    if (!ca || !cb || pair(cf, l->a, l->b, l->metric, &s) < 0)
        return -1;
    long j = compare_files_metric(cf, l->metric);
    l->verdict = compare_files_verdict(compare_files_better(cf->metrics[j].better), &s, cb->mean,
                                       cf->practical);
    compare_format_value(l->m, sizeof l->m, ca->mean, u, 0);
    compare_format_value(l->mb, sizeof l->mb, cb->mean, u, 0);
    compare_format_interval(l->diff, sizeof l->diff, s.mean, s.lo, s.hi, u, 1);
    l->base[0] = '\0';
    if (l->a != 0 && l->b != 0)
        compare_format_interval(l->base, sizeof l->base, ca->diff, ca->dlo, ca->dhi, u, 1);
    return 0;
}

/* "Rollout C ... reaches the highest wallet adoption, 9.30%: +1.28 pp
 * [+1.25, +1.31] over Rollout B ..." (the next best); "It also ..." when
 * `before` led the sentence before. Returns the leader, or -1 when the
 * two best do not differ in practice. */
static long lead(struct doc *d, const struct compare_files *cf, size_t hr, const char *verb,
                 long before)
{
    struct lead l;
    if (lead_of(cf, hr, &l) < 0)
        return -1;
    if (!decisive(l.verdict)) {
        doc_text(d, "%s: ", row(hr)->label);
        doc_strong(d, "%s", cf->plans[l.a].name);
        doc_text(d, " and ");
        doc_strong(d, "%s", cf->plans[l.b].name);
        doc_text(d, " are level (%s and %s: %s, %s). ", l.m, l.mb, l.verdict, l.diff);
        return -1;
    }
    if ((long)l.a == before) /* the leader of the sentence before */
        doc_text(d, "It also");
    else
        doc_strong(d, "%s", cf->plans[l.a].name);
    doc_text(d, " %s, %s: %s over %s", verb, l.m, l.diff,
             l.b == 0 ? "the baseline" : cf->plans[l.b].name);
    if (*l.base)
        doc_text(d, ", %s over the baseline", l.base);
    doc_text(d, ". ");
    return (long)l.a;
}

void compare_memo_bottom_line(const struct compare_files *cf, char *buf, size_t n)
{
    static const char *const verb[] = {"reaches the highest wallet adoption",
                                       "carries the most e-CNY payments"};
    static const size_t hr[] = {ROW_ADOPTION, ROW_PAYMENTS};
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 2 && k < n; i++) {
        struct lead l;
        if (lead_of(cf, hr[i], &l) < 0)
            continue;
        if (decisive(l.verdict))
            k += (size_t)snprintf(buf + k, n - k, "%s%s %s, %s (%s over %s)", k ? "; " : "",
                                  cf->plans[l.a].name, verb[i], l.m, l.diff,
                                  l.b == 0 ? "the baseline" : cf->plans[l.b].name);
        else
            k += (size_t)snprintf(buf + k, n - k, "%s%s and %s are level on %s", k ? "; " : "",
                                  cf->plans[l.a].name, cf->plans[l.b].name, row(hr[i])->words);
    }
    if (k > 0 && k + 1 < n)
        strcat(buf, ".");
}

/* When different plans lead on adoption and on payments: what choosing
 * the payments leader gives up. */
static void trade_off(struct doc *d, const struct compare_files *cf, size_t pay, size_t adopt)
{
    struct stats_summary sp, sa;
    if (pair(cf, pay, adopt, row(ROW_PAYMENTS)->metric, &sp) < 0 ||
        pair(cf, pay, adopt, row(ROW_ADOPTION)->metric, &sa) < 0)
        return;
    char dp[160], da[160], mp[48], ma[48];
    compare_format_interval(dp, sizeof dp, sp.mean, sp.lo, sp.hi, COMPARE_FORMAT_COUNT, 1);
    compare_format_interval(da, sizeof da, sa.mean, sa.lo, sa.hi, COMPARE_FORMAT_SHARE, 1);
    compare_format_value(mp, sizeof mp, compare_files_spending(&cf->plans[pay]), COMPARE_FORMAT_FEN,
                         0);
    compare_format_value(ma, sizeof ma, compare_files_spending(&cf->plans[adopt]),
                         COMPARE_FORMAT_FEN, 0);
    /* Each leader the other's runner-up: the sentences before gave these
     * two differences already. */
    size_t a1, a2, p1, p2;
    leaders(cf, ROW_ADOPTION, &a1, &a2);
    leaders(cf, ROW_PAYMENTS, &p1, &p2);
    doc_strong(d, "The trade-off:");
    if (a2 == pay && p2 == adopt)
        doc_text(d, " %s gives up wallet adoption for payments, and pays out %s against %s. ",
                 cf->plans[pay].name, mp, ma);
    else
        doc_text(d,
                 " against %s, %s has %s e-CNY payments and %s wallet adoption, and pays out "
                 "%s against %s. ",
                 cf->plans[adopt].name, cf->plans[pay].name, dp, da, mp, ma);
}

/* Is plan p worse than the baseline on some headline figure? */
static int worse_somewhere(const struct compare_files *cf, size_t p)
{
    for (size_t r = 0; r < n_rows(); r++) {
        const struct compare_files_cell *c = cell(cf, row(r)->metric, p);
        if (c && strcmp(c->verdict, "worse") == 0)
            return 1;
    }
    return 0;
}

/* A plan better than the baseline on some headline figures and worse on
 * others: say both. 1 if it was said. */
static int mixed(struct doc *d, const struct compare_files *cf, size_t p)
{
    char better[256] = "", worse[512] = "";
    for (size_t r = 0; r < n_rows(); r++) {
        const struct compare_files_cell *c = cell(cf, row(r)->metric, p);
        char diff[160];
        if (!c)
            continue;
        compare_format_interval(diff, sizeof diff, c->diff, c->dlo, c->dhi,
                                compare_format_unit_of(row(r)->metric), 1);
        if (strcmp(c->verdict, "better") == 0)
            snprintf(better + strlen(better), sizeof better - strlen(better), "%s%s",
                     *better ? ", " : "", row(r)->words);
        else if (strcmp(c->verdict, "worse") == 0)
            snprintf(worse + strlen(worse), sizeof worse - strlen(worse), "%s%s %s",
                     *worse ? "; " : "", row(r)->words, diff);
    }
    if (!*worse)
        return 0;
    doc_item_begin(d);
    doc_strong(d, "%s", cf->plans[p].name);
    if (*better)
        doc_text(d, " is better than the baseline on %s, but worse on %s.", better, worse);
    else
        doc_text(d, " is worse than the baseline on %s.", worse);
    doc_para_end(d);
    return 1;
}

/* The answer: who leads on adoption and on payments, the trade-off, and
 * any plan worse than the baseline somewhere. */
static void bottom_line(struct doc *d, const struct compare_files *cf)
{
    doc_heading(d, 1, "Bottom line");
    doc_para_begin(d, DOC_ANSWER);
    long adopt = lead(d, cf, ROW_ADOPTION, "reaches the highest wallet adoption", -1);
    long pay = lead(d, cf, ROW_PAYMENTS, "carries the most e-CNY payments", adopt);
    if (adopt >= 0 && pay >= 0 && adopt != pay)
        trade_off(d, cf, (size_t)pay, (size_t)adopt);
    int any = 0;
    for (size_t p = 1; p < cf->n; p++)
        any |= worse_somewhere(cf, p);
    if (!any)
        doc_text(d, "No plan is worse than the baseline on any headline figure.");
    doc_para_end(d);
    for (size_t p = 1; any && p < cf->n; p++)
        mixed(d, cf, p);
}

/* ---- the page ---- */

/* "Shenzhen, Xiong'an, Chengdu and Suzhou". */
static void cities(char *buf, size_t n, const struct scenario *s)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_cities && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%s",
                              i == 0                 ? ""
                              : i + 1 == s->n_cities ? " and "
                                                     : ", ",
                              s->cities[i].name);
}

/* What was compared, in one paragraph (the plans themselves: appendix A). */
static void plans(struct doc *d, const struct compare_files *cf)
{
    const struct scenario *b = cf->plans[0].s;
    char start[32], where[512];
    compare_diff_date(b, 0, start);
    cities(where, sizeof where, b);
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "%zu rollout plans for %s, %g days from %s; baseline ", cf->n, where,
             b->duration_s / 86400, start);
    doc_strong(d, "%s", cf->plans[0].name);
    doc_text(d, ". The plans and how they differ: appendix A.");
    doc_para_end(d);
}

/* The spending rows of the headline table: what the plan's interventions
 * paid out (and what on), per wallet and per active user at the end. */
static void spending_rows(struct doc *d, const struct compare_files *cf, size_t cols)
{
    static const char *const what[] = {"envelopes", "subsidies", "salaries"};
    static const char *const label[] = {"Paid out", "Per wallet", "Per active user"};
    for (size_t k = 0; k < 3; k++) {
        doc_cell(d, "%s", label[k]);
        for (size_t p = 0; p + 1 < cols; p++) {
            const struct compare_files_plan *q = &cf->plans[p];
            const struct compare_files_cell *c =
                cell(cf, k == 1 ? "total.wallets" : "total.active_users", p);
            double paid = compare_files_spending(q), v = paid;
            if (k > 0)
                v = c && c->mean > 0 ? paid / c->mean : NAN;
            char buf[48], of[64] = "";
            compare_format_value(buf, sizeof buf, v, COMPARE_FORMAT_FEN, 0);
            const double part[] = {q->lottery_fen, q->subsidy_fen, q->salary_fen};
            for (size_t j = 0; k == 0 && j < 3; j++)
                if (part[j] > 0)
                    snprintf(of + strlen(of), sizeof of - strlen(of), "%s%s", *of ? " and " : ", ",
                             what[j]);
            doc_cell(d, "%s%s", paid > 0 || k > 0 ? buf : "nothing", of);
        }
    }
}

/* One cell of the headline table: the mean, and for a plan its verdict
 * (the difference and its interval: the bottom line and appendix B). */
static void headline_cell(struct doc *d, const struct compare_files_cell *c,
                          enum compare_format_unit u, int base)
{
    char m[64];
    compare_format_value(m, sizeof m, c->mean, u, 0);
    if (base)
        doc_cell(d, "%s", m);
    else if (identical(c))
        doc_cell(d, "%s, identical", m);
    else if (decisive(c->verdict))
        doc_cell_strong(d, "%s, %s", m, c->verdict);
    else
        doc_cell(d, "%s, %s", m, c->verdict);
}

/* A headline row whose every plan equals the baseline in every
 * replication: left out of the table, said in its note. */
static int all_identical(const struct compare_files *cf, const char *metric)
{
    for (size_t p = 1; p < cf->n; p++)
        if (!identical(cell(cf, metric, p)))
            return 0;
    return 1;
}

/* The headline table: metrics as rows, plans as columns. */
static void headline(struct doc *d, const struct compare_files *cf)
{
    const char *head[1 + 16];
    char align[1 + 16 + 1] = "l", base[160], same[256] = "";
    head[0] = "";
    snprintf(base, sizeof base, "%s (baseline)", cf->plans[0].name);
    for (size_t p = 0; p < cf->n && p < 16; p++) {
        head[1 + p] = p ? cf->plans[p].name : base;
        strcat(align, "l"); /* long cells wrap: "r" would not */
    }
    size_t cols = 1 + (cf->n < 16 ? cf->n : 16);
    doc_heading(d, 1, "Headline figures and spending");
    doc_table_begin(d, cols, head, align);
    for (size_t r = 0; r < n_rows(); r++) {
        const char *metric = row(r)->metric;
        if (compare_files_metric(cf, metric) < 0 || !row(r)->table)
            continue;
        if (all_identical(cf, metric)) {
            char v[64];
            compare_format_value(v, sizeof v, cell(cf, metric, 0)->mean,
                                 compare_format_unit_of(metric), 0);
            snprintf(same + strlen(same), sizeof same - strlen(same), "%s%s (%s)",
                     *same ? "; " : "", row(r)->words, v);
            continue;
        }
        doc_cell(d, "%s", row(r)->label);
        for (size_t p = 0; p + 1 < cols; p++)
            headline_cell(d, cell(cf, metric, p), compare_format_unit_of(metric), p == 0);
    }
    spending_rows(d, cf, cols);
    doc_table_end(d);
    doc_para_begin(d, DOC_NOTE);
    doc_text(d,
             "Means over %u replications. better or worse: the paired difference from the "
             "baseline has a 95%% interval without zero and is at least %g%% of the baseline "
             "(",
             cf->plans[0].reps, 100 * cf->practical);
    doc_code(d, "--practical %g", cf->practical);
    doc_text(d, "); differences and intervals: appendix B. Paid out: envelope money spent, "
                "merchant subsidies and salaries paid, in yuan; per wallet and active user at "
                "the end, an average.");
    if (*same)
        doc_text(d, " The same in every plan and replication: %s.", same);
    doc_para_end(d);
}

/* Bonferroni: of the table's significant differences, how many stay so
 * when each interval is widened to level 1 - 0.05 / m over its m
 * comparisons. The standard error is read back from the 95% interval. */
static void bonferroni(const struct compare_files *cf, size_t *m, size_t *sig, size_t *kept)
{
    *m = *sig = *kept = 0;
    for (size_t r = 0; r < n_rows(); r++)
        *m += row(r)->table && compare_files_metric(cf, row(r)->metric) >= 0 ? cf->n - 1 : 0;
    size_t reps = cf->plans[0].reps;
    if (*m == 0 || reps < 2)
        return;
    double t95 = stats_t_quantile(STATS_LEVEL, reps - 1);
    double tb = stats_t_quantile(1 - (1 - STATS_LEVEL) / (double)*m, reps - 1);
    for (size_t r = 0; r < n_rows(); r++)
        for (size_t p = 1; p < cf->n; p++) {
            const struct compare_files_cell *c = cell(cf, row(r)->metric, p);
            if (!c || !row(r)->table || strcmp(c->verdict, "no significant difference") == 0 ||
                !isfinite(c->dlo) || !isfinite(c->dhi))
                continue;
            double half = (c->dhi - c->dlo) / 2 / t95 * tb;
            (*sig)++;
            *kept += c->diff - half > 0 || c->diff + half < 0;
        }
}

/* One caveat of the small print: its name in bold, then its text. */
static void note(struct doc *d, const char *lead)
{
    doc_strong(d, "%s", lead);
    doc_text(d, " ");
}

/* The caveats that apply to this comparison. */
static void caveats(struct doc *d, const struct compare_files *cf)
{
    size_t m, sig, kept, sampled = 0;
    bonferroni(cf, &m, &sig, &kept);
    doc_para_begin(d, DOC_NOTE);
    note(d, "Caveats. Method:");
    doc_text(d,
             "%u replications a plan, seed %llu, common random numbers: differences are "
             "paired (Student t, %u degree%s of freedom). ",
             cf->plans[0].reps, (unsigned long long)cf->plans[0].s->seed, cf->plans[0].reps - 1,
             cf->plans[0].reps == 2 ? "" : "s");
    note(d, "Multiple comparisons:");
    doc_text(d,
             "the table makes %zu comparisons at 95%%: one in twenty may read better or worse "
             "by chance; %zu of its %zu significant ones keep their verdict with Bonferroni (1 - "
             "0.05/%zu). ",
             m, kept, sig, m ? m : 1);
    note(d, "Randomness only:");
    doc_text(d, "the intervals cover the model's randomness, not its assumptions. ");
    int same = 1;
    for (size_t p = 0; p < cf->n; p++) {
        sampled = cf->plans[p].sample > cf->plans[sampled].sample ? p : sampled;
        same &= cf->plans[p].sample == cf->plans[0].sample;
    }
    if (cf->plans[sampled].sample > 1 || !cf->plans[sampled].latency_exact) {
        note(d, "Sampling:");
        doc_text(d,
                 "%s one person in %g: latency percentiles and failed payments are "
                 "approximate%s. ",
                 same ? "the plans simulate" : "a plan simulates", cf->plans[sampled].sample,
                 same ? "" : ", and the plans' latencies less comparable");
    }
    note(d, "Left out:");
    doc_text(d, "payments by other methods are counted, not simulated; no transfers between "
                "cities, no wallet upgrades, businesses are counts; the fit to 2021 runs high "
                "on personal wallets and payments, low on merchants (docs/model.md).");
    doc_para_end(d);
}

/* ---- the appendix ---- */

/* Each difference of a plan from the baseline, one bullet. */
static void difference_item(void *ctx, const char *text)
{
    struct doc *d = ctx;
    doc_item_begin(d);
    doc_text(d, "%s", text);
    doc_para_end(d);
}

/* Appendix A: each plan's description and its differences from the
 * baseline, old -> new, every one. */
static void appendix_plans(struct doc *d, const struct compare_files *cf)
{
    doc_heading(d, 1, "Appendix A. The plans and how each differs from the baseline");
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Read from each plan's resolved scenario (");
    doc_code(d, "plans/NAME/scenario.yaml");
    doc_text(d, "): every parameter an analyst sets that differs, baseline → plan.");
    doc_para_end(d);
    for (size_t p = 0; p < cf->n; p++) {
        const struct scenario *s = cf->plans[p].s;
        doc_heading(d, 2, "%s%s", cf->plans[p].name, p ? "" : " (baseline)");
        doc_para_begin(d, DOC_PLAIN);
        doc_text(d, "%s", *s->description ? s->description : "No description.");
        doc_text(d, " Outputs: ");
        doc_code(d, "plans/%s/", cf->plans[p].label);
        doc_text(d, ".");
        doc_para_end(d);
        if (p > 0 && compare_diff_list(cf->plans[0].s, s, difference_item, d) == 0) {
            doc_para_begin(d, DOC_PLAIN);
            doc_text(d, "The same parameters as the baseline: a check of the method, every "
                        "difference should be zero.");
            doc_para_end(d);
        }
    }
}

/* A metric's name without its section's prefix ("cities.shenzhen."). */
static const char *short_name(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(name, prefix, n) == 0 ? name + n : name;
}

/* How a reader calls a metric: the catalog's label ("p99 latency"), for
 * an intervention's outcome with the intervention's id in front; else
 * the name without its section's prefix. */
static const char *label(const struct catalog *cat, const char *name, const char *prefix,
                         char buf[192])
{
    long k = cat ? catalog_find(cat, name) : -1;
    const struct catalog_entry *e = k >= 0 ? &cat->entries[k] : NULL;
    if (!e || !e->label)
        return short_name(name, prefix);
    if (e->section != CATALOG_INTERVENTION)
        return e->label;
    size_t id = strlen("interventions."), end = strlen(name) - strlen(e->leaf);
    snprintf(buf, 192, "%.*s: %s", (int)(end > id + 1 ? end - id - 1 : 0), name + id, e->label);
    return buf;
}

/* One table of every metric whose name starts with prefix. */
static void metric_table(struct doc *d, const struct compare_files *cf, const struct catalog *cat,
                         const char *prefix, const char *title)
{
    const char *head[1 + 16];
    char align[1 + 16 + 1] = "l";
    size_t cols = 1 + (cf->n < 16 ? cf->n : 16);
    head[0] = "Metric";
    for (size_t p = 0; p + 1 < cols; p++) {
        head[1 + p] = cf->plans[p].name;
        strcat(align, "l"); /* long cells wrap: "r" would not */
    }
    size_t rows = 0;
    for (size_t j = 0; j < cf->n_metrics; j++)
        rows += strncmp(cf->metrics[j].name, prefix, strlen(prefix)) == 0;
    doc_heading(d, 2, "%s", title);
    if (rows == 0) {
        doc_para_begin(d, DOC_PLAIN);
        doc_text(d, "None in every plan: each plan's own are in its summary.json.");
        doc_para_end(d);
        return;
    }
    doc_table_begin(d, cols, head, align);
    for (size_t j = 0; j < cf->n_metrics; j++) {
        const struct compare_files_metric *m = &cf->metrics[j];
        if (strncmp(m->name, prefix, strlen(prefix)) != 0)
            continue;
        enum compare_format_unit u = compare_format_unit_of(m->name);
        char name[192];
        doc_cell(d, "%s", label(cat, m->name, prefix, name));
        for (size_t p = 0; p + 1 < cols; p++) {
            char v[64], diff[96];
            compare_format_value(v, sizeof v, m->cells[p].mean, u, 0);
            if (p == 0) {
                doc_cell(d, "%s", v);
                continue;
            }
            compare_format_interval(diff, sizeof diff, m->cells[p].diff, m->cells[p].dlo,
                                    m->cells[p].dhi, u, 1);
            if (identical(&m->cells[p]))
                doc_cell(d, "%s; identical", v);
            else
                doc_cell(d, "%s; %s %s", v, m->cells[p].verdict, diff);
        }
    }
    doc_table_end(d);
}

/* Appendix B: every metric of compare.csv, all cities, then city by city,
 * the interventions and the money. */
static void appendix_metrics(struct doc *d, const struct compare_files *cf)
{
    const struct scenario *s = cf->plans[0].s;
    doc_heading(d, 1, "Appendix B. Every metric, city by city");
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Means over the replications; for a plan, its verdict and paired difference "
                "from the baseline with the 95%% interval, as in ");
    doc_code(d, "compare.csv");
    doc_text(d, " (which also has every plan's interval and which way each metric is better).");
    doc_para_end(d);
    struct catalog *cat = catalog_new(s); /* the labels; NULL: the names */
    metric_table(d, cf, cat, "total.", "All cities");
    for (size_t i = 0; i < s->n_cities; i++) {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "cities.%s.", s->cities[i].id);
        metric_table(d, cf, cat, prefix, s->cities[i].name);
    }
    metric_table(d, cf, cat, "interventions.", "Interventions every plan has");
    metric_table(d, cf, cat, "money.", "Money");
    catalog_free(cat);
    doc_figure(d, "latency",
               "Payment latency p99 by city (ms, log scale): each plan's mean "
               "and 95%% band; the panels share one scale.");
}

/* ---- the document ---- */

/* The provenance footer, from DIR/summary.json. */
static void footer(struct doc *d, const char *dir, FILE *err)
{
    struct provenance p;
    char line[512];
    provenance_read(dir, &p, err);
    provenance_line(&p, line, sizeof line);
    doc_footer(d, "%s", line);
    provenance_destroy(&p);
}

int compare_memo_build(const char *dir, struct doc *d, FILE *err)
{
    struct compare_files cf;
    if (compare_files_read(dir, &cf, err) < 0) {
        compare_files_destroy(&cf);
        return -1;
    }
    doc_title(d, "Rollout plans compared");
    plans(d, &cf);
    bottom_line(d, &cf);
    headline(d, &cf);
    doc_figure(d, "adoption",
               "Wallet adoption by city (%% of people): means and 95%% bands, "
               "one scale for every city.");
    doc_figure(d, "throughput", "e-CNY payments per second by city (daily means), as figure 1.");
    caveats(d, &cf);
    footer(d, dir, err);
    doc_page_end(d);
    appendix_plans(d, &cf);
    appendix_metrics(d, &cf);
    compare_files_destroy(&cf);
    return doc_failed(d) ? -1 : 0;
}

int compare_memo_write(const char *dir, FILE *err)
{
    struct doc *d = doc_new("Rollout plans compared");
    int rc = d ? compare_memo_build(dir, d, err) : -1;
    if (!d || (rc == 0 && doc_failed(d)))
        fprintf(err, "pilotsim: out of memory\n");
    if (rc == 0)
        rc = doc_write_markdown(d, dir, "compare.md", err);
    if (rc == 0)
        rc = doc_write_html(d, dir, err);
    doc_free(d);
    return rc;
}
