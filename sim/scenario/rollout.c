/* rollout.c: a scenario's interventions (see rollout.h).
 *
 * Each item is walked with its kind's table (keys.c), then the keys that
 * need code: its city or operator by id, a lottery's amounts and operator
 * shares, its windows. The rules between an intervention and the rest of
 * the scenario (counts against its city, dates inside the horizon) are
 * crosscheck.c's. */
#include "scenario/rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/crosscheck.h"
#include "scenario/keys.h"
#include "scenario/roster.h"
#include "scenario/units.h"

#define MAX_AMOUNTS 1000 /* a lottery's list of envelope amounts */

/* The window {from, until} of entry f: from < until, inside the horizon. */
static void read_window(struct loader *L, const struct ytree *item, const char *path,
                        const struct schema_field *f, struct keys_window *w)
{
    const char *key = f->key;
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(item, key, &p);
    char sub[256], a[UNITS_BUF], b[UNITS_BUF];
    unsigned seen;

    if (!v) {
        schema_fail(&L->w, &item->mark, path,
                    "missing required key '%s' (expected {from: "
                    "DATE, until: DATE})",
                    key);
        return;
    }
    schema_path(sub, sizeof sub, path, key);
    if (schema_walk(&L->w, v, sub, &p->key_mark, f->sub, w, &seen) || seen != 3 ||
        !L->w.origin_ok || !L->duration_ok)
        return;
    units_fmt_date(a, L->s->start_unix + (int64_t)w->from);
    units_fmt_date(b, L->s->start_unix + (int64_t)w->until);
    if (w->from >= w->until)
        schema_fail(&L->w, &v->mark, sub,
                    "from %s is not before until %s (expected from < "
                    "until)",
                    a, b);
    else if (w->from < 0 || w->until > L->s->duration_s)
        schema_fail(&L->w, &v->mark, sub,
                    "%s .. %s is outside the scenario (expected dates "
                    "from start to start + duration)",
                    a, b);
}

/* amount: one sum in yuan, or a list of them (drawn uniformly per winner). */
static void read_amounts(struct loader *L, const struct ytree *item, const char *path,
                         struct intervention *iv)
{
    const struct schema_field *money = schema_key(&keys_kinds[iv->kind], "amount");
    const struct ytree *v = ytree_get(item, "amount", NULL);
    char sub[256], el[280];
    size_t i, n = 1;

    if (!v) {
        schema_fail(&L->w, &item->mark, path,
                    "missing required key 'amount' (expected yuan, "
                    "like 200, or a list, like [178, 238])");
        return;
    }
    schema_path(sub, sizeof sub, path, "amount");
    if (v->kind == YTREE_SEQ && (!v->n || v->n > MAX_AMOUNTS)) {
        schema_fail(&L->w, &v->mark, sub, "a list of %zu amounts (expected 1 to %d)", v->n,
                    MAX_AMOUNTS);
        return;
    }
    if (v->kind == YTREE_SEQ)
        n = v->n;
    if (!(iv->amounts_fen = calloc(n, sizeof *iv->amounts_fen)))
        return;
    iv->n_amounts = n;
    for (i = 0; i < n; i++) {
        snprintf(el, sizeof el, v->kind == YTREE_SEQ ? "%s[%zu]" : "%s", sub, i);
        schema_value(&L->w, v->kind == YTREE_SEQ ? v->items[i].val : v, el, money,
                     &iv->amounts_fen[i]);
    }
}

/* city: the id of a city already read; absent: -1, an error if `required`. */
static void read_city(struct loader *L, const struct ytree *item, const char *path,
                      struct intervention *iv, int required)
{
    const struct scenario *s = L->s;
    const struct ytree *v = ytree_get(item, "city", NULL);
    const char *names[SCENARIO_MAX_CITIES];
    size_t k;

    for (k = 0; k < s->n_cities; k++)
        names[k] = s->cities[k].id;
    if (!v) {
        if (required)
            schema_fail(&L->w, &item->mark, path,
                        "missing required key 'city' (expected a "
                        "city id)");
    } else if (v->kind != YTREE_SCALAR) {
        schema_fail(&L->w, &v->mark, path, "city: got %s (expected a city id)", schema_kind(v));
    } else if ((iv->city = roster_city(s, v->text)) < 0) {
        loader_unknown_id(L, &v->mark, path, "city", v->text, names, s->n_cities);
    }
}

/* `key` naming an operator, or the ledger when `ledger_ok` (stored as -1). */
static void read_operator(struct loader *L, const struct ytree *item, const char *path,
                          const char *key, int ledger_ok, struct intervention *iv)
{
    const struct scenario *s = L->s;
    const struct ytree *v = ytree_get(item, key, NULL);
    const char *names[SCENARIO_MAX_OPERATORS + 1];
    size_t k, n = 0;

    for (k = 0; k < s->n_operators; k++)
        names[n++] = s->operators[k].id;
    if (ledger_ok)
        names[n++] = "ledger";
    if (!v)
        schema_fail(&L->w, &item->mark, path,
                    "missing required key '%s' (expected an operator "
                    "id%s)",
                    key, ledger_ok ? " or ledger" : "");
    else if (v->kind != YTREE_SCALAR)
        schema_fail(&L->w, &v->mark, path, "%s: got %s (expected an operator id)", key,
                    schema_kind(v));
    else if (ledger_ok && !strcmp(v->text, "ledger"))
        iv->operator= - 1;
    else if ((iv->operator= roster_operator(s, v->text)) < 0)
        loader_unknown_id(L, &v->mark, path, "operator", v->text, names, n);
}

/* A lottery's own keys: city, ticket, amounts, windows and shares. */
static void load_lottery(struct loader *L, const struct ytree *item, const char *path,
                         struct intervention *iv)
{
    const struct scenario *s = L->s;
    const struct ytree *ops;
    const struct schema_table *t = &keys_kinds[INTERVENTION_LOTTERY];
    struct keys_window reg = {0, 0}, spend = {0, 0};
    char sub[280];

    read_city(L, item, path, iv, 1);
    schema_section(&L->w, item, path, schema_key(t, "ticket"), iv);
    read_amounts(L, item, path, iv);
    read_window(L, item, path, schema_key(t, "registration"), &reg);
    read_window(L, item, path, schema_key(t, "spending"), &spend);
    iv->registration_from_s = reg.from;
    iv->registration_until_s = reg.until;
    iv->spend_from_s = spend.from;
    iv->spend_until_s = spend.until;
    if (reg.from < reg.until && spend.from < spend.until && spend.from < reg.until)
        schema_fail(&L->w, &ytree_get(item, "spending", NULL)->mark, path,
                    "spending starts "
                    "before registration ends (expected spending.from >= registration.until)");
    if ((ops = ytree_get(item, "operators", NULL)) && s->n_operators) {
        if (!(iv->operator_share = calloc(s->n_operators, sizeof(double))))
            return;
        roster_shares(L, ops, schema_path(sub, sizeof sub, path, "operators"), iv->operator_share);
    }
}

/* The keys that need code, by kind, once the table's keys are read. */
static void load_kind(struct loader *L, const struct ytree *item, const char *path,
                      struct intervention *iv)
{
    const struct schema_table *t = &keys_kinds[iv->kind];
    struct keys_window w = {0, 0};

    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        load_lottery(L, item, path, iv);
        crosscheck_counts(L, item, path, iv);
        return;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        read_city(L, item, path, iv, 1);
        read_window(L, item, path, schema_key(t, "window"), &w);
        crosscheck_counts(L, item, path, iv);
        break;
    case INTERVENTION_SALARY:
        read_city(L, item, path, iv, 1);
        crosscheck_counts(L, item, path, iv);
        crosscheck_every(L, item, path, iv);
        crosscheck_inside(L, item, path, "at", iv->at_s);
        crosscheck_inside(L, item, path, "until", iv->until_s);
        if (iv->until_s < iv->at_s && ytree_get(item, "until", NULL))
            schema_fail(&L->w, &ytree_get(item, "until", NULL)->mark, path,
                        "until is before "
                        "at (expected until >= at)");
        return;
    case INTERVENTION_WALLET_LIMITS: {
        /* A limit not given keeps the class's value from `wallets:`. */
        const struct wallet_class *was;
        if (iv->wallet_class < 1 || iv->wallet_class > WALLET_CLASSES)
            return;
        was = &L->s->wallet_classes[iv->wallet_class - 1];
        if (iv->limits.balance_fen < 0)
            iv->limits.balance_fen = was->balance_fen;
        if (iv->limits.per_payment_fen < 0)
            iv->limits.per_payment_fen = was->per_payment_fen;
        if (iv->limits.per_day_fen < 0)
            iv->limits.per_day_fen = was->per_day_fen;
        crosscheck_inside(L, item, path, "at", iv->at_s);
        return;
    }
    case INTERVENTION_OPERATOR_JOINS:
        read_operator(L, item, path, "operator", 0, iv);
        crosscheck_inside(L, item, path, "at", iv->at_s);
        return;
    case INTERVENTION_APP_OPENS:
        read_city(L, item, path, iv, 0);
        crosscheck_inside(L, item, path, "at", iv->at_s);
        return;
    case INTERVENTION_PEAK:
        read_city(L, item, path, iv, 0);
        read_window(L, item, path, schema_key(t, "window"), &w);
        break;
    case INTERVENTION_OUTAGE:
        read_operator(L, item, path, "target", 1, iv);
        read_window(L, item, path, schema_key(t, "window"), &w);
        break;
    }
    iv->from_s = w.from;
    iv->until_s = w.until;
}

/* Defaults of every intervention field; docs/scenarios.md gives sources. */
static void intervention_defaults(struct intervention *iv, const struct scenario *s)
{
    iv->propensity = 0.11;   /* about 11% of a city registered */
    iv->claim_share = 0.956; /* Futian 2021's claims (95.6%; Suzhou's 96.6% a check) */
    iv->spend_rate = 1.37;   /* fitted to Futian 2021's share spent: docs/model.md */
    iv->spend_sigma = 0.5;   /* assumption: docs/model.md, Red-envelope lotteries */
    iv->ticket_ratio = 1.03; /* fitted to Futian 2021 */
    iv->ticket_sigma = 0.15; /* fitted to Futian 2021 */
    iv->merchants = 10000;   /* Futian, Suzhou, Chengdu: 10,000-11,000 */
    iv->merchant_half = 1;   /* assumption: a store within a short walk (docs/model.md) */
    iv->online_weight = 0.6; /* NBS 2020 online retail share among CNNIC online shoppers */
    iv->city = -1;
    iv->operator= - 1;
    iv->multiplier = 1;
    iv->adoption_boost = 1; /* an operator joining changes no hazard unless told */
    iv->until_s = s->duration_s;
    iv->wallet_class = 4;
    iv->limits.balance_fen = iv->limits.per_payment_fen = iv->limits.per_day_fen = -1;
}

/* One intervention: its kind picks the table, then the kind's own keys. */
static void load_intervention(struct loader *L, const struct ytree *item, size_t i,
                              struct intervention *iv)
{
    const struct scenario *s = L->s;
    const struct ytree *id = ytree_get(item, "id", NULL), *kind = ytree_get(item, "kind", NULL);
    const struct schema_table *ks = &keys_kinds[INTERVENTION_LOTTERY]; /* the default kind */
    char path[256];
    size_t k;

    intervention_defaults(iv, s);
    snprintf(path, sizeof path, "interventions[%zu]", i);
    if (id && id->kind == YTREE_SCALAR && *id->text) /* name it by its id */
        schema_path(path, sizeof path, "interventions", id->text);
    if (kind && kind->kind == YTREE_SCALAR)
        for (k = 0; keys_kind_names[k]; k++)
            if (!strcmp(kind->text, keys_kind_names[k]))
                ks = &keys_kinds[k];
    if (schema_walk(&L->w, item, path, &item->mark, ks, iv, NULL))
        return;
    if (iv->kind != (enum intervention_kind)(ks - keys_kinds))
        return; /* a bad kind was reported; its keys would only add noise */
    if (iv->id && !loader_check_id(L, &id->mark, path, iv->id))
        for (k = 0; s->interventions + k < iv; k++)
            if (s->interventions[k].id && !strcmp(s->interventions[k].id, iv->id))
                schema_fail(&L->w, &id->mark, path,
                            "duplicate id '%s' (expected each "
                            "intervention id once)",
                            iv->id);
    load_kind(L, item, path, iv);
}

void rollout_load(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "interventions", NULL);
    struct scenario *s = L->s;
    size_t i;

    if (!v)
        return;
    if (v->kind != YTREE_SEQ || v->n > SCENARIO_MAX_INTERVENTIONS) {
        schema_fail(&L->w, &v->mark, "interventions",
                    "got %s (expected a list of at most %d "
                    "interventions, each starting with '- id:')",
                    schema_kind(v), SCENARIO_MAX_INTERVENTIONS);
        return;
    }
    if (!v->n || !(s->interventions = calloc(v->n, sizeof *s->interventions)))
        return;
    for (i = 0; i < v->n && !ytree_full(L->w.c); i++)
        load_intervention(L, v->items[i].val, i, &s->interventions[s->n_interventions++]);
    crosscheck_campaigns(L);
}
