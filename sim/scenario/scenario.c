/* scenario.c: loading and writing a scenario (see scenario.h).
 *
 * scenario_load reads the file and its extends chain into one merged tree
 * (overlay.c), applies the --set overrides, then walks the tree with the
 * key tables of keys.c (schema.c) and fills in struct scenario. Every
 * default is set before the file is read, so a value that is missing or
 * wrong leaves the default in place and the walk goes on: one run reports
 * every error it can. This file drives the load in its fixed order (the
 * order errors are reported in) and holds the top-level sections; the
 * operators and cities are roster.c's, the interventions rollout.c's, and
 * the load-test section's parsing is here, in load_loadtest.
 * scenario_write writes the same tables back. */
#include "scenario/scenario.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/keys.h"
#include "scenario/loader.h"
#include "scenario/loadtest_spec.h"
#include "scenario/overlay.h"
#include "scenario/rollout.h"
#include "scenario/roster.h"
#include "scenario/slo_spec.h"
#include "scenario/typelimits.h"
#include "scenario/units.h"

#define MAX_DUR SCENARIO_MAX_DURATION_S
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The entry `key` of the top level: a section's table and place. */
static const struct schema_field *top(const char *key)
{
    return schema_key(&keys_top, key);
}

const char *scenario_kind_name(enum intervention_kind kind)
{
    return keys_kind_names[kind];
}

/* Default diurnal shape (an assumption, not a measurement): quiet at night,
 * a lunch peak at 12-13 and an evening peak at 18-20; normalized on load. */
static const double default_hourly[24] = {0.25, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.80,
                                          1.10, 1.20, 1.30, 1.50, 1.80, 1.60, 1.20, 1.10,
                                          1.20, 1.40, 1.80, 1.90, 1.70, 1.30, 0.90, 0.50};
static const double default_weekday[7] = {1, 1, 1, 1, 1.05, 1.15, 1.1};

/* Scale weights to mean 1. Weights that already have mean 1 to rounding are
 * left as they are, so that a written scenario reads back bit for bit. */
static void normalize(double *w, size_t n)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += w[i];
    if (fabs(sum - (double)n) <= (double)n * 1e-12)
        return;
    for (i = 0; i < n; i++)
        w[i] = w[i] * (double)n / sum;
}

/* Entry `key` of payments: a list of exactly n numbers >= 0, not all zero,
 * stored normalized (left alone on any error). */
static void read_weights(struct loader *L, const struct ytree *parent, const char *path,
                         const char *key, size_t n)
{
    const struct schema_field *weight = schema_key(top("payments")->sub, key);
    const struct ytree *v = ytree_get(parent, key, NULL);
    double *out = (double *)((char *)L->s + weight->off);
    double w[24], sum = 0;
    char sub[256], item[280];
    size_t i;
    int bad = 0;

    assert(n <= N(w));
    if (!v)
        return;
    schema_path(sub, sizeof sub, path, key);
    if (v->kind != YTREE_SEQ || v->n != n) {
        schema_fail(&L->w, &v->mark, sub,
                    "got %s%s (expected a list of exactly %zu numbers "
                    ">= 0)",
                    schema_kind(v), v->kind == YTREE_SEQ ? " of another length" : "", n);
        return;
    }
    for (i = 0; i < n; i++) {
        snprintf(item, sizeof item, "%s[%zu]", sub, i);
        bad |= schema_value(&L->w, v->items[i].val, item, weight, &w[i]);
        if (!bad)
            sum += w[i];
    }
    if (bad)
        return;
    if (sum == 0 || !isfinite(sum)) {
        char a[UNITS_BUF];
        schema_fail(&L->w, &v->mark, sub,
                    "the weights sum to %s (expected a positive finite "
                    "sum)",
                    units_fmt_number(a, sum));
        return;
    }
    normalize(w, n);
    memcpy(out, w, n * sizeof *w);
}

/* wallets: class1 .. class4, each with its limits and its share of new
 * wallets; the shares sum to 1. */
static void load_wallets(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "wallets", NULL);
    const struct schema_table *classes = top("wallets")->sub;
    struct scenario *s = L->s;
    double sum = 0;
    char q[UNITS_BUF];
    size_t i;

    if (!v || schema_walk(&L->w, v, "wallets", NULL, classes, s, NULL))
        return;
    for (i = 0; i < WALLET_CLASSES; i++) /* the classes: the table's first entries */
        schema_section(&L->w, v, "wallets", &classes->fields[i], s);
    for (i = 0; i < WALLET_CLASSES; i++)
        sum += s->wallet_classes[i].share;
    if (fabs(sum - 1) > LOADER_SHARE_SUM_TOL)
        schema_fail(&L->w, &v->mark, "wallets",
                    "the classes' shares of new wallets sum to %s "
                    "(expected a sum of 1)",
                    units_fmt_number(q, sum));
}

/* loadtest: the table's keys, then the profile and SLO through the load
 * tester's own parsers, so that a bad one is reported at its line. */
static void load_loadtest(struct loader *L, const struct ytree *root)
{
    struct loadtest_spec *lt = &L->s->loadtest;
    const struct ytree *v = schema_section(&L->w, root, "", top("loadtest"), L->s);
    struct loadtest_profile profile;
    struct slo slo;
    char why[256];

    if (!v)
        return;
    if (schema_section(&L->w, v, "loadtest", schema_key(top("loadtest")->sub, "retries"), lt))
        lt->has_retries = 1;
    if (lt->profile && loadtest_spec_profile(lt->profile, &profile, why, sizeof why) < 0)
        schema_fail(&L->w, &ytree_get(v, "profile", NULL)->mark, "loadtest.profile", "%s", why);
    else if (lt->profile && loadtest_spec_duration(&profile) > MAX_DUR)
        schema_fail(&L->w, &ytree_get(v, "profile", NULL)->mark, "loadtest.profile",
                    "'%s' "
                    "lasts more than 100y (expected a profile of at most 100y)",
                    ytree_quote(why, sizeof why, lt->profile, strlen(lt->profile)));
    if (lt->slo && slo_spec_parse(lt->slo, &slo, why, sizeof why) < 0)
        schema_fail(&L->w, &ytree_get(v, "slo", NULL)->mark, "loadtest.slo", "%s", why);
}

/* Every default, before the file is read; see docs/scenarios.md for sources. */
static void set_defaults(struct scenario *s)
{
    s->seed = 1;
    s->step_s = 86400;
    s->sample = 1;
    s->innovation = 0.02;
    s->imitation = 0.35;
    s->merchant_effect = 1.0;
    s->dormancy_s = 30 * 86400;
    s->merchant_innovation = 0.05;
    s->merchant_imitation = 0.6;
    s->payments_per_day = 1.6; /* PBoC 2020: 827.3 bn payments / population */
    s->ecny_preference = 0.2;
    s->concentration = 1;      /* neutral: e-CNY reaches A, as before */
    s->corp_concentration = 1; /* neutral: every corporate wallet alike */
    s->ticket_median_fen = 5000;
    s->ticket_sigma = 1.0;
    memcpy(s->hourly, default_hourly, sizeof s->hourly);
    memcpy(s->weekday, default_weekday, sizeof s->weekday);
    normalize(s->hourly, 24);
    normalize(s->weekday, 7);
    s->topup_fen = 10000;
    s->aware_boost = 3;      /* an assumption: docs/model.md */
    s->transfer_share = 0.1; /* an assumption: docs/model.md */
    s->offline_share = 0.5;
    s->offline_sync_s = 3600;
    /* Corporate wallets (docs/model.md, "Corporate wallets"): no adoption
     * unless a scenario sets it, so that scenarios without it keep their
     * outputs; their payments are assumptions of order of magnitude, placed
     * from the PBoC's June 2021 figures, for calibrate to fit. */
    s->corp_innovation = 0;
    s->corp_imitation = 0;
    s->corp_per_wallet_per_day = 0.01;
    s->corp_ticket_median_fen = 100000; /* 1,000 yuan */
    s->corp_ticket_sigma = 1.5;
    s->corp_salary_share = 0.25;
    /* Wallet classes (data notes, PBoC Jun 2021): class 4 (phone number only)
     * 10,000 / 2,000 / 5,000 yuan (H), class 3 20,000 / 5,000 / 10,000 (L),
     * class 2 500,000 / 50,000 / 100,000 (H), class 1 unlimited (L); new
     * wallets open in class 4. */
    s->wallet_classes[0] = (struct wallet_class){LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, 0};
    s->wallet_classes[1] = (struct wallet_class){50000000, 5000000, 10000000, 0};
    s->wallet_classes[2] = (struct wallet_class){2000000, 500000, 1000000, 0};
    s->wallet_classes[3] = (struct wallet_class){1000000, 200000, 500000, 1};
    s->ledger = (struct service){64, SERVICE_EXPONENTIAL, 0.005, 1, 10};
    s->loadtest.warmup_s = -1; /* not given: the load tester's default */
    s->loadtest.retries = (struct loadtest_retry){2, 1, 1};
    s->charts = 1;
}

/* The horizon: `duration:`, or `end:` (a date after start, at most 100y
 * later) in its place, never both; a horizon shorter than a day is kept but
 * warned of, since `6m` (six minutes) is easily meant as six months. */
static void load_horizon(struct loader *L, const struct ytree *root)
{
    struct scenario *s = L->s;
    const struct ytree *dur = ytree_get(root, "duration", NULL);
    const struct ytree *end = ytree_get(root, "end", NULL);
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];
    int64_t end_unix = 0;

    if (!dur && !end) {
        schema_fail(&L->w, &root->mark, NULL,
                    "missing required key 'duration' (expected a "
                    "duration like 365d, or an end date like end: 2021-04-01)");
        return;
    }
    if (dur && end) {
        schema_fail(&L->w, &end->mark, "end",
                    "both duration and end are given (expected one "
                    "of them)");
        L->duration_ok = 0;
        return;
    }
    if (end && !schema_value(&L->w, end, "end", top("end"), &end_unix) && L->w.origin_ok) {
        units_fmt_date(a, end_unix);
        units_fmt_date(b, s->start_unix);
        if (end_unix <= s->start_unix)
            schema_fail(&L->w, &end->mark, "end",
                        "%s is not after start %s (expected an end "
                        "after start)",
                        a, b);
        else if ((double)(end_unix - s->start_unix) > MAX_DUR)
            schema_fail(&L->w, &end->mark, "end",
                        "%s is more than 100y after start %s "
                        "(expected a horizon of at most 100y)",
                        a, b);
        else {
            s->duration_s = (double)(end_unix - s->start_unix);
            L->duration_ok = 1;
        }
    }
    if (L->duration_ok && s->duration_s < 86400) {
        units_fmt_span(a, s->duration_s);
        /* The hint on units is for a duration; an end: date has none. */
        if (dur)
            loader_warn(L,
                        "duration: the horizon is %s, shorter than a day (the unit m is "
                        "minutes: write months as days, weeks (w) or years (y), or give an "
                        "end: date)",
                        a);
        else
            loader_warn(L, "end: the horizon is %s, shorter than a day (end: %s, start: %s)", a,
                        units_fmt_date(b, end_unix), units_fmt_date(c, s->start_unix));
    }
}

/* The whole tree: top-level keys first (start is the origin of every other
 * date), then the sections, then operators before cities before
 * interventions, each needing the ones before. */
static void load_root(struct loader *L, const struct ytree *root)
{
    struct scenario *s = L->s;
    const struct ytree *sec;
    unsigned seen = 0;

    schema_walk(&L->w, root, "", NULL, &keys_top, s, &seen);
    L->w.origin = s->start_unix;
    L->w.origin_ok = (seen >> KEYS_TOP_START) & 1;
    L->duration_ok = (seen >> KEYS_TOP_DURATION) & 1;
    load_horizon(L, root);
    if (((seen >> KEYS_TOP_STEP) & 1) && L->duration_ok && s->step_s > s->duration_s)
        schema_fail(&L->w, &ytree_get(root, "step", NULL)->mark, "step",
                    "longer than "
                    "duration (expected a step <= duration)");
    if (!((seen >> KEYS_TOP_STEP) & 1) && L->duration_ok && s->duration_s < s->step_s)
        s->step_s = s->duration_s; /* a run shorter than a day: one bucket */
    if (!s->description && !(s->description = strdup("")))
        return;
    schema_section(&L->w, root, "", top("people"), s);
    if ((sec = schema_section(&L->w, root, "", top("adoption"), s))) {
        schema_section(&L->w, sec, "adoption", schema_key(top("adoption")->sub, "merchants"), s);
        schema_section(&L->w, sec, "adoption", schema_key(top("adoption")->sub, "corporate"), s);
    }
    if ((sec = schema_section(&L->w, root, "", top("payments"), s))) {
        const struct schema_field *corp = schema_key(top("payments")->sub, "corporate");
        const struct ytree *csec;
        schema_section(&L->w, sec, "payments", schema_key(top("payments")->sub, "ticket"), s);
        if ((csec = schema_section(&L->w, sec, "payments", corp, s)))
            schema_section(&L->w, csec, "payments.corporate", schema_key(corp->sub, "ticket"), s);
        read_weights(L, sec, "payments", "hourly", N(s->hourly));
        read_weights(L, sec, "payments", "weekday", N(s->weekday));
    }
    load_wallets(L, root);
    schema_section(&L->w, root, "", top("ledger"), s);
    schema_section(&L->w, root, "", top("outputs"), s);
    roster_load_operators(L, root);
    roster_load_cities(L, root);
    rollout_load(L, root);
    load_loadtest(L, root);
}

struct typelimits_site {
    struct loader *L;
    const struct ytree *root;
};

/* A value beyond a limit of the types (typelimits.c), reported at its key: the
 * deepest node of the key's path that the scenario has (a key left to its
 * default is reported at the mapping that would hold it). */
static void typelimits_fail(void *ctx, long iv, const char *key, const char *message)
{
    const struct typelimits_site *site = ctx;
    const struct ytree *at = site->root, *items = ytree_get(site->root, "interventions", NULL);
    char path[256] = "", part[64];
    const char *p = key;
    int deeper = 1;

    if (iv >= 0 && items && items->kind == YTREE_SEQ && (size_t)iv < items->n) {
        at = items->items[iv].val;
        schema_path(path, sizeof path, "interventions", site->L->s->interventions[iv].id);
    }
    while (*p) { /* one step of the dotted key a time */
        size_t n = strcspn(p, ".");
        const struct ytree *next = NULL;
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
        schema_path(path, sizeof path, path, part);
        if (!deeper || at->kind != YTREE_MAP || !(next = ytree_get(at, part, NULL)))
            deeper = 0; /* stay at the last node found */
        else
            at = next;
        p += n + (p[n] == '.');
    }
    schema_fail(&site->L->w, &at->mark, path, "%s", message);
}

struct scenario *scenario_load(const char *path, const char *const *sets, size_t n_sets, FILE *err)
{
    struct ytree_ctx c;
    struct ytree *root;
    struct scenario *s = NULL;
    size_t i;

    assert(path);
    ytree_init(&c, err);
    if ((root = overlay_load(&c, path))) {
        for (i = 0; i < n_sets; i++)
            overlay_set(&c, root, (int)i + 1, sets[i]);
        if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
            ytree_error(&c, NULL, "pilotsim: out of memory reading the scenario");
        } else {
            struct loader L = {{&c, 0, 0}, s, 0};
            set_defaults(s);
            load_root(&L, root); /* goes on after --set errors: reports them all */
            if (!c.errors) {     /* the types' limits, on values valid otherwise */
                struct typelimits_site site = {&L, root};
                typelimits_check(s, typelimits_fail, &site);
            }
        }
    }
    if (!root && !c.errors) /* every failure prints; this is a safety net */
        ytree_error(&c, NULL, "%s: cannot read scenario", path);
    if (c.errors) { /* nothing half-valid leaves this function */
        scenario_free(s);
        s = NULL;
    }
    ytree_destroy(&c);
    return s;
}

void scenario_free(struct scenario *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_operators; i++) {
        free(s->operators[i].id);
        free(s->operators[i].name);
    }
    for (i = 0; i < s->n_cities; i++) {
        free(s->cities[i].id);
        free(s->cities[i].name);
        free(s->cities[i].operator_share);
    }
    for (i = 0; i < s->n_interventions; i++) {
        free(s->interventions[i].id);
        free(s->interventions[i].amounts_fen);
        free(s->interventions[i].operator_share);
    }
    free(s->operators);
    free(s->cities);
    free(s->interventions);
    free(s->path);
    free(s->name);
    free(s->description);
    free(s->loadtest.profile);
    warnings_destroy(&s->warnings);
    free(s->loadtest.slo);
    free(s);
}

int scenario_city(const struct scenario *s, const char *id)
{
    return roster_city(s, id);
}

int scenario_operator(const struct scenario *s, const char *id)
{
    return roster_operator(s, id);
}

/* Every key through the tables of keys.c, defaults included, without
 * `extends`; stdio errors are sticky, so one ferror at the end catches them
 * all. */
int scenario_write(const struct scenario *s, FILE *f)
{
    struct schema_out o = {f, s->start_unix, s, 0};

    fputs("# The resolved scenario: every key with its value, defaults filled in.\n", f);
    schema_write(&o, &keys_top, s, 0, 0);
    return ferror(f) || o.failed ? -1 : 0;
}

double scenario_intervention_start(const struct intervention *iv)
{
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        return iv->registration_from_s;
    case INTERVENTION_MERCHANT_CAMPAIGN:
    case INTERVENTION_PEAK:
    case INTERVENTION_OUTAGE:
        return iv->from_s;
    case INTERVENTION_SALARY:
    case INTERVENTION_WALLET_LIMITS:
    case INTERVENTION_OPERATOR_JOINS:
    case INTERVENTION_APP_OPENS:
        return iv->at_s;
    }
    return NAN;
}
