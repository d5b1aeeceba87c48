/* scenario.c: the scenario's schema (see scenario.h and docs/scenarios.md).
 *
 * scenario_load reads the file and its extends chain into one merged tree
 * (overlay.c), applies the --set overrides, then checks the tree against the
 * tables below (schema.c) and fills in struct scenario. Every default is set
 * before the file is read, so a value that is missing or wrong leaves the
 * default in place and the walk goes on: one run reports every error it can.
 * Lists, id-keyed mappings and the rules that tie fields together (shares
 * that sum to 1, windows inside the horizon, ids that exist and are unique)
 * have code of their own below the tables. scenario_write lives in
 * scenario_write.c. */
#include "scenario/scenario.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/typelimits.h"
#include "scenario/loadtest_spec.h"
#include "scenario/overlay.h"
#include "scenario/schema.h"
#include "scenario/slo_spec.h"
#include "scenario/units.h"

#define MAX_AMOUNTS 1000
#define MAX_COUNT 1e10            /* people, merchants, envelopes */
#define MAX_SERVERS 1e6
/* A lognormal service time's cv: at 100 its median is a hundredth of its
 * mean, far past measured service times; beyond it cv^2 soon overflows and
 * the draws are NaN. */
#define MAX_SERVICE_CV 100
#define SHARE_SUM_TOL 1e-9        /* shares must sum to 1 within this */
#define MAX_DUR SCENARIO_MAX_DURATION_S
#define MAX_RATE SCENARIO_MAX_RATE
#define MAX_AMOUNT TYPELIMITS_MAX_AMOUNT_YUAN  /* one sum of money (typelimits.h) */
#define MAX_WALLET TYPELIMITS_MAX_WALLET_YUAN  /* an envelope, a wallet limit: 32-bit fen */

/* Enums are stored through an int (SCHEMA_ENUM). */
_Static_assert(sizeof(enum service_dist) == sizeof(int), "enum service_dist is an int");
_Static_assert(sizeof(enum intervention_kind) == sizeof(int), "enum intervention_kind is an int");

struct loader {                   /* one load: the walk and what it fills */
    struct schema w;              /* errors, and the origin of dates (start) */
    struct scenario *s;
    int duration_ok;              /* duration parsed: windows can be checked */
};

#define INF HUGE_VAL
#define OFF offsetof
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REQ SCHEMA_REQ
#define GT SCHEMA_GT
#define NONEMPTY SCHEMA_NONEMPTY

static const char *const dist_names[] = { "exponential", "deterministic", "lognormal", NULL };
/* In enum intervention_kind order. */
static const char *const kind_names[] = {
    "lottery", "merchant_campaign", "salary", "wallet_limits", "operator_joins", "peak",
    "outage", NULL
};

/* Top level. The bit positions of start, duration and step are used below. */
enum { TOP_START = 3, TOP_DURATION = 4, TOP_STEP = 5 };
static const struct schema_field top_fields[] = {
    { "name", SCHEMA_STR, OFF(struct scenario, name), 0, 0, REQ | NONEMPTY, NULL },
    { "description", SCHEMA_STR, OFF(struct scenario, description), 0, 0, 0, NULL },
    { "seed", SCHEMA_U64, OFF(struct scenario, seed), 0, 0, 0, NULL },
    { "start", SCHEMA_UNIX, OFF(struct scenario, start_unix), 0, 0, REQ, NULL },
    /* duration, or else `end:` (below): one of them is required */
    { "duration", SCHEMA_DUR, OFF(struct scenario, duration_s), 0, MAX_DUR, GT, NULL },
    { "step", SCHEMA_DUR, OFF(struct scenario, step_s), SCENARIO_MIN_STEP_S, MAX_DUR, 0, NULL },
    { "sample", SCHEMA_NUM, OFF(struct scenario, sample), 1, INF, 0, NULL },
};
static const char *const top_extra[] = {
    "end", "adoption", "payments", "wallets", "ledger", "operators", "cities", "interventions",
    "loadtest", "outputs"
};
/* `end:`, the date the horizon ends, instead of a duration. */
static const struct schema_field end_field = { "end", SCHEMA_UNIX, 0, 0, 0, 0, NULL };

static const struct schema_field adoption_fields[] = {
    { "innovation", SCHEMA_NUM, OFF(struct scenario, innovation), 0, INF, 0, NULL },
    { "imitation", SCHEMA_NUM, OFF(struct scenario, imitation), 0, INF, 0, NULL },
    { "merchant_effect", SCHEMA_NUM, OFF(struct scenario, merchant_effect), 0, INF, 0, NULL },
    { "dormancy", SCHEMA_DUR, OFF(struct scenario, dormancy_s), 0, MAX_DUR, GT, NULL },
    { "aware_boost", SCHEMA_NUM, OFF(struct scenario, aware_boost), 0, INF, 0, NULL },
};
static const char *const adoption_extra[] = { "merchants" };

static const struct schema_field merchant_fields[] = {
    { "innovation", SCHEMA_NUM, OFF(struct scenario, merchant_innovation), 0, INF, 0, NULL },
    { "imitation", SCHEMA_NUM, OFF(struct scenario, merchant_imitation), 0, INF, 0, NULL },
};

static const struct schema_field payment_fields[] = {
    { "per_user_per_day", SCHEMA_NUM, OFF(struct scenario, payments_per_day), 0, MAX_RATE, 0,
      NULL },
    { "ecny_preference", SCHEMA_SHARE, OFF(struct scenario, ecny_preference), 0, 1, 0, NULL },
    { "topup", SCHEMA_MONEY, OFF(struct scenario, topup_fen), 0, MAX_AMOUNT, GT, NULL },
    { "transfer_share", SCHEMA_SHARE, OFF(struct scenario, transfer_share), 0, 1, 0, NULL },
    { "offline_share", SCHEMA_SHARE, OFF(struct scenario, offline_share), 0, 1, 0, NULL },
    { "offline_sync", SCHEMA_DUR, OFF(struct scenario, offline_sync_s), 0, MAX_DUR, 0, NULL },
};
static const char *const payment_extra[] = { "ticket", "hourly", "weekday" };

static const struct schema_field ticket_fields[] = {
    { "median", SCHEMA_MONEY, OFF(struct scenario, ticket_median_fen), 0, MAX_AMOUNT, GT, NULL },
    { "sigma", SCHEMA_NUM, OFF(struct scenario, ticket_sigma), 0, INF, GT, NULL },
};

/* The resource keys, for the ledger (base 0) and inside an operator. */
#define SERVICE_FIELDS(base)                                                                \
    { "servers", SCHEMA_UINT, (base) + OFF(struct service, servers), 1, MAX_SERVERS, 0, NULL }, \
    { "service_time", SCHEMA_DUR, (base) + OFF(struct service, mean_s), 0, MAX_DUR, GT, NULL }, \
    { "service_dist", SCHEMA_ENUM, (base) + OFF(struct service, dist), 0, 0, 0, dist_names }, \
    { "service_cv", SCHEMA_NUM, (base) + OFF(struct service, cv), 0, MAX_SERVICE_CV, 0, NULL }, \
    { "timeout", SCHEMA_DUR, (base) + OFF(struct service, timeout_s), 0, MAX_DUR, GT, NULL }

static const struct schema_field ledger_fields[] = { SERVICE_FIELDS(0) };
static const struct schema_field operator_fields[] = {
    { "name", SCHEMA_STR, OFF(struct operator_spec, name), 0, 0, NONEMPTY, NULL },
    SERVICE_FIELDS(OFF(struct operator_spec, service)),
};

enum { CITY_MERCHANTS = 3 };
static const struct schema_field city_fields[] = {
    { "name", SCHEMA_STR, OFF(struct city_spec, name), 0, 0, NONEMPTY, NULL },
    { "population", SCHEMA_INT, OFF(struct city_spec, population), 1, MAX_COUNT, REQ, NULL },
    { "smartphone_share", SCHEMA_SHARE, OFF(struct city_spec, smartphone_share), 0, 1, 0, NULL },
    { "merchants", SCHEMA_INT, OFF(struct city_spec, merchants), 1, MAX_COUNT, 0, NULL },
    { "pilot_start", SCHEMA_DATE, OFF(struct city_spec, pilot_start_s), 0, 0, 0, NULL },
    { "innovation", SCHEMA_NUM, OFF(struct city_spec, innovation), 0, INF, 0, NULL },
    { "imitation", SCHEMA_NUM, OFF(struct city_spec, imitation), 0, INF, 0, NULL },
    { "initial_wallets", SCHEMA_SHARE, OFF(struct city_spec, initial_wallets), 0, 1, 0, NULL },
    { "initial_accepting", SCHEMA_SHARE, OFF(struct city_spec, initial_accepting), 0, 1, 0, NULL },
    { "hardware_share", SCHEMA_SHARE, OFF(struct city_spec, hardware_share), 0, 1, 0, NULL },
};
static const char *const city_extra[] = { "operators" };

/* A wallet class: its limits (yuan or unlimited) and share of new wallets. */
#define CLASS_FIELDS(base)                                                                   \
    { "balance", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, balance_fen), 0, MAX_WALLET, \
      GT, NULL },                                                                            \
    { "per_payment", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, per_payment_fen), 0,     \
      MAX_WALLET, GT, NULL },                                                                \
    { "per_day", SCHEMA_LIMIT, (base) + OFF(struct wallet_class, per_day_fen), 0, MAX_WALLET, \
      GT, NULL }
static const struct schema_field class_fields[] = {
    CLASS_FIELDS(0),
    { "share", SCHEMA_SHARE, OFF(struct wallet_class, share), 0, 1, 0, NULL },
};
static const char *const class_names[WALLET_CLASSES] = { "class1", "class2", "class3", "class4" };

/* Interventions: every kind has `id` and `kind`; its other keys by kind. */
#define IV(member) OFF(struct intervention, member)
#define IV_COMMON                                                              \
    { "id", SCHEMA_STR, IV(id), 0, 0, REQ | NONEMPTY, NULL },                  \
    { "kind", SCHEMA_ENUM, IV(kind), 0, 0, 0, kind_names }
static const struct schema_field lottery_fields[] = {
    IV_COMMON,
    { "envelopes", SCHEMA_INT, IV(envelopes), 1, MAX_COUNT, REQ, NULL },
    { "propensity", SCHEMA_SHARE, IV(propensity), 0, 1, 0, NULL },
    { "claim_share", SCHEMA_SHARE, IV(claim_share), 0, 1, 0, NULL },
    { "spend_rate", SCHEMA_NUM, IV(spend_rate), 0, MAX_RATE, 0, NULL },
    { "merchants", SCHEMA_INT, IV(merchants), 1, MAX_COUNT, 0, NULL },
    { "online_share", SCHEMA_SHARE, IV(online_share), 0, 1, 0, NULL },
};
static const char *const lottery_extra[] = {
    "city", "amount", "registration", "spending", "operators", "ticket"
};
static const struct schema_field lottery_ticket_fields[] = {
    { "ratio", SCHEMA_NUM, IV(ticket_ratio), 0, INF, GT, NULL },
    { "sigma", SCHEMA_NUM, IV(ticket_sigma), 0, INF, 0, NULL },
};
static const struct schema_field campaign_fields[] = {
    IV_COMMON,
    { "merchants", SCHEMA_INT, IV(merchants), 0, MAX_COUNT, REQ, NULL },
    { "subsidy", SCHEMA_MONEY, IV(subsidy_fen), 0, MAX_AMOUNT, 0, NULL },
};
static const char *const campaign_extra[] = { "city", "window" };
static const struct schema_field salary_fields[] = {
    IV_COMMON,
    { "at", SCHEMA_DATE, IV(at_s), 0, 0, REQ, NULL },
    { "recipients", SCHEMA_INT, IV(recipients), 1, MAX_COUNT, REQ, NULL },
    { "amount", SCHEMA_MONEY, IV(amount_fen), 0, MAX_AMOUNT, REQ | GT, NULL },
    { "every", SCHEMA_DUR, IV(every_s), 0, MAX_DUR, 0, NULL },   /* 0 or >= 1d: below */
    { "until", SCHEMA_DATE, IV(until_s), 0, 0, 0, NULL },
};
static const char *const salary_extra[] = { "city" };
static const struct schema_field limits_fields[] = {
    IV_COMMON,
    { "at", SCHEMA_DATE, IV(at_s), 0, 0, REQ, NULL },
    { "class", SCHEMA_UINT, IV(wallet_class), 1, WALLET_CLASSES, REQ, NULL },
    CLASS_FIELDS(IV(limits)),
};
static const struct schema_field joins_fields[] = {
    IV_COMMON,
    { "at", SCHEMA_DATE, IV(at_s), 0, 0, REQ, NULL },
};
static const char *const joins_extra[] = { "operator" };
static const struct schema_field peak_fields[] = {
    IV_COMMON,
    { "multiplier", SCHEMA_NUM, IV(multiplier), 0, MAX_RATE, REQ | GT, NULL },
};
static const char *const peak_extra[] = { "city", "window" };
static const struct schema_field outage_fields[] = {
    IV_COMMON,
    { "capacity", SCHEMA_SHARE, IV(capacity), 0, 1, 0, NULL },
};
static const char *const outage_extra[] = { "target", "window" };

/* Each kind's keys, in enum intervention_kind order. */
static const struct kind_schema {
    const struct schema_field *fields;
    size_t nf;
    const char *const *extra;
    size_t ne;
} kinds[] = {
    { lottery_fields, N(lottery_fields), lottery_extra, N(lottery_extra) },
    { campaign_fields, N(campaign_fields), campaign_extra, N(campaign_extra) },
    { salary_fields, N(salary_fields), salary_extra, N(salary_extra) },
    { limits_fields, N(limits_fields), NULL, 0 },
    { joins_fields, N(joins_fields), joins_extra, N(joins_extra) },
    { peak_fields, N(peak_fields), peak_extra, N(peak_extra) },
    { outage_fields, N(outage_fields), outage_extra, N(outage_extra) },
};
_Static_assert(N(kinds) == N(kind_names) - 1, "a schema for every kind");

const char *scenario_kind_name(enum intervention_kind kind)
{
    return kind_names[kind];
}

struct window { double from, until; };
static const struct schema_field window_fields[] = {
    { "from", SCHEMA_DATE, OFF(struct window, from), 0, 0, REQ, NULL },
    { "until", SCHEMA_DATE, OFF(struct window, until), 0, 0, REQ, NULL },
};

/* loadtest: what `pilotsim loadtest` does with this scenario (the command
 * line wins); profile and slo are checked by their own parsers below. */
#define LT(member) OFF(struct loadtest_spec, member)
static const struct schema_field loadtest_fields[] = {
    { "profile", SCHEMA_STR, LT(profile), 0, 0, NONEMPTY, NULL },
    { "interval", SCHEMA_DUR, LT(interval_s), 0, MAX_DUR, GT, NULL },
    { "warmup", SCHEMA_DUR, LT(warmup_s), 0, MAX_DUR, 0, NULL },
    { "slo", SCHEMA_STR, LT(slo), 0, 0, NONEMPTY, NULL },
};
static const char *const loadtest_extra[] = { "retries" };
static const struct schema_field retry_fields[] = {
    { "max", SCHEMA_UINT, OFF(struct loadtest_retry, max), 0, 10, 0, NULL },
    { "backoff", SCHEMA_DUR, OFF(struct loadtest_retry, backoff_s), 0, MAX_DUR, GT, NULL },
    { "jitter", SCHEMA_SHARE, OFF(struct loadtest_retry, jitter), 0, 1, 0, NULL },
};

static const struct schema_field output_fields[] = {
    { "charts", SCHEMA_BOOL, OFF(struct scenario, charts), 0, 0, 0, NULL },
};

/* Default diurnal shape (an assumption, not a measurement): quiet at night,
 * a lunch peak at 12-13 and an evening peak at 18-20; normalized on load. */
static const double default_hourly[24] = {
    0.25, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.80, 1.10, 1.20, 1.30, 1.50,
    1.80, 1.60, 1.20, 1.10, 1.20, 1.40, 1.80, 1.90, 1.70, 1.30, 0.90, 0.50
};
static const double default_weekday[7] = { 1, 1, 1, 1, 1.05, 1.15, 1.1 };

/* Scale weights to mean 1. Weights that already have mean 1 to rounding are
 * left as they are, so that a written scenario reads back bit for bit. */
static void normalize(double *w, size_t n)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++) sum += w[i];
    if (fabs(sum - (double)n) <= (double)n * 1e-12) return;
    for (i = 0; i < n; i++) w[i] = w[i] * (double)n / sum;
}

/* `key` of parent: a list of exactly n numbers >= 0, not all zero, stored
 * normalized into out (left alone on any error). */
static void read_weights(struct loader *L, const struct ytree *parent, const char *path,
                         const char *key, double *out, size_t n)
{
    static const struct schema_field weight = { "", SCHEMA_NUM, 0, 0, INF, 0, NULL };
    const struct ytree *v = ytree_get(parent, key, NULL);
    double w[24], sum = 0;
    char sub[256], item[280];
    size_t i;
    int bad = 0;

    assert(n <= N(w));
    if (!v) return;
    schema_path(sub, sizeof sub, path, key);
    if (v->kind != YTREE_SEQ || v->n != n) {
        schema_fail(&L->w, &v->mark, sub, "got %s%s (expected a list of exactly %zu numbers "
                    ">= 0)", schema_kind(v), v->kind == YTREE_SEQ ? " of another length" : "", n);
        return;
    }
    for (i = 0; i < n; i++) {
        snprintf(item, sizeof item, "%s[%zu]", sub, i);
        bad |= schema_value(&L->w, v->items[i].val, item, &weight, &w[i]);
        if (!bad) sum += w[i];
    }
    if (bad) return;
    if (sum == 0 || !isfinite(sum)) {
        char a[UNITS_BUF];
        schema_fail(&L->w, &v->mark, sub, "the weights sum to %s (expected a positive finite "
                    "sum)", units_fmt_number(a, sum));
        return;
    }
    normalize(w, n);
    memcpy(out, w, n * sizeof *w);
}

/* Ids are keys in outputs and steps in --set paths: [a-z0-9_-]+. */
static int check_id(struct loader *L, const struct ytree_mark *m, const char *path,
                    const char *id)
{
    const char *p = id;
    char q[160];

    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            break;
    if (*id && !*p) return 0;
    schema_fail(&L->w, m, path, "bad id '%s' (expected lower-case letters, digits, '_' and '-')",
                ytree_quote(q, sizeof q, id, strlen(id)));
    return -1;
}

/* A load-time warning (warnings.h): what the run will trim or doubt. Out
 * of memory is an error, so that no warning is lost without a word. */
static void warn(struct loader *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void warn(struct loader *L, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (warnings_add(&L->s->warnings, "%s", line) < 0)
        ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the scenario");
}

/* An unknown id (of an operator or a city), with the closest known one. */
static void unknown_id(struct loader *L, const struct ytree_mark *m, const char *path,
                       const char *what, const char *id, const char *const *known, size_t n)
{
    const char *best = ytree_suggest(id, known, n);
    char q[160];

    ytree_quote(q, sizeof q, id, strlen(id));
    if (best)
        schema_fail(&L->w, m, path, "unknown %s '%s' (did you mean '%s'?)", what, q, best);
    else
        schema_fail(&L->w, m, path, "unknown %s '%s' (expected an id listed under %s:)", what,
                    q, !strcmp(what, "city") ? "cities" : "operators");
}

/* A mapping operator id -> share whose shares sum to 1: fills
 * out[n_operators], operators left out getting 0. */
static void read_shares(struct loader *L, const struct ytree *v, const char *path,
                        double *out)
{
    static const struct schema_field share = { "", SCHEMA_SHARE, 0, 0, 1, 0, NULL };
    const struct scenario *s = L->s;
    const char *names[SCENARIO_MAX_OPERATORS];
    char sub[256], a[UNITS_BUF];
    double sum = 0;
    size_t i;
    int bad = 0;

    if (v->kind != YTREE_MAP) {
        schema_fail(&L->w, &v->mark, path, "got %s (expected a mapping of operator id: share)",
                    schema_kind(v));
        return;
    }
    for (i = 0; i < s->n_operators; i++) names[i] = s->operators[i].id;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *p = &v->items[i];
        int op = scenario_operator(s, p->key);
        double x = 0;
        if (op < 0) {
            unknown_id(L, &p->key_mark, path, "operator", p->key, names, s->n_operators);
            bad = 1;
        } else if (schema_value(&L->w, p->val, schema_path(sub, sizeof sub, path, p->key), &share,
                                &x)) {
            bad = 1;
        } else {
            out[op] = x;
            sum += x;
        }
    }
    if (!bad && fabs(sum - 1) > SHARE_SUM_TOL)
        schema_fail(&L->w, &v->mark, path, "the shares sum to %s (expected a sum of 1)",
                    units_fmt_number(a, sum));
}

/* An entry --set added to `operators:` or `cities:` is a mistyped id, not a
 * new one: report it with the closest id of the files. -1 if so, else 0. */
static int created_id(struct loader *L, const struct ytree *map, size_t i, const char *what)
{
    const char *names[SCENARIO_MAX_OPERATORS];
    size_t k, n = 0;

    if (!map->items[i].created) return 0;
    for (k = 0; k < map->n && n < SCENARIO_MAX_OPERATORS; k++)
        if (!map->items[k].created) names[n++] = map->items[k].key;
    unknown_id(L, &map->items[i].key_mark, NULL, what, map->items[i].key, names, n);
    return -1;
}

/* The id-keyed mapping under `key` of root: present, a mapping, 1 to max
 * entries. Returns it, or NULL after an error. */
static const struct ytree *id_map(struct loader *L, const struct ytree *root, const char *key,
                                  size_t max, const char *one, const char *example)
{
    const struct ytree *v = ytree_get(root, key, NULL);

    if (!v) {
        schema_fail(&L->w, &root->mark, NULL, "missing required key '%s' (expected at least "
                    "one %s, like %s)", key, one, example);
        return NULL;
    }
    if (v->kind != YTREE_MAP || !v->n || v->n > max) {
        schema_fail(&L->w, &v->mark, key, "got %s with %zu entries (expected a mapping of 1 "
                    "to %zu %s)", schema_kind(v), v->kind == YTREE_MAP ? v->n : 0, max, key);
        return NULL;
    }
    return v;
}

static void load_operators(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = id_map(L, root, "operators", SCENARIO_MAX_OPERATORS,
                                   "operator", "operators: {icbc: {}}");
    struct scenario *s = L->s;
    size_t i;

    if (!v || !(s->operators = calloc(v->n, sizeof *s->operators))) return;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *e = &v->items[i];
        struct operator_spec *op = &s->operators[s->n_operators++];
        char sub[256];
        op->service = (struct service){ 16, SERVICE_EXPONENTIAL, 0.020, 1, 10 };
        if (!(op->id = strdup(e->key))) return;
        if (created_id(L, v, i, "operator") || check_id(L, &e->key_mark, "operators", e->key))
            continue;
        if (!schema_is_null(e->val))       /* `icbc:` alone takes every default */
            schema_walk(&L->w, e->val, schema_path(sub, sizeof sub, "operators", e->key),
                        &e->key_mark, operator_fields, N(operator_fields), NULL, 0, op, NULL);
        if (!op->name && !(op->name = strdup(e->key))) return;
    }
}

static void load_cities(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = id_map(L, root, "cities", SCENARIO_MAX_CITIES,
                                   "city", "cities: {shenzhen: {population: 17560000}}");
    struct scenario *s = L->s;
    size_t i, k;

    if (!v || !(s->cities = calloc(v->n, sizeof *s->cities))) return;
    for (i = 0; i < v->n && !ytree_full(L->w.c); i++) {
        const struct ytree_pair *e = &v->items[i];
        const struct ytree *ops;
        struct city_spec *c = &s->cities[s->n_cities++];
        unsigned seen = 0;
        char sub[256], sub2[280];
        c->smartphone_share = 0.86;        /* PBoC: mobile payment penetration, ~2023 */
        c->innovation = s->innovation;     /* adoption is read before cities */
        c->imitation = s->imitation;
        if (!(c->id = strdup(e->key))) return;
        if (s->n_operators && !(c->operator_share = calloc(s->n_operators, sizeof(double))))
            return;
        schema_path(sub, sizeof sub, "cities", e->key);
        if (created_id(L, v, i, "city") || check_id(L, &e->key_mark, "cities", e->key) ||
            schema_walk(&L->w, e->val, sub, &e->key_mark, city_fields, N(city_fields),
                        city_extra, N(city_extra), c, &seen))
            continue;
        if (!(seen & (1u << CITY_MERCHANTS)))  /* one merchant per 40 people */
            c->merchants = c->population / 40 > 0 ? c->population / 40 : 1;
        if ((ops = ytree_get(e->val, "operators", NULL)) && s->n_operators)
            read_shares(L, ops, schema_path(sub2, sizeof sub2, sub, "operators"),
                        c->operator_share);
        else
            for (k = 0; k < s->n_operators; k++)
                c->operator_share[k] = 1.0 / (double)s->n_operators;
        if (!c->name && !(c->name = strdup(e->key))) return;
    }
}

/* The window {from, until} under `key`: from < until, inside the horizon. */
static void read_window(struct loader *L, const struct ytree *item, const char *path,
                        const char *key, struct window *w)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(item, key, &p);
    char sub[256], a[UNITS_BUF], b[UNITS_BUF];
    unsigned seen;

    if (!v) {
        schema_fail(&L->w, &item->mark, path, "missing required key '%s' (expected {from: "
                    "DATE, until: DATE})", key);
        return;
    }
    schema_path(sub, sizeof sub, path, key);
    if (schema_walk(&L->w, v, sub, &p->key_mark, window_fields, N(window_fields), NULL, 0, w,
                    &seen) || seen != 3 || !L->w.origin_ok || !L->duration_ok)
        return;
    units_fmt_date(a, L->s->start_unix + (int64_t)w->from);
    units_fmt_date(b, L->s->start_unix + (int64_t)w->until);
    if (w->from >= w->until)
        schema_fail(&L->w, &v->mark, sub, "from %s is not before until %s (expected from < "
                    "until)", a, b);
    else if (w->from < 0 || w->until > L->s->duration_s)
        schema_fail(&L->w, &v->mark, sub, "%s .. %s is outside the scenario (expected dates "
                    "from start to start + duration)", a, b);
}

/* amount: one sum in yuan, or a list of them (drawn uniformly per winner). */
static void read_amounts(struct loader *L, const struct ytree *item, const char *path,
                         struct intervention *iv)
{
    static const struct schema_field money = { "", SCHEMA_MONEY, 0, 0, MAX_WALLET, GT, NULL };
    const struct ytree *v = ytree_get(item, "amount", NULL);
    char sub[256], el[280];
    size_t i, n = 1;

    if (!v) {
        schema_fail(&L->w, &item->mark, path, "missing required key 'amount' (expected yuan, "
                    "like 200, or a list, like [178, 238])");
        return;
    }
    schema_path(sub, sizeof sub, path, "amount");
    if (v->kind == YTREE_SEQ && (!v->n || v->n > MAX_AMOUNTS)) {
        schema_fail(&L->w, &v->mark, sub, "a list of %zu amounts (expected 1 to %d)", v->n,
                    MAX_AMOUNTS);
        return;
    }
    if (v->kind == YTREE_SEQ) n = v->n;
    if (!(iv->amounts_fen = calloc(n, sizeof *iv->amounts_fen))) return;
    iv->n_amounts = n;
    for (i = 0; i < n; i++) {
        snprintf(el, sizeof el, v->kind == YTREE_SEQ ? "%s[%zu]" : "%s", sub, i);
        schema_value(&L->w, v->kind == YTREE_SEQ ? v->items[i].val : v, el, &money,
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

    for (k = 0; k < s->n_cities; k++) names[k] = s->cities[k].id;
    if (!v) {
        if (required)
            schema_fail(&L->w, &item->mark, path, "missing required key 'city' (expected a "
                        "city id)");
    } else if (v->kind != YTREE_SCALAR) {
        schema_fail(&L->w, &v->mark, path, "city: got %s (expected a city id)", schema_kind(v));
    } else if ((iv->city = scenario_city(s, v->text)) < 0) {
        unknown_id(L, &v->mark, path, "city", v->text, names, s->n_cities);
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

    for (k = 0; k < s->n_operators; k++) names[n++] = s->operators[k].id;
    if (ledger_ok) names[n++] = "ledger";
    if (!v)
        schema_fail(&L->w, &item->mark, path, "missing required key '%s' (expected an operator "
                    "id%s)", key, ledger_ok ? " or ledger" : "");
    else if (v->kind != YTREE_SCALAR)
        schema_fail(&L->w, &v->mark, path, "%s: got %s (expected an operator id)", key,
                    schema_kind(v));
    else if (ledger_ok && !strcmp(v->text, "ledger"))
        iv->operator = -1;
    else if ((iv->operator = scenario_operator(s, v->text)) < 0)
        unknown_id(L, &v->mark, path, "operator", v->text, names, n);
}

/* A date key (already stored in *at) must lie inside the horizon. */
static void check_inside(struct loader *L, const struct ytree *item, const char *path,
                         const char *key, double at)
{
    const struct ytree *v = ytree_get(item, key, NULL);
    char sub[256], a[UNITS_BUF];

    if (!v || !L->w.origin_ok || !L->duration_ok || (at >= 0 && at <= L->s->duration_s))
        return;
    units_fmt_date(a, L->s->start_unix + (int64_t)at);
    schema_fail(&L->w, &v->mark, schema_path(sub, sizeof sub, path, key), "%s is outside the "
                "scenario (expected a date from start to start + duration)", a);
}

/* A lottery's own keys: city, ticket, amounts, windows and shares. */
static void load_lottery(struct loader *L, const struct ytree *item, const char *path,
                         struct intervention *iv)
{
    const struct scenario *s = L->s;
    const struct ytree *ops;
    struct window reg = { 0, 0 }, spend = { 0, 0 };
    char sub[280];

    read_city(L, item, path, iv, 1);
    schema_section(&L->w, item, path, "ticket", lottery_ticket_fields,
                   N(lottery_ticket_fields), NULL, 0, iv);
    read_amounts(L, item, path, iv);
    read_window(L, item, path, "registration", &reg);
    read_window(L, item, path, "spending", &spend);
    iv->registration_from_s = reg.from;
    iv->registration_until_s = reg.until;
    iv->spend_from_s = spend.from;
    iv->spend_until_s = spend.until;
    if (reg.from < reg.until && spend.from < spend.until && spend.from < reg.until)
        schema_fail(&L->w, &ytree_get(item, "spending", NULL)->mark, path, "spending starts "
                    "before registration ends (expected spending.from >= registration.until)");
    if ((ops = ytree_get(item, "operators", NULL)) && s->n_operators) {
        if (!(iv->operator_share = calloc(s->n_operators, sizeof(double)))) return;
        read_shares(L, ops, schema_path(sub, sizeof sub, path, "operators"), iv->operator_share);
    }
}

/* A salary repeats at most daily: `every: 1us` would pay its recipients
 * a million times a second. 0 (the default) pays once. */
static void check_every(struct loader *L, const struct ytree *item, const char *path,
                        const struct intervention *iv)
{
    const struct ytree *v = ytree_get(item, "every", NULL);
    char sub[256], a[UNITS_BUF];

    if (v && iv->every_s > 0 && iv->every_s < SCENARIO_MIN_EVERY_S)
        schema_fail(&L->w, &v->mark, schema_path(sub, sizeof sub, path, "every"), "%s is more "
                    "often than daily (expected 0s for a single payment, or at least 1d)",
                    units_fmt_span(a, iv->every_s));
}

/* Counts against the city they act in. More envelopes, recipients or
 * merchants than the city holds is impossible: an error at the count. More
 * than the run can reach (registrants, smartphone owners, merchants not yet
 * accepting) is trimmed by the model: a warning says by how much. A
 * lottery's default merchants (10,000) become the city's own when it has
 * fewer, so that the resolved scenario says what runs. */
static void check_counts(struct loader *L, const struct ytree *item, const char *path,
                         struct intervention *iv)
{
    const struct city_spec *c;
    const char *key = iv->kind == INTERVENTION_LOTTERY ? "envelopes"
                      : iv->kind == INTERVENTION_SALARY ? "recipients" : "merchants";
    const struct ytree *v = ytree_get(item, key, NULL), *mv = ytree_get(item, "merchants", NULL);
    char sub[256];
    double smart, reach;

    if (iv->city < 0 || (size_t)iv->city >= L->s->n_cities || !v)
        return;
    c = &L->s->cities[iv->city];
    smart = floor((double)c->population * c->smartphone_share);
    schema_path(sub, sizeof sub, path, key);
    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        /* registrants: propensity x population, among smartphone owners */
        reach = floor(fmin(iv->propensity * (double)c->population, smart));
        if (iv->envelopes > c->population)
            schema_fail(&L->w, &v->mark, sub, "%lld envelopes in a city of %lld people "
                        "(expected at most the city's population)", (long long)iv->envelopes,
                        (long long)c->population);
        else if ((double)iv->envelopes > reach)
            warn(L, "%s: %lld envelopes, but about %.0f people register (propensity %g of %lld, "
                 "smartphone owners only): about %.0f envelopes are not awarded", sub,
                 (long long)iv->envelopes, reach, iv->propensity, (long long)c->population,
                 (double)iv->envelopes - reach);
        schema_path(sub, sizeof sub, path, "merchants");
        if (mv && iv->merchants > c->merchants)
            schema_fail(&L->w, &mv->mark, sub, "%lld merchants in a city of %lld merchants "
                        "(expected at most the city's merchants)", (long long)iv->merchants,
                        (long long)c->merchants);
        else if (!mv && iv->merchants > c->merchants)   /* the default: every merchant */
            iv->merchants = c->merchants;
        return;
    case INTERVENTION_SALARY:
        if (iv->recipients > c->population)
            schema_fail(&L->w, &v->mark, sub, "%lld recipients in a city of %lld people "
                        "(expected at most the city's population)", (long long)iv->recipients,
                        (long long)c->population);
        else if ((double)iv->recipients > smart)
            warn(L, "%s: %lld recipients, but only the city's about %.0f smartphone owners can "
                 "hold a wallet: about %.0f are not paid", sub, (long long)iv->recipients, smart,
                 (double)iv->recipients - smart);
        return;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        reach = floor((double)c->merchants * (1 - c->initial_accepting));
        if (iv->merchants > c->merchants)
            schema_fail(&L->w, &v->mark, sub, "%lld merchants in a city of %lld merchants "
                        "(expected at most the city's merchants)", (long long)iv->merchants,
                        (long long)c->merchants);
        else if ((double)iv->merchants > reach)
            warn(L, "%s: %lld merchants, but about %.0f of the city's %lld do not accept e-CNY "
                 "at the start: the campaign onboards at most those", sub,
                 (long long)iv->merchants, reach, (long long)c->merchants);
        return;
    default:
        return;
    }
}

/* Merchant campaigns of one city together: each may fit while their sum
 * does not, and the later ones then onboard fewer. */
static void check_campaigns(struct loader *L)
{
    const struct scenario *s = L->s;
    size_t c, i;

    for (c = 0; c < s->n_cities; c++) {
        const struct city_spec *cs = &s->cities[c];
        double reach = floor((double)cs->merchants * (1 - cs->initial_accepting)), sum = 0;
        int n = 0;
        for (i = 0; i < s->n_interventions; i++)
            if (s->interventions[i].kind == INTERVENTION_MERCHANT_CAMPAIGN &&
                s->interventions[i].city == (int)c) {
                sum += (double)s->interventions[i].merchants;
                n++;
            }
        if (n > 1 && sum > reach)
            warn(L, "cities.%s: its %d merchant campaigns onboard %.0f merchants in all, but "
                 "about %.0f do not accept e-CNY at the start: the later campaigns onboard fewer",
                 cs->id, n, sum, reach);
    }
}

/* The keys that need code, by kind, once the table's keys are read. */
static void load_kind(struct loader *L, const struct ytree *item, const char *path,
                      struct intervention *iv)
{
    struct window w = { 0, 0 };

    switch (iv->kind) {
    case INTERVENTION_LOTTERY:
        load_lottery(L, item, path, iv);
        check_counts(L, item, path, iv);
        return;
    case INTERVENTION_MERCHANT_CAMPAIGN:
        read_city(L, item, path, iv, 1);
        read_window(L, item, path, "window", &w);
        check_counts(L, item, path, iv);
        break;
    case INTERVENTION_SALARY:
        read_city(L, item, path, iv, 1);
        check_counts(L, item, path, iv);
        check_every(L, item, path, iv);
        check_inside(L, item, path, "at", iv->at_s);
        check_inside(L, item, path, "until", iv->until_s);
        if (iv->until_s < iv->at_s && ytree_get(item, "until", NULL))
            schema_fail(&L->w, &ytree_get(item, "until", NULL)->mark, path, "until is before "
                        "at (expected until >= at)");
        return;
    case INTERVENTION_WALLET_LIMITS: {
        /* A limit not given keeps the class's value from `wallets:`. */
        const struct wallet_class *was;
        if (iv->wallet_class < 1 || iv->wallet_class > WALLET_CLASSES) return;
        was = &L->s->wallet_classes[iv->wallet_class - 1];
        if (iv->limits.balance_fen < 0) iv->limits.balance_fen = was->balance_fen;
        if (iv->limits.per_payment_fen < 0) iv->limits.per_payment_fen = was->per_payment_fen;
        if (iv->limits.per_day_fen < 0) iv->limits.per_day_fen = was->per_day_fen;
        check_inside(L, item, path, "at", iv->at_s);
        return;
    }
    case INTERVENTION_OPERATOR_JOINS:
        read_operator(L, item, path, "operator", 0, iv);
        check_inside(L, item, path, "at", iv->at_s);
        return;
    case INTERVENTION_PEAK:
        read_city(L, item, path, iv, 0);
        read_window(L, item, path, "window", &w);
        break;
    case INTERVENTION_OUTAGE:
        read_operator(L, item, path, "target", 1, iv);
        read_window(L, item, path, "window", &w);
        break;
    }
    iv->from_s = w.from;
    iv->until_s = w.until;
}

/* Defaults of every intervention field; docs/scenarios.md gives sources. */
static void intervention_defaults(struct intervention *iv, const struct scenario *s)
{
    iv->propensity = 0.11;             /* about 11% of a city registered */
    iv->claim_share = 0.961;           /* Futian 95.6%, Suzhou 96.6% */
    iv->spend_rate = 0.3;              /* fitted to Futian 2021: docs/model.md */
    iv->ticket_ratio = 1.03;
    iv->ticket_sigma = 0.15;
    iv->merchants = 10000;             /* Futian, Suzhou, Chengdu: 10,000-11,000 */
    iv->city = -1;
    iv->operator = -1;
    iv->multiplier = 1;
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
    const struct kind_schema *ks = &kinds[INTERVENTION_LOTTERY];   /* the default kind */
    char path[256];
    size_t k;

    intervention_defaults(iv, s);
    snprintf(path, sizeof path, "interventions[%zu]", i);
    if (id && id->kind == YTREE_SCALAR && *id->text)   /* name it by its id */
        schema_path(path, sizeof path, "interventions", id->text);
    if (kind && kind->kind == YTREE_SCALAR)
        for (k = 0; kind_names[k]; k++)
            if (!strcmp(kind->text, kind_names[k])) ks = &kinds[k];
    if (schema_walk(&L->w, item, path, &item->mark, ks->fields, ks->nf, ks->extra, ks->ne, iv,
                    NULL))
        return;
    if (iv->kind != (enum intervention_kind)(ks - kinds))
        return;   /* a bad kind was reported; its keys would only add noise */
    if (iv->id && !check_id(L, &id->mark, path, iv->id))
        for (k = 0; s->interventions + k < iv; k++)
            if (s->interventions[k].id && !strcmp(s->interventions[k].id, iv->id))
                schema_fail(&L->w, &id->mark, path, "duplicate id '%s' (expected each "
                            "intervention id once)", iv->id);
    load_kind(L, item, path, iv);
}

static void load_interventions(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "interventions", NULL);
    struct scenario *s = L->s;
    size_t i;

    if (!v) return;
    if (v->kind != YTREE_SEQ || v->n > SCENARIO_MAX_INTERVENTIONS) {
        schema_fail(&L->w, &v->mark, "interventions", "got %s (expected a list of at most %d "
                    "interventions, each starting with '- id:')", schema_kind(v),
                    SCENARIO_MAX_INTERVENTIONS);
        return;
    }
    if (!v->n || !(s->interventions = calloc(v->n, sizeof *s->interventions))) return;
    for (i = 0; i < v->n && !ytree_full(L->w.c); i++)
        load_intervention(L, v->items[i].val, i, &s->interventions[s->n_interventions++]);
    check_campaigns(L);
}

/* wallets: class1 .. class4, each with its limits and its share of new
 * wallets; the shares sum to 1. */
static void load_wallets(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "wallets", NULL);
    struct scenario *s = L->s;
    double sum = 0;
    char q[UNITS_BUF];
    size_t i;

    if (!v || schema_walk(&L->w, v, "wallets", NULL, NULL, 0, class_names, WALLET_CLASSES,
                          NULL, NULL))
        return;
    for (i = 0; i < WALLET_CLASSES; i++)
        schema_section(&L->w, v, "wallets", class_names[i], class_fields, N(class_fields), NULL,
                       0, &s->wallet_classes[i]);
    for (i = 0; i < WALLET_CLASSES; i++) sum += s->wallet_classes[i].share;
    if (fabs(sum - 1) > SHARE_SUM_TOL)
        schema_fail(&L->w, &v->mark, "wallets", "the classes' shares of new wallets sum to %s "
                    "(expected a sum of 1)", units_fmt_number(q, sum));
}

/* loadtest: the table's keys, then the profile and SLO through the load
 * tester's own parsers, so that a bad one is reported at its line. */
static void load_loadtest(struct loader *L, const struct ytree *root)
{
    struct loadtest_spec *lt = &L->s->loadtest;
    const struct ytree *v = schema_section(&L->w, root, "", "loadtest", loadtest_fields,
                                           N(loadtest_fields), loadtest_extra,
                                           N(loadtest_extra), lt);
    struct loadtest_profile profile;
    struct slo slo;
    char why[256];

    if (!v) return;
    if (schema_section(&L->w, v, "loadtest", "retries", retry_fields, N(retry_fields), NULL, 0,
                       &lt->retries))
        lt->has_retries = 1;
    if (lt->profile && loadtest_spec_profile(lt->profile, &profile, why, sizeof why) < 0)
        schema_fail(&L->w, &ytree_get(v, "profile", NULL)->mark, "loadtest.profile", "%s", why);
    else if (lt->profile && loadtest_spec_duration(&profile) > MAX_DUR)
        schema_fail(&L->w, &ytree_get(v, "profile", NULL)->mark, "loadtest.profile", "'%s' "
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
    s->payments_per_day = 1.6;         /* PBoC 2020: 827.3 bn payments / population */
    s->ecny_preference = 0.2;
    s->ticket_median_fen = 5000;
    s->ticket_sigma = 1.0;
    memcpy(s->hourly, default_hourly, sizeof s->hourly);
    memcpy(s->weekday, default_weekday, sizeof s->weekday);
    normalize(s->hourly, 24);
    normalize(s->weekday, 7);
    s->topup_fen = 10000;
    s->aware_boost = 3;                /* an assumption: docs/model.md */
    s->transfer_share = 0.1;           /* an assumption: docs/model.md */
    s->offline_share = 0.5;
    s->offline_sync_s = 3600;
    /* Wallet classes (data notes, PBoC Jun 2021): class 4 (phone number only)
     * 10,000 / 2,000 / 5,000 yuan (H), class 3 20,000 / 5,000 / 10,000 (L),
     * class 2 500,000 / 50,000 / 100,000 (H), class 1 unlimited (L); new
     * wallets open in class 4. */
    s->wallet_classes[0] = (struct wallet_class){ LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, 0 };
    s->wallet_classes[1] = (struct wallet_class){ 50000000, 5000000, 10000000, 0 };
    s->wallet_classes[2] = (struct wallet_class){ 2000000, 500000, 1000000, 0 };
    s->wallet_classes[3] = (struct wallet_class){ 1000000, 200000, 500000, 1 };
    s->ledger = (struct service){ 64, SERVICE_EXPONENTIAL, 0.005, 1, 10 };
    s->loadtest.warmup_s = -1;         /* not given: the load tester's default */
    s->loadtest.retries = (struct loadtest_retry){ 2, 1, 1 };
    s->charts = 1;
}

/* The horizon: `duration:`, or `end:` (a date after start, at most 100y
 * later) in its place, never both; a horizon shorter than a day is kept but
 * warned of, since `6m` (six minutes) is easily meant as six months. */
static void load_horizon(struct loader *L, const struct ytree *root)
{
    struct scenario *s = L->s;
    const struct ytree *dur = ytree_get(root, "duration", NULL), *end = ytree_get(root, "end", NULL);
    char a[UNITS_BUF], b[UNITS_BUF], c[UNITS_BUF];
    int64_t end_unix = 0;

    if (!dur && !end) {
        schema_fail(&L->w, &root->mark, NULL, "missing required key 'duration' (expected a "
                    "duration like 365d, or an end date like end: 2021-04-01)");
        return;
    }
    if (dur && end) {
        schema_fail(&L->w, &end->mark, "end", "both duration and end are given (expected one "
                    "of them)");
        L->duration_ok = 0;
        return;
    }
    if (end && !schema_value(&L->w, end, "end", &end_field, &end_unix) && L->w.origin_ok) {
        units_fmt_date(a, end_unix);
        units_fmt_date(b, s->start_unix);
        if (end_unix <= s->start_unix)
            schema_fail(&L->w, &end->mark, "end", "%s is not after start %s (expected an end "
                        "after start)", a, b);
        else if ((double)(end_unix - s->start_unix) > MAX_DUR)
            schema_fail(&L->w, &end->mark, "end", "%s is more than 100y after start %s "
                        "(expected a horizon of at most 100y)", a, b);
        else {
            s->duration_s = (double)(end_unix - s->start_unix);
            L->duration_ok = 1;
        }
    }
    if (L->duration_ok && s->duration_s < 86400) {
        units_fmt_span(a, s->duration_s);
        /* The hint on units is for a duration; an end: date has none. */
        if (dur)
            warn(L, "duration: the horizon is %s, shorter than a day (the unit m is minutes: "
                 "write months as days, weeks (w) or years (y), or give an end: date)", a);
        else
            warn(L, "end: the horizon is %s, shorter than a day (end: %s, start: %s)", a,
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

    schema_walk(&L->w, root, "", NULL, top_fields, N(top_fields), top_extra, N(top_extra), s,
                &seen);
    L->w.origin = s->start_unix;
    L->w.origin_ok = (seen >> TOP_START) & 1;
    L->duration_ok = (seen >> TOP_DURATION) & 1;
    load_horizon(L, root);
    if (((seen >> TOP_STEP) & 1) && L->duration_ok && s->step_s > s->duration_s)
        schema_fail(&L->w, &ytree_get(root, "step", NULL)->mark, "step", "longer than "
                    "duration (expected a step <= duration)");
    if (!((seen >> TOP_STEP) & 1) && L->duration_ok && s->duration_s < s->step_s)
        s->step_s = s->duration_s;     /* a run shorter than a day: one bucket */
    if (!s->description && !(s->description = strdup(""))) return;
    if ((sec = schema_section(&L->w, root, "", "adoption", adoption_fields,
                              N(adoption_fields), adoption_extra, N(adoption_extra), s)))
        schema_section(&L->w, sec, "adoption", "merchants", merchant_fields,
                       N(merchant_fields), NULL, 0, s);
    if ((sec = schema_section(&L->w, root, "", "payments", payment_fields, N(payment_fields),
                              payment_extra, N(payment_extra), s))) {
        schema_section(&L->w, sec, "payments", "ticket", ticket_fields, N(ticket_fields),
                       NULL, 0, s);
        read_weights(L, sec, "payments", "hourly", s->hourly, 24);
        read_weights(L, sec, "payments", "weekday", s->weekday, 7);
    }
    load_wallets(L, root);
    schema_section(&L->w, root, "", "ledger", ledger_fields, N(ledger_fields), NULL, 0,
                   &s->ledger);
    schema_section(&L->w, root, "", "outputs", output_fields, N(output_fields), NULL, 0, s);
    load_operators(L, root);
    load_cities(L, root);
    load_interventions(L, root);
    load_loadtest(L, root);
}

struct typelimits_site { struct loader *L; const struct ytree *root; };

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
    while (*p) {                       /* one step of the dotted key a time */
        size_t n = strcspn(p, ".");
        const struct ytree *next = NULL;
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
        schema_path(path, sizeof path, path, part);
        if (!deeper || at->kind != YTREE_MAP || !(next = ytree_get(at, part, NULL)))
            deeper = 0;                /* stay at the last node found */
        else
            at = next;
        p += n + (p[n] == '.');
    }
    schema_fail(&site->L->w, &at->mark, path, "%s", message);
}

struct scenario *scenario_load(const char *path, const char *const *sets, size_t n_sets,
                               FILE *err)
{
    struct ytree_ctx c;
    struct ytree *root;
    struct scenario *s = NULL;
    size_t i;

    assert(path);
    ytree_init(&c, err);
    if ((root = overlay_load(&c, path))) {
        for (i = 0; i < n_sets; i++) overlay_set(&c, root, (int)i + 1, sets[i]);
        if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
            ytree_error(&c, NULL, "pilotsim: out of memory reading the scenario");
        } else {
            struct loader L = { { &c, 0, 0 }, s, 0 };
            set_defaults(s);
            load_root(&L, root);   /* goes on after --set errors: reports them all */
            if (!c.errors) {       /* the types' limits, on values valid otherwise */
                struct typelimits_site site = { &L, root };
                typelimits_check(s, typelimits_fail, &site);
            }
        }
    }
    if (!root && !c.errors)            /* every failure prints; this is a safety net */
        ytree_error(&c, NULL, "%s: cannot read scenario", path);
    if (c.errors) {                    /* nothing half-valid leaves this function */
        scenario_free(s);
        s = NULL;
    }
    ytree_destroy(&c);
    return s;
}

void scenario_free(struct scenario *s)
{
    size_t i;

    if (!s) return;
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
    size_t i;

    for (i = 0; i < s->n_cities; i++)
        if (s->cities[i].id && !strcmp(s->cities[i].id, id)) return (int)i;
    return -1;
}

int scenario_operator(const struct scenario *s, const char *id)
{
    size_t i;

    for (i = 0; i < s->n_operators; i++)
        if (s->operators[i].id && !strcmp(s->operators[i].id, id)) return (int)i;
    return -1;
}
