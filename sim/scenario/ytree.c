/* ytree.c: one YAML file -> a light tree with positions (see ytree.h).
 *
 * A file is read whole (at most YTREE_MAX_BYTES), then parsed twice by
 * libyaml: first as events, cheaply, to enforce the limits that protect the
 * second pass (nesting depth, node count, no tags, one document, no alias to
 * a mapping or sequence), then with yaml_parser_load into a document that is
 * copied into the arena tree and freed. Reader errors (bad UTF-8, control
 * characters) carry only a byte offset; line and column are recomputed from
 * the buffer the way libyaml counts them (characters, not bytes).
 * The arena, the one-line error printer and the small text helpers (quote,
 * suggest) live here too, since every other part of the loader uses them. */
#include "scenario/ytree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define BLOCK_SIZE 65536

struct ytree_block {
    struct ytree_block *next;
    size_t used, size;
    max_align_t data[]; /* `size` bytes follow */
};

void ytree_init(struct ytree_ctx *c, FILE *err)
{
    memset(c, 0, sizeof *c);
    c->err = err;
    c->what = "scenario";
    c->first_key = "name";
}

void ytree_destroy(struct ytree_ctx *c)
{
    while (c->arena) {
        struct ytree_block *b = c->arena;
        c->arena = b->next;
        free(b);
    }
}

char *ytree_escape(char *buf, size_t size, const char *s)
{
    size_t o = 0;

    for (; *s && o + 5 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", ch);
        else
            buf[o++] = (char)ch;
    }
    buf[o] = '\0';
    return buf;
}

/* Print a path with control bytes escaped, so the error stays on one line. */
static void put_clean(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            fprintf(f, "\\x%02X", ch);
        else
            fputc(ch, f);
    }
}

/* The one place an error line is printed. Errors past the cap are still
 * counted, so that the load fails; the file name is escaped because a name
 * may hold a newline, and the message's user text is escaped by the callers
 * (ytree_quote), so each error stays one line. */
void ytree_error(struct ytree_ctx *c, const struct ytree_mark *m, const char *fmt, ...)
{
    va_list ap;

    if (c->errors++ >= YTREE_MAX_ERRORS || !c->err)
        return;
    if (m) {
        put_clean(c->err, m->file);
        if (m->line)
            fprintf(c->err, ":%lu:%lu", m->line, m->col);
        fputs(": ", c->err);
    }
    va_start(ap, fmt);
    vfprintf(c->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->err);
}

int ytree_full(const struct ytree_ctx *c)
{
    return c->errors >= YTREE_MAX_ERRORS;
}

/* Blocks of BLOCK_SIZE bytes (or one block for a larger request), bumped
 * 16-byte aligned; nothing is freed until ytree_destroy. */
void *ytree_alloc(struct ytree_ctx *c, size_t n)
{
    struct ytree_block *b = c->arena;
    unsigned char *p;

    n = (n + 15) & ~(size_t)15;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        if (!(b = malloc(sizeof *b + size))) {
            ytree_error(c, NULL, "pilotsim: out of memory reading the scenario");
            return NULL;
        }
        b->next = c->arena;
        b->used = 0;
        b->size = size;
        c->arena = b;
    }
    p = (unsigned char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ytree_memdup(struct ytree_ctx *c, const char *s, size_t len)
{
    char *p = ytree_alloc(c, len + 1);
    if (p)
        memcpy(p, s, len);
    return p;
}

char *ytree_strdup(struct ytree_ctx *c, const char *s)
{
    return ytree_memdup(c, s, strlen(s));
}

/* Values quoted in messages are cut after 48 bytes (at a character
 * boundary, so UTF-8 stays whole): a 16 MiB scalar must not become a 16 MiB
 * error line. */
char *ytree_quote(char *buf, size_t size, const char *text, size_t len)
{
    size_t i, o = 0;

    for (i = 0; i < len && o + 8 < size; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (i >= 48 && (ch & 0xC0) != 0x80) { /* cut between characters */
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (ch < 0x20 || ch == 0x7f)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", ch);
        else
            buf[o++] = (char)ch;
    }
    buf[o] = '\0';
    return buf;
}

/* Optimal string alignment distance (Levenshtein plus transpositions). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[3][66]; /* rows i-2, i-1, i over b; b is at most 64 */

    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++) {
        size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i - 2) % 3];
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1], v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
    }
    return d[la % 3][lb];
}

/* The limit grows with the word: one edit in a short key ("sede" for
 * "seed"), up to three in a long one, so that a suggestion is a likely typo
 * and not just another key. Ties go to the first candidate (table order). */
const char *ytree_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t i, len = strlen(word), best = (size_t)-1;
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3; /* typos, not other words */
    const char *pick = NULL;

    if (len > 64)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t dist;
        if (strlen(cands[i]) > 64)
            continue;
        dist = edit_distance(word, cands[i]);
        if (dist <= limit && dist < best) {
            best = dist;
            pick = cands[i];
        }
    }
    return pick;
}

/* A linear search: a mapping has at most YTREE_MAX_KEYS keys, most a handful,
 * and keys are unique (checked when the tree is built). */
struct ytree *ytree_get(const struct ytree *map, const char *key, const struct ytree_pair **pair)
{
    size_t i;

    if (map && map->kind == YTREE_MAP)
        for (i = 0; i < map->n; i++)
            if (!strcmp(map->items[i].key, key)) {
                if (pair)
                    *pair = &map->items[i];
                return map->items[i].val;
            }
    return NULL;
}

/* Read a whole file, refusing directories and files over the size cap (and,
 * for extends, anything but a regular file: a FIFO could block forever).
 * NULL with *e set to an errno value on failure. */
static char *read_all(const char *path, int regular_only, size_t *len, struct ytree_id *id, int *e)
{
    struct stat st;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO with no writer must not block */

    if (fd < 0) {
        *e = errno;
        return NULL;
    }
    if (fstat(fd, &st)) {
        *e = errno;
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        *e = EISDIR;
        close(fd);
        return NULL;
    }
    if (regular_only && !S_ISREG(st.st_mode)) {
        *e = EINVAL;
        close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* opened without waiting */
    id->dev = (unsigned long long)st.st_dev;
    id->ino = (unsigned long long)st.st_ino;
    for (;;) { /* grow by doubling up to one byte past the cap */
        ssize_t r;
        if (n == cap) {
            char *nb;
            cap = cap ? cap * 2 : 65536;
            if (cap > YTREE_MAX_BYTES + 1)
                cap = YTREE_MAX_BYTES + 1;
            if (n == cap) {
                *e = EFBIG;
                break;
            }
            if (!(nb = realloc(buf, cap))) {
                *e = ENOMEM;
                break;
            }
            buf = nb;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *e = errno;
            break;
        }
        if (r == 0) {
            close(fd);
            *len = n;
            return buf;
        }
        n += (size_t)r;
    }
    close(fd);
    free(buf);
    return NULL;
}

/* Line and column of a byte offset, counted as libyaml counts: characters,
 * breaks are LF, CR, CRLF, NEL, LS and PS. */
static struct ytree_mark offset_mark(const char *file, const char *buf, size_t len, size_t off)
{
    struct ytree_mark m = {file, 1, 1};
    const unsigned char *b = (const unsigned char *)buf;
    size_t i;

    for (i = 0; i < off && i < len; i++) {
        if (b[i] == '\n' || (b[i] == '\r' && !(i + 1 < len && b[i + 1] == '\n')) ||
            (b[i] == 0xC2 && i + 1 < len && b[i + 1] == 0x85) ||
            (b[i] == 0xE2 && i + 2 < len && b[i + 1] == 0x80 &&
             (b[i + 2] == 0xA8 || b[i + 2] == 0xA9))) {
            m.line++;
            m.col = 1;
            i += b[i] == 0xC2 ? 1 : b[i] == 0xE2 ? 2 : 0;
        } else if ((b[i] & 0xC0) != 0x80 && b[i] != '\r') {
            m.col++;
        }
    }
    return m;
}

static struct ytree_mark yaml_mark(const char *file, yaml_mark_t ym)
{
    struct ytree_mark m = {file, (unsigned long)ym.line + 1, (unsigned long)ym.column + 1};
    return m;
}

/* Report why libyaml stopped. Its problem texts are static ASCII. */
static void parser_error(struct ytree_ctx *c, const yaml_parser_t *p, const char *file,
                         const char *buf, size_t len)
{
    struct ytree_mark m;
    const char *what = p->problem ? p->problem : "unknown problem";

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        ytree_error(c, NULL, "pilotsim: out of memory reading the scenario");
        break;
    case YAML_READER_ERROR:
        m = offset_mark(file, buf, len, p->problem_offset);
        if (p->problem_value >= 0)
            ytree_error(c, &m, "%s (#%X) (expected UTF-8 text%s)", what, (unsigned)p->problem_value,
                        strstr(what, "control") ? " without control characters" : "");
        else
            ytree_error(c, &m, "%s (expected UTF-8 text)", what);
        break;
    default:
        m = yaml_mark(file, p->problem_mark);
        if (p->context)
            ytree_error(c, &m, "YAML syntax error: %s, %s at line %lu (expected valid YAML)", what,
                        p->context, (unsigned long)p->context_mark.line + 1);
        else
            ytree_error(c, &m, "YAML syntax error: %s (expected valid YAML)", what);
    }
}

/* The prepass's state over one file's events. */
struct prepass {
    struct ytree_ctx *c;
    char *anchors[YTREE_MAX_ANCHORS];            /* names, in the order defined */
    unsigned char collection[YTREE_MAX_ANCHORS]; /* anchor i names a mapping or list */
    int n_anchors, depth, docs;
};

/* One event's structure: documents, nesting, aliases. Sets *is_node for an
 * event that is a value and points *anchor and *tag at its own. 0, or -1
 * after reporting a violation. */
static int prepass_structure(struct prepass *pp, const yaml_event_t *ev, const struct ytree_mark *m,
                             int *is_node, const yaml_char_t **anchor, const yaml_char_t **tag)
{
    int i;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++pp->docs == 1)
            return 0;
        ytree_error(pp->c, m, "a second YAML document (expected one %s per file)", pp->c->what);
        return -1;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        *is_node = 1;
        *anchor = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor
                                                       : ev->data.sequence_start.anchor;
        *tag = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.tag
                                                    : ev->data.sequence_start.tag;
        if (++pp->depth <= YTREE_MAX_DEPTH)
            return 0;
        ytree_error(pp->c, m, "nesting deeper than %d levels (expected a flatter %s)",
                    YTREE_MAX_DEPTH, pp->c->what);
        return -1;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        pp->depth--;
        return 0;
    case YAML_SCALAR_EVENT:
        *is_node = 1;
        *anchor = ev->data.scalar.anchor;
        *tag = ev->data.scalar.tag;
        return 0;
    case YAML_ALIAS_EVENT: /* the latest anchor of that name is the one meant */
        *is_node = 1;
        for (i = pp->n_anchors - 1; i >= 0; i--)
            if (!strcmp(pp->anchors[i], (const char *)ev->data.alias.anchor))
                break;
        if (i < 0 || !pp->collection[i])
            return 0;
        ytree_error(pp->c, m,
                    "alias to a mapping or sequence (expected an alias to a "
                    "single value; use extends: to reuse settings)");
        return -1;
    default:
        return 0;
    }
}

/* One value's tag, anchor and count. 0, or -1 after reporting a violation. */
static int prepass_node(struct prepass *pp, const yaml_event_t *ev, const struct ytree_mark *m,
                        const yaml_char_t *anchor, const yaml_char_t *tag)
{
    /* Tags would change a value's type behind the schema's back (!!str 5,
     * !!binary): refused rather than half supported. */
    if (tag) {
        ytree_error(pp->c, m, "YAML tags are not supported (expected a value without '!')");
        return -1;
    }
    if (anchor) {
        if (pp->n_anchors == YTREE_MAX_ANCHORS) {
            ytree_error(pp->c, m, "more than %d anchors (expected fewer)", YTREE_MAX_ANCHORS);
            return -1;
        }
        if (!(pp->anchors[pp->n_anchors] = ytree_strdup(pp->c, (const char *)anchor)))
            return -1;
        pp->collection[pp->n_anchors++] = ev->type != YAML_SCALAR_EVENT;
    }
    /* Counted over every file of the chain: this bounds the trees, the
     * documents libyaml builds and the work of the schema together. */
    if (++pp->c->nodes > YTREE_MAX_NODES) {
        ytree_error(pp->c, m, "more than %d YAML values in all (expected a smaller %s)",
                    YTREE_MAX_NODES, pp->c->what);
        return -1;
    }
    return 0;
}

/* First pass over the events: enforce the limits before building anything.
 * 0, or -1 after reporting the first violation. */
static int prepass(struct ytree_ctx *c, const char *file, const char *buf, size_t len)
{
    struct prepass pp = {c, {NULL}, {0}, 0, 0, 0};
    yaml_parser_t p;
    yaml_event_t ev;
    int rc = 0, done = 0;

    yaml_parser_initialize(&p);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    while (!done && !rc) {
        struct ytree_mark m;
        const yaml_char_t *anchor = NULL, *tag = NULL;
        int is_node = 0;

        if (!yaml_parser_parse(&p, &ev)) {
            parser_error(c, &p, file, buf, len);
            rc = -1;
            break;
        }
        m = yaml_mark(file, ev.start_mark);
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = prepass_structure(&pp, &ev, &m, &is_node, &anchor, &tag);
        if (!rc && is_node)
            rc = prepass_node(&pp, &ev, &m, anchor, tag);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

struct build { /* state of one document -> tree copy */
    struct ytree_ctx *c;
    yaml_document_t *doc;
    const char *file;
    unsigned char *seen; /* [nodes]: collection already copied */
    const char **text;   /* [nodes]: scalar text already copied */
};

/* Pairs by key, then by position, so that of two equal keys the first
 * sorted is the first written. */
static int pair_cmp(const void *a, const void *b)
{
    const struct ytree_pair *x = *(const struct ytree_pair *const *)a;
    const struct ytree_pair *y = *(const struct ytree_pair *const *)b;
    int r = strcmp(x->key, y->key);
    return r ? r : (x < y ? -1 : x > y);
}

/* Report keys given twice in one mapping (sorted copy, neighbours compared). */
static int check_duplicates(struct ytree_ctx *c, const struct ytree *map)
{
    const struct ytree_pair **v;
    size_t i;
    int rc = 0;

    if (map->n < 2)
        return 0;
    if (!(v = ytree_alloc(c, map->n * sizeof *v)))
        return -1;
    for (i = 0; i < map->n; i++)
        v[i] = &map->items[i];
    qsort(v, map->n, sizeof *v, pair_cmp);
    for (i = 1; i < map->n; i++)
        if (!strcmp(v[i - 1]->key, v[i]->key)) {
            char q[160];
            ytree_error(c, &v[i]->key_mark,
                        "duplicate key '%s' (expected each key once; "
                        "first at line %lu)",
                        ytree_quote(q, sizeof q, v[i]->key, strlen(v[i]->key)),
                        v[i - 1]->key_mark.line);
            rc = -1;
        }
    return rc;
}

/* Scalar text of document node `id`, copied once and shared by its aliases. */
static const char *scalar_text(struct build *b, int id, yaml_node_t *n)
{
    const char **slot = &b->text[id - 1];
    if (!*slot)
        *slot = ytree_memdup(b->c, (const char *)n->data.scalar.value, n->data.scalar.length);
    return *slot;
}

/* Copy document node `id` and what it holds into the arena. Recursive, but
 * no deeper than YTREE_MAX_DEPTH (the prepass checked), and every collection
 * is copied once: a second visit could only come from an alias, which the
 * prepass refused, so it is reported as an error rather than trusted. */
static struct ytree *build(struct build *b, int id, int depth)
{
    yaml_node_t *n = yaml_document_get_node(b->doc, id);
    struct ytree *t;
    size_t i, count;

    if (!n || !(t = ytree_alloc(b->c, sizeof *t)))
        return NULL;
    t->mark = yaml_mark(b->file, n->start_mark);
    if (n->type == YAML_SCALAR_NODE) {
        t->kind = YTREE_SCALAR;
        t->len = n->data.scalar.length;
        t->plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return (t->text = scalar_text(b, id, n)) ? t : NULL;
    }
    if (b->seen[id - 1] || depth >= YTREE_MAX_DEPTH) { /* the prepass stops both */
        ytree_error(b->c, &t->mark, "mapping or sequence reused (expected no aliases to it)");
        return NULL;
    }
    b->seen[id - 1] = 1;
    if (n->type == YAML_SEQUENCE_NODE) {
        t->kind = YTREE_SEQ;
        count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    } else {
        t->kind = YTREE_MAP;
        count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
        if (count > YTREE_MAX_KEYS) {
            ytree_error(b->c, &t->mark, "mapping with %zu keys (expected at most %d)", count,
                        YTREE_MAX_KEYS);
            return NULL;
        }
    }
    if (count && !(t->items = ytree_alloc(b->c, count * sizeof *t->items)))
        return NULL;
    t->n = count;
    for (i = 0; i < count; i++) {
        struct ytree_pair *p = &t->items[i];
        int vid;
        if (t->kind == YTREE_SEQ) {
            vid = n->data.sequence.items.start[i];
        } else {
            int kid = n->data.mapping.pairs.start[i].key;
            yaml_node_t *k = yaml_document_get_node(b->doc, kid);
            vid = n->data.mapping.pairs.start[i].value;
            if (!k)
                return NULL;
            p->key_mark = yaml_mark(b->file, k->start_mark);
            if (k->type != YAML_SCALAR_NODE ||
                strlen((const char *)k->data.scalar.value) != k->data.scalar.length) {
                ytree_error(b->c, &p->key_mark,
                            "a key that is not plain text "
                            "(expected a name such as 'population')");
                return NULL;
            }
            if (!(p->key = scalar_text(b, kid, k)))
                return NULL;
        }
        if (!(p->val = build(b, vid, depth + 1)))
            return NULL;
    }
    if (t->kind == YTREE_MAP && check_duplicates(b->c, t))
        return NULL;
    return t;
}

/* Parse the text of one file into a tree: the prepass first (limits), then
 * libyaml's document, copied and freed at once, so that no libyaml memory
 * outlives this function whatever happens. */
static struct ytree *parse(struct ytree_ctx *c, const char *file, const char *buf, size_t len)
{
    yaml_parser_t p;
    yaml_document_t doc;
    struct ytree *root = NULL;
    struct build b;
    size_t nn;

    if (prepass(c, file, buf, len))
        return NULL;
    yaml_parser_initialize(&p);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&p, &doc)) {
        parser_error(c, &p, file, buf, len);
        yaml_parser_delete(&p);
        return NULL;
    }
    nn = (size_t)(doc.nodes.top - doc.nodes.start);
    b.c = c;
    b.doc = &doc;
    b.file = file;
    b.seen = ytree_alloc(c, nn + 1);
    b.text = ytree_alloc(c, (nn + 1) * sizeof *b.text);
    if (b.seen && b.text) {
        if (!yaml_document_get_root_node(&doc)) {
            struct ytree_mark m = {file, 1, 1};
            ytree_error(c, &m, "empty %s (expected a mapping of keys such as %s:)", c->what,
                        c->first_key);
        } else {
            root = build(&b, 1, 0);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    if (root && root->kind != YTREE_MAP) {
        ytree_error(c, &root->mark, "the top level is not a mapping (expected keys such as %s:)",
                    c->first_key);
        root = NULL;
    }
    return root;
}

struct ytree *ytree_read(struct ytree_ctx *c, const char *file, const struct ytree_mark *site,
                         struct ytree_id *id)
{
    struct ytree *root;
    size_t len;
    char *buf;
    int e = 0;

    if (!(buf = read_all(file, site != NULL, &len, id, &e))) {
        const char *why = e == EFBIG    ? "larger than 16 MiB"
                          : e == EINVAL ? "not a regular file"
                                        : strerror(e);
        if (site) {
            char q[512];
            ytree_error(c, site,
                        "extends: cannot read '%s': %s (expected a readable "
                        "scenario file, relative to this one)",
                        ytree_escape(q, sizeof q, file), why);
        } else {
            struct ytree_mark m = {file, 0, 0};
            ytree_error(c, &m, "cannot read %s: %s", c->what, why);
        }
        return NULL;
    }
    /* With the encoding set to UTF-8, libyaml keeps a byte order mark as
     * text, where editors hide it: it is dropped here. */
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        root = parse(c, file, buf + 3, len - 3);
    else
        root = parse(c, file, buf, len);
    free(buf);
    return root;
}
