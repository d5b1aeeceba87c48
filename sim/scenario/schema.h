/* schema: typed field tables, read from a ytree mapping and written back.
 *
 * A table lists the keys one YAML mapping may hold, in the order they are
 * written, each with its type, where its value goes (an offset into a C
 * struct) and its allowed range. Walking a mapping with its table reports
 * unknown keys (with the closest known key as a suggestion), missing required
 * keys, wrong types, unparseable values and values out of range, each as one
 * line `file:line:column: path: message (expected ...)`, and stores every
 * value that is right. Keys that need code of their own (nested mappings,
 * lists, id-keyed mappings) are entries too, of type SCHEMA_MAP or
 * SCHEMA_CODE or flagged SCHEMA_BYCODE: the walk knows them but leaves them
 * to the caller. Writing a struct through the same table gives every key in
 * table order, in the spelling the walk reads back to the same bits, so that
 * a key added to a table is both read and written.
 * Ownership: strings stored by a walk are malloc'd and belong to the struct
 * they were stored in; tables are static and never change. */
#ifndef PILOTSIM_SCHEMA_H
#define PILOTSIM_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario/ytree.h"

enum schema_type {
    SCHEMA_STR,   /* char *, malloc'd */
    SCHEMA_U64,   /* uint64_t, digits */
    SCHEMA_INT,   /* int64_t, digits, range checked */
    SCHEMA_UINT,  /* unsigned, digits, range checked (hi must fit) */
    SCHEMA_NUM,   /* double, finite decimal */
    SCHEMA_SHARE, /* double, 0.11 or 11% */
    SCHEMA_DUR,   /* double seconds, number and unit */
    SCHEMA_UNIX,  /* int64_t Unix time, a Shanghai date */
    SCHEMA_DATE,  /* double seconds since the walk's origin, a date */
    SCHEMA_MONEY, /* int64_t fen, yuan with 2 decimals; range in yuan */
    SCHEMA_BOOL,  /* int 0/1, true or false */
    SCHEMA_ENUM,  /* int index into `names` */
    SCHEMA_LIMIT, /* int64_t fen like SCHEMA_MONEY, or `unlimited`: INT64_MAX */
    SCHEMA_MAP,   /* a nested mapping: `sub` over the struct at `off` */
    SCHEMA_CODE   /* read by the caller's code, written by `write` */
};

#define SCHEMA_REQ 1u      /* the key must be present */
#define SCHEMA_GT 2u       /* the lower bound is exclusive */
#define SCHEMA_NONEMPTY 4u /* a string must not be "" */
#define SCHEMA_BYCODE \
    8u                  /* read by the caller's code, not by the walk; type and
                               range are those of each value the code reads */
#define SCHEMA_FLOW 16u /* SCHEMA_MAP: written on one line, {a: 1, b: 2} */
#define SCHEMA_OPT \
    32u                 /* written only when given: a string not NULL, a number
                               in range, a mapping with a key written */
#define SCHEMA_LAST 64u /* named last in the known keys that messages list */

struct schema_table;
struct schema_out;
struct schema_field;

/* Writes the entry `f` of the struct at `base` (the struct that holds the
 * mapping f belongs to) at `indent` spaces: the key, its value and the
 * newline, or nothing when there is nothing to write. */
typedef void schema_write_fn(struct schema_out *o, const struct schema_field *f, const void *base,
                             int indent);

struct schema_field {
    const char *key;
    enum schema_type type;
    size_t off;                     /* where the value goes in the target struct */
    double lo, hi;                  /* allowed range; hi HUGE_VAL: no upper bound */
    unsigned flags;                 /* SCHEMA_REQ | SCHEMA_GT | ... */
    const char *const *names;       /* SCHEMA_ENUM: the spellings, NULL-terminated */
    const struct schema_table *sub; /* SCHEMA_MAP: its keys; SCHEMA_CODE: its items' */
    schema_write_fn *write;         /* written by this instead (NULL: by type) */
};

struct schema_table { /* the keys of one mapping, in writing order */
    const struct schema_field *fields;
    size_t n;
};

struct schema {          /* one walk's context */
    struct ytree_ctx *c; /* where errors go */
    int64_t origin;      /* SCHEMA_DATE values are seconds since this */
    int origin_ok;       /* 0: dates are checked but not stored */
};

/* One error line at `m`: "path: message" (no path: just the message). */
void schema_fail(struct schema *w, const struct ytree_mark *m, const char *path, const char *fmt,
                 ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* parent.key into buf (the key made printable; buf may be parent). */
char *schema_path(char *buf, size_t size, const char *parent, const char *key);

int schema_is_null(const struct ytree *t);      /* ~, null, or nothing */
const char *schema_kind(const struct ytree *t); /* "a mapping", "a list", "a value" */

/* Parse one scalar as field `f` says and store it at dst. 0, or -1 after an error. */
int schema_value(struct schema *w, const struct ytree *t, const char *path,
                 const struct schema_field *f, void *dst);

/* The entry of `t` for `key`; the key must be in the table. */
const struct schema_field *schema_key(const struct schema_table *t, const char *key);

/* Check `map` against table t and store the values of t's scalar entries
 * present into `base` (entries of type SCHEMA_MAP or SCHEMA_CODE or flagged
 * SCHEMA_BYCODE are known keys left to the caller). `where` is the position
 * for a missing key (the mapping's own key if it has one; NULL: the
 * mapping). Bit i of *seen (if given, t->n <= 32) is set when entry i was
 * present and right. 0, or -1 when `map` is not a mapping at all. */
int schema_walk(struct schema *w, const struct ytree *map, const char *path,
                const struct ytree_mark *where, const struct schema_table *t, void *base,
                unsigned *seen);

/* The mapping under f->key of `parent`, walked with f->sub into the struct
 * at `base` + f->off (base: the struct of the parent mapping). Returns it
 * (NULL if absent or not a mapping). */
const struct ytree *schema_section(struct schema *w, const struct ytree *parent, const char *path,
                                   const struct schema_field *f, void *base);

struct schema_out { /* one write's context */
    FILE *f;
    int64_t origin;  /* SCHEMA_DATE values are seconds since this */
    const void *ctx; /* for write functions: what else they need */
    int failed;      /* set when a write could not be done */
};

/* Every entry of t for the struct at `base`, one per line at `indent`
 * spaces (entries with a `write` function write themselves). `item`: the
 * first line opens a list item ("- " before its key, in the indent). */
void schema_write(struct schema_out *o, const struct schema_table *t, const void *base, int indent,
                  int item);

/* One entry as schema_write writes it; schema_write_typed ignores f->write
 * (for a write function that only adds a condition). */
void schema_write_key(struct schema_out *o, const struct schema_field *f, const void *base,
                      int indent);
void schema_write_typed(struct schema_out *o, const struct schema_field *f, const void *base,
                        int indent);

/* A string as YAML double-quoted text: quotes, backslashes and control
 * characters escaped, other UTF-8 as it is. */
void schema_write_str(FILE *f, const char *str);

#endif
