/* run_report: a run's report.html from its directory (run_report.h).
 *
 * Numbers are written as a memo writes them: percent with three
 * significant digits, counts with thousands separators or M and bn, money
 * in yuan, latency in ms. A figure that summary.json lacks (an older
 * layout, a metric without a total) is derived from the cities where that
 * is exact, and said to be n/a where it is not. */
#include "output/run_report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/summary_view.h"
#include "output/provenance.h"
#include "output/report.h"
#include "scenario/scenario.h"

/* What the builder read. */
struct rr {
    const char *dir;
    struct summary_view v;
    const struct ytree *root, *cities, *total; /* total: NULL at R = 1 today */
    struct scenario *s;
    double reps;        /* replications, 1 for a single run */
    double peak;        /* the busiest bucket's summed tps_peak (timeseries.csv) */
    char peak_time[32]; /* its end, ISO 8601 */
};

/* ---- numbers as a memo writes them ---- */

/* A count: 12,345 below a million, then 1.23 M and 4.56 bn. */
static void fmt_count(char *b, size_t n, double x)
{
    double a = fabs(x);
    if (!isfinite(x))
        snprintf(b, n, "n/a");
    else if (a >= 1e9)
        snprintf(b, n, "%.3g bn", x / 1e9);
    else if (a >= 1e6)
        snprintf(b, n, "%.3g M", x / 1e6);
    else {
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", a);
        size_t len = strlen(digits), o = 0;
        if (x < 0 && n > 1)
            b[o++] = '-';
        for (size_t i = 0; i < len && o + 2 < n; i++) {
            if (i && (len - i) % 3 == 0)
                b[o++] = ',';
            b[o++] = digits[i];
        }
        b[o] = '\0';
    }
}

static void fmt_yuan(char *b, size_t n, double fen)
{
    char c[32];
    fmt_count(c, sizeof c, fen / 100);
    snprintf(b, n, isfinite(fen) ? "%s yuan" : "%s", c);
}

static void fmt_share(char *b, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(b, n, "n/a");
    else
        snprintf(b, n, "%.3g%%", 100 * x);
}

static void fmt_ms(char *b, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(b, n, "n/a");
    else
        snprintf(b, n, x >= 10 ? "%.0f ms" : "%.1f ms", x);
}

static void fmt_rate(char *b, size_t n, double x)
{
    if (!isfinite(x))
        snprintf(b, n, "n/a");
    else
        snprintf(b, n, "%.3g", x);
}

enum unit { U_COUNT, U_FEN, U_SHARE, U_MS, U_RATE };

static void fmt(char *b, size_t n, double x, enum unit u)
{
    if (u == U_FEN)
        fmt_yuan(b, n, x);
    else if (u == U_SHARE)
        fmt_share(b, n, x);
    else if (u == U_MS)
        fmt_ms(b, n, x);
    else if (u == U_RATE)
        fmt_rate(b, n, x);
    else
        fmt_count(b, n, x);
}

/* "31 Mar 2021" from ISO 8601 text ("2021-03-31T..."). */
static void fmt_date(char *b, size_t n, const char *iso)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(b, n, "%d %s %d", d, mon[m - 1], y);
    else
        snprintf(b, n, "%s", iso);
}

/* The local date of scenario time t, for a reader. */
static void sim_date(char *b, size_t n, const struct scenario *s, double t)
{
    char iso[32];
    report_time(s, t, iso);
    fmt_date(b, n, iso);
}

/* ---- reading ---- */

static double city_num(const struct ytree *city, const char *path)
{
    return summary_view_num(city, path);
}

/* A total over the cities: summary.json's `total` when it has one, else
 * the sum (counts and money) or the population-weighted mean (adoption);
 * NaN where neither is exact (quantiles). */
static double total_num(const struct rr *r, const char *path)
{
    double t = r->total ? summary_view_num(r->total, path) : NAN;
    if (isfinite(t))
        return t;
    if (!r->cities || strstr(path, "latency") || strstr(path, "tps_") || strstr(path, "share"))
        return NAN;
    double sum = 0, pop = 0;
    for (size_t i = 0; i < r->cities->n; i++) {
        const struct ytree *c = r->cities->items[i].val;
        double p = city_num(c, "population"), x = city_num(c, path);
        sum += strcmp(path, "adoption") == 0 ? x * p : x;
        pop += p;
    }
    return strcmp(path, "adoption") == 0 ? sum / pop : sum;
}

/* The highest value of a metric over the cities (NaN when none has it). */
static double city_max(const struct rr *r, const char *path)
{
    double m = NAN;
    for (size_t i = 0; i < r->cities->n; i++) {
        double x = city_num(r->cities->items[i].val, path);
        if (isfinite(x) && !(x <= m))
            m = x;
    }
    return m;
}

/* The busiest bucket of timeseries.csv: the sum over the cities of
 * tps_peak, by time. Rows come time by time; a field is never quoted in
 * the columns read here (time, tps_peak), but a city's may be. */
static int read_peak(struct rr *r, FILE *err)
{
    char path[4096], line[4096], cur[32] = "";
    snprintf(path, sizeof path, "%s/timeseries.csv", r->dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(err, "pilotsim: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    long col = -1;
    if (fgets(line, sizeof line, f)) {
        long k = 0;
        for (char *p = strtok(line, ",\r\n"); p; p = strtok(NULL, ",\r\n"), k++)
            if (strcmp(p, "tps_peak") == 0)
                col = k;
    }
    double sum = 0;
    r->peak = NAN;
    while (col >= 0 && fgets(line, sizeof line, f)) {
        size_t tl = strcspn(line, ",");
        if (tl >= sizeof cur)
            continue;
        if (strncmp(line, cur, tl) != 0 || cur[tl] != '\0') {
            sum = 0;
            memcpy(cur, line, tl);
            cur[tl] = '\0';
        }
        /* the field after `col` commas outside quotes */
        long k = 0;
        int q = 0;
        char *p = line;
        for (; *p && k < col; p++)
            if (*p == '"')
                q = !q;
            else if (*p == ',' && !q)
                k++;
        sum += strtod(p, NULL);
        if (!(sum <= r->peak)) {
            r->peak = sum;
            memcpy(r->peak_time, cur, tl + 1);
        }
    }
    int bad = ferror(f) || col < 0;
    fclose(f);
    if (bad)
        fprintf(err, "pilotsim: %s: no tps_peak column (expected a run's timeseries.csv)\n", path);
    return bad ? -1 : 0;
}

/* Read what the report needs; 0 or -1 (one line on err). */
static int rr_open(struct rr *r, const char *dir, FILE *err)
{
    char path[4096];
    memset(r, 0, sizeof *r);
    r->dir = dir;
    if (summary_view_open(&r->v, dir, NULL, err) < 0)
        return -1;
    r->root = r->v.root;
    r->cities = summary_view_get(r->root, "cities");
    r->total = summary_view_get(r->root, "total");
    if (!r->cities || r->cities->kind != YTREE_MAP || r->cities->n == 0) {
        fprintf(err, "pilotsim: %s/summary.json has no cities (expected a run's summary)\n", dir);
        return -1;
    }
    r->reps = summary_view_num(r->root, "replications");
    if (!(r->reps >= 1))
        r->reps = 1;
    snprintf(path, sizeof path, "%s/scenario.yaml", dir);
    if (!(r->s = scenario_load(path, NULL, 0, err)))
        return -1;
    return read_peak(r, err);
}

static void rr_close(struct rr *r)
{
    summary_view_close(&r->v);
    scenario_free(r->s);
}

/* ---- the memo page ---- */

/* The answer: what the run reached, in one paragraph. */
static void answer(struct doc *d, const struct rr *r)
{
    char end[32], ad[32], wal[32], pay[32], val[32], peak[32], p99[32], failed[32], when[32];
    sim_date(end, sizeof end, r->s, r->s->duration_s - 1);
    fmt_share(ad, sizeof ad, total_num(r, "adoption"));
    fmt_count(wal, sizeof wal, total_num(r, "wallets"));
    fmt_count(pay, sizeof pay, total_num(r, "payments"));
    fmt_yuan(val, sizeof val, total_num(r, "value_fen"));
    double tp = total_num(r, "tps_peak");
    fmt_rate(peak, sizeof peak, isfinite(tp) ? tp : r->peak);
    fmt_date(when, sizeof when, r->peak_time);
    fmt_count(failed, sizeof failed, total_num(r, "payments_failed"));
    double lat = total_num(r, "latency_ms.p99");
    int bound = !isfinite(lat); /* no total: the slowest city bounds it */
    if (bound)
        lat = city_max(r, "latency_ms.p99");
    fmt_ms(p99, sizeof p99, lat);
    double circ = summary_view_num(r->root, "money.circulation_fen"),
           held = summary_view_num(r->root, "money.wallets_fen");
    doc_para_begin(d, DOC_ANSWER);
    doc_text(d, "By %s, ", end);
    doc_strong(d, "%s of the population held an e-CNY wallet", ad);
    doc_text(d, " (%s wallets) in the %s. They made ", wal, r->cities->n == 1 ? "city" : "cities");
    doc_strong(d, "%s payments worth %s", pay, val);
    doc_text(d, "; throughput peaked at %s payments/s (busiest minute, %s)", peak, when);
    if (isfinite(lat))
        doc_text(d, ", p99 latency was %s%s", bound ? "at most " : "", p99);
    if (total_num(r, "payments_failed") == 0)
        doc_text(d, " and no payment failed. ");
    else
        doc_text(d, " and %s payments failed. ", failed);
    if (circ == held)
        doc_text(d, "Money was conserved to the fen.");
    else
        doc_strong(d,
                   "Money was not conserved: circulation and wallets differ by %.0f fen "
                   "(a defect: please report it).",
                   circ - held);
    if (r->reps > 1)
        doc_text(d, " Means of %.0f replications.", r->reps);
    doc_para_end(d);
}

/* The memo's table: one row a city, then the total. */
static void city_table(struct doc *d, const struct rr *r)
{
    static const char *const head[] = {"City",         "Wallets", "Adoption", "Payments",
                                       "Value (yuan)", "Peak /s", "p99 (ms)", "Failed"};
    static const struct {
        const char *path;
        enum unit u;
    } col[] = {{"wallets", U_COUNT},        {"adoption", U_SHARE}, {"payments", U_COUNT},
               {"value_fen", U_COUNT},      {"tps_peak", U_RATE},  {"latency_ms.p99", U_RATE},
               {"payments_failed", U_COUNT}};
    char b[48], v[40];
    doc_table_begin(d, 8, head, "lrrrrrrr");
    for (size_t i = 0; i <= r->cities->n; i++) {
        const struct ytree *c = i < r->cities->n ? r->cities->items[i].val : NULL;
        if (c)
            doc_cell(d, "%s", summary_view_str(c, "name", r->cities->items[i].key));
        else
            doc_cell_strong(d, "All cities");
        for (size_t k = 0; k < sizeof col / sizeof col[0]; k++) {
            double x = c ? city_num(c, col[k].path) : total_num(r, col[k].path);
            if (!c && !isfinite(x) && strcmp(col[k].path, "tps_peak") == 0)
                x = r->peak; /* summed over the cities at their busiest bucket */
            int bound = !c && !isfinite(x) && strstr(col[k].path, "latency");
            if (bound)
                x = city_max(r, col[k].path); /* the slowest city bounds the total */
            fmt(v, sizeof v, strcmp(col[k].path, "value_fen") ? x : x / 100, col[k].u);
            snprintf(b, sizeof b, "%s%s", bound ? "\xE2\x89\xA4 " : "", v); /* U+2264 */
            if (c)
                doc_cell(d, "%s", b);
            else
                doc_cell_strong(d, "%s", b);
        }
    }
    doc_table_end(d);
}

/* An intervention's city, as a reader names it. */
static const char *iv_city(const struct rr *r, const struct ytree *iv)
{
    const char *id = summary_view_str(iv, "city", "all");
    const struct ytree *c = ytree_get(r->cities, id, NULL);
    return c ? summary_view_str(c, "name", id) : strcmp(id, "all") ? id : "all cities";
}

/* A kind as words: "operator_joins" is "operator joins". */
static const char *kind_words(const char *kind)
{
    static const char *const k[][2] = {{"merchant_campaign", "merchant campaign"},
                                       {"operator_joins", "operator joins"},
                                       {"wallet_limits", "wallet limits"},
                                       {"app_opens", "app opens"}};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(kind, k[i][0]) == 0)
            return k[i][1];
    return kind;
}

/* An intervention's outcome in a few words, by kind. */
static void iv_outcome(struct doc *d, const struct ytree *iv)
{
    const char *kind = summary_view_str(iv, "kind", "");
    char a[32], b[32], c[32], e[32];
    if (strcmp(kind, "lottery") == 0) {
        fmt_count(a, sizeof a, summary_view_num(iv, "claimed"));
        fmt_share(b, sizeof b, summary_view_num(iv, "claimed_share"));
        fmt_count(c, sizeof c, summary_view_num(iv, "new_wallets"));
        fmt_share(e, sizeof e, summary_view_num(iv, "spent_share"));
        doc_cell(d, "%s claimed (%s), %s new wallets, %s spent", a, b, c, e);
    } else if (strcmp(kind, "merchant_campaign") == 0) {
        fmt_count(a, sizeof a, summary_view_num(iv, "onboarded"));
        fmt_yuan(b, sizeof b, summary_view_num(iv, "subsidy_fen"));
        doc_cell(d, "%s merchants onboarded, %s in subsidies", a, b);
    } else if (strcmp(kind, "salary") == 0) {
        fmt_count(a, sizeof a, summary_view_num(iv, "recipients"));
        fmt_count(b, sizeof b, summary_view_num(iv, "new_wallets"));
        fmt_yuan(c, sizeof c, summary_view_num(iv, "paid_fen"));
        doc_cell(d, "%s people paid %s; %s wallets opened to receive it", a, c, b);
    } else if (strcmp(kind, "operator_joins") == 0) {
        fmt_count(a, sizeof a, summary_view_num(iv, "new_wallets"));
        doc_cell(d, "%s wallets at the operator by the end", a);
    } else if (strcmp(kind, "peak") == 0 || strcmp(kind, "outage") == 0) {
        fmt_count(a, sizeof a, summary_view_num(iv, "window_payments"));
        fmt_count(b, sizeof b, summary_view_num(iv, "window_failed"));
        doc_cell(d, "%s payments in the window, %s failed", a, b);
    } else {
        doc_cell(d, "in force (no outcome measured)");
    }
}

#define MEMO_INTERVENTIONS 8 /* rows on the memo page; all are in Appendix B */

/* The interventions and what each achieved, a line each; nothing when
 * there are none. */
static void interventions(struct doc *d, const struct rr *r)
{
    const struct ytree *ivs = summary_view_get(r->root, "interventions");
    if (!ivs || ivs->kind != YTREE_SEQ || ivs->n == 0)
        return;
    static const char *const head[] = {"Intervention", "Kind, where", "Outcome"};
    doc_heading(d, 1, "What the interventions did");
    doc_table_begin(d, 3, head, "lll");
    for (size_t i = 0; i < ivs->n && i < MEMO_INTERVENTIONS; i++) {
        const struct ytree *iv = ivs->items[i].val;
        const char *kind = summary_view_str(iv, "kind", "");
        doc_cell(d, "%s", summary_view_str(iv, "id", "?"));
        doc_cell(d, "%s, %s", kind_words(kind), iv_city(r, iv));
        iv_outcome(d, iv);
    }
    doc_table_end(d);
    if (ivs->n > MEMO_INTERVENTIONS) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d, "And %zu more: every intervention is in Appendix B.",
                 ivs->n - MEMO_INTERVENTIONS);
        doc_para_end(d);
    }
}

static void figures(struct doc *d, const struct rr *r)
{
    char from[32], to[32];
    sim_date(from, sizeof from, r->s, 0);
    sim_date(to, sizeof to, r->s, r->s->duration_s - 1);
    const char *means = r->reps > 1 ? " Means over the replications." : "";
    doc_figure(d, "adoption",
               "Share of each city's population holding an e-CNY wallet, %s to %s.%s", from, to,
               means);
    doc_figure(d, "throughput",
               "e-CNY payments per second by city: the day's mean and its busiest minute.%s",
               means);
    doc_figure(d, "latency",
               "End-to-end payment latency by city, median and 99th percentile (ms), "
               "days with payments only.%s",
               means);
}

/* What the model leaves out (docs/model.md, Limitations), a line each. */
static const char *const limits[] = {
    "adoption moves a day at a time, with no separate \"aware\" stage",
    "transfers stay inside a city; merchants have no wallet limits; sub-wallets share one "
    "account's money",
    "payments by other methods are counted in expectation, not simulated",
    "wallet classes never change after opening",
    "the base is fitted to 2021's national figures and misses three of them (docs/validation.md)",
    "corporate wallets are counts, not agents: no balances, no limits",
};

/* The caveats that apply to this run, then the model's limits. */
static void caveats(struct doc *d, const struct rr *r)
{
    double k = summary_view_num(r->root, "sample");
    const char *exact = summary_view_str(r->root, "latency_exact", "true");
    doc_heading(d, 1, "Caveats");
    if (k > 1) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d,
                 "Sampled: one simulated person stands for %g, so every count and sum of money "
                 "is the simulated one times %g.",
                 k, k);
        if (strcmp(exact, "false") == 0)
            doc_text(d, " Latency is approximate: the queues were scaled to keep utilisations "
                        "true (summary.json, latency_exact: false).");
        doc_para_end(d);
    }
    if (r->reps > 1) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d,
                 "Figures are means of %.0f replications; their 95%% intervals are in the "
                 "appendix and cover the model's randomness only.",
                 r->reps);
        doc_para_end(d);
    }
    if (strcmp(summary_view_str(r->root, "complete", "true"), "true") != 0) {
        doc_para_begin(d, DOC_NOTE);
        doc_strong(d, "The run stopped before its horizon: ");
        doc_text(d, "the figures cover only the time simulated.");
        doc_para_end(d);
    }
    const struct ytree *w = summary_view_get(r->root, "warnings");
    for (size_t i = 0; w && w->kind == YTREE_SEQ && i < w->n; i++) {
        doc_para_begin(d, DOC_NOTE);
        doc_strong(d, "Warning: ");
        doc_text(d, "%s", w->items[i].val->kind == YTREE_SCALAR ? w->items[i].val->text : "");
        doc_para_end(d);
    }
    doc_para_begin(d, DOC_NOTE);
    doc_strong(d, "What the model leaves out");
    doc_text(d, " (docs/model.md, Limitations): ");
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        doc_text(d, "%s%s", limits[i], i + 1 < sizeof limits / sizeof limits[0] ? "; " : ".");
    doc_para_end(d);
}

/* ---- the appendix ---- */

/* A value for the appendix: the mean, and at R > 1 its interval's half
 * width ("1.23 M ± 4.5 k" reads as "1.23 M ± 4,500"). */
static void with_ci(char *b, size_t n, const struct ytree *map, const char *path, enum unit u,
                    int ci)
{
    double x = summary_view_num(map, path), lo, hi;
    char m[40], h[40];
    fmt(m, sizeof m, x, u);
    if (!ci || summary_view_ci(map, path, &lo, &hi) < 0) {
        snprintf(b, n, "%s", m);
        return;
    }
    double half = (hi - lo) / 2;
    if (u == U_COUNT || u == U_FEN) {
        /* two significant digits: the spread is a rough figure */
        double v = u == U_FEN ? half / 100 : half, a = fabs(v);
        const char *unit = u == U_FEN ? " yuan" : "";
        if (a >= 1e9)
            snprintf(h, sizeof h, "%.2g bn%s", v / 1e9, unit);
        else if (a >= 1e6)
            snprintf(h, sizeof h, "%.2g M%s", v / 1e6, unit);
        else if (a >= 1e3)
            snprintf(h, sizeof h, "%.2g k%s", v / 1e3, unit);
        else
            snprintf(h, sizeof h, "%.2g%s", v, unit);
    } else {
        fmt(h, sizeof h, half, u);
    }
    snprintf(b, n, "%s \xC2\xB1 %s", m, h);
}

/* The rows of the appendix's city table. */
static const struct {
    const char *path, *label;
    enum unit u;
} city_rows[] = {
    {"population", "Population", U_COUNT},
    {"wallets", "Wallets (all)", U_COUNT},
    {"wallets_personal", "Wallets: people's, sub-wallets included", U_COUNT},
    {"wallets_corporate", "Wallets: corporate", U_COUNT},
    {"adoption", "Adoption (share holding a wallet)", U_SHARE},
    {"active_users", "Active users", U_COUNT},
    {"merchants_accepting", "Merchants accepting e-CNY", U_COUNT},
    {"payments", "Payments completed", U_COUNT},
    {"payments_corporate", "Payments by corporate wallets", U_COUNT},
    {"payments_offline", "Payments offline", U_COUNT},
    {"transfers", "Payments to another person", U_COUNT},
    {"payments_failed", "Payments failed (timed out)", U_COUNT},
    {"payments_refused", "Payments refused by a wallet limit", U_COUNT},
    {"payments_in_flight", "Payments in flight at the end", U_COUNT},
    {"value_fen", "Value paid", U_FEN},
    {"value_corporate_fen", "Value paid by corporate wallets", U_FEN},
    {"circulation_fen", "e-CNY in circulation at the end", U_FEN},
    {"ecny_share", "e-CNY share of people's payments", U_SHARE},
    {"tps_mean", "Throughput, mean (payments/s)", U_RATE},
    {"tps_peak", "Throughput, busiest minute (payments/s)", U_RATE},
    {"latency_ms.p50", "Latency p50", U_MS},
    {"latency_ms.p90", "Latency p90", U_MS},
    {"latency_ms.p99", "Latency p99", U_MS},
    {"latency_ms.p999", "Latency p99.9", U_MS},
    {"latency_ms.p9999", "Latency p99.99", U_MS},
    {"latency_ms.max", "Latency, slowest payment", U_MS},
};

/* Every city's figures, cities as columns (and the total when summary.json
 * has one); a city lacking a metric shows n/a. */
static void appendix_cities(struct doc *d, const struct rr *r)
{
    size_t n = r->cities->n, cols = n + 1 + (r->total != NULL);
    const char **head = calloc(cols, sizeof *head);
    char *align = calloc(cols + 1, 1), b[96];
    if (!head || !align) {
        free(head);
        free(align);
        doc_text(d, "(out of memory)");
        return;
    }
    head[0] = "";
    align[0] = 'l';
    for (size_t i = 0; i < n; i++) {
        head[i + 1] = summary_view_str(r->cities->items[i].val, "name", r->cities->items[i].key);
        align[i + 1] = 'r';
    }
    if (r->total) {
        head[n + 1] = "All cities";
        align[n + 1] = 'r';
    }
    doc_heading(d, 1, "Appendix A. Every city in full");
    if (r->reps > 1) {
        doc_para_begin(d, DOC_NOTE);
        doc_text(d, "Means of %.0f replications \xC2\xB1 the half-width of their 95%% interval.",
                 r->reps);
        doc_para_end(d);
    }
    doc_table_begin(d, cols, head, align);
    for (size_t k = 0; k < sizeof city_rows / sizeof city_rows[0]; k++) {
        doc_cell(d, "%s", city_rows[k].label);
        for (size_t i = 0; i < n; i++) {
            with_ci(b, sizeof b, r->cities->items[i].val, city_rows[k].path, city_rows[k].u,
                    r->reps > 1);
            doc_cell(d, "%s", b);
        }
        if (r->total) {
            with_ci(b, sizeof b, r->total, city_rows[k].path, city_rows[k].u, r->reps > 1);
            doc_cell(d, "%s", b);
        }
    }
    doc_table_end(d);
    free(head);
    free(align);
}

/* A name of an outcome key as a reader says it; the key itself when new. */
static const char *outcome_label(const char *key, enum unit *u)
{
    static const struct {
        const char *key, *label;
        enum unit u;
    } t[] = {{"registrations", "registered", U_COUNT},
             {"winners", "envelopes drawn", U_COUNT},
             {"claimed", "winners who claimed", U_COUNT},
             {"claimed_share", "share of envelopes claimed", U_SHARE},
             {"new_wallets", "wallets opened", U_COUNT},
             {"payments", "payments with envelope money", U_COUNT},
             {"spent_fen", "envelope money spent", U_FEN},
             {"spent_share", "share of the money claimed spent", U_SHARE},
             {"topup_spent_fen", "winners' own money in those payments", U_FEN},
             {"reclaimed_fen", "unspent money taken back", U_FEN},
             {"online_payments", "payments online", U_COUNT},
             {"online_spent_fen", "spent online", U_FEN},
             {"online_share", "share of envelope money spent online", U_SHARE},
             {"offline_users", "winners who paid offline", U_COUNT},
             {"onboarded", "merchants onboarded", U_COUNT},
             {"subsidy_fen", "subsidies paid", U_FEN},
             {"recipients", "people paid", U_COUNT},
             {"paid_fen", "e-CNY paid", U_FEN},
             {"window_payments", "payments completed in the window", U_COUNT},
             {"window_failed", "payments failed in the window", U_COUNT}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(key, t[i].key) == 0) {
            *u = t[i].u;
            return t[i].label;
        }
    size_t n = strlen(key);
    *u = n > 4 && strcmp(key + n - 4, "_fen") == 0     ? U_FEN
         : n > 6 && strcmp(key + n - 6, "_share") == 0 ? U_SHARE
                                                       : U_COUNT;
    return key;
}

/* Is this key an interval or sd beside a value (the one-shape layout)? */
static int is_spread(const char *key)
{
    size_t n = strlen(key);
    return (n > 3 && strcmp(key + n - 3, "_sd") == 0) ||
           (n > 6 && (strcmp(key + n - 6, "_ci_lo") == 0 || strcmp(key + n - 6, "_ci_hi") == 0));
}

/* Every outcome of every intervention, as summary.json has them. */
static void appendix_interventions(struct doc *d, const struct rr *r)
{
    const struct ytree *ivs = summary_view_get(r->root, "interventions");
    if (!ivs || ivs->kind != YTREE_SEQ || ivs->n == 0)
        return;
    static const char *const head[] = {"Intervention", "Outcome", "Value"};
    char b[96];
    doc_heading(d, 1, "Appendix B. Every intervention's outcomes");
    doc_table_begin(d, 3, head, "llr");
    for (size_t i = 0; i < ivs->n; i++) {
        const struct ytree *iv = ivs->items[i].val;
        size_t shown = 0;
        for (size_t k = 0; iv->kind == YTREE_MAP && k < iv->n; k++) {
            const char *key = iv->items[k].key;
            enum unit u;
            if (!strcmp(key, "id") || !strcmp(key, "kind") || !strcmp(key, "city") ||
                is_spread(key))
                continue;
            const char *label = outcome_label(key, &u);
            if (shown++ == 0)
                doc_cell_strong(d, "%s (%s, %s)", summary_view_str(iv, "id", "?"),
                                summary_view_str(iv, "kind", "?"), iv_city(r, iv));
            else
                doc_cell(d, "%s", "");
            doc_cell(d, "%s", label);
            with_ci(b, sizeof b, iv, key, u, r->reps > 1);
            doc_cell(d, "%s", b);
        }
        if (shown == 0) {
            doc_cell_strong(d, "%s (%s, %s)", summary_view_str(iv, "id", "?"),
                            summary_view_str(iv, "kind", "?"), iv_city(r, iv));
            doc_cell(d, "no outcome measured");
            doc_cell(d, "%s", "");
        }
    }
    doc_table_end(d);
}

/* The money counters, in yuan and exactly in fen. */
static void appendix_money(struct doc *d, const struct rr *r)
{
    static const struct {
        const char *path, *label;
    } rows[] = {{"money.issued_fen", "Issued (entered wallets from outside)"},
                {"money.redeemed_fen", "Redeemed (left wallets for bank deposits)"},
                {"money.reclaimed_fen", "Reclaimed (expired envelopes)"},
                {"money.circulation_fen", "In circulation: issued - redeemed - reclaimed"},
                {"money.wallets_fen", "Held in wallets, summed independently"}};
    static const char *const head[] = {"Money", "Yuan", "Fen"};
    char b[96];
    doc_heading(d, 1, "Appendix C. Money");
    doc_table_begin(d, 3, head, "lrr");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double x = summary_view_num(r->root, rows[i].path);
        doc_cell(d, "%s", rows[i].label);
        fmt_yuan(b, sizeof b, x);
        doc_cell(d, "%s", b);
        doc_cell(d, isfinite(x) ? "%.0f" : "n/a", x);
    }
    doc_table_end(d);
}

/* An intervention of the scenario in a line: kind, where, when. */
static void setting_iv(struct doc *d, const struct scenario *s, const struct intervention *iv)
{
    char a[32], b[32];
    doc_item_begin(d);
    doc_code(d, "%s", iv->id);
    doc_text(d, " %s in %s", scenario_kind_name(iv->kind),
             iv->city >= 0 && (size_t)iv->city < s->n_cities ? s->cities[iv->city].name
                                                             : "every city");
    if (iv->kind == INTERVENTION_LOTTERY) {
        sim_date(a, sizeof a, s, iv->spend_from_s);
        char env[32];
        fmt_count(env, sizeof env, (double)iv->envelopes);
        sim_date(b, sizeof b, s, iv->spend_until_s - 1);
        doc_text(d, ": %s envelopes of %g yuan%s, spent %s to %s", env,
                 iv->n_amounts ? (double)iv->amounts_fen[0] / 100 : 0.0,
                 iv->n_amounts > 1 ? " and more" : "", a, b);
    } else if (iv->kind == INTERVENTION_MERCHANT_CAMPAIGN || iv->kind == INTERVENTION_PEAK ||
               iv->kind == INTERVENTION_OUTAGE) {
        sim_date(a, sizeof a, s, iv->from_s);
        sim_date(b, sizeof b, s, iv->until_s - 1);
        doc_text(d, ", %s to %s", a, b);
    } else {
        sim_date(a, sizeof a, s, iv->at_s);
        doc_text(d, ", from %s", a);
    }
    doc_para_end(d);
}

/* The scenario's settings a reader checks first (scenario.yaml has all). */
static void appendix_settings(struct doc *d, const struct rr *r)
{
    const struct scenario *s = r->s;
    char a[32], b[32];
    static const char *const head[] = {"City", "Population", "Merchants", "Pilot opens"};
    doc_heading(d, 1, "Appendix D. The scenario's key settings");
    doc_para_begin(d, DOC_PLAIN);
    sim_date(a, sizeof a, s, 0);
    doc_strong(d, "%s", s->name);
    if (*s->description)
        doc_text(d, ": %s", s->description);
    doc_text(d,
             " From %s for %g days in steps of %g h; one simulated person in %g; "
             "%g payments a person a day by every method, of which a holder makes %g%% in "
             "e-CNY where it is accepted; Bass adoption p = %g, q = %g a year. Every key, "
             "defaults included, is in ",
             a, s->duration_s / 86400, s->step_s / 3600, s->sample, s->payments_per_day,
             100 * s->ecny_preference, s->innovation, s->imitation);
    doc_code(d, "scenario.yaml");
    doc_text(d, ".");
    doc_para_end(d);
    doc_table_begin(d, 4, head, "lrrl");
    for (size_t i = 0; i < s->n_cities; i++) {
        doc_cell(d, "%s", s->cities[i].name);
        fmt_count(a, sizeof a, (double)s->cities[i].population);
        doc_cell(d, "%s", a);
        fmt_count(b, sizeof b, (double)s->cities[i].merchants);
        doc_cell(d, "%s", b);
        sim_date(a, sizeof a, s, s->cities[i].pilot_start_s);
        doc_cell(d, "%s", a);
    }
    doc_table_end(d);
    for (size_t i = 0; i < s->n_interventions; i++)
        setting_iv(d, s, &s->interventions[i]);
}

/* How the figures were made, and which file holds what. */
static void appendix_method(struct doc *d, const struct rr *r)
{
    char ev[32];
    fmt_count(ev, sizeof ev, summary_view_num(r->root, "events"));
    doc_heading(d, 1, "Appendix E. How this was run");
    doc_para_begin(d, DOC_PLAIN);
    doc_text(d, "Seed %s, generator %s; ", summary_view_str(r->root, "seed", "?"),
             summary_view_str(r->root, "rng", "?"));
    if (r->reps > 1)
        doc_text(d,
                 "%.0f replications, replication r drawing its own random streams from the "
                 "seed, so that the same seed gives the same figures on any machine; the mean "
                 "of each figure is shown, with a 95%% Student t interval over the "
                 "replications; ",
                 r->reps);
    else
        doc_text(d, "one run, whose figures the same seed gives again on any machine; ");
    doc_text(d, "%s events%s. The files beside this page: ", ev,
             r->reps > 1 ? " in the first replication" : "");
    doc_code(d, "summary.json");
    doc_text(d, " (every figure above), ");
    doc_code(d, "timeseries.csv");
    doc_text(d, " (by day and city), ");
    if (r->reps > 1) {
        doc_code(d, "replications.csv");
        doc_text(d, " (each replication), ");
    }
    doc_code(d, "scenario.yaml");
    doc_text(d, " (the resolved scenario: running it repeats this run) and ");
    doc_code(d, "charts/");
    doc_text(d, "; docs/outputs.md describes every column and key.");
    doc_para_end(d);
}

/* Who made this and how to make it again (summary.json's provenance): in
 * the appendix every field, in the footer one line. Nothing for a run
 * written before provenance existed. */
static void provenance_part(struct doc *d, const char *dir)
{
    struct provenance p;
    FILE *quiet = fopen("/dev/null", "w"); /* no provenance is no error here */
    int have = provenance_read(dir, &p, quiet ? quiet : stderr) == 0;
    if (quiet)
        fclose(quiet);
    if (have) {
        char line[512];
        doc_para_begin(d, DOC_PLAIN);
        doc_text(d, "Made by pilotsim %s, built from commit %s%s by ", p.version, p.commit,
                 p.dirty == 1   ? " (with uncommitted changes)"
                 : p.dirty == 0 ? " (clean)"
                                : "");
        doc_code(d, "%s", p.build);
        doc_text(d, "; the resolved scenario's SHA-256 is ");
        doc_code(d, "%s", *p.scenario_sha256 ? p.scenario_sha256 : "unknown");
        doc_text(d, " (");
        doc_code(d, "sha256sum scenario.yaml");
        doc_text(d, " prints it). The command: ");
        doc_code(d, "%s", p.command);
        doc_para_end(d);
        provenance_line(&p, line, sizeof line);
        doc_footer(d, "%s", line);
    }
    provenance_destroy(&p);
}

int run_report_build(const char *dir, struct doc *d, FILE *err)
{
    struct rr r;
    if (rr_open(&r, dir, err) < 0) {
        rr_close(&r);
        return -1;
    }
    doc_title(d, "%s: what the run found", summary_view_str(r.root, "scenario", r.s->name));
    answer(d, &r);
    city_table(d, &r);
    interventions(d, &r);
    figures(d, &r);
    caveats(d, &r);
    doc_page_end(d);
    appendix_cities(d, &r);
    appendix_interventions(d, &r);
    appendix_money(d, &r);
    appendix_settings(d, &r);
    appendix_method(d, &r);
    provenance_part(d, dir);
    rr_close(&r);
    return 0;
}

int run_report_write(const char *dir, FILE *err)
{
    struct doc *d = doc_new("");
    int rc = d ? run_report_build(dir, d, err) : -1;
    if (!d)
        fprintf(err, "pilotsim: out of memory building %s/report.html\n", dir);
    if (rc == 0)
        rc = doc_write_html(d, dir, err);
    doc_free(d);
    return rc;
}
