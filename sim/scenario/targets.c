/* targets.c: loading a targets file (see targets.h).
 *
 * Each item is walked with one table (schema.c): the single values are read
 * and range-checked there; the keys that need code (the tolerance's two
 * spellings, the scope list) and the rules between keys (series or path,
 * what goes with each, a name the vocabulary knows, `unit: yuan` on a
 * quantity in fen) follow here. Loading goes on after an error so that one
 * run reports every error it can. */
#include "scenario/targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/schema.h"
#include "scenario/units.h"
#include "scenario/ytree.h"

#define OFF offsetof
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* An item as the walk fills it: the target and the keys read by code. */
struct item {
    struct target t;
    int unit; /* index into unit_names, -1 when absent */
};

static const char *const role_names[] = {"fit", "check", NULL};
static const char *const unit_names[] = {"yuan", NULL};

/* The keys of one target, in the order docs/calibration.md lists them. */
static const struct schema_field item_fields[] = {
    {"id", SCHEMA_STR, OFF(struct item, t.id), 0, 0, SCHEMA_REQ | SCHEMA_NONEMPTY, NULL, NULL,
     NULL},
    {"role", SCHEMA_ENUM, OFF(struct item, t.role), 0, 0, SCHEMA_REQ, role_names, NULL, NULL},
    {"value", SCHEMA_NUM, OFF(struct item, t.value), 0, HUGE_VAL, SCHEMA_REQ, NULL, NULL, NULL},
    {"tolerance", SCHEMA_STR, 0, 0, 0, SCHEMA_BYCODE, NULL, NULL, NULL},
    {"unit", SCHEMA_ENUM, OFF(struct item, unit), 0, 0, 0, unit_names, NULL, NULL},
    {"scope", SCHEMA_CODE, 0, 0, 0, 0, NULL, NULL, NULL},
    {"series", SCHEMA_STR, OFF(struct item, t.series), 0, 0, SCHEMA_NONEMPTY, NULL, NULL, NULL},
    {"city", SCHEMA_STR, OFF(struct item, t.city), 0, 0, SCHEMA_NONEMPTY, NULL, NULL, NULL},
    {"at", SCHEMA_UNIX, OFF(struct item, t.at_unix), 0, 0, 0, NULL, NULL, NULL},
    {"cumulative", SCHEMA_BOOL, OFF(struct item, t.cumulative), 0, 0, 0, NULL, NULL, NULL},
    {"path", SCHEMA_STR, OFF(struct item, t.path), 0, 0, SCHEMA_NONEMPTY, NULL, NULL, NULL},
};
static const struct schema_table item_table = {item_fields, N(item_fields)};
enum { VALUE_FIELD = 2 }; /* its bit in schema_walk's `seen` */

static const struct schema_field top_fields[] = {
    {"targets", SCHEMA_CODE, 0, 0, 0, SCHEMA_REQ, NULL, &item_table, NULL},
};
static const struct schema_table top_table = {top_fields, N(top_fields)};

struct load { /* one load: the walk, the vocabulary, what it fills */
    struct schema w;
    const struct targets_vocabulary *v;
    struct targets *t;
};

const char *targets_role_name(int role)
{
    return role_names[role == TARGETS_CHECK];
}

double targets_tolerance_units(const struct target *t)
{
    return t->tolerance_kind == TARGETS_PERCENT ? fabs(t->value) * t->tolerance / 100
                                                : t->tolerance / 100;
}

char *targets_tolerance_text(const struct target *t, char *buf, size_t size)
{
    char n[UNITS_BUF];
    units_fmt_number(n, t->tolerance);
    snprintf(buf, size, "%s%s", n, t->tolerance_kind == TARGETS_PERCENT ? "%" : " points");
    return buf;
}

/* Ids are keys in outputs: [a-z0-9_-]+, as a scenario's. */
static int good_id(const char *id)
{
    const char *p = id;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return *id != '\0';
}

static void bad_id(struct load *L, const struct ytree *at, const char *path, const char *what)
{
    char q[160];
    schema_fail(&L->w, &at->mark, path,
                "bad %s '%s' (expected lower-case letters, digits, '_' and '-')", what,
                ytree_quote(q, sizeof q, at->text, at->len));
}

/* tolerance: `N%` of the value or `N points` (N > 0, a share's hundredths). */
static void read_tolerance(struct load *L, const struct ytree *item, const char *path,
                           struct target *t, int value_ok)
{
    static const char expect[] = "expected a tolerance like 10% or 2 points";
    const struct ytree *v = ytree_get(item, "tolerance", NULL);
    char sub[256], num[UNITS_MAX_TEXT + 1], q[160];
    const char *why = NULL;

    if (!v) {
        schema_fail(&L->w, &item->mark, path, "missing required key 'tolerance' (%s)", expect);
        return;
    }
    schema_path(sub, sizeof sub, path, "tolerance");
    if (v->kind != YTREE_SCALAR || schema_is_null(v)) {
        schema_fail(&L->w, &v->mark, sub, "got %s (%s)",
                    v->kind != YTREE_SCALAR ? schema_kind(v) : "no value", expect);
        return;
    }
    size_t len = strlen(v->text), cut = 0;
    if (len && v->text[len - 1] == '%') {
        t->tolerance_kind = TARGETS_PERCENT, cut = 1;
    } else if (len > 7 && !strcmp(v->text + len - 7, " points")) {
        t->tolerance_kind = TARGETS_POINTS, cut = 7;
    } else if (len > 6 && !strcmp(v->text + len - 6, " point")) {
        t->tolerance_kind = TARGETS_POINTS, cut = 6;
    } else {
        schema_fail(&L->w, &v->mark, sub, "'%s' has no unit (%s)",
                    ytree_quote(q, sizeof q, v->text, v->len), expect);
        return;
    }
    if (len - cut > UNITS_MAX_TEXT || (memcpy(num, v->text, len - cut), num[len - cut] = '\0',
                                       units_number(num, &t->tolerance, &why) < 0)) {
        schema_fail(&L->w, &v->mark, sub, "'%s': %s (%s)",
                    ytree_quote(q, sizeof q, v->text, v->len), why ? why : "too long", expect);
        return;
    }
    if (!(t->tolerance > 0))
        schema_fail(&L->w, &v->mark, sub, "'%s' is not above zero (%s)",
                    ytree_quote(q, sizeof q, v->text, v->len), expect);
    else if (t->tolerance_kind == TARGETS_PERCENT && value_ok && t->value == 0)
        schema_fail(&L->w, &v->mark, sub,
                    "a share of a value of 0 is 0 (expected a tolerance in points, "
                    "or a value other than 0)");
}

/* scope: a list of city ids (the areas the figure covers). */
static void read_scope(struct load *L, const struct ytree *item, const char *path, struct target *t)
{
    const struct ytree *v = ytree_get(item, "scope", NULL);
    char sub[256], el[280];

    if (!v)
        return;
    schema_path(sub, sizeof sub, path, "scope");
    if (v->kind != YTREE_SEQ || v->n == 0 || v->n > TARGETS_MAX_SCOPE) {
        schema_fail(&L->w, &v->mark, sub, "got %s%s (expected a list of 1 to %d city ids)",
                    v->kind == YTREE_SEQ ? "a list of " : schema_kind(v),
                    v->kind == YTREE_SEQ ? (v->n ? "too many ids" : "no ids") : "",
                    TARGETS_MAX_SCOPE);
        return;
    }
    if (!(t->scope = calloc(v->n, sizeof *t->scope))) {
        ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the targets");
        return;
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct ytree *c = v->items[i].val;
        snprintf(el, sizeof el, "%s[%zu]", sub, i);
        if (c->kind != YTREE_SCALAR || strlen(c->text) != c->len) {
            schema_fail(&L->w, &c->mark, el, "got %s (expected a city id)", schema_kind(c));
            continue;
        }
        if (!good_id(c->text)) {
            bad_id(L, c, el, "city id");
            continue;
        }
        if (!(t->scope[t->n_scope++] = strdup(c->text)))
            ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the targets");
    }
}

/* An unknown name at `at`: the closest of cands, else where the names are. */
static void unknown_name(struct load *L, const struct ytree *at, const char *path, const char *what,
                         const char *const *cands, size_t n, const char *where)
{
    char q[160];
    const char *best = ytree_suggest(at->text, cands, n);
    ytree_quote(q, sizeof q, at->text, at->len);
    if (best)
        schema_fail(&L->w, &at->mark, path, "unknown %s '%s' (did you mean '%s'?)", what, q, best);
    else
        schema_fail(&L->w, &at->mark, path, "unknown %s '%s' (expected %s)", what, q, where);
}

/* Does `path` match `pattern`, where `*` stands for one id? *id_at and
 * *id_len give the id's place in path. */
static int path_matches(const char *path, const char *pattern, size_t *id_at, size_t *id_len)
{
    const char *p = path, *q = pattern;
    while (*q) {
        if (*q == '*') {
            size_t n = strcspn(p, ".");
            char id[128];
            if (n == 0 || n >= sizeof id)
                return 0;
            memcpy(id, p, n);
            id[n] = '\0';
            if (!good_id(id))
                return 0;
            *id_at = (size_t)(p - path), *id_len = n;
            p += n, q++;
        } else if (*p++ != *q++) {
            return 0;
        }
    }
    return *p == '\0';
}

/* The series form: a known column, its city and date, cumulative where it
 * can sum. */
static void read_series(struct load *L, const struct ytree *item, const char *path,
                        struct target *t)
{
    const struct targets_vocabulary *v = L->v;
    const struct ytree *s = ytree_get(item, "series", NULL), *c = ytree_get(item, "city", NULL);
    const struct ytree *at = ytree_get(item, "at", NULL),
                       *cum = ytree_get(item, "cumulative", NULL);
    const char *names[256];
    char sub[256];
    size_t k, n = v->n_series < N(names) ? v->n_series : N(names);

    for (k = 0; k < n; k++)
        names[k] = v->series[k].name;
    for (k = 0; k < v->n_series && strcmp(v->series[k].name, t->series); k++) {}
    if (k == v->n_series)
        unknown_name(L, s, schema_path(sub, sizeof sub, path, "series"), "series", names, n,
                     "a column of timeseries.csv, docs/outputs.md");
    else
        t->flags = v->series[k].flags;
    if (!c)
        schema_fail(&L->w, &item->mark, path,
                    "missing required key 'city' (expected a city id, or total)");
    if (!at)
        schema_fail(&L->w, &item->mark, path,
                    "missing required key 'at' (expected a date like 2021-06-30)");
    if (c && t->city && strcmp(t->city, "total") && !good_id(t->city))
        bad_id(L, c, schema_path(sub, sizeof sub, path, "city"), "city id");
    if (c && t->city && k < v->n_series && !strcmp(t->city, "total") &&
        !(t->flags & TARGETS_HAS_TOTAL))
        schema_fail(&L->w, &c->mark, schema_path(sub, sizeof sub, path, "city"),
                    "the series %s has no total over cities in timeseries.csv (expected a "
                    "city id)",
                    t->series);
    if (at && t->at_unix && (t->at_unix + UNITS_SHANGHAI_S) % 86400 != 0)
        schema_fail(&L->w, &at->mark, schema_path(sub, sizeof sub, path, "at"),
                    "a time of day (expected a date like 2021-06-30: the figure at the end "
                    "of that day)");
    if (cum && t->cumulative && k < v->n_series && !(t->flags & (TARGETS_STOCK | TARGETS_SUMMABLE)))
        schema_fail(&L->w, &cum->mark, schema_path(sub, sizeof sub, path, "cumulative"),
                    "the series %s is a rate or a share, which does not sum (expected a "
                    "count, or no cumulative)",
                    t->series);
}

/* The path form: a path the vocabulary knows, its id kept; no series keys. */
static void read_path(struct load *L, const struct ytree *item, const char *path, struct target *t)
{
    const struct targets_vocabulary *v = L->v;
    const struct ytree *p = ytree_get(item, "path", NULL);
    static const char *const series_keys[] = {"city", "at", "cumulative"};
    char sub[256], cands[64][128];
    const char *names[64];
    size_t k, id_at = 0, id_len = 0, n = 0;

    for (k = 0; k < N(series_keys); k++) {
        const struct ytree_pair *pair;
        if (ytree_get(item, series_keys[k], &pair))
            schema_fail(&L->w, &pair->key_mark, path,
                        "%s goes with series (expected a path alone: it names its own "
                        "place)",
                        series_keys[k]);
    }
    for (k = 0; k < v->n_paths; k++)
        if (path_matches(t->path, v->paths[k].name, &id_at, &id_len))
            break;
    if (k < v->n_paths) {
        t->flags = v->paths[k].flags;
        if (id_len && !(t->path_id = strndup(t->path + id_at, id_len)))
            ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the targets");
        return;
    }
    /* Suggest among the patterns with this path's own second step as the id. */
    const char *dot = strchr(t->path, '.');
    size_t head = dot ? strcspn(dot + 1, ".") : 0;
    for (k = 0; k < v->n_paths && n < N(cands); k++) {
        const char *star = strchr(v->paths[k].name, '*');
        if (star)
            snprintf(cands[n], sizeof cands[n], "%.*s%.*s%s", (int)(star - v->paths[k].name),
                     v->paths[k].name, (int)head, dot ? dot + 1 : "", star + 1);
        else
            snprintf(cands[n], sizeof cands[n], "%s", v->paths[k].name);
        names[n] = cands[n];
        n++;
    }
    unknown_name(L, p, schema_path(sub, sizeof sub, path, "path"), "path", names, n,
                 "a path into summary.json such as interventions.ID.claimed, "
                 "docs/outputs.md");
}

/* One target: the walk, then the keys and rules that need code. */
static void read_item(struct load *L, const struct ytree *node, size_t i, struct target *out)
{
    const struct ytree *idn = node->kind == YTREE_MAP ? ytree_get(node, "id", NULL) : NULL;
    struct item it = {.unit = -1};
    char path[256], q[160];
    unsigned seen = 0;

    if (idn && idn->kind == YTREE_SCALAR && strlen(idn->text) == idn->len && good_id(idn->text))
        schema_path(path, sizeof path, "targets", idn->text);
    else
        snprintf(path, sizeof path, "targets[%zu]", i);
    if (schema_walk(&L->w, node, path, NULL, &item_table, &it, &seen) < 0) {
        *out = it.t;
        return;
    }
    it.t.line = node->mark.line, it.t.col = node->mark.col;
    it.t.yuan = it.unit == 0;
    if (it.t.id && !good_id(it.t.id))
        bad_id(L, idn, path, "id");
    for (size_t j = 0; it.t.id && j < i; j++)
        if (L->t->items[j].id && !strcmp(L->t->items[j].id, it.t.id))
            schema_fail(&L->w, &idn->mark, path, "id '%s' is used twice (expected unique ids)",
                        ytree_quote(q, sizeof q, it.t.id, strlen(it.t.id)));
    read_tolerance(L, node, path, &it.t, (seen >> VALUE_FIELD) & 1);
    read_scope(L, node, path, &it.t);
    const struct ytree *sv = ytree_get(node, "series", NULL), *pv = ytree_get(node, "path", NULL);
    if (!sv && !pv)
        schema_fail(&L->w, &node->mark, path,
                    "missing 'series' or 'path' (expected a series with city and at, or a "
                    "path into summary.json)");
    else if (sv && pv)
        schema_fail(&L->w, &pv->mark, path,
                    "both series and path are given (expected one of them)");
    else if (sv && it.t.series)
        read_series(L, node, path, &it.t);
    else if (pv && it.t.path)
        read_path(L, node, path, &it.t);
    const struct ytree *unit = ytree_get(node, "unit", NULL);
    if (it.t.yuan && (it.t.series || it.t.path) && !(it.t.flags & TARGETS_FEN))
        schema_fail(&L->w, &unit->mark, schema_path(q, sizeof q, path, "unit"),
                    "yuan applies to a quantity in fen (expected a series or path ending "
                    "in _fen, or no unit)");
    *out = it.t;
}

/* The top level: `targets:`, a list of 1 to TARGETS_MAX mappings. */
static void load_root(struct load *L, const struct ytree *root)
{
    const struct ytree_pair *pair = NULL;
    const struct ytree *list;

    schema_walk(&L->w, root, "", NULL, &top_table, NULL, NULL);
    if (!(list = ytree_get(root, "targets", &pair))) {
        schema_fail(&L->w, &root->mark, NULL,
                    "missing required key 'targets' (expected a list of targets)");
        return;
    }
    if (list->kind != YTREE_SEQ || list->n == 0 || list->n > TARGETS_MAX) {
        schema_fail(&L->w, &list->mark, "targets", "got %s%s (expected a list of 1 to %d targets)",
                    list->kind == YTREE_SEQ ? "a list of " : schema_kind(list),
                    list->kind == YTREE_SEQ ? (list->n ? "too many" : "none") : "", TARGETS_MAX);
        return;
    }
    if (!(L->t->items = calloc(list->n, sizeof *L->t->items))) {
        ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the targets");
        return;
    }
    for (size_t i = 0; i < list->n && !ytree_full(L->w.c); i++) {
        read_item(L, list->items[i].val, i, &L->t->items[i]);
        L->t->n = i + 1;
    }
}

struct targets *targets_load(const char *file, const struct targets_vocabulary *v, FILE *err)
{
    struct ytree_ctx c;
    struct ytree_id id;
    struct targets *t = calloc(1, sizeof *t);

    ytree_init(&c, err);
    c.what = "targets";
    c.first_key = "targets";
    if (!t || !(t->file = strdup(file))) {
        ytree_error(&c, NULL, "pilotsim: out of memory reading the targets");
    } else {
        struct ytree *root = ytree_read(&c, file, NULL, &id);
        struct load L = {{&c, 0, 0}, v, t};
        if (root)
            load_root(&L, root);
    }
    if (c.errors) { /* nothing half-valid leaves this function */
        targets_free(t);
        t = NULL;
    }
    ytree_destroy(&c);
    return t;
}

void targets_free(struct targets *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        struct target *x = &t->items[i];
        for (size_t j = 0; j < x->n_scope; j++)
            free(x->scope[j]);
        free(x->scope);
        free(x->id);
        free(x->series);
        free(x->city);
        free(x->path);
        free(x->path_id);
    }
    free(t->items);
    free(t->file);
    free(t);
}
