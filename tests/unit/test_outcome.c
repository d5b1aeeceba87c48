/* Unit tests of the catalog and the outcome vector: the catalog's names in
 * their documented order, every value of a small run found under its name
 * (read back from the model's own results), totals over cities computed by
 * hand from made-up records, the wire form, and summaries over
 * replications against hand-computed statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiment/trial.h"
#include "metrics/catalog.h"
#include "metrics/hist.h"
#include "metrics/outcome.h"
#include "model/model.h"
#include "scenario/scenario.h"
#include "test.h"

/* The value of catalog entry `name` in o (NAN when the name is missing). */
static double value(const struct catalog *c, const struct outcome *o, const char *name)
{
    long k = catalog_find(c, name);
    return k < 0 ? NAN : outcome_scalar(o, (size_t)k);
}

/* Equal, or both undefined. */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* The catalog's order: events, totals, each city, each intervention, money. */
static void test_order(const struct scenario *s, const struct catalog *c)
{
    size_t n_city, n_money, n_iv;
    const struct catalog_metric *city = catalog_city(&n_city);
    catalog_money(&n_money);
    catalog_intervention(s->interventions[0].kind, &n_iv);
    size_t n_total = 0;
    for (size_t j = 0; j < n_city; j++)
        n_total += city[j].total != CATALOG_NO_TOTAL;
    check(n_total == 19 && n_city == 28 && n_money == 5 && n_iv == 14,
          "19 totals, 28 city metrics, 5 money counters, 14 lottery outcomes (%zu %zu %zu %zu)",
          n_total, n_city, n_money, n_iv);
    check(c->n == 1 + n_total + s->n_cities * n_city + n_iv + n_money,
          "the catalog has every scalar once (%zu)", c->n);
    check(strcmp(c->entries[0].name, "events") == 0, "events first");
    check(strcmp(c->entries[1].name, "total.wallets") == 0 &&
              strcmp(c->entries[n_total].name, "total.latency_ms.max") == 0,
          "then the totals, wallets to latency_ms.max");
    size_t first_city = 1 + n_total;
    char want[128];
    snprintf(want, sizeof want, "cities.%s.wallets", s->cities[0].id);
    check(strcmp(c->entries[first_city].name, want) == 0, "then %s", want);
    snprintf(want, sizeof want, "cities.%s.refused.per_day", s->cities[1].id);
    check(strcmp(c->entries[first_city + n_city + 13].name, want) == 0 &&
              strcmp(c->entries[first_city + n_city + 13].leaf, "refused.per_day") == 0,
          "a nested leaf keeps its dot: %s", want);
    size_t iv = first_city + s->n_cities * n_city;
    snprintf(want, sizeof want, "interventions.%s.registrations", s->interventions[0].id);
    check(strcmp(c->entries[iv].name, want) == 0 && c->entries[iv].section == CATALOG_INTERVENTION,
          "then the interventions: %s", want);
    check(strcmp(c->entries[c->n - 5].name, "money.issued_fen") == 0 &&
              strcmp(c->entries[c->n - 1].name, "money.wallets_fen") == 0,
          "and the money last");
    check(c->entries[catalog_find(c, "total.payments_failed")].better == CATALOG_LOWER &&
              c->entries[catalog_find(c, "total.adoption")].better == CATALOG_HIGHER &&
              c->entries[catalog_find(c, "total.tps_mean")].better == CATALOG_NEITHER,
          "directions: failures lower, adoption higher, throughput neither");
    check(catalog_find(c, "total.refused.balance") < 0 && catalog_find(c, "nonsense") < 0,
          "a metric without a total has no total entry; unknown names are -1");
    /* timeseries.csv's columns: the contract's first, then later additions */
    static const char *const columns[] = {"wallets",
                                          "active_users",
                                          "adoption",
                                          "merchants_accepting",
                                          "payments",
                                          "payments_failed",
                                          "value_fen",
                                          "tps_mean",
                                          "tps_peak",
                                          "latency_p50_ms",
                                          "latency_p99_ms",
                                          "payments_refused",
                                          "payments_offline",
                                          "ecny_share",
                                          "circulation_fen",
                                          "wallets_corporate",
                                          "payments_corporate",
                                          "value_corporate_fen",
                                          "wallets_personal"};
    int ok = catalog_n_columns() == test_len(columns) && catalog_column(test_len(columns)) == NULL;
    for (size_t k = 0; ok && k < test_len(columns); k++)
        ok = strcmp(catalog_column(k)->column, columns[k]) == 0;
    check(ok, "timeseries.csv's 19 columns in their documented order");
}

/* Every value of a small run under its name, read back from model_result. */
static void test_values(const struct scenario *s, const struct catalog *c)
{
    struct model_result *r = model_run(s, 0, NULL, NULL);
    struct outcome o;
    int ok = r && trial_outcome(s, r, 1, &o) == 0;
    check(ok, "a small run measured");
    if (!ok) {
        model_result_free(r);
        return;
    }
    check(o.n_scalars == c->n && o.n_rows == r->series.n_rows && o.n_cols == 19,
          "one value per catalog entry, every row, 19 columns");
    check(value(c, &o, "events") == (double)r->events, "events");
    const struct city_result *x = &r->cities[1];
    char name[128];
    snprintf(name, sizeof name, "cities.%s.wallets", s->cities[1].id);
    check(value(c, &o, name) == (double)x->wallets, "%s", name);
    snprintf(name, sizeof name, "cities.%s.adoption", s->cities[1].id);
    check(value(c, &o, name) == x->adoption, "%s", name);
    snprintf(name, sizeof name, "cities.%s.refused.per_payment", s->cities[1].id);
    check(value(c, &o, name) == (double)x->refused_per_payment, "%s", name);
    snprintf(name, sizeof name, "cities.%s.latency_ms.p99", s->cities[1].id);
    check(same(value(c, &o, name), x->latency->count ? hist_quantile(x->latency, 0.99) * 1e3 : NAN),
          "%s", name);
    snprintf(name, sizeof name, "cities.%s.latency_ms.max", s->cities[1].id);
    check(same(value(c, &o, name), x->latency->count ? hist_max(x->latency) * 1e3 : NAN), "%s",
          name);
    double wallets = 0, holders = 0, pop = 0;
    for (size_t i = 0; i < s->n_cities; i++) {
        wallets += (double)r->cities[i].wallets;
        holders += (double)r->cities[i].holders;
        pop += (double)r->cities[i].population;
    }
    check(value(c, &o, "total.wallets") == wallets, "total.wallets sums the cities");
    check(value(c, &o, "total.adoption") == holders / pop, "total.adoption: holders / population");
    check(value(c, &o, "total.tps_peak") == r->tps_peak, "total.tps_peak is the run's");
    check(value(c, &o, "money.reclaimed_fen") == (double)r->money.reclaimed_fen &&
              value(c, &o, "money.wallets_fen") == (double)r->money.wallets_fen,
          "money counters");
    snprintf(name, sizeof name, "interventions.%s.winners", s->interventions[0].id);
    check(value(c, &o, name) == (double)r->interventions[0].winners, "%s", name);
    snprintf(name, sizeof name, "interventions.%s.spent_share", s->interventions[0].id);
    check(value(c, &o, name) == r->interventions[0].spent_share &&
              r->interventions[0].spent_share > 0,
          "%s (a share, %g)", name, r->interventions[0].spent_share);
    /* A row: time, city, then the columns in order. */
    size_t last = o.n_rows - 1;
    const double *row = outcome_row(&o, last);
    const struct ts_row *w = &r->series.rows[last];
    check(row[0] == w->time_s && row[1] == w->city && row[2] == (double)w->wallets &&
              row[2 + 2] == w->adoption && same(row[2 + 10], w->latency_p99_ms) &&
              row[2 + 14] == (double)w->circulation_fen,
          "the last row: time, city, wallets, adoption, latency_p99_ms, circulation_fen");
    /* the wire form */
    size_t n;
    double *buf = outcome_pack(&o, &n);
    struct outcome back;
    ok = buf && outcome_unpack(buf, n, &back) == 0;
    check(ok && back.n_scalars == o.n_scalars && back.n_rows == o.n_rows &&
              back.n_cols == o.n_cols && back.complete == o.complete &&
              memcmp(back.values, o.values,
                     (o.n_scalars + o.n_rows * (2 + o.n_cols)) * sizeof *o.values) == 0,
          "pack and unpack give the same outcome");
    struct outcome bad;
    check(buf && outcome_unpack(buf, n - 1, &bad) < 0, "a short message is refused");
    if (ok)
        outcome_destroy(&back);
    free(buf);
    outcome_destroy(&o);
    model_result_free(r);
}

/* Totals over cities on made-up records, against sums by hand. */
static void test_totals(const struct scenario *s, const struct catalog *c)
{
    struct city_result cities[SCENARIO_MAX_CITIES];
    struct hist *h = calloc(s->n_cities, sizeof *h);
    struct intervention_result *ivs = calloc(s->n_interventions, sizeof *ivs);
    struct money m = {100, 20, 5, 75, 75};
    memset(cities, 0, sizeof cities);
    for (size_t i = 0; h && i < s->n_cities; i++) {
        hist_init(&h[i]);
        cities[i].latency = &h[i];
        cities[i].population = 1000 * (int64_t)(i + 1); /* 1000, 2000, ... */
        cities[i].wallets = 150; /* 120 people's (80 holders) and 30 corporate */
        cities[i].wallets_personal = 120;
        cities[i].wallets_corporate = 30;
        cities[i].holders = 80;
        cities[i].payments = 30 * (int64_t)(i + 1); /* 30, 60, ... */
        cities[i].payments_corporate = 10 * (int64_t)(i + 1);
        cities[i].retail_payments = 20 * (int64_t)(i + 1); /* people's: 20, 40, ... */
        cities[i].ecny_share = 0.5;                        /* of 40, 80, ... */
        cities[i].tps_mean = 1.5;
    }
    if (h) {
        hist_record(&h[0], 0.010); /* 10 ms in the first */
        hist_record(&h[2], 0.030); /* 30 ms in the third */
    }
    struct outcome_records rec = {cities, ivs, &m, NULL, 7.25, 42, 9, 1};
    struct outcome o;
    int ok = h && ivs && outcome_fill(s, &rec, &o) == 0;
    check(ok, "made-up records measured");
    if (ok) {
        double n = (double)s->n_cities, pop = 1000 * n * (n + 1) / 2;
        check(o.n_rows == 0 && value(c, &o, "events") == 42 && o.payments_sim == 9,
              "no series without one; events and payments as given");
        check(value(c, &o, "total.wallets") == 150 * n &&
                  value(c, &o, "total.wallets_personal") == 120 * n &&
                  value(c, &o, "total.wallets_corporate") == 30 * n,
              "total.wallets: %g, of them personal %g and corporate %g", 150 * n, 120 * n, 30 * n);
        check(value(c, &o, "total.adoption") == 80 * n / pop,
              "total.adoption: holders %g / %g (not sub-wallets, no corporate wallet)", 80 * n,
              pop);
        check(value(c, &o, "total.ecny_share") == 0.5,
              "total.ecny_share: people's payments over theirs by every method");
        check(value(c, &o, "total.tps_mean") == 1.5 * n && value(c, &o, "total.tps_peak") == 7.25,
              "tps_mean sums, tps_peak is the run's");
        check_near(value(c, &o, "total.latency_ms.max"), 30, 0.2,
                   "latency merges the cities' histograms");
        char name[128];
        snprintf(name, sizeof name, "cities.%s.latency_ms.p50", s->cities[1].id);
        check(isnan(value(c, &o, name)), "a city without payments has no latency (NaN)");
        check(value(c, &o, "money.redeemed_fen") == 20, "money as given");
        outcome_destroy(&o);
    }
    free(h);
    free(ivs);
}

/* Three replications summarized: mean, sd and interval by hand. */
static void test_summary(void)
{
    static double a[] = {1, 10, 100}, b[] = {2, 20, 200}, d[] = {6, 30, NAN};
    struct outcome reps[3] = {{.values = a, .n_scalars = 3, .complete = 1, .payments_sim = 1},
                              {.values = b, .n_scalars = 3, .complete = 1, .payments_sim = 2},
                              {.values = d, .n_scalars = 3, .complete = 0, .payments_sim = 3}};
    struct outcome_summary *s = outcome_summarize(reps, 3);
    check(s != NULL, "three replications summarized");
    if (!s)
        return;
    /* x = 1, 2, 6: mean 3, sd sqrt(7), t(0.975, 2) = 4.302653 */
    check(s->scalars[0].mean == 3 && fabs(s->scalars[0].sd - sqrt(7.0)) < 1e-12,
          "mean 3 and sd sqrt(7) (%g %g)", s->scalars[0].mean, s->scalars[0].sd);
    check_near(s->scalars[0].hi, 3 + 4.302652730 * sqrt(7.0) / sqrt(3.0), 1e-6,
               "a Student t interval with 2 degrees of freedom");
    check(s->scalars[2].n == 2 && s->scalars[2].mean == 150,
          "an undefined value is left out (150 over 2)");
    check(!s->complete && s->events_total == 9 && s->payments_sim == 6,
          "complete only if every replication is; events and payments summed");
    outcome_summary_free(s);
    reps[1].n_scalars = 2;
    check(outcome_summarize(reps, 3) == NULL, "replications of different sizes are refused");
}

int main(void)
{
    test_plan(43);
    struct scenario *s = scenario_load("tests/data/tiny.yaml", NULL, 0, stderr);
    struct catalog *c = s ? catalog_new(s) : NULL;
    if (!c) {
        printf("Bail out! cannot load tests/data/tiny.yaml\n");
        return 1;
    }
    test_order(s, c);
    test_values(s, c);
    test_totals(s, c);
    test_summary();
    catalog_free(c);
    scenario_free(s);
    return test_done();
}
