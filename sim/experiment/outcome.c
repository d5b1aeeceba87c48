/* outcome: a replication's metrics as numbers, their names, and summaries.
 *
 * Three parts: the catalog (which metrics a scenario has, their dotted
 * names and directions), the extraction of one model_result into a flat
 * vector in catalog order (plus its time series), and the summaries over
 * replications that every experiment output is written from. The order of
 * the vector is the order of the catalog: the two walks below (walk and
 * outcome_from_result) must visit the same metrics in the same order, which
 * the tests check through the writers (a name per value). */
#include "experiment/outcome.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/progress.h"

/* A leaf of an object in summary.json, and which way is better. */
struct leaf {
    const char *name;
    enum outcome_better better;
};

static const struct leaf total_leaves[] = {
    {"wallets", OUTCOME_HIGHER}, {"active_users", OUTCOME_HIGHER}, {"adoption", OUTCOME_HIGHER},
    {"merchants_accepting", OUTCOME_HIGHER}, {"payments", OUTCOME_HIGHER},
    {"payments_failed", OUTCOME_LOWER}, {"payments_refused", OUTCOME_LOWER},
    {"value_fen", OUTCOME_HIGHER}, {"ecny_share", OUTCOME_HIGHER},
    {"circulation_fen", OUTCOME_HIGHER}, {"tps_mean", OUTCOME_NEITHER},
    {"tps_peak", OUTCOME_LOWER}, {"latency_ms.p50", OUTCOME_LOWER},
    {"latency_ms.p99", OUTCOME_LOWER}, {"latency_ms.max", OUTCOME_LOWER}};

static const struct leaf city_leaves[] = {
    {"wallets", OUTCOME_HIGHER}, {"active_users", OUTCOME_HIGHER}, {"adoption", OUTCOME_HIGHER},
    {"merchants_accepting", OUTCOME_HIGHER}, {"payments", OUTCOME_HIGHER},
    {"payments_failed", OUTCOME_LOWER}, {"payments_in_flight", OUTCOME_NEITHER},
    {"payments_refused", OUTCOME_LOWER}, {"refused.balance", OUTCOME_LOWER}, {"refused.per_payment", OUTCOME_LOWER},
    {"refused.per_day", OUTCOME_LOWER}, {"payments_offline", OUTCOME_NEITHER},
    {"transfers", OUTCOME_NEITHER}, {"value_fen", OUTCOME_HIGHER},
    {"ecny_share", OUTCOME_HIGHER}, {"circulation_fen", OUTCOME_HIGHER},
    {"tps_mean", OUTCOME_NEITHER}, {"tps_peak", OUTCOME_LOWER},
    {"latency_ms.p50", OUTCOME_LOWER}, {"latency_ms.p90", OUTCOME_LOWER},
    {"latency_ms.p99", OUTCOME_LOWER}, {"latency_ms.p999", OUTCOME_LOWER},
    {"latency_ms.p9999", OUTCOME_LOWER}, {"latency_ms.max", OUTCOME_LOWER}};

/* Intervention outcomes are named by the model (model_outcomes); which way
 * is better is a matter of judgement kept here: failures and reclaimed money
 * are worse, costs and counts of people paid are neither, the rest better. */
static enum outcome_better intervention_better(const char *name) {
    static const char *const lower[] = {"reclaimed_fen", "window_failed"};
    static const char *const neither[] = {"subsidy_fen", "recipients", "paid_fen"};
    for (size_t i = 0; i < sizeof lower / sizeof lower[0]; i++)
        if (!strcmp(name, lower[i]))
            return OUTCOME_LOWER;
    for (size_t i = 0; i < sizeof neither / sizeof neither[0]; i++)
        if (!strcmp(name, neither[i]))
            return OUTCOME_NEITHER;
    return OUTCOME_HIGHER;
}

static const struct leaf money_leaves[] = {
    {"issued_fen", OUTCOME_HIGHER}, {"redeemed_fen", OUTCOME_NEITHER},
    {"reclaimed_fen", OUTCOME_LOWER}, {"circulation_fen", OUTCOME_HIGHER},
    {"wallets_fen", OUTCOME_HIGHER}};

#define COUNT(a) (sizeof a / sizeof a[0])

const char *outcome_series_column(size_t col) {
    return col < OUTCOME_COLS ? catalog_columns[col].name : NULL;
}

const char *outcome_better_name(enum outcome_better b) {
    return b == OUTCOME_HIGHER ? "higher" : b == OUTCOME_LOWER ? "lower" : "neither";
}

/* Append one metric named prefix.id.leaf (empty parts left out); the name is
 * written into the catalog's storage at *pos. The first pass (names NULL)
 * only counts metrics and bytes. */
static void add(struct outcome_catalog *c, size_t *pos, enum outcome_section sec, size_t owner,
                const char *prefix, const char *id, const struct leaf *l) {
    const char *sep1 = *id ? "." : "", *sep2 = *prefix ? "." : "";
    size_t head = strlen(prefix) + strlen(sep1) + strlen(id) + strlen(sep2);
    if (c->names) {
        char *name = c->names + *pos;
        sprintf(name, "%s%s%s%s%s", prefix, sep1, id, sep2, l->name);
        c->metrics[c->n] = (struct outcome_metric){name, name + head, sec, owner, l->better};
    }
    c->n++;
    *pos += head + strlen(l->name) + 1;
}

/* Both passes over the catalog: the same walk, counting or filling. */
static void walk(struct outcome_catalog *c, const struct scenario *s, size_t *pos) {
    static const struct leaf events = {"events", OUTCOME_NEITHER};
    c->n = 0;
    *pos = 0;
    add(c, pos, OUTCOME_TOP, 0, "", "", &events);
    for (size_t j = 0; j < COUNT(total_leaves); j++)
        add(c, pos, OUTCOME_TOTAL, 0, "total", "", &total_leaves[j]);
    for (size_t i = 0; i < s->n_cities; i++)
        for (size_t j = 0; j < COUNT(city_leaves); j++)
            add(c, pos, OUTCOME_CITY, i, "cities", s->cities[i].id, &city_leaves[j]);
    for (size_t i = 0; i < s->n_interventions; i++) {
        size_t n;
        const struct outcome_field *fields = model_outcomes(s->interventions[i].kind, &n);
        for (size_t j = 0; j < n; j++) {
            struct leaf l = {fields[j].name, intervention_better(fields[j].name)};
            add(c, pos, OUTCOME_INTERVENTION, i, "interventions", s->interventions[i].id, &l);
        }
    }
    for (size_t j = 0; j < COUNT(money_leaves); j++)
        add(c, pos, OUTCOME_MONEY, 0, "money", "", &money_leaves[j]);
}

/* Two passes: the first counts metrics and name bytes, the second fills
 * one block of names, so a catalog is three allocations however large. */
struct outcome_catalog *outcome_catalog_new(const struct scenario *s) {
    struct outcome_catalog *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    size_t bytes;
    walk(c, s, &bytes);
    c->metrics = calloc(c->n, sizeof *c->metrics);
    c->names = malloc(bytes);
    if (!c->metrics || !c->names) {
        outcome_catalog_free(c);
        return NULL;
    }
    walk(c, s, &bytes);
    return c;
}

void outcome_catalog_free(struct outcome_catalog *c) {
    if (!c)
        return;
    free(c->metrics);
    free(c->names);
    free(c);
}

/* Linear: catalogs have a few hundred names and lookups happen while
 * loading or comparing, never per event. */
long outcome_catalog_find(const struct outcome_catalog *c, const char *name) {
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->metrics[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ---- one replication ---- */

/* A histogram's percentiles as summary.json lists them (p50 .. p9999, max),
 * in milliseconds; returns the position after them. Without a payment they
 * are undefined (NaN): the summaries leave that replication out. */
static double *latency_ms(const struct hist *h, double *v) {
    static const double qs[] = {0.5, 0.9, 0.99, 0.999, 0.9999};
    for (size_t i = 0; i < COUNT(qs); i++)
        *v++ = h->count ? hist_quantile(h, qs[i]) * 1e3 : NAN;
    *v++ = h->count ? hist_max(h) * 1e3 : NAN;
    return v;
}

/* The totals over the cities: sums, adoption over the summed population, and
 * latency from the cities' histograms merged (exact: counts add). */
static int totals(const struct scenario *s, const struct model_result *r, double *v) {
    struct hist *all = malloc(sizeof *all);
    if (!all)
        return -1;
    hist_init(all);
    double pop = 0, wallets = 0, active = 0, accepting = 0, pay = 0, failed = 0, refused = 0;
    double value = 0, circulation = 0, tps = 0, all_pay = 0;
    for (size_t i = 0; i < s->n_cities; i++) {
        const struct city_result *c = &r->cities[i];
        pop += (double)c->population;
        wallets += (double)c->wallets;
        active += (double)c->active_users;
        accepting += (double)c->merchants_accepting;
        pay += (double)c->payments;
        failed += (double)c->payments_failed;
        refused += (double)c->payments_refused;
        value += (double)c->value_fen;
        circulation += (double)c->circulation_fen;
        tps += c->tps_mean;
        /* payments by every method, recovered from the city's share */
        all_pay += c->ecny_share > 0 ? (double)c->payments / c->ecny_share : 0;
        hist_merge(all, c->latency);
    }
    double quick[] = {wallets, active, pop > 0 ? wallets / pop : 0, accepting, pay, failed,
                      refused, value, all_pay > 0 ? pay / all_pay : 0, circulation, tps,
                      r->tps_peak, all->count ? hist_quantile(all, 0.5) * 1e3 : NAN,
                      all->count ? hist_quantile(all, 0.99) * 1e3 : NAN,
                      all->count ? hist_max(all) * 1e3 : NAN};
    _Static_assert(sizeof quick / sizeof quick[0] == COUNT(total_leaves), "a value per leaf");
    memcpy(v, quick, sizeof quick);
    free(all);
    return 0;
}

/* The vector in catalog order: events, totals, each city, each
 * intervention (its kind's outcome fields, read through the model's offset
 * table), money; then the time-series rows when wanted. Counts are int64 in
 * the model and exact as doubles below 2^53 (9e15 fen is 90 trillion yuan). */
int outcome_from_result(const struct scenario *s, const struct model_result *r, int want_series,
                        struct outcome *o) {
    size_t n_scalars = 1 + COUNT(total_leaves) + s->n_cities * COUNT(city_leaves) +
                       COUNT(money_leaves);
    for (size_t i = 0; i < s->n_interventions; i++) {
        size_t n;
        model_outcomes(s->interventions[i].kind, &n);
        n_scalars += n;
    }
    /* A sweep needs no series: leaving it out keeps its results small. */
    size_t n_rows = want_series ? r->series.n_rows : 0;
    memset(o, 0, sizeof *o);
    o->values = malloc((n_scalars + n_rows * OUTCOME_ROW) * sizeof *o->values);
    if (!o->values)
        return -1;
    o->n_scalars = n_scalars;
    o->n_rows = n_rows;
    o->complete = r->complete;
    o->payments_sim = (double)r->payments;
    double *v = o->values;
    *v++ = (double)r->events;
    if (totals(s, r, v) < 0) {
        outcome_destroy(o);
        return -1;
    }
    v += COUNT(total_leaves);
    for (size_t i = 0; i < s->n_cities; i++) {
        const struct city_result *c = &r->cities[i];
        *v++ = (double)c->wallets;
        *v++ = (double)c->active_users;
        *v++ = c->adoption;
        *v++ = (double)c->merchants_accepting;
        *v++ = (double)c->payments;
        *v++ = (double)c->payments_failed;
        *v++ = (double)c->payments_in_flight;
        *v++ = (double)c->payments_refused;
        *v++ = (double)c->refused_balance;
        *v++ = (double)c->refused_per_payment;
        *v++ = (double)c->refused_per_day;
        *v++ = (double)c->payments_offline;
        *v++ = (double)c->transfers;
        *v++ = (double)c->value_fen;
        *v++ = c->ecny_share;
        *v++ = (double)c->circulation_fen;
        *v++ = c->tps_mean;
        *v++ = c->tps_peak;
        v = latency_ms(c->latency, v);
    }
    for (size_t i = 0; i < s->n_interventions; i++) {
        size_t n;
        const struct outcome_field *fields = model_outcomes(s->interventions[i].kind, &n);
        for (size_t j = 0; j < n; j++) {
            int64_t x;
            memcpy(&x, (const char *)&r->interventions[i] + fields[j].offset, sizeof x);
            *v++ = (double)x;
        }
    }
    /* money, in money_leaves' order */
    const struct money *m = &r->money;
    *v++ = (double)m->issued_fen;
    *v++ = (double)m->redeemed_fen;
    *v++ = (double)m->reclaimed_fen;
    *v++ = (double)m->circulation_fen;
    *v++ = (double)m->wallets_fen;
    /* Each row: its time and city (the same in every replication), then its
     * values in timeseries.csv's column order. */
    for (size_t i = 0; i < n_rows; i++) {
        const struct ts_row *w = &r->series.rows[i];
        *v++ = w->time_s;
        *v++ = w->city;
        for (size_t k = 0; k < OUTCOME_COLS; k++) {   /* by the column table */
            const char *at = (const char *)w + catalog_columns[k].offset;
            int64_t n;
            double x;
            if (catalog_columns[k].type == CATALOG_COUNT) {
                memcpy(&n, at, sizeof n);
                x = (double)n;
            } else {
                memcpy(&x, at, sizeof x);
            }
            *v++ = x;
        }
    }
    return 0;
}

/* One unit of a farm's work: the model run and its extraction, timed (the
 * time goes to the run section's per-worker busy_s). The model_result,
 * which holds histograms and the full series, is freed here: only the
 * vector travels back. */
int outcome_run(const struct scenario *s, uint32_t replication, int want_series,
                model_progress_fn progress, void *ctx, struct outcome *o) {
    double t0 = progress_clock();
    struct model_result *r = model_run(s, replication, progress, ctx);
    if (!r)
        return -1;
    int rc = outcome_from_result(s, r, want_series, o);
    model_result_free(r);
    if (rc == 0)
        o->wall_s = progress_clock() - t0;
    return rc;
}

void outcome_destroy(struct outcome *o) {
    free(o->values);
    o->values = NULL;
    o->n_scalars = o->n_rows = 0;
}

/* ---- wire form: [n_scalars, n_rows, complete, wall_s, payments_sim, values...] ---- */

#define WIRE_HEAD 5              /* doubles before the values */

/* Counts travel as doubles too: they are below 2^53, so exact. The wire form
 * is native doubles: fine between processes of one machine and over MPI,
 * which converts MPI_DOUBLE between hosts of different byte orders. */
double *outcome_pack(const struct outcome *o, size_t *n) {
    size_t nv = o->n_scalars + o->n_rows * OUTCOME_ROW;
    double *buf = malloc((WIRE_HEAD + nv) * sizeof *buf);
    if (!buf)
        return NULL;
    buf[0] = (double)o->n_scalars;
    buf[1] = (double)o->n_rows;
    buf[2] = o->complete;
    buf[3] = o->wall_s;
    buf[4] = o->payments_sim;
    if (nv)
        memcpy(buf + WIRE_HEAD, o->values, nv * sizeof *buf);
    *n = WIRE_HEAD + nv;
    return buf;
}

/* The inverse of outcome_pack, checking that the counts in the head match
 * the length received (a short or corrupt message is rejected, not read). */
int outcome_unpack(const double *buf, size_t n, struct outcome *o) {
    memset(o, 0, sizeof *o);
    if (n < WIRE_HEAD || !(buf[0] >= 0) || !(buf[1] >= 0) || buf[0] > 1e9 || buf[1] > 1e9)
        return -1;
    size_t ns = (size_t)buf[0], nr = (size_t)buf[1], nv = ns + nr * OUTCOME_ROW;
    if (n != WIRE_HEAD + nv)
        return -1;
    o->values = malloc((nv ? nv : 1) * sizeof *o->values);
    if (!o->values)
        return -1;
    if (nv)
        memcpy(o->values, buf + WIRE_HEAD, nv * sizeof *buf);
    o->n_scalars = ns;
    o->n_rows = nr;
    o->complete = buf[2] != 0;
    o->wall_s = buf[3];
    o->payments_sim = buf[4];
    return 0;
}

/* ---- summaries over replications ---- */

/* Every scalar and every time-series cell summarized over the replications,
 * gathering one column at a time into `col` in replication order (the order
 * fixes the sums, so the same outcomes give the same bytes). Replications
 * that disagree on their sizes (a scenario changed under a running farm,
 * or a bug) are refused rather than mixed. */
struct outcome_summary *outcome_summarize(const struct outcome *reps, size_t n) {
    if (n == 0)
        return NULL;
    struct outcome_summary *s = calloc(1, sizeof *s);
    size_t ns = reps[0].n_scalars, nr = reps[0].n_rows;
    int agree = 1;
    for (size_t i = 1; i < n; i++)
        agree &= reps[i].n_scalars == ns && reps[i].n_rows == nr;
    double *col = agree ? malloc(n * sizeof *col) : NULL;
    if (s) {
        s->scalars = calloc(ns ? ns : 1, sizeof *s->scalars);
        s->row_time = calloc(nr ? nr : 1, sizeof *s->row_time);
        s->row_city = calloc(nr ? nr : 1, sizeof *s->row_city);
        s->series = calloc(nr ? nr * OUTCOME_COLS : 1, sizeof *s->series);
    }
    if (!s || !col || !s->scalars || !s->row_time || !s->row_city || !s->series) {
        free(col);
        outcome_summary_free(s);
        return NULL;
    }
    s->n_reps = n;
    s->n_scalars = ns;
    s->n_rows = nr;
    s->complete = 1;
    for (size_t i = 0; i < n; i++) {
        s->complete &= reps[i].complete;
        s->events_total += reps[i].values[0];
        s->payments_sim += reps[i].payments_sim;
    }
    /* Gather each value across the replications, in replication order. */
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < n; i++)
            col[i] = reps[i].values[k];
        stats_summarize(col, n, 1, STATS_LEVEL, &s->scalars[k]);
    }
    for (size_t row = 0; row < nr; row++) {
        const double *r0 = outcome_row(&reps[0], row);
        s->row_time[row] = r0[0];
        s->row_city[row] = (uint32_t)r0[1];
        for (size_t j = 0; j < OUTCOME_COLS; j++) {
            for (size_t i = 0; i < n; i++)
                col[i] = outcome_row(&reps[i], row)[2 + j];
            stats_summarize(col, n, 1, STATS_LEVEL, &s->series[row * OUTCOME_COLS + j]);
        }
    }
    free(col);
    return s;
}

void outcome_summary_free(struct outcome_summary *s) {
    if (!s)
        return;
    free(s->scalars);
    free(s->row_time);
    free(s->row_city);
    free(s->series);
    free(s);
}
