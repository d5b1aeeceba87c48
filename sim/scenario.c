/* scenario.c: the scenario schema. Turns the merged YAML tree (ytree.c) into
 * a validated struct scenario with units resolved (units.c) and defaults
 * filled in, and writes a resolved scenario back as YAML.
 *
 * Most keys are described by `struct field` tables (key, type, offset, range);
 * walk_fields() checks unknown keys (with a suggestion), missing required
 * keys, types and ranges, and stores the values. Lists, id-keyed mappings and
 * cross-field rules (shares summing to 1, windows inside the horizon) have
 * their own code below. Every error goes through ytree_error, one line each;
 * loading goes on after an error so that one run reports up to 20 of them. */
#include "scenario.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "ytree.h"

#define MAX_INTERVENTIONS 10000
#define MAX_AMOUNTS 1000
#define MAX_COUNT 1e10            /* people, merchants, envelopes */
#define MAX_SERVERS 1e6
#define SHARE_SUM_TOL 1e-9

enum ftype {
    F_STR, F_U64, F_INT, F_UINT, F_NUM, F_SHARE, F_DUR, F_UNIX, F_DATE, F_MONEY,
    F_BOOL, F_DIST, F_KIND
};

#define REQ 1u                    /* the key must be present */
#define GT 2u                     /* the lower bound is exclusive */
#define NONEMPTY 4u               /* a string must not be "" */

struct field {
    const char *key;
    enum ftype type;
    size_t off;                   /* where the value goes in the target struct */
    double lo, hi;                /* allowed range (numbers, money in yuan) */
    unsigned flags;
};

struct loader {
    struct ytree_ctx *c;
    struct scenario *s;
    int start_ok;                 /* start parsed: dates can be converted */
    int duration_ok;              /* duration parsed: windows can be checked */
};

#define INF HUGE_VAL
#define OFF(type, member) offsetof(type, member)

static const struct field top_fields[] = {
    { "name", F_STR, OFF(struct scenario, name), 0, 0, REQ | NONEMPTY },
    { "description", F_STR, OFF(struct scenario, description), 0, 0, 0 },
    { "seed", F_U64, OFF(struct scenario, seed), 0, 0, 0 },
    { "start", F_UNIX, OFF(struct scenario, start_unix), 0, 0, REQ },
    { "duration", F_DUR, OFF(struct scenario, duration_s), 0, INF, REQ | GT },
    { "step", F_DUR, OFF(struct scenario, step_s), 0, INF, GT },
    { "sample", F_NUM, OFF(struct scenario, sample), 1, INF, 0 },
};
static const char *const top_extra[] = {
    "adoption", "payments", "ledger", "operators", "cities", "interventions", "outputs"
};

static const struct field adoption_fields[] = {
    { "innovation", F_NUM, OFF(struct scenario, innovation), 0, INF, 0 },
    { "imitation", F_NUM, OFF(struct scenario, imitation), 0, INF, 0 },
    { "merchant_effect", F_NUM, OFF(struct scenario, merchant_effect), 0, INF, 0 },
    { "dormancy", F_DUR, OFF(struct scenario, dormancy_s), 0, INF, GT },
};
static const char *const adoption_extra[] = { "merchants" };

static const struct field merchant_fields[] = {
    { "innovation", F_NUM, OFF(struct scenario, merchant_innovation), 0, INF, 0 },
    { "imitation", F_NUM, OFF(struct scenario, merchant_imitation), 0, INF, 0 },
};

static const struct field payment_fields[] = {
    { "per_user_per_day", F_NUM, OFF(struct scenario, payments_per_day), 0, INF, 0 },
    { "ecny_preference", F_SHARE, OFF(struct scenario, ecny_preference), 0, 1, 0 },
    { "topup", F_MONEY, OFF(struct scenario, topup_fen), 0, INF, GT },
};
static const char *const payment_extra[] = { "ticket", "hourly", "weekday" };

static const struct field ticket_fields[] = {
    { "median", F_MONEY, OFF(struct scenario, ticket_median_fen), 0, INF, GT },
    { "sigma", F_NUM, OFF(struct scenario, ticket_sigma), 0, INF, GT },
};

/* The resource keys, for the ledger (base 0) and inside an operator. */
#define SERVICE_FIELDS(base)                                                         \
    { "servers", F_UINT, (base) + OFF(struct service, servers), 1, MAX_SERVERS, 0 }, \
    { "service_time", F_DUR, (base) + OFF(struct service, mean_s), 0, INF, GT },     \
    { "service_dist", F_DIST, (base) + OFF(struct service, dist), 0, 0, 0 },          \
    { "service_cv", F_NUM, (base) + OFF(struct service, cv), 0, INF, 0 },             \
    { "timeout", F_DUR, (base) + OFF(struct service, timeout_s), 0, INF, GT }

static const struct field ledger_fields[] = { SERVICE_FIELDS(0) };
static const struct field operator_fields[] = {
    { "name", F_STR, OFF(struct operator_spec, name), 0, 0, NONEMPTY },
    SERVICE_FIELDS(OFF(struct operator_spec, service)),
};

static const struct field city_fields[] = {
    { "name", F_STR, OFF(struct city_spec, name), 0, 0, NONEMPTY },
    { "population", F_INT, OFF(struct city_spec, population), 1, MAX_COUNT, REQ },
    { "smartphone_share", F_SHARE, OFF(struct city_spec, smartphone_share), 0, 1, 0 },
    { "merchants", F_INT, OFF(struct city_spec, merchants), 1, MAX_COUNT, 0 },
    { "pilot_start", F_DATE, OFF(struct city_spec, pilot_start_s), 0, 0, 0 },
    { "innovation", F_NUM, OFF(struct city_spec, innovation), 0, INF, 0 },
    { "imitation", F_NUM, OFF(struct city_spec, imitation), 0, INF, 0 },
};
static const char *const city_extra[] = { "operators" };

static const struct field lottery_fields[] = {
    { "id", F_STR, OFF(struct intervention, id), 0, 0, REQ | NONEMPTY },
    { "kind", F_KIND, OFF(struct intervention, kind), 0, 0, 0 },
    { "envelopes", F_INT, OFF(struct intervention, envelopes), 1, MAX_COUNT, REQ },
    { "propensity", F_SHARE, OFF(struct intervention, propensity), 0, 1, 0 },
    { "claim_share", F_SHARE, OFF(struct intervention, claim_share), 0, 1, 0 },
    { "spend_rate", F_NUM, OFF(struct intervention, spend_rate), 0, INF, 0 },
};
static const char *const lottery_extra[] = {
    "city", "amount", "registration", "spending", "operators", "ticket"
};
static const struct field lottery_ticket_fields[] = {
    { "median", F_MONEY, OFF(struct intervention, ticket_median_fen), 0, INF, GT },
    { "sigma", F_NUM, OFF(struct intervention, ticket_sigma), 0, INF, GT },
};

struct window { double from, until; };
static const struct field window_fields[] = {
    { "from", F_DATE, OFF(struct window, from), 0, 0, REQ },
    { "until", F_DATE, OFF(struct window, until), 0, 0, REQ },
};

static const struct field output_fields[] = {
    { "charts", F_BOOL, OFF(struct scenario, charts), 0, 0, 0 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Default diurnal shape (an assumption, not a measurement): quiet at night,
 * a lunch peak at 12-13 and an evening peak at 18-20; normalized on load. */
static const double default_hourly[24] = {
    0.25, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.80, 1.10, 1.20, 1.30, 1.50,
    1.80, 1.60, 1.20, 1.10, 1.20, 1.40, 1.80, 1.90, 1.70, 1.30, 0.90, 0.50
};
static const double default_weekday[7] = { 1, 1, 1, 1, 1.05, 1.15, 1.1 };

/* One error at `m`: "path: message". */
static void fail(struct loader *L, const struct ytree_mark *m, const char *path,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void fail(struct loader *L, const struct ytree_mark *m, const char *path,
                 const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path) ytree_error(L->c, m, "%s: %s", path, msg);
    else ytree_error(L->c, m, "%s", msg);
}

/* parent.key (the key made printable) into buf. */
static char *subpath(char *buf, size_t size, const char *parent, const char *key)
{
    char q[160];
    size_t n = strlen(parent), k;

    ytree_quote(q, sizeof q, key, strlen(key));
    if (n + 2 > size) n = size - 2;
    memmove(buf, parent, n);            /* parent may be buf itself */
    if (n) buf[n++] = '.';
    k = strlen(q) < size - n - 1 ? strlen(q) : size - n - 1;
    memcpy(buf + n, q, k);
    buf[n + k] = '\0';
    return buf;
}

static const char *quote(char *buf, size_t size, const struct ytree *t)
{
    return ytree_quote(buf, size, t->text, t->len);
}

static int is_null(const struct ytree *t)
{
    return t->kind == YTREE_SCALAR && t->plain &&
           (!t->len || !strcmp(t->text, "~") || !strcmp(t->text, "null") ||
            !strcmp(t->text, "Null") || !strcmp(t->text, "NULL"));
}

static const char *kind_name(const struct ytree *t)
{
    return t->kind == YTREE_MAP ? "a mapping" : t->kind == YTREE_SEQ ? "a list" : "a value";
}

/* What a field accepts, for the "(expected ...)" part of a message. */
static char *describe(char *buf, size_t size, const struct field *f)
{
    char range[96] = "", lo[UNITS_BUF], hi[UNITS_BUF];

    units_fmt_number(lo, f->lo);
    units_fmt_number(hi, f->hi == INF ? 0 : f->hi);
    if (f->hi == INF && (f->lo != 0 || (f->flags & GT) || f->type == F_NUM))
        snprintf(range, sizeof range, " %s %s", (f->flags & GT) ? ">" : ">=", lo);
    else if (f->hi != INF && f->hi != 0)
        snprintf(range, sizeof range, " from %s to %s", lo, hi);
    switch (f->type) {
    case F_STR: snprintf(buf, size, (f->flags & NONEMPTY) ? "a non-empty string" : "a string"); break;
    case F_U64: snprintf(buf, size, "an integer from 0 to 18446744073709551615"); break;
    case F_INT: case F_UINT: snprintf(buf, size, "an integer%s", range); break;
    case F_NUM: snprintf(buf, size, "a number%s", range); break;
    case F_SHARE: snprintf(buf, size, "a share from 0 to 1, like 0.2 or 20%%"); break;
    case F_DUR:
        snprintf(buf, size, "a duration%s with a unit us, ms, s, m, h or d, like 30m", range);
        break;
    case F_UNIX: case F_DATE:
        snprintf(buf, size, "a date like 2020-04-01 or 2020-04-01T08:00, Asia/Shanghai");
        break;
    case F_MONEY:
        snprintf(buf, size, "yuan%s with at most 2 decimals, like 50 or 12.50", range);
        break;
    case F_BOOL: snprintf(buf, size, "true or false"); break;
    case F_DIST: snprintf(buf, size, "exponential, deterministic or lognormal"); break;
    case F_KIND: snprintf(buf, size, "lottery"); break;
    }
    return buf;
}

/* Parse one scalar per its field type and store it at dst; 0 or -1. */
static int read_value(struct loader *L, const struct ytree *t, const char *path,
                      const struct field *f, void *dst)
{
    char exp[160], q[160];
    const char *why = NULL, *text = t->text;
    double x = 0;
    int64_t i64 = 0;
    int rc = 0, numeric = f->type != F_STR && f->type != F_DATE && f->type != F_UNIX &&
                          f->type != F_DUR && f->type != F_SHARE;

    describe(exp, sizeof exp, f);
    if (t->kind != YTREE_SCALAR) {
        fail(L, &t->mark, path, "got %s (expected %s)", kind_name(t), exp);
        return -1;
    }
    if (is_null(t)) { fail(L, &t->mark, path, "missing value (expected %s)", exp); return -1; }
    if (strlen(text) != t->len) {
        fail(L, &t->mark, path, "a NUL character in the text (expected %s)", exp);
        return -1;
    }
    if (numeric && !t->plain) {
        fail(L, &t->mark, path, "'%s' is quoted, so it is text (expected %s, unquoted)",
             quote(q, sizeof q, t), exp);
        return -1;
    }
    switch (f->type) {
    case F_STR:
        if ((f->flags & NONEMPTY) && !*text) {
            fail(L, &t->mark, path, "empty string (expected %s)", exp);
            return -1;
        }
        if (!(*(char **)dst = strdup(text))) rc = -1, why = "out of memory";
        break;
    case F_U64: rc = units_uint64(text, dst, &why); break;
    case F_INT: case F_UINT:
        if (!(rc = units_int(text, &i64, &why))) x = (double)i64;
        break;
    case F_NUM: case F_SHARE:
        rc = (f->type == F_NUM ? units_number : units_share)(text, &x, &why);
        break;
    case F_DUR: rc = units_duration(text, &x, &why); break;
    case F_UNIX: case F_DATE: rc = units_date(text, &i64, &why); break;
    case F_MONEY:
        if (!(rc = units_money(text, &i64, &why))) x = (double)i64 / 100;
        break;
    case F_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "false")) *(int *)dst = text[0] == 't';
        else rc = -1, why = "not true or false";
        break;
    case F_DIST:
        if (!strcmp(text, "exponential")) *(enum service_dist *)dst = SERVICE_EXPONENTIAL;
        else if (!strcmp(text, "deterministic")) *(enum service_dist *)dst = SERVICE_DETERMINISTIC;
        else if (!strcmp(text, "lognormal")) *(enum service_dist *)dst = SERVICE_LOGNORMAL;
        else rc = -1, why = "not a distribution";
        break;
    case F_KIND:
        if (!strcmp(text, "lottery")) *(enum intervention_kind *)dst = INTERVENTION_LOTTERY;
        else rc = -1, why = "not a known kind";
        break;
    }
    if (rc) {
        fail(L, &t->mark, path, "'%s': %s (expected %s)", quote(q, sizeof q, t), why, exp);
        return -1;
    }
    if (f->type == F_INT || f->type == F_UINT || f->type == F_NUM || f->type == F_SHARE ||
        f->type == F_DUR || f->type == F_MONEY) {
        if (x < f->lo || ((f->flags & GT) && x == f->lo) || x > f->hi) {
            fail(L, &t->mark, path, "%s is out of range (expected %s)", quote(q, sizeof q, t),
                 exp);
            return -1;
        }
    }
    switch (f->type) {
    case F_INT: case F_MONEY: *(int64_t *)dst = i64; break;
    case F_UINT: *(unsigned *)dst = (unsigned)i64; break;
    case F_NUM: case F_SHARE: case F_DUR: *(double *)dst = x; break;
    case F_UNIX: *(int64_t *)dst = i64; break;
    case F_DATE: if (L->start_ok) *(double *)dst = (double)(i64 - L->s->start_unix); break;
    default: break;
    }
    return 0;
}

/* Report the keys of `map` that are neither in `fields` nor in `extra`. */
static void check_keys(struct loader *L, const struct ytree *map, const char *path,
                       const struct field *fields, size_t nf,
                       const char *const *extra, size_t ne)
{
    const char *names[32];
    size_t i, k, n = 0;

    assert(nf + ne <= N(names));
    for (k = 0; k < nf; k++) names[n++] = fields[k].key;
    for (k = 0; k < ne; k++) names[n++] = extra[k];
    for (i = 0; i < map->n && !ytree_full(L->c); i++) {
        const char *key = map->items[i].key, *best;
        char q[160], list[512];
        size_t o = 0;
        for (k = 0; k < n && strcmp(key, names[k]); k++) {}
        if (k < n) continue;
        ytree_quote(q, sizeof q, key, strlen(key));
        if ((best = ytree_suggest(key, names, n))) {
            fail(L, &map->items[i].key_mark, path, "unknown key '%s' (did you mean '%s'?)", q,
                 best);
            continue;
        }
        for (k = 0; k < n; k++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", k ? ", " : "", names[k]);
        fail(L, &map->items[i].key_mark, path, "unknown key '%s' (expected one of: %s)", q, list);
    }
}

/* Check and store the fields of one mapping. `where` is the position for a
 * missing key (the mapping's own key, if it has one). Bit i of *seen is set
 * for each fields[i] present. 0, or -1 if `map` is not a mapping. */
static int walk_fields(struct loader *L, const struct ytree *map, const char *path,
                       const struct ytree_mark *where, const struct field *fields, size_t nf,
                       const char *const *extra, size_t ne, void *base, unsigned *seen)
{
    size_t i;
    char sub[256], exp[160];

    if (seen) *seen = 0;
    if (map->kind != YTREE_MAP) {
        fail(L, &map->mark, path, "got %s (expected a mapping of keys)", kind_name(map));
        return -1;
    }
    check_keys(L, map, path, fields, nf, extra, ne);
    for (i = 0; i < nf; i++) {
        const struct ytree *v = ytree_get(map, fields[i].key, NULL);
        subpath(sub, sizeof sub, path, fields[i].key);
        if (!v) {
            if (fields[i].flags & REQ)
                fail(L, where ? where : &map->mark, path, "missing required key '%s' "
                     "(expected %s)", fields[i].key, describe(exp, sizeof exp, &fields[i]));
            continue;
        }
        if (!read_value(L, v, sub, &fields[i], (char *)base + fields[i].off) && seen)
            *seen |= 1u << i;
    }
    return 0;
}

/* A mapping under `key` of `parent`, walked when present; NULL if absent. */
static const struct ytree *section(struct loader *L, const struct ytree *parent,
                                   const char *path, const char *key,
                                   const struct field *fields, size_t nf,
                                   const char *const *extra, size_t ne, void *base)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(parent, key, &p);
    char sub[256];

    if (!v) return NULL;
    subpath(sub, sizeof sub, path, key);
    if (walk_fields(L, v, sub, &p->key_mark, fields, nf, extra, ne, base, NULL)) return NULL;
    return v;
}

/* Scale weights to mean 1, leaving weights that already are (to rounding)
 * untouched so that a written scenario reads back bit for bit. */
static void normalize(double *w, size_t n)
{
    double sum = 0;
    size_t i;

    for (i = 0; i < n; i++) sum += w[i];
    if (fabs(sum - (double)n) <= (double)n * 1e-12) return;
    for (i = 0; i < n; i++) w[i] = w[i] * (double)n / sum;
}

/* A list of exactly n non-negative numbers, not all zero, normalized. */
static void read_weights(struct loader *L, const struct ytree *parent, const char *path,
                         const char *key, double *out, size_t n)
{
    static const struct field weight = { "", F_NUM, 0, 0, INF, 0 };
    const struct ytree *v = ytree_get(parent, key, NULL);
    double w[24], sum = 0;
    char sub[256], item[280];
    size_t i;
    int bad = 0;

    if (!v) return;
    subpath(sub, sizeof sub, path, key);
    if (v->kind != YTREE_SEQ || v->n != n) {
        fail(L, &v->mark, sub, "got %s%s (expected a list of exactly %zu numbers >= 0)",
             kind_name(v), v->kind == YTREE_SEQ ? " of another length" : "", n);
        return;
    }
    for (i = 0; i < n; i++) {
        snprintf(item, sizeof item, "%s[%zu]", sub, i);
        bad |= read_value(L, v->items[i].val, item, &weight, &w[i]);
        if (!bad) sum += w[i];
    }
    if (bad) return;
    if (sum == 0 || !isfinite(sum)) {
        fail(L, &v->mark, sub, "the weights sum to %g (expected a positive finite sum)", sum);
        return;
    }
    normalize(w, n);
    memcpy(out, w, n * sizeof *w);
}

/* An id usable as a key, in a --set path and in output files. */
static int check_id(struct loader *L, const struct ytree_mark *m, const char *path,
                    const char *id)
{
    const char *p = id;
    char q[160];

    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            break;
    if (*id && !*p) return 0;
    fail(L, m, path, "bad id '%s' (expected lower-case letters, digits, '_' and '-')",
         ytree_quote(q, sizeof q, id, strlen(id)));
    return -1;
}

/* operator id -> share, summing to 1; fills out[n_operators] (absent: 0). */
static void read_shares(struct loader *L, const struct ytree *v, const char *path,
                        double *out)
{
    static const struct field share = { "", F_SHARE, 0, 0, 1, 0 };
    const struct scenario *s = L->s;
    const char *names[SCENARIO_MAX_OPERATORS];
    char sub[256], q[160];
    double sum = 0;
    size_t i;
    int bad = 0;

    if (v->kind != YTREE_MAP) {
        fail(L, &v->mark, path, "got %s (expected a mapping of operator id: share)",
             kind_name(v));
        return;
    }
    for (i = 0; i < s->n_operators; i++) names[i] = s->operators[i].id;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *p = &v->items[i];
        int op = scenario_operator(s, p->key);
        double x = 0;
        if (op < 0) {
            const char *best = ytree_suggest(p->key, names, s->n_operators);
            ytree_quote(q, sizeof q, p->key, strlen(p->key));
            if (best) fail(L, &p->key_mark, path, "unknown operator '%s' (did you mean '%s'?)",
                           q, best);
            else fail(L, &p->key_mark, path, "unknown operator '%s' (expected an id listed "
                      "under operators:)", q);
            bad = 1;
            continue;
        }
        if (read_value(L, p->val, subpath(sub, sizeof sub, path, p->key), &share, &x)) {
            bad = 1;
            continue;
        }
        out[op] = x;
        sum += x;
    }
    if (!bad && fabs(sum - 1) > SHARE_SUM_TOL)
        fail(L, &v->mark, path, "the shares sum to %s (expected a sum of 1)",
             units_fmt_number(q, sum));
}

/* An entry --set added to `operators:` or `cities:` is a mistyped id, not a
 * new one: report it with the closest id of the file. -1 if so, else 0. */
static int created_id(struct loader *L, const struct ytree *map, size_t i, const char *what)
{
    const char *names[SCENARIO_MAX_OPERATORS], *best;
    size_t k, n = 0;
    char q[160];

    if (!map->items[i].created) return 0;
    for (k = 0; k < map->n && n < SCENARIO_MAX_OPERATORS; k++)
        if (!map->items[k].created) names[n++] = map->items[k].key;
    ytree_quote(q, sizeof q, map->items[i].key, strlen(map->items[i].key));
    if ((best = ytree_suggest(map->items[i].key, names, n)))
        fail(L, &map->items[i].key_mark, NULL, "unknown %s '%s' (did you mean '%s'?)", what, q,
             best);
    else
        fail(L, &map->items[i].key_mark, NULL, "unknown %s '%s' (expected an id listed "
             "under %ss:)", what, q, what);
    return -1;
}

static void load_operators(struct loader *L, const struct ytree *root)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(root, "operators", &p);
    struct scenario *s = L->s;
    size_t i;

    if (!v) {
        fail(L, &root->mark, NULL, "missing required key 'operators' (expected at least "
             "one operator, like operators: {icbc: {}})");
        return;
    }
    if (v->kind != YTREE_MAP || !v->n || v->n > SCENARIO_MAX_OPERATORS) {
        fail(L, &v->mark, "operators", "got %s with %zu entries (expected a mapping of 1 to "
             "%d operators)", kind_name(v), v->kind == YTREE_MAP ? v->n : 0,
             SCENARIO_MAX_OPERATORS);
        return;
    }
    if (!(s->operators = calloc(v->n, sizeof *s->operators))) return;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *e = &v->items[i];
        struct operator_spec *op = &s->operators[s->n_operators++];
        char sub[256];
        created_id(L, v, i, "operator");
        op->service = (struct service){ 16, SERVICE_EXPONENTIAL, 0.020, 1, 10 };
        if (!(op->id = strdup(e->key))) return;
        subpath(sub, sizeof sub, "operators", e->key);
        check_id(L, &e->key_mark, "operators", e->key);
        if (!is_null(e->val))     /* `icbc:` alone takes every default */
            walk_fields(L, e->val, sub, &e->key_mark, operator_fields, N(operator_fields),
                        NULL, 0, op, NULL);
        if (!op->name && !(op->name = strdup(e->key))) return;
    }
}

static void load_cities(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "cities", NULL);
    struct scenario *s = L->s;
    size_t i, k;

    if (!v) {
        fail(L, &root->mark, NULL, "missing required key 'cities' (expected at least one "
             "city, like cities: {shenzhen: {population: 17560000}})");
        return;
    }
    if (v->kind != YTREE_MAP || !v->n || v->n > SCENARIO_MAX_CITIES) {
        fail(L, &v->mark, "cities", "got %s with %zu entries (expected a mapping of 1 to "
             "%d cities)", kind_name(v), v->kind == YTREE_MAP ? v->n : 0, SCENARIO_MAX_CITIES);
        return;
    }
    if (!(s->cities = calloc(v->n, sizeof *s->cities))) return;
    for (i = 0; i < v->n && !ytree_full(L->c); i++) {
        const struct ytree_pair *e = &v->items[i];
        const struct ytree *ops;
        struct city_spec *c = &s->cities[s->n_cities++];
        unsigned seen = 0;
        char sub[256];
        c->smartphone_share = 0.86;
        c->innovation = s->innovation;
        c->imitation = s->imitation;
        if (!(c->id = strdup(e->key))) return;
        if (s->n_operators && !(c->operator_share = calloc(s->n_operators, sizeof(double))))
            return;
        subpath(sub, sizeof sub, "cities", e->key);
        if (created_id(L, v, i, "city")) continue;
        check_id(L, &e->key_mark, "cities", e->key);
        if (walk_fields(L, e->val, sub, &e->key_mark, city_fields, N(city_fields),
                        city_extra, N(city_extra), c, &seen))
            continue;
        if (!(seen & (1u << 3)))  /* merchants: one per 40 people by default */
            c->merchants = c->population / 40 > 0 ? c->population / 40 : 1;
        if ((ops = ytree_get(e->val, "operators", NULL)) && s->n_operators)
            read_shares(L, ops, subpath(sub, sizeof sub, sub, "operators"), c->operator_share);
        else
            for (k = 0; k < s->n_operators; k++) c->operator_share[k] = 1.0 / (double)s->n_operators;
        if (!c->name && !(c->name = strdup(e->key))) return;
    }
}

/* A window {from, until} under `key`, from < until, inside the horizon. */
static void read_window(struct loader *L, const struct ytree *item, const char *path,
                        const struct ytree_mark *where, const char *key, struct window *w)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(item, key, &p);
    char sub[256], a[UNITS_BUF], b[UNITS_BUF];
    unsigned seen;

    subpath(sub, sizeof sub, path, key);
    if (!v) {
        fail(L, where, path, "missing required key '%s' (expected {from: DATE, until: DATE})",
             key);
        return;
    }
    if (walk_fields(L, v, sub, &p->key_mark, window_fields, 2, NULL, 0, w, &seen) ||
        seen != 3 || !L->start_ok || !L->duration_ok)
        return;
    units_fmt_date(a, L->s->start_unix + (int64_t)w->from);
    units_fmt_date(b, L->s->start_unix + (int64_t)w->until);
    if (w->from >= w->until)
        fail(L, &v->mark, sub, "from %s is not before until %s (expected from < until)", a, b);
    else if (w->from < 0 || w->until > L->s->duration_s)
        fail(L, &v->mark, sub, "%s .. %s is outside the scenario (expected dates from start "
             "to start + duration)", a, b);
}

/* amount: one sum in yuan, or a list of them (drawn uniformly per winner). */
static void read_amounts(struct loader *L, const struct ytree *item, const char *path,
                         const struct ytree_mark *where, struct intervention *iv)
{
    static const struct field money = { "", F_MONEY, 0, 0, INF, GT };
    const struct ytree *v = ytree_get(item, "amount", NULL);
    char sub[256], el[280];
    size_t i, n = 1;

    subpath(sub, sizeof sub, path, "amount");
    if (!v) {
        fail(L, where, path, "missing required key 'amount' (expected yuan, like 200, or a "
             "list, like [178, 238])");
        return;
    }
    if (v->kind == YTREE_SEQ) {
        if (!v->n || v->n > MAX_AMOUNTS) {
            fail(L, &v->mark, sub, "a list of %zu amounts (expected 1 to %d)", v->n, MAX_AMOUNTS);
            return;
        }
        n = v->n;
    }
    if (!(iv->amounts_fen = calloc(n, sizeof *iv->amounts_fen))) return;
    iv->n_amounts = n;
    for (i = 0; i < n; i++) {
        const struct ytree *t = v->kind == YTREE_SEQ ? v->items[i].val : v;
        snprintf(el, sizeof el, v->kind == YTREE_SEQ ? "%s[%zu]" : "%s", sub, i);
        read_value(L, t, el, &money, &iv->amounts_fen[i]);
    }
}

static void load_interventions(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = ytree_get(root, "interventions", NULL);
    struct scenario *s = L->s;
    const char *names[SCENARIO_MAX_CITIES];
    size_t i, k;

    if (!v) return;
    if (v->kind != YTREE_SEQ || v->n > MAX_INTERVENTIONS) {
        fail(L, &v->mark, "interventions", "got %s (expected a list of at most %d "
             "interventions, each starting with '- id:')", kind_name(v), MAX_INTERVENTIONS);
        return;
    }
    if (!v->n || !(s->interventions = calloc(v->n, sizeof *s->interventions))) return;
    for (k = 0; k < s->n_cities; k++) names[k] = s->cities[k].id;
    for (i = 0; i < v->n && !ytree_full(L->c); i++) {
        const struct ytree *item = v->items[i].val, *city, *ops, *id;
        struct intervention *iv = &s->interventions[s->n_interventions++];
        struct window reg = { 0, 0 }, spend = { 0, 0 };
        char path[256], q[160];
        iv->propensity = 0.11;             /* registrations / population */
        iv->claim_share = 0.96;            /* 95-97% of winners claim */
        iv->spend_rate = 0.4;              /* see docs/scenarios.md: Futian 2021 */
        iv->ticket_median_fen = 8000;      /* mean 130 yuan = 80 * e^(1/2) */
        iv->ticket_sigma = 1.0;
        iv->city = -1;
        snprintf(path, sizeof path, "interventions[%zu]", i);
        if ((id = ytree_get(item, "id", NULL)) && id->kind == YTREE_SCALAR && *id->text)
            subpath(path, sizeof path, "interventions", id->text);  /* name it by its id */
        if (walk_fields(L, item, path, &item->mark, lottery_fields, N(lottery_fields),
                        lottery_extra, N(lottery_extra), iv, NULL))
            continue;
        if (iv->id) {
            if (!check_id(L, &ytree_get(item, "id", NULL)->mark, path, iv->id))
                for (k = 0; k + 1 < s->n_interventions; k++)
                    if (s->interventions[k].id && !strcmp(s->interventions[k].id, iv->id))
                        fail(L, &ytree_get(item, "id", NULL)->mark, path, "duplicate id "
                             "'%s' (expected each intervention id once)", iv->id);
        }
        if (!(city = ytree_get(item, "city", NULL))) {
            fail(L, &item->mark, path, "missing required key 'city' (expected a city id)");
        } else if (city->kind != YTREE_SCALAR || (iv->city = scenario_city(s, city->text)) < 0) {
            const char *best = city->kind == YTREE_SCALAR
                               ? ytree_suggest(city->text, names, s->n_cities) : NULL;
            if (city->kind == YTREE_SCALAR) quote(q, sizeof q, city);
            else snprintf(q, sizeof q, "%s", kind_name(city));
            if (best) fail(L, &city->mark, path, "unknown city '%s' (did you mean '%s'?)", q, best);
            else fail(L, &city->mark, path, "unknown city '%s' (expected a city id listed "
                      "under cities:)", q);
        }
        section(L, item, path, "ticket", lottery_ticket_fields, N(lottery_ticket_fields),
                NULL, 0, iv);
        read_amounts(L, item, path, &item->mark, iv);
        read_window(L, item, path, &item->mark, "registration", &reg);
        read_window(L, item, path, &item->mark, "spending", &spend);
        iv->registration_from_s = reg.from;
        iv->registration_until_s = reg.until;
        iv->spend_from_s = spend.from;
        iv->spend_until_s = spend.until;
        if (reg.until > spend.from && reg.from < reg.until && spend.from < spend.until)
            fail(L, &ytree_get(item, "spending", NULL)->mark, path, "spending starts before "
                 "registration ends (expected spending.from >= registration.until)");
        if ((ops = ytree_get(item, "operators", NULL)) && s->n_operators) {
            if (!(iv->operator_share = calloc(s->n_operators, sizeof(double)))) return;
            read_shares(L, ops, subpath(q, sizeof q, path, "operators"), iv->operator_share);
        }
    }
}

/* Every default, before the file is read. */
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
    s->payments_per_day = 1.6;
    s->ecny_preference = 0.2;
    s->ticket_median_fen = 5000;
    s->ticket_sigma = 1.0;
    memcpy(s->hourly, default_hourly, sizeof s->hourly);
    memcpy(s->weekday, default_weekday, sizeof s->weekday);
    normalize(s->hourly, 24);
    normalize(s->weekday, 7);
    s->topup_fen = 10000;
    s->ledger = (struct service){ 64, SERVICE_EXPONENTIAL, 0.005, 1, 10 };
    s->charts = 1;
}

static void load_root(struct loader *L, const struct ytree *root)
{
    struct scenario *s = L->s;
    const struct ytree *pay;
    unsigned seen = 0;

    walk_fields(L, root, "", NULL, top_fields, N(top_fields), top_extra, N(top_extra), s, &seen);
    L->start_ok = (seen & (1u << 3)) != 0;
    L->duration_ok = (seen & (1u << 4)) != 0;
    if ((seen & (1u << 5)) && (seen & (1u << 4)) && s->step_s > s->duration_s) {
        const struct ytree *v = ytree_get(root, "step", NULL);
        fail(L, &v->mark, "step", "longer than duration (expected a step <= duration)");
    }
    if (!(seen & (1u << 5)) && (seen & (1u << 4)) && s->duration_s < s->step_s)
        s->step_s = s->duration_s;           /* a short run gets one bucket */
    if (section(L, root, "", "adoption", adoption_fields, N(adoption_fields),
                adoption_extra, N(adoption_extra), s))
        section(L, ytree_get(root, "adoption", NULL), "adoption", "merchants",
                merchant_fields, N(merchant_fields), NULL, 0, s);
    if ((pay = section(L, root, "", "payments", payment_fields, N(payment_fields),
                       payment_extra, N(payment_extra), s))) {
        section(L, pay, "payments", "ticket", ticket_fields, N(ticket_fields), NULL, 0, s);
        read_weights(L, pay, "payments", "hourly", s->hourly, 24);
        read_weights(L, pay, "payments", "weekday", s->weekday, 7);
    }
    section(L, root, "", "ledger", ledger_fields, N(ledger_fields), NULL, 0, &s->ledger);
    section(L, root, "", "outputs", output_fields, N(output_fields), NULL, 0, s);
    if (!s->description && !(s->description = strdup(""))) return;
    load_operators(L, root);
    load_cities(L, root);
    load_interventions(L, root);
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
    if ((root = ytree_load(&c, path))) {
        for (i = 0; i < n_sets; i++) ytree_set(&c, root, (int)i + 1, sets[i]);
        if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
            ytree_error(&c, NULL, "pilotsim: out of memory reading the scenario");
        } else {
            struct loader L = { &c, s, 0, 0 };
            set_defaults(s);
            load_root(&L, root);
        }
    }
    if (c.errors) {
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

