/* ytree: a light YAML tree with positions, built from libyaml's document
 * API, for the scenario loader. It reads a file under hostile-input limits,
 * resolves `extends:` chains with a deep merge, applies `--set key.path=value`
 * overrides and prints errors as one line each: `file:line:column: message`.
 *
 * Every node keeps where it came from (file, 1-based line and column), so an
 * error in an extended file names that file. Mappings merge key by key (the
 * extending file wins, base keys keep their order, new keys follow);
 * sequences and scalars replace. Aliases to scalars share the text; an alias
 * to a mapping or a sequence is rejected, so the tree is never larger than
 * the YAML text.
 * Ownership: every node, string and file name lives in the ytree_ctx arena and
 * is freed by ytree_destroy; nothing is freed one by one. */
#ifndef PILOTSIM_YTREE_H
#define PILOTSIM_YTREE_H

#include <stddef.h>
#include <stdio.h>

#define YTREE_MAX_BYTES  (16u << 20) /* a larger file is refused */
#define YTREE_MAX_DEPTH  64          /* nesting of mappings and sequences */
#define YTREE_MAX_NODES  200000      /* over every file of one load */
#define YTREE_MAX_KEYS   1024        /* keys in one mapping */
#define YTREE_MAX_ANCHORS 256        /* per file */
#define YTREE_MAX_EXTENDS 16         /* files in one extends chain */
#define YTREE_MAX_ERRORS 20          /* printed; later ones are counted only */

struct ytree_mark {
    const char *file;         /* display path, or "--set" */
    unsigned long line, col;  /* 1-based; for --set: which --set, and column */
};

enum ytree_kind { YTREE_SCALAR, YTREE_MAP, YTREE_SEQ };

struct ytree;

struct ytree_pair {
    const char *key;          /* mapping key (NULL in a sequence) */
    struct ytree_mark key_mark;
    struct ytree *val;
    int created;              /* added by --set, not read from a file */
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

struct ytree_ctx {
    FILE *err;                /* where errors go */
    int errors;               /* reported so far (printed up to the max) */
    size_t nodes;             /* YAML nodes read so far, all files */
    struct ytree_block *arena;
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
int ytree_full(const struct ytree_ctx *c);  /* no more errors will print */

/* Read `path` and the chain it extends, merged. NULL after reporting errors;
 * a file that cannot be read is `path: cannot read scenario: <strerror>`. */
struct ytree *ytree_load(struct ytree_ctx *c, const char *path);

/* Apply `--set key.path=value` number `index` (1-based) to the tree. A path
 * step through a sequence picks the mapping whose `id` is that step (or a
 * 0-based index); a missing mapping key is created. 0, or -1 after an error. */
int ytree_set(struct ytree_ctx *c, struct ytree *root, int index, const char *arg);

/* The value under `key` in a mapping, or NULL; *pair (if given) its entry. */
struct ytree *ytree_get(const struct ytree *map, const char *key,
                        const struct ytree_pair **pair);

/* The candidate closest to `word` by edit distance, if close enough; else NULL. */
const char *ytree_suggest(const char *word, const char *const *cands, size_t n);

/* `text` made printable on one line (control bytes as \xNN, cut at ~48
 * characters) into buf of `size` bytes; returns buf. */
char *ytree_quote(char *buf, size_t size, const char *text, size_t len);

char *ytree_strdup(struct ytree_ctx *c, const char *s);  /* into the arena */

#endif
