/* schema.c: typed field tables checked against a ytree mapping (schema.h).
 *
 * The checks run in a fixed order for each value: the node is a single value
 * (not a mapping or list), it is not null, it holds no NUL byte, numbers are
 * written plain (a quoted "7" is text), the text parses as its type (units.c),
 * and the value lies in range. The first failing check is reported, with the
 * field's dotted path and what the field accepts, and the value is not
 * stored: the struct keeps its default, and loading goes on so that one run
 * reports every error it can (up to the ytree cap). */
#include "scenario/schema.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/units.h"

void schema_fail(struct schema *w, const struct ytree_mark *m, const char *path,
                 const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path) ytree_error(w->c, m, "%s: %s", path, msg);
    else ytree_error(w->c, m, "%s", msg);
}

char *schema_path(char *buf, size_t size, const char *parent, const char *key)
{
    char q[160];
    size_t n = strlen(parent), k;

    ytree_quote(q, sizeof q, key, strlen(key));   /* a key may be hostile text */
    if (n + 2 > size) n = size - 2;
    memmove(buf, parent, n);
    if (n) buf[n++] = '.';
    k = strlen(q) < size - n - 1 ? strlen(q) : size - n - 1;
    memcpy(buf + n, q, k);
    buf[n + k] = '\0';
    return buf;
}

/* YAML 1.2 core nulls, only when written plain: "null" in quotes is text. */
int schema_is_null(const struct ytree *t)
{
    return t->kind == YTREE_SCALAR && t->plain &&
           (!t->len || !strcmp(t->text, "~") || !strcmp(t->text, "null") ||
            !strcmp(t->text, "Null") || !strcmp(t->text, "NULL"));
}

const char *schema_kind(const struct ytree *t)
{
    return t->kind == YTREE_MAP ? "a mapping" : t->kind == YTREE_SEQ ? "a list" : "a value";
}

static const char *quote(char *buf, size_t size, const struct ytree *t)
{
    return ytree_quote(buf, size, t->text, t->len);
}

/* What a field accepts, for the "(expected ...)" part of a message: the
 * type, its range when it has one, and an example of the spelling. */
static char *describe(char *buf, size_t size, const struct schema_field *f)
{
    char range[96] = "", lo[UNITS_BUF], hi[UNITS_BUF];
    int bounded = f->hi != HUGE_VAL;
    size_t o, i;

    if (f->type == SCHEMA_DUR) {           /* bounds in their own unit: 1s, 100y */
        units_fmt_span(lo, f->lo);
        units_fmt_span(hi, bounded ? f->hi : 0);
    } else {
        units_fmt_number(lo, f->lo);
        units_fmt_number(hi, bounded ? f->hi : 0);
    }
    if (!bounded && (f->lo != 0 || (f->flags & SCHEMA_GT) || f->type == SCHEMA_NUM))
        snprintf(range, sizeof range, " %s %s", (f->flags & SCHEMA_GT) ? ">" : ">=", lo);
    else if (bounded && f->hi != 0 && (f->flags & SCHEMA_GT))
        snprintf(range, sizeof range, " > %s and <= %s", lo, hi);
    else if (bounded && f->hi != 0)
        snprintf(range, sizeof range, " from %s to %s", lo, hi);
    switch (f->type) {
    case SCHEMA_STR:
        snprintf(buf, size, "%s", (f->flags & SCHEMA_NONEMPTY) ? "a non-empty string" : "a string");
        break;
    case SCHEMA_U64: snprintf(buf, size, "an integer from 0 to 18446744073709551615"); break;
    case SCHEMA_INT: case SCHEMA_UINT: snprintf(buf, size, "an integer%s", range); break;
    case SCHEMA_NUM: snprintf(buf, size, "a number%s", range); break;
    case SCHEMA_SHARE: snprintf(buf, size, "a share from 0 to 1, like 0.2 or 20%%"); break;
    case SCHEMA_DUR:
        snprintf(buf, size, "a duration%s with a unit us, ms, s, m, h, d, w or y, like 30m",
                 range);
        break;
    case SCHEMA_UNIX: case SCHEMA_DATE:
        snprintf(buf, size, "a date like 2020-04-01 or 2020-04-01T08:00, Asia/Shanghai");
        break;
    case SCHEMA_MONEY:
        snprintf(buf, size, "yuan%s with at most 2 decimals, like 50 or 12.50", range);
        break;
    case SCHEMA_BOOL: snprintf(buf, size, "true or false"); break;
    case SCHEMA_LIMIT:
        snprintf(buf, size, "yuan%s with at most 2 decimals, or unlimited", range);
        break;
    case SCHEMA_ENUM:                      /* "a, b or c" */
        for (o = 0, i = 0; f->names[i] && o < size; i++)
            o += (size_t)snprintf(buf + o, size - o, "%s%s",
                                  !i ? "" : f->names[i + 1] ? ", " : " or ", f->names[i]);
        break;
    }
    return buf;
}

/* Parse `text` as f's type: into *i64 (integers, dates, fen), *x (the
 * number that is range-checked) or dst directly (strings, seeds, enums). */
static int parse(const struct schema_field *f, const char *text, void *dst, int64_t *i64,
                 double *x, const char **why)
{
    size_t i;
    int rc = 0;

    switch (f->type) {
    case SCHEMA_STR:
        if (!(*(char **)dst = strdup(text))) { *why = "out of memory"; return -1; }
        return 0;
    case SCHEMA_U64: return units_uint64(text, dst, why);
    case SCHEMA_INT: case SCHEMA_UINT:
        if (!(rc = units_int(text, i64, why))) *x = (double)*i64;
        return rc;
    case SCHEMA_NUM: return units_number(text, x, why);
    case SCHEMA_SHARE: return units_share(text, x, why);
    case SCHEMA_DUR: return units_duration(text, x, why);
    case SCHEMA_UNIX: case SCHEMA_DATE: return units_date(text, i64, why);
    case SCHEMA_MONEY:
        if (!(rc = units_money(text, i64, why))) *x = (double)*i64 / 100;  /* yuan */
        return rc;
    case SCHEMA_LIMIT:                     /* no limit: larger than any sum */
        if (!strcmp(text, "unlimited")) {
            *i64 = INT64_MAX;
            *x = f->hi;
            return 0;
        }
        if (!(rc = units_money(text, i64, why))) *x = (double)*i64 / 100;
        return rc;
    case SCHEMA_BOOL:                      /* one spelling: not yes/no/on/off */
        if (strcmp(text, "true") && strcmp(text, "false")) {
            *why = "not true or false";
            return -1;
        }
        *(int *)dst = text[0] == 't';
        return 0;
    case SCHEMA_ENUM:
        for (i = 0; f->names[i]; i++)
            if (!strcmp(text, f->names[i])) { *(int *)dst = (int)i; return 0; }
        *why = "not one of the choices";
        return -1;
    }
    return -1;
}

int schema_value(struct schema *w, const struct ytree *t, const char *path,
                 const struct schema_field *f, void *dst)
{
    char exp[160], q[160];
    const char *why = NULL;
    double x = 0;
    int64_t i64 = 0;
    int ranged = f->type == SCHEMA_INT || f->type == SCHEMA_UINT || f->type == SCHEMA_NUM ||
                 f->type == SCHEMA_SHARE || f->type == SCHEMA_DUR || f->type == SCHEMA_MONEY ||
                 f->type == SCHEMA_LIMIT;
    int number = f->type == SCHEMA_U64 || f->type == SCHEMA_INT || f->type == SCHEMA_UINT ||
                 f->type == SCHEMA_NUM || f->type == SCHEMA_MONEY;

    describe(exp, sizeof exp, f);
    if (t->kind != YTREE_SCALAR) {
        schema_fail(w, &t->mark, path, "got %s (expected %s)", schema_kind(t), exp);
        return -1;
    }
    if (schema_is_null(t)) {
        schema_fail(w, &t->mark, path, "missing value (expected %s)", exp);
        return -1;
    }
    if (strlen(t->text) != t->len) {   /* "\0" in a double-quoted string */
        schema_fail(w, &t->mark, path, "a NUL character in the text (expected %s)", exp);
        return -1;
    }
    if (number && !t->plain) {
        schema_fail(w, &t->mark, path, "'%s' is quoted, so it is text (expected %s, unquoted)",
                    quote(q, sizeof q, t), exp);
        return -1;
    }
    if (f->type == SCHEMA_STR && (f->flags & SCHEMA_NONEMPTY) && !t->len) {
        schema_fail(w, &t->mark, path, "empty string (expected %s)", exp);
        return -1;
    }
    if (parse(f, t->text, dst, &i64, &x, &why)) {
        schema_fail(w, &t->mark, path, "'%s': %s (expected %s)", quote(q, sizeof q, t), why, exp);
        return -1;
    }
    if (ranged && (x < f->lo || ((f->flags & SCHEMA_GT) && x == f->lo) || x > f->hi)) {
        schema_fail(w, &t->mark, path, "%s is out of range (expected %s)", quote(q, sizeof q, t),
                    exp);
        return -1;
    }
    switch (f->type) {                     /* store only what passed every check */
    case SCHEMA_INT: case SCHEMA_MONEY: case SCHEMA_UNIX: case SCHEMA_LIMIT:
        *(int64_t *)dst = i64;
        break;
    case SCHEMA_UINT: *(unsigned *)dst = (unsigned)i64; break;
    case SCHEMA_NUM: case SCHEMA_SHARE: case SCHEMA_DUR: *(double *)dst = x; break;
    case SCHEMA_DATE: if (w->origin_ok) *(double *)dst = (double)(i64 - w->origin); break;
    default: break;
    }
    return 0;
}

/* Report the keys of `map` that are neither in `fields` nor in `extra`, with
 * the closest known key, or else the list of known keys. */
static void check_keys(struct schema *w, const struct ytree *map, const char *path,
                       const struct schema_field *fields, size_t nf,
                       const char *const *extra, size_t ne)
{
    const char *names[32];
    size_t i, k, n = 0;

    assert(nf + ne <= sizeof names / sizeof names[0]);
    for (k = 0; k < nf; k++) names[n++] = fields[k].key;
    for (k = 0; k < ne; k++) names[n++] = extra[k];
    for (i = 0; i < map->n && !ytree_full(w->c); i++) {
        const struct ytree_pair *p = &map->items[i];
        const char *best;
        char q[160], list[512];
        size_t o = 0;
        for (k = 0; k < n && strcmp(p->key, names[k]); k++) {}
        if (k < n) continue;
        ytree_quote(q, sizeof q, p->key, strlen(p->key));
        if ((best = ytree_suggest(p->key, names, n))) {
            schema_fail(w, &p->key_mark, path, "unknown key '%s' (did you mean '%s'?)", q, best);
            continue;
        }
        for (k = 0; k < n && o < sizeof list; k++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", k ? ", " : "", names[k]);
        schema_fail(w, &p->key_mark, path, "unknown key '%s' (expected one of: %s)", q, list);
    }
}

int schema_walk(struct schema *w, const struct ytree *map, const char *path,
                const struct ytree_mark *where, const struct schema_field *fields,
                size_t nf, const char *const *extra, size_t ne, void *base, unsigned *seen)
{
    char sub[256], exp[160];
    size_t i;

    assert(!seen || nf <= 32);
    if (seen) *seen = 0;
    if (map->kind != YTREE_MAP) {
        schema_fail(w, &map->mark, path, "got %s (expected a mapping of keys)", schema_kind(map));
        return -1;
    }
    check_keys(w, map, path, fields, nf, extra, ne);
    for (i = 0; i < nf && !ytree_full(w->c); i++) {
        const struct ytree *v = ytree_get(map, fields[i].key, NULL);
        schema_path(sub, sizeof sub, path, fields[i].key);
        if (!v) {
            if (fields[i].flags & SCHEMA_REQ)
                schema_fail(w, where ? where : &map->mark, path, "missing required key '%s' "
                            "(expected %s)", fields[i].key, describe(exp, sizeof exp, &fields[i]));
            continue;
        }
        if (!schema_value(w, v, sub, &fields[i], (char *)base + fields[i].off) && seen)
            *seen |= 1u << i;
    }
    return 0;
}

const struct ytree *schema_section(struct schema *w, const struct ytree *parent,
                                   const char *path, const char *key,
                                   const struct schema_field *fields, size_t nf,
                                   const char *const *extra, size_t ne, void *base)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(parent, key, &p);
    char sub[256];

    if (!v) return NULL;
    schema_path(sub, sizeof sub, path, key);
    return schema_walk(w, v, sub, &p->key_mark, fields, nf, extra, ne, base, NULL) ? NULL : v;
}
