/* roster.c: the operators and cities of a scenario (see roster.h). */
#include "scenario/roster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/keys.h"
#include "scenario/units.h"

void roster_shares(struct loader *L, const struct ytree *v, const char *path, double *out)
{
    /* each share is read as the city table's `operators` entry says */
    const struct schema_field *share =
        schema_key(schema_key(&keys_top, "cities")->sub, "operators");
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
    for (i = 0; i < s->n_operators; i++)
        names[i] = s->operators[i].id;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *p = &v->items[i];
        int op = roster_operator(s, p->key);
        double x = 0;
        if (op < 0) {
            loader_unknown_id(L, &p->key_mark, path, "operator", p->key, names, s->n_operators);
            bad = 1;
        } else if (schema_value(&L->w, p->val, schema_path(sub, sizeof sub, path, p->key), share,
                                &x)) {
            bad = 1;
        } else {
            out[op] = x;
            sum += x;
        }
    }
    if (!bad && fabs(sum - 1) > LOADER_SHARE_SUM_TOL)
        schema_fail(&L->w, &v->mark, path, "the shares sum to %s (expected a sum of 1)",
                    units_fmt_number(a, sum));
}

/* An entry --set added to `operators:` or `cities:` is a mistyped id, not a
 * new one: report it with the closest id of the files. -1 if so, else 0. */
static int created_id(struct loader *L, const struct ytree *map, size_t i, const char *what)
{
    const char *names[SCENARIO_MAX_OPERATORS];
    size_t k, n = 0;

    if (!map->items[i].created)
        return 0;
    for (k = 0; k < map->n && n < SCENARIO_MAX_OPERATORS; k++)
        if (!map->items[k].created)
            names[n++] = map->items[k].key;
    loader_unknown_id(L, &map->items[i].key_mark, NULL, what, map->items[i].key, names, n);
    return -1;
}

/* The id-keyed mapping under `key` of root: present, a mapping, 1 to max
 * entries. Returns it, or NULL after an error. */
static const struct ytree *id_map(struct loader *L, const struct ytree *root, const char *key,
                                  size_t max, const char *one, const char *example)
{
    const struct ytree *v = ytree_get(root, key, NULL);

    if (!v) {
        schema_fail(&L->w, &root->mark, NULL,
                    "missing required key '%s' (expected at least "
                    "one %s, like %s)",
                    key, one, example);
        return NULL;
    }
    if (v->kind != YTREE_MAP || !v->n || v->n > max) {
        schema_fail(&L->w, &v->mark, key,
                    "got %s with %zu entries (expected a mapping of 1 "
                    "to %zu %s)",
                    schema_kind(v), v->kind == YTREE_MAP ? v->n : 0, max, key);
        return NULL;
    }
    return v;
}

void roster_load_operators(struct loader *L, const struct ytree *root)
{
    const struct ytree *v =
        id_map(L, root, "operators", SCENARIO_MAX_OPERATORS, "operator", "operators: {icbc: {}}");
    struct scenario *s = L->s;
    size_t i;

    if (!v || !(s->operators = calloc(v->n, sizeof *s->operators)))
        return;
    for (i = 0; i < v->n; i++) {
        const struct ytree_pair *e = &v->items[i];
        struct operator_spec *op = &s->operators[s->n_operators++];
        char sub[256];
        op->service = (struct service){16, SERVICE_EXPONENTIAL, 0.020, 1, 10};
        if (!(op->id = strdup(e->key)))
            return;
        if (created_id(L, v, i, "operator") ||
            loader_check_id(L, &e->key_mark, "operators", e->key))
            continue;
        if (!schema_is_null(e->val)) /* `icbc:` alone takes every default */
            schema_walk(&L->w, e->val, schema_path(sub, sizeof sub, "operators", e->key),
                        &e->key_mark, schema_key(&keys_top, "operators")->sub, op, NULL);
        if (!op->name && !(op->name = strdup(e->key)))
            return;
    }
}

void roster_load_cities(struct loader *L, const struct ytree *root)
{
    const struct ytree *v = id_map(L, root, "cities", SCENARIO_MAX_CITIES, "city",
                                   "cities: {shenzhen: {population: 17560000}}");
    struct scenario *s = L->s;
    size_t i, k;

    if (!v || !(s->cities = calloc(v->n, sizeof *s->cities)))
        return;
    for (i = 0; i < v->n && !ytree_full(L->w.c); i++) {
        const struct ytree_pair *e = &v->items[i];
        const struct ytree *ops;
        struct city_spec *c = &s->cities[s->n_cities++];
        unsigned seen = 0;
        char sub[256], sub2[280];
        c->smartphone_share = 0.86;    /* PBoC: mobile payment penetration, ~2023 */
        c->innovation = s->innovation; /* adoption is read before cities */
        c->imitation = s->imitation;
        if (!(c->id = strdup(e->key)))
            return;
        if (s->n_operators && !(c->operator_share = calloc(s->n_operators, sizeof(double))))
            return;
        schema_path(sub, sizeof sub, "cities", e->key);
        if (created_id(L, v, i, "city") || loader_check_id(L, &e->key_mark, "cities", e->key) ||
            schema_walk(&L->w, e->val, sub, &e->key_mark, schema_key(&keys_top, "cities")->sub, c,
                        &seen))
            continue;
        if (!(seen & (1u << KEYS_CITY_MERCHANTS))) /* one merchant per 40 people */
            c->merchants = c->population / 40 > 0 ? c->population / 40 : 1;
        if (!(seen & (1u << KEYS_CITY_CORPORATES)))
            c->corporates = llround((double)c->population * ROSTER_CORPORATES_PER_PERSON);
        if ((ops = ytree_get(e->val, "operators", NULL)) && s->n_operators)
            roster_shares(L, ops, schema_path(sub2, sizeof sub2, sub, "operators"),
                          c->operator_share);
        else
            for (k = 0; k < s->n_operators; k++)
                c->operator_share[k] = 1.0 / (double)s->n_operators;
        if (!c->name && !(c->name = strdup(e->key)))
            return;
    }
}

int roster_city(const struct scenario *s, const char *id)
{
    size_t i;

    for (i = 0; i < s->n_cities; i++)
        if (s->cities[i].id && !strcmp(s->cities[i].id, id))
            return (int)i;
    return -1;
}

int roster_operator(const struct scenario *s, const char *id)
{
    size_t i;

    for (i = 0; i < s->n_operators; i++)
        if (s->operators[i].id && !strcmp(s->operators[i].id, id))
            return (int)i;
    return -1;
}
