/* catalog: the tables of metrics and a scenario's dotted names.
 *
 * catalog_city is the one list of city metrics: summary.json's cities and
 * total, timeseries.csv's columns and every dotted name derive from it. A
 * row's column_at places its column in timeseries.csv (the contract's
 * columns first, later additions after, docs/outputs.md): a new metric with
 * a column takes the next place. */
#include "metrics/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CITY(f) offsetof(struct city_result, f)
#define ROW(f) offsetof(struct ts_row, f)
#define NONE CATALOG_NONE
#define STOCK CATALOG_STOCK
#define FLOW CATALOG_FLOW
#define COUNT CATALOG_COUNT
#define SHARE CATALOG_SHARE
#define RATE CATALOG_RATE
#define LATENCY CATALOG_LATENCY
#define HIGHER CATALOG_HIGHER
#define LOWER CATALOG_LOWER
#define NEITHER CATALOG_NEITHER
/* A count summed over cities, with its column; one without a column or total. */
#define SUMMED(f, at, unit, kind, better, label)                                            \
    {                                                                                       \
#f, #f, at, unit, kind, COUNT, CATALOG_SUM, better, CITY(f), ROW(f), NONE, 0, label \
    }
#define CITY_ONLY(name, f, unit, better, label)                                                \
    {                                                                                          \
        name, NULL, NONE, unit, FLOW, COUNT, CATALOG_NO_TOTAL, better, CITY(f), NONE, NONE, 0, \
            label                                                                              \
    }

static const struct catalog_metric city[] = {
    /* name, column, its place, unit, kind, type, total, better, offsets, q, label */
    SUMMED(wallets, 0, "wallets", STOCK, HIGHER, "wallets opened"),
    SUMMED(wallets_personal, 18, "wallets", STOCK, HIGHER, "personal wallets"),
    SUMMED(wallets_corporate, 15, "wallets", STOCK, HIGHER, "corporate wallets"),
    SUMMED(active_users, 1, "users", STOCK, HIGHER, "active users"),
    {"adoption", "adoption", 2, "share of the population", STOCK, SHARE, CATALOG_PER_PERSON, HIGHER,
     CITY(adoption), ROW(adoption), CITY(holders), 0, "adoption"},
    SUMMED(merchants_accepting, 3, "merchants", STOCK, HIGHER, "merchants accepting e-CNY"),
    SUMMED(payments, 4, "payments", FLOW, HIGHER, "e-CNY payments"),
    SUMMED(payments_corporate, 16, "payments", FLOW, HIGHER, "corporate wallets' payments"),
    SUMMED(payments_failed, 5, "payments", FLOW, LOWER, "failed payments"),
    CITY_ONLY("payments_in_flight", payments_in_flight, "payments", NEITHER,
              "payments in flight at the end"),
    SUMMED(payments_refused, 11, "payments", FLOW, LOWER, "payments refused by a wallet limit"),
    CITY_ONLY("refused.balance", refused_balance, "payments", LOWER,
              "payments refused: balance limit"),
    CITY_ONLY("refused.per_payment", refused_per_payment, "payments", LOWER,
              "payments refused: per-payment limit"),
    CITY_ONLY("refused.per_day", refused_per_day, "payments", LOWER,
              "payments refused: daily limit"),
    {"payments_offline", "payments_offline", 12, "payments", FLOW, COUNT, CATALOG_NO_TOTAL, NEITHER,
     CITY(payments_offline), ROW(payments_offline), NONE, 0, "offline payments"},
    CITY_ONLY("transfers", transfers, "payments", NEITHER, "transfers to another person"),
    SUMMED(value_fen, 6, "fen", FLOW, HIGHER, "value of e-CNY payments"),
    SUMMED(value_corporate_fen, 17, "fen", FLOW, HIGHER, "value paid by corporate wallets"),
    {"ecny_share", "ecny_share", 13, "share of payments", FLOW, SHARE, CATALOG_SHARE_OF_ALL, HIGHER,
     CITY(ecny_share), ROW(ecny_share), CITY(retail_payments), 0, "e-CNY share of payments"},
    SUMMED(circulation_fen, 14, "fen", STOCK, HIGHER, "e-CNY in circulation"),
    {"tps_mean", "tps_mean", 7, "payments/s", FLOW, RATE, CATALOG_SUM, NEITHER, CITY(tps_mean),
     ROW(tps_mean), NONE, 0, "mean throughput"},
    {"tps_peak", "tps_peak", 8, "payments/s", FLOW, RATE, CATALOG_RUN_PEAK, LOWER, CITY(tps_peak),
     ROW(tps_peak), NONE, 0, "busiest-minute throughput"},
    {"latency_ms.p50", "latency_p50_ms", 9, "ms", FLOW, LATENCY, CATALOG_MERGED, LOWER,
     CITY(latency), ROW(latency_p50_ms), NONE, 0.5, "median latency"},
    {"latency_ms.p90", NULL, NONE, "ms", FLOW, LATENCY, CATALOG_NO_TOTAL, LOWER, CITY(latency),
     NONE, NONE, 0.9, "p90 latency"},
    {"latency_ms.p99", "latency_p99_ms", 10, "ms", FLOW, LATENCY, CATALOG_MERGED, LOWER,
     CITY(latency), ROW(latency_p99_ms), NONE, 0.99, "p99 latency"},
    {"latency_ms.p999", NULL, NONE, "ms", FLOW, LATENCY, CATALOG_NO_TOTAL, LOWER, CITY(latency),
     NONE, NONE, 0.999, "p99.9 latency"},
    {"latency_ms.p9999", NULL, NONE, "ms", FLOW, LATENCY, CATALOG_NO_TOTAL, LOWER, CITY(latency),
     NONE, NONE, 0.9999, "p99.99 latency"},
    {"latency_ms.max", NULL, NONE, "ms", FLOW, LATENCY, CATALOG_MERGED, LOWER, CITY(latency), NONE,
     NONE, 1, "maximum latency"},
};
#define N_CITY (sizeof city / sizeof city[0])

const struct catalog_metric *catalog_city(size_t *n)
{
    *n = N_CITY;
    return city;
}

/* Columns are few (a few dozen): a scan, hoisted out of row loops by the
 * writers. */
size_t catalog_n_columns(void)
{
    size_t n = 0;
    for (size_t i = 0; i < N_CITY; i++)
        n += city[i].column != NULL;
    return n;
}

const struct catalog_metric *catalog_column(size_t k)
{
    for (size_t i = 0; i < N_CITY; i++)
        if (city[i].column && city[i].column_at == k)
            return &city[i];
    return NULL;
}

/* Intervention outcomes by kind, named as in summary.json. Which way is
 * better is a matter of judgement: failures and reclaimed money are worse,
 * costs and counts of people paid are neither, the rest better. */
#define IV(f, better, label)                                              \
    {                                                                     \
#f, offsetof(struct intervention_result, f), better, COUNT, label \
    }
#define IV_SHARE(f, better, label)                                        \
    {                                                                     \
#f, offsetof(struct intervention_result, f), better, SHARE, label \
    }
static const struct catalog_field lottery_out[] = {
    IV(registrations, HIGHER, "registrations"),
    IV(winners, HIGHER, "winners"),
    IV(claimed, HIGHER, "envelopes claimed"),
    IV(new_wallets, HIGHER, "new wallets"),
    IV(payments, HIGHER, "winners' envelope payments"),
    IV(spent_fen, HIGHER, "envelope money spent"),
    IV(topup_spent_fen, HIGHER, "winners' own money spent"),
    IV(reclaimed_fen, LOWER, "envelope money reclaimed"),
    IV(online_payments, HIGHER, "online envelope payments"),
    IV(online_spent_fen, HIGHER, "envelope money spent online"),
    IV_SHARE(claimed_share, HIGHER, "share of envelopes claimed"),
    IV_SHARE(spent_share, HIGHER, "share of envelope money spent"),
    IV_SHARE(online_share, NEITHER, "share spent online"),
    IV(offline_users, NEITHER, "winners who paid offline")};
static const struct catalog_field campaign_out[] = {IV(onboarded, HIGHER, "merchants onboarded"),
                                                    IV(subsidy_fen, NEITHER, "subsidies paid")};
static const struct catalog_field salary_out[] = {IV(recipients, NEITHER, "people paid"),
                                                  IV(new_wallets, HIGHER, "new wallets"),
                                                  IV(paid_fen, NEITHER, "e-CNY paid")};
static const struct catalog_field joins_out[] = {IV(new_wallets, HIGHER, "new wallets")};
static const struct catalog_field window_out[] = {
    IV(window_payments, HIGHER, "payments in the window"),
    IV(window_failed, LOWER, "failed payments in the window")};

const struct catalog_field *catalog_intervention(enum intervention_kind kind, size_t *n)
{
#define TABLE(t) (*n = sizeof t / sizeof t[0], t)
    switch (kind) {
    case INTERVENTION_LOTTERY:
        return TABLE(lottery_out);
    case INTERVENTION_MERCHANT_CAMPAIGN:
        return TABLE(campaign_out);
    case INTERVENTION_SALARY:
        return TABLE(salary_out);
    case INTERVENTION_OPERATOR_JOINS:
        return TABLE(joins_out);
    case INTERVENTION_PEAK:
    case INTERVENTION_OUTAGE:
        return TABLE(window_out);
    case INTERVENTION_WALLET_LIMITS:
    case INTERVENTION_APP_OPENS:
        break;
    }
    *n = 0;
    return NULL;
#undef TABLE
}

#define MONEY(f, better, label)                             \
    {                                                       \
#f, offsetof(struct money, f), better, COUNT, label \
    }
static const struct catalog_field money[] = {
    MONEY(issued_fen, HIGHER, "e-CNY issued"), MONEY(redeemed_fen, NEITHER, "e-CNY redeemed"),
    MONEY(reclaimed_fen, LOWER, "envelope money reclaimed"),
    MONEY(circulation_fen, HIGHER, "e-CNY in circulation"),
    MONEY(wallets_fen, HIGHER, "e-CNY held in wallets")};

const struct catalog_field *catalog_money(size_t *n)
{
    *n = sizeof money / sizeof money[0];
    return money;
}

const char *catalog_better_name(enum catalog_better b)
{
    return b == HIGHER ? "higher" : b == LOWER ? "lower" : "neither";
}

/* The verdict combines the difference's direction (by its interval) with
 * the metric's: a significant rise is better for adoption, worse for
 * latency, and just "higher" for a flow with no preferred direction. */
const char *catalog_verdict(enum catalog_better better, const struct stats_summary *d)
{
    enum stats_direction dir = stats_direction_of(d);
    if (dir == STATS_SAME)
        return "no significant difference";
    if (better == NEITHER)
        return dir == STATS_HIGHER ? "higher" : "lower";
    return (dir == STATS_HIGHER) == (better == HIGHER) ? "better" : "worse";
}

/* ---- a scenario's catalog ---- */

/* Append one entry named prefix.id.leaf (empty parts left out); the name is
 * written into the catalog's storage at *pos. The first pass (names NULL)
 * only counts entries and bytes. */
static void add(struct catalog *c, size_t *pos, enum catalog_section sec, size_t owner,
                const char *prefix, const char *id, const char *leaf, enum catalog_better better,
                enum catalog_type type, const char *label, const char *unit)
{
    const char *sep1 = *id ? "." : "", *sep2 = *prefix ? "." : "";
    size_t head = strlen(prefix) + strlen(sep1) + strlen(id) + strlen(sep2);
    if (c->names) {
        char *name = c->names + *pos;
        sprintf(name, "%s%s%s%s%s", prefix, sep1, id, sep2, leaf);
        c->entries[c->n] =
            (struct catalog_entry){name, name + head, sec, owner, better, type, label, unit};
    }
    c->n++;
    *pos += head + strlen(leaf) + 1;
}

/* An outcome field's unit, from its name and type: money ends in _fen. */
static const char *field_unit(const struct catalog_field *f)
{
    size_t n = strlen(f->name);
    if (f->type == SHARE)
        return "share";
    if (n > 4 && strcmp(f->name + n - 4, "_fen") == 0)
        return "fen";
    return strstr(f->name, "payments") ? "payments" : "people";
}

/* Both passes over the catalog: the same walk, counting or filling. The
 * order is that of outcome_fill's values (outcome.c). */
static void walk(struct catalog *c, const struct scenario *s, size_t *pos)
{
    c->n = 0;
    *pos = 0;
    add(c, pos, CATALOG_TOP, 0, "", "", "events", NEITHER, COUNT, "events handled", "events");
    for (size_t j = 0; j < N_CITY; j++)
        if (city[j].total != CATALOG_NO_TOTAL)
            add(c, pos, CATALOG_TOTAL, 0, "total", "", city[j].name, city[j].better, city[j].type,
                city[j].label, city[j].unit);
    for (size_t i = 0; i < s->n_cities; i++)
        for (size_t j = 0; j < N_CITY; j++)
            add(c, pos, CATALOG_CITY, i, "cities", s->cities[i].id, city[j].name, city[j].better,
                city[j].type, city[j].label, city[j].unit);
    for (size_t i = 0; i < s->n_interventions; i++) {
        size_t n;
        const struct catalog_field *f = catalog_intervention(s->interventions[i].kind, &n);
        for (size_t j = 0; j < n; j++)
            add(c, pos, CATALOG_INTERVENTION, i, "interventions", s->interventions[i].id, f[j].name,
                f[j].better, f[j].type, f[j].label, field_unit(&f[j]));
    }
    for (size_t j = 0; j < sizeof money / sizeof money[0]; j++)
        add(c, pos, CATALOG_MONEY, 0, "money", "", money[j].name, money[j].better, COUNT,
            money[j].label, "fen");
}

/* Two passes: the first counts entries and name bytes, the second fills
 * one block of names, so a catalog is three allocations however large. */
struct catalog *catalog_new(const struct scenario *s)
{
    struct catalog *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    size_t bytes;
    walk(c, s, &bytes);
    c->entries = calloc(c->n, sizeof *c->entries);
    c->names = malloc(bytes);
    if (!c->entries || !c->names) {
        catalog_free(c);
        return NULL;
    }
    walk(c, s, &bytes);
    return c;
}

void catalog_free(struct catalog *c)
{
    if (!c)
        return;
    free(c->entries);
    free(c->names);
    free(c);
}

/* Linear: catalogs have a few hundred names and lookups happen while
 * loading or comparing, never per event. */
long catalog_find(const struct catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->entries[i].name, name) == 0)
            return (long)i;
    return -1;
}
