/* ytree: a light YAML tree with positions, built from libyaml's document
 * API: the only place the scenario loader touches libyaml. ytree_read turns
 * one file into a tree under hostile-input limits (size, depth, node count,
 * keys per mapping, anchors; UTF-8 only); errors are printed one line each,
 * `file:line:column: message (expected ...)`, at most YTREE_MAX_ERRORS.
 *
 * Every node keeps where it came from (file, 1-based line and column), so an
 * error found later, after merging files (overlay.c) or in the schema
 * (schema.c), still names the file and the place. Aliases to scalars share
 * the text; an alias to a mapping or a sequence is rejected, so a tree is
 * never larger than its YAML text.
 * Ownership: every node, string and file name lives in the ytree_ctx arena and
 * is freed by ytree_destroy; nothing is freed one by one. */
#ifndef PILOTSIM_YTREE_H
#define PILOTSIM_YTREE_H

#include <stddef.h>
#include <stdio.h>

#define YTREE_MAX_BYTES (16u << 20) /* a larger file is refused */
#define YTREE_MAX_DEPTH 64          /* nesting of mappings and sequences */
#define YTREE_MAX_NODES 200000      /* over every file of one load */
#define YTREE_MAX_KEYS 1024         /* keys in one mapping */
#define YTREE_MAX_ANCHORS 256       /* per file */
#define YTREE_MAX_EXTENDS 16        /* files in one extends chain */
#define YTREE_MAX_ERRORS 20         /* printed; later ones are counted only */

struct ytree_mark {
    const char *file;        /* display path, or "--set" */
    unsigned long line, col; /* 1-based; for --set: which --set, and column */
};

enum ytree_kind { YTREE_SCALAR, YTREE_MAP, YTREE_SEQ };

struct ytree;

struct ytree_pair {
    const char *key; /* mapping key (NULL in a sequence) */
    struct ytree_mark key_mark;
    struct ytree *val;
    int created; /* added by --set, not read from a file */
};

struct ytree {
    enum ytree_kind kind;
    struct ytree_mark mark;   /* where the node starts */
    const char *text;         /* scalar: NUL-terminated text */
    size_t len;               /* its length (text may hold a NUL: len != strlen) */
    int plain;                /* scalar: written plain, not quoted or block */
    struct ytree_pair *items; /* mapping or sequence entries, in order */
    size_t n;
};

struct ytree_block;

struct ytree_id {
    unsigned long long dev, ino;
}; /* a file's identity */

struct ytree_ctx {
    FILE *err;    /* where errors go */
    int errors;   /* reported so far (printed up to the max) */
    size_t nodes; /* YAML nodes read so far, all files */
    struct ytree_block *arena;
    const char *what;      /* what messages call a file: "scenario" (default) */
    const char *first_key; /* a key its top level holds, for hints: "name" */
};

void ytree_init(struct ytree_ctx *c, FILE *err);
void ytree_destroy(struct ytree_ctx *c);

/* Print one error line at `m` (NULL: no position, the text starts the line)
 * unless YTREE_MAX_ERRORS were printed already; count it either way. */
void ytree_error(struct ytree_ctx *c, const struct ytree_mark *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int ytree_full(const struct ytree_ctx *c); /* no more errors will print */

/* Read one file into a tree whose top level is a mapping, and its identity
 * into *id. NULL after reporting errors. A file that cannot be read is
 * `file: cannot read scenario: <strerror>` when site is NULL (the command's
 * file), else reported at `site` (the extends that named it), and must then
 * be a regular file. */
struct ytree *ytree_read(struct ytree_ctx *c, const char *file, const struct ytree_mark *site,
                         struct ytree_id *id);

/* The value under `key` in a mapping, or NULL; *pair (if given) its entry. */
struct ytree *ytree_get(const struct ytree *map, const char *key, const struct ytree_pair **pair);

/* The candidate closest to `word` by edit distance, if close enough; else NULL. */
const char *ytree_suggest(const char *word, const char *const *cands, size_t n);

/* `text` made printable on one line (control bytes as \xNN, cut at ~48
 * characters) into buf of `size` bytes; returns buf. */
char *ytree_quote(char *buf, size_t size, const char *text, size_t len);

void *ytree_alloc(struct ytree_ctx *c, size_t n); /* zeroed; NULL (reported) if out of memory */
char *ytree_strdup(struct ytree_ctx *c, const char *s);             /* into the arena */
char *ytree_memdup(struct ytree_ctx *c, const char *s, size_t len); /* plus a NUL */

/* `s` with control bytes as \xNN, cut only at the end of buf; returns buf. */
char *ytree_escape(char *buf, size_t size, const char *s);

#endif
