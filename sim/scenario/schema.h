/* schema: typed field tables checked against a ytree mapping.
 *
 * A table lists the keys one YAML mapping may hold, each with its type, where
 * its value goes (an offset into a C struct) and its allowed range. Walking a
 * mapping with its table reports unknown keys (with the closest known key as
 * a suggestion), missing required keys, wrong types, unparseable values and
 * values out of range, each as one line `file:line:column: path: message
 * (expected ...)`, and stores every value that is right. Keys that need code
 * of their own (lists, id-keyed mappings) are named in an `extra` list so
 * that they are known but left to the caller.
 * Ownership: strings stored by a walk are malloc'd and belong to the struct
 * they were stored in; everything else is plain values. */
#ifndef PILOTSIM_SCHEMA_H
#define PILOTSIM_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/ytree.h"

enum schema_type {
    SCHEMA_STR,     /* char *, malloc'd */
    SCHEMA_U64,     /* uint64_t, digits */
    SCHEMA_INT,     /* int64_t, digits, range checked */
    SCHEMA_UINT,    /* unsigned, digits, range checked (hi must fit) */
    SCHEMA_NUM,     /* double, finite decimal */
    SCHEMA_SHARE,   /* double, 0.11 or 11% */
    SCHEMA_DUR,     /* double seconds, number and unit */
    SCHEMA_UNIX,    /* int64_t Unix time, a Shanghai date */
    SCHEMA_DATE,    /* double seconds since the walk's origin, a date */
    SCHEMA_MONEY,   /* int64_t fen, yuan with 2 decimals; range in yuan */
    SCHEMA_BOOL,    /* int 0/1, true or false */
    SCHEMA_ENUM,    /* int index into `names` */
    SCHEMA_LIMIT    /* int64_t fen like SCHEMA_MONEY, or `unlimited`: INT64_MAX */
};

#define SCHEMA_REQ 1u       /* the key must be present */
#define SCHEMA_GT 2u        /* the lower bound is exclusive */
#define SCHEMA_NONEMPTY 4u  /* a string must not be "" */

struct schema_field {
    const char *key;
    enum schema_type type;
    size_t off;                 /* where the value goes in the target struct */
    double lo, hi;              /* allowed range; hi HUGE_VAL: no upper bound */
    unsigned flags;             /* SCHEMA_REQ | SCHEMA_GT | SCHEMA_NONEMPTY */
    const char *const *names;   /* SCHEMA_ENUM: the spellings, NULL-terminated */
};

struct schema {                 /* one walk's context */
    struct ytree_ctx *c;        /* where errors go */
    int64_t origin;             /* SCHEMA_DATE values are seconds since this */
    int origin_ok;              /* 0: dates are checked but not stored */
};

/* One error line at `m`: "path: message" (no path: just the message). */
void schema_fail(struct schema *w, const struct ytree_mark *m, const char *path,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* parent.key into buf (the key made printable; buf may be parent). */
char *schema_path(char *buf, size_t size, const char *parent, const char *key);

int schema_is_null(const struct ytree *t);     /* ~, null, or nothing */
const char *schema_kind(const struct ytree *t); /* "a mapping", "a list", "a value" */

/* Parse one scalar as field `f` says and store it at dst. 0, or -1 after an error. */
int schema_value(struct schema *w, const struct ytree *t, const char *path,
                 const struct schema_field *f, void *dst);

/* Check `map` against fields[0..nf) and extra[0..ne) and store the fields
 * present into `base`. `where` is the position for a missing key (the
 * mapping's own key if it has one; NULL: the mapping). Bit i of *seen (if
 * given, nf <= 32) is set when fields[i] was present and right.
 * 0, or -1 when `map` is not a mapping at all. */
int schema_walk(struct schema *w, const struct ytree *map, const char *path,
                const struct ytree_mark *where, const struct schema_field *fields,
                size_t nf, const char *const *extra, size_t ne, void *base, unsigned *seen);

/* The mapping under `key` of `parent`, walked with its table when present.
 * Returns it (NULL if absent or not a mapping). */
const struct ytree *schema_section(struct schema *w, const struct ytree *parent,
                                   const char *path, const char *key,
                                   const struct schema_field *fields, size_t nf,
                                   const char *const *extra, size_t ne, void *base);

#endif
