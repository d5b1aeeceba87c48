/* schema.c: typed field tables read from a ytree mapping and written back
 * (schema.h).
 *
 * The checks run in a fixed order for each value: the node is a single value
 * (not a mapping or list), it is not null, it holds no NUL byte, numbers are
 * written plain (a quoted "7" is text), the text parses as its type (units.c),
 * and the value lies in range. The first failing check is reported, with the
 * field's dotted path and what the field accepts, and the value is not
 * stored: the struct keeps its default, and loading goes on so that one run
 * reports every error it can (up to the ytree cap). Writing spells each type
 * as units.c formats it (doubles in their shortest form that reads back to
 * the same bits, durations in seconds, dates in Shanghai time, money in yuan
 * with two decimals) and every string double-quoted. */
#include "scenario/schema.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/units.h"

void schema_fail(struct schema *w, const struct ytree_mark *m, const char *path, const char *fmt,
                 ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (path && *path)
        ytree_error(w->c, m, "%s: %s", path, msg);
    else
        ytree_error(w->c, m, "%s", msg);
}

char *schema_path(char *buf, size_t size, const char *parent, const char *key)
{
    char q[160];
    size_t n = strlen(parent), k;

    ytree_quote(q, sizeof q, key, strlen(key)); /* a key may be hostile text */
    if (n + 2 > size)
        n = size - 2;
    memmove(buf, parent, n);
    if (n)
        buf[n++] = '.';
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

    if (f->type == SCHEMA_DUR) { /* bounds in their own unit: 1s, 100y */
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
    case SCHEMA_U64:
        snprintf(buf, size, "an integer from 0 to 18446744073709551615");
        break;
    case SCHEMA_INT:
    case SCHEMA_UINT:
        snprintf(buf, size, "an integer%s", range);
        break;
    case SCHEMA_NUM:
        snprintf(buf, size, "a number%s", range);
        break;
    case SCHEMA_SHARE:
        snprintf(buf, size, "a share from 0 to 1, like 0.2 or 20%%");
        break;
    case SCHEMA_DUR:
        snprintf(buf, size, "a duration%s with a unit us, ms, s, m, h, d, w or y, like 30m", range);
        break;
    case SCHEMA_UNIX:
    case SCHEMA_DATE:
        snprintf(buf, size, "a date like 2020-04-01 or 2020-04-01T08:00, Asia/Shanghai");
        break;
    case SCHEMA_MONEY:
        snprintf(buf, size, "yuan%s with at most 2 decimals, like 50 or 12.50", range);
        break;
    case SCHEMA_BOOL:
        snprintf(buf, size, "true or false");
        break;
    case SCHEMA_LIMIT:
        snprintf(buf, size, "yuan%s with at most 2 decimals, or unlimited", range);
        break;
    case SCHEMA_MAP:
    case SCHEMA_CODE:
        snprintf(buf, size, "a mapping");
        break;
    case SCHEMA_ENUM: /* "a, b or c" */
        for (o = 0, i = 0; f->names[i] && o < size; i++)
            o += (size_t)snprintf(buf + o, size - o, "%s%s",
                                  !i                ? ""
                                  : f->names[i + 1] ? ", "
                                                    : " or ",
                                  f->names[i]);
        break;
    }
    return buf;
}

/* Parse `text` as f's type: into *i64 (integers, dates, fen), *x (the
 * number that is range-checked) or dst directly (strings, seeds, enums). */
static int parse(const struct schema_field *f, const char *text, void *dst, int64_t *i64, double *x,
                 const char **why)
{
    size_t i;
    int rc = 0;

    switch (f->type) {
    case SCHEMA_STR:
        if (!(*(char **)dst = strdup(text))) {
            *why = "out of memory";
            return -1;
        }
        return 0;
    case SCHEMA_U64:
        return units_uint64(text, dst, why);
    case SCHEMA_INT:
    case SCHEMA_UINT:
        if (!(rc = units_int(text, i64, why)))
            *x = (double)*i64;
        return rc;
    case SCHEMA_NUM:
        return units_number(text, x, why);
    case SCHEMA_SHARE:
        return units_share(text, x, why);
    case SCHEMA_DUR:
        return units_duration(text, x, why);
    case SCHEMA_UNIX:
    case SCHEMA_DATE:
        return units_date(text, i64, why);
    case SCHEMA_MONEY:
        if (!(rc = units_money(text, i64, why)))
            *x = (double)*i64 / 100; /* yuan */
        return rc;
    case SCHEMA_LIMIT: /* no limit: larger than any sum */
        if (!strcmp(text, "unlimited")) {
            *i64 = INT64_MAX;
            *x = f->hi;
            return 0;
        }
        if (!(rc = units_money(text, i64, why)))
            *x = (double)*i64 / 100;
        return rc;
    case SCHEMA_BOOL: /* one spelling: not yes/no/on/off */
        if (strcmp(text, "true") && strcmp(text, "false")) {
            *why = "not true or false";
            return -1;
        }
        *(int *)dst = text[0] == 't';
        return 0;
    case SCHEMA_ENUM:
        for (i = 0; f->names[i]; i++)
            if (!strcmp(text, f->names[i])) {
                *(int *)dst = (int)i;
                return 0;
            }
        *why = "not one of the choices";
        return -1;
    case SCHEMA_MAP:
    case SCHEMA_CODE:
        break; /* never a single value */
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
    if (strlen(t->text) != t->len) { /* "\0" in a double-quoted string */
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
    switch (f->type) { /* store only what passed every check */
    case SCHEMA_INT:
    case SCHEMA_MONEY:
    case SCHEMA_UNIX:
    case SCHEMA_LIMIT:
        *(int64_t *)dst = i64;
        break;
    case SCHEMA_UINT:
        *(unsigned *)dst = (unsigned)i64;
        break;
    case SCHEMA_NUM:
    case SCHEMA_SHARE:
    case SCHEMA_DUR:
        *(double *)dst = x;
        break;
    case SCHEMA_DATE:
        if (w->origin_ok)
            *(double *)dst = (double)(i64 - w->origin);
        break;
    default:
        break;
    }
    return 0;
}

/* An entry the walk reads itself: a single value, not left to code. */
static int walked(const struct schema_field *f)
{
    return f->type != SCHEMA_MAP && f->type != SCHEMA_CODE && !(f->flags & SCHEMA_BYCODE);
}

/* The table's keys in the order messages list them: the keys the walk
 * reads, then the keys left to code, then those flagged SCHEMA_LAST. */
static size_t known_keys(const struct schema_table *t, const char **names, size_t max)
{
    size_t k, n = 0;
    int pass;

    for (pass = 0; pass < 3; pass++)
        for (k = 0; k < t->n; k++) {
            const struct schema_field *f = &t->fields[k];
            int at = walked(f) ? 0 : (f->flags & SCHEMA_LAST) ? 2 : 1;
            if (at != pass)
                continue;
            assert(n < max);
            names[n++] = f->key;
        }
    return n;
}

/* Report the keys of `map` that are not in the table, with the closest
 * known key, or else the list of known keys. */
static void check_keys(struct schema *w, const struct ytree *map, const char *path,
                       const struct schema_table *t)
{
    const char *names[32];
    size_t i, k, n = known_keys(t, names, sizeof names / sizeof names[0]);

    for (i = 0; i < map->n && !ytree_full(w->c); i++) {
        const struct ytree_pair *p = &map->items[i];
        const char *best;
        char q[160], list[512];
        size_t o = 0;
        for (k = 0; k < n && strcmp(p->key, names[k]); k++) {}
        if (k < n)
            continue;
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

const struct schema_field *schema_key(const struct schema_table *t, const char *key)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        if (!strcmp(t->fields[i].key, key))
            return &t->fields[i];
    assert(!"a key of the table");
    return NULL;
}

int schema_walk(struct schema *w, const struct ytree *map, const char *path,
                const struct ytree_mark *where, const struct schema_table *t, void *base,
                unsigned *seen)
{
    char sub[256], exp[160];
    size_t i;

    assert(!seen || t->n <= 32);
    if (seen)
        *seen = 0;
    if (map->kind != YTREE_MAP) {
        schema_fail(w, &map->mark, path, "got %s (expected a mapping of keys)", schema_kind(map));
        return -1;
    }
    check_keys(w, map, path, t);
    for (i = 0; i < t->n && !ytree_full(w->c); i++) {
        const struct schema_field *f = &t->fields[i];
        const struct ytree *v;
        if (!walked(f))
            continue;
        v = ytree_get(map, f->key, NULL);
        schema_path(sub, sizeof sub, path, f->key);
        if (!v) {
            if (f->flags & SCHEMA_REQ)
                schema_fail(w, where ? where : &map->mark, path,
                            "missing required key '%s' "
                            "(expected %s)",
                            f->key, describe(exp, sizeof exp, f));
            continue;
        }
        if (!schema_value(w, v, sub, f, (char *)base + f->off) && seen)
            *seen |= 1u << i;
    }
    return 0;
}

const struct ytree *schema_section(struct schema *w, const struct ytree *parent, const char *path,
                                   const struct schema_field *f, void *base)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(parent, f->key, &p);
    char sub[256];

    assert(f->sub);
    if (!v)
        return NULL;
    schema_path(sub, sizeof sub, path, f->key);
    return schema_walk(w, v, sub, &p->key_mark, f->sub, (char *)base + f->off, NULL) ? NULL : v;
}

void schema_write_str(FILE *f, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;

    /* C1 controls, line and paragraph separators and non-characters are
     * escaped too: YAML would not read them back as they are. */
    fputc('"', f);
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02X", *p);
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            fprintf(f, "\\x%02X", *++p);
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            fputs(p[2] == 0xA8 ? "\\L" : "\\P", f);
            p += 2;
        } else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
            fprintf(f, "\\uFFF%c", p[2] == 0xBE ? 'E' : 'F');
            p += 2;
        } else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* One value as the walk reads it back: f's type at p. */
static void write_value(const struct schema_out *o, const struct schema_field *f, const void *p)
{
    char a[UNITS_BUF];
    int64_t i64 = 0;

    switch (f->type) {
    case SCHEMA_STR:
        schema_write_str(o->f, *(char *const *)p);
        return;
    case SCHEMA_U64:
        fprintf(o->f, "%llu", (unsigned long long)*(const uint64_t *)p);
        return;
    case SCHEMA_INT:
        fprintf(o->f, "%lld", (long long)*(const int64_t *)p);
        return;
    case SCHEMA_UINT:
        fprintf(o->f, "%u", *(const unsigned *)p);
        return;
    case SCHEMA_NUM:
    case SCHEMA_SHARE:
        units_fmt_number(a, *(const double *)p);
        break;
    case SCHEMA_DUR:
        units_fmt_duration(a, *(const double *)p);
        break;
    case SCHEMA_UNIX:
        units_fmt_date(a, *(const int64_t *)p);
        break;
    case SCHEMA_DATE: /* loaded dates are whole seconds */
        units_fmt_date(a, o->origin + (int64_t)llround(*(const double *)p));
        break;
    case SCHEMA_MONEY:
        units_fmt_money(a, *(const int64_t *)p);
        break;
    case SCHEMA_LIMIT:
        i64 = *(const int64_t *)p;
        if (i64 == INT64_MAX)
            snprintf(a, sizeof a, "unlimited");
        else
            units_fmt_money(a, i64);
        break;
    case SCHEMA_BOOL:
        fputs(*(const int *)p ? "true" : "false", o->f);
        return;
    case SCHEMA_ENUM:
        fputs(f->names[*(const int *)p], o->f);
        return;
    case SCHEMA_MAP:
    case SCHEMA_CODE:
        return;
    }
    fputs(a, o->f);
}

/* Whether a SCHEMA_OPT value was given: a string that is not NULL, a
 * number inside its range (a value outside it means "not given"). */
static int given(const struct schema_field *f, const void *p)
{
    double x;

    if (!(f->flags & SCHEMA_OPT))
        return 1;
    switch (f->type) {
    case SCHEMA_STR:
        return *(char *const *)p != NULL;
    case SCHEMA_NUM:
    case SCHEMA_SHARE:
    case SCHEMA_DUR:
        x = *(const double *)p;
        return x >= f->lo && !((f->flags & SCHEMA_GT) && x == f->lo) && x <= f->hi;
    default:
        return 1;
    }
}

/* A nested mapping: on one line ({a: 1, b: 2}, single values only), or as
 * a block under its key; a SCHEMA_OPT block only when a key of it is
 * written, which is known once it has been written aside. */
static void write_map(struct schema_out *o, const struct schema_field *f, const void *base,
                      int indent)
{
    const char *p = (const char *)base + f->off;
    struct schema_out aside = *o;
    char *buf = NULL;
    size_t i, len = 0;

    if (f->flags & SCHEMA_FLOW) {
        fprintf(o->f, "%*s%s: ", indent, "", f->key);
        for (i = 0; i < f->sub->n; i++) {
            assert(walked(&f->sub->fields[i]) && !f->sub->fields[i].write);
            fprintf(o->f, "%s%s: ", i ? ", " : "{", f->sub->fields[i].key);
            write_value(o, &f->sub->fields[i], p + f->sub->fields[i].off);
        }
        fputs("}\n", o->f);
    } else if (!(f->flags & SCHEMA_OPT)) {
        fprintf(o->f, "%*s%s:\n", indent, "", f->key);
        schema_write(o, f->sub, p, indent + 2, 0);
    } else if (!(aside.f = open_memstream(&buf, &len))) {
        o->failed = 1;
    } else {
        schema_write(&aside, f->sub, p, indent + 2, 0);
        if (fclose(aside.f) || aside.failed)
            o->failed = 1;
        else if (len) {
            fprintf(o->f, "%*s%s:\n", indent, "", f->key);
            fwrite(buf, 1, len, o->f);
        }
        free(buf);
    }
}

void schema_write_typed(struct schema_out *o, const struct schema_field *f, const void *base,
                        int indent)
{
    const char *p = (const char *)base + f->off;

    if (f->type == SCHEMA_MAP) {
        write_map(o, f, base, indent);
    } else if (walked(f) && given(f, p)) {
        fprintf(o->f, "%*s%s: ", indent, "", f->key);
        write_value(o, f, p);
        fputc('\n', o->f);
    }
}

void schema_write_key(struct schema_out *o, const struct schema_field *f, const void *base,
                      int indent)
{
    if (f->write)
        f->write(o, f, base, indent);
    else
        schema_write_typed(o, f, base, indent);
}

void schema_write(struct schema_out *o, const struct schema_table *t, const void *base, int indent,
                  int item)
{
    size_t i = 0;

    if (item && t->n) { /* "- key: value": a single value first */
        assert(indent >= 2 && walked(&t->fields[0]) && !t->fields[0].write);
        fprintf(o->f, "%*s- ", indent - 2, "");
        schema_write_typed(o, &t->fields[0], base, 0);
        i = 1;
    }
    for (; i < t->n; i++)
        schema_write_key(o, &t->fields[i], base, indent);
}
