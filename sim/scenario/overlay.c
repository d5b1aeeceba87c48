/* overlay.c: a scenario as layers (see overlay.h): the chain of files
 * joined by `extends`, merged deepest first, then the --set overrides.
 *
 * A chain is followed from the file named on the command line to the last
 * base; each file is identified by device and inode, so a cycle is found
 * whatever the spelling of its paths. The merge builds new mapping nodes in
 * the arena and shares every other node, so it costs one pass over the keys.
 * A --set walks the merged tree step by step; a missing mapping key is
 * created and flagged `created`, and the schema decides whether that key is
 * known (a default being overridden) or a typo. */
#include "scenario/overlay.h"

#include <stdlib.h>
#include <string.h>

struct link { /* one file of an extends chain */
    struct ytree_id id;
    const char *file;
};

static struct ytree *merge(struct ytree_ctx *c, struct ytree *base, struct ytree *over, int top);

/* The scalar id of a list item, or NULL (not a mapping, no id, not text). */
static const char *item_id(const struct ytree *item)
{
    const struct ytree *id = item->kind == YTREE_MAP ? ytree_get(item, "id", NULL) : NULL;

    return id && id->kind == YTREE_SCALAR && id->len && strlen(id->text) == id->len ? id->text
                                                                                    : NULL;
}

/* The index in items[0..n) of the item whose id is `id`, or -1. */
static long find_id(const struct ytree_pair *items, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *other = items[i].val ? item_id(items[i].val) : NULL;
        if (other && !strcmp(other, id))
            return (long)i;
    }
    return -1;
}

/* Whether `item` asks to remove its base item (`{id: X, remove: true}`):
 * 1, 0, or -1 after an error (remove with another value or other keys). */
static int wants_removal(struct ytree_ctx *c, const struct ytree *item)
{
    const struct ytree_pair *p = NULL;
    const struct ytree *v = ytree_get(item, "remove", &p);

    if (!v)
        return 0;
    if (v->kind != YTREE_SCALAR || strcmp(v->text, "true") || item->n != 2) {
        ytree_error(c, &p->key_mark,
                    "remove: only `remove: true` beside the id (expected {id: ID, "
                    "remove: true})");
        return -1;
    }
    return 1;
}

/* Two kinds that differ (an item changing kind replaces the base's item
 * whole: the old kind's keys would not fit the new one). */
static int other_kind(const struct ytree *base, const struct ytree *over)
{
    const struct ytree *a = ytree_get(base, "kind", NULL), *b = ytree_get(over, "kind", NULL);

    return a && b && a->kind == YTREE_SCALAR && b->kind == YTREE_SCALAR && strcmp(a->text, b->text);
}

/* Merge one item of the extending list into t->items (the base's items
 * first): same id merges key by key, a new id is added, remove drops. */
static int merge_item(struct ytree_ctx *c, struct ytree *t, size_t n_base, const struct ytree *over,
                      size_t j, struct ytree_pair *item)
{
    const char *id = item_id(item->val);
    long i;
    int rm;
    char q[160];

    if (!id) {
        ytree_error(c, &item->val->mark,
                    "interventions item without an id, in a file that extends a list "
                    "(expected id: naming the base's item to change, or a new id)");
        return -1;
    }
    if (find_id(over->items, j, id) >= 0) {
        ytree_error(c, &item->val->mark, "duplicate id '%s' (expected each id once in a list)",
                    ytree_quote(q, sizeof q, id, strlen(id)));
        return -1;
    }
    if ((rm = wants_removal(c, item->val)) < 0)
        return -1;
    i = find_id(t->items, n_base, id);
    if (i < 0 && rm) {
        ytree_error(c, &item->val->mark,
                    "remove: no item '%s' in the extended file (expected the id of one "
                    "of its interventions)",
                    ytree_quote(q, sizeof q, id, strlen(id)));
        return -1;
    }
    if (i < 0) {
        t->items[t->n++] = *item;
        return 0;
    }
    if (rm)
        t->items[i].val = NULL; /* dropped when the list is compacted */
    else if (other_kind(t->items[i].val, item->val))
        t->items[i].val = item->val;
    else if (!(t->items[i].val = merge(c, t->items[i].val, item->val, 0)))
        return -1;
    return 0;
}

/* The interventions of an extending file over the base's, merged by id
 * (base order, then new ids); an empty list clears the base's. */
static struct ytree *merge_list(struct ytree_ctx *c, struct ytree *base, struct ytree *over)
{
    struct ytree *t;
    size_t j, k;

    if (!over->n || !base->n)
        return over;
    if (!(t = ytree_alloc(c, sizeof *t)) ||
        !(t->items = ytree_alloc(c, (base->n + over->n) * sizeof *t->items)))
        return NULL;
    t->kind = YTREE_SEQ;
    t->mark = over->mark;
    memcpy(t->items, base->items, base->n * sizeof *t->items);
    t->n = base->n;
    for (j = 0; j < over->n; j++)
        if (merge_item(c, t, base->n, over, j, &over->items[j]) < 0)
            return NULL;
    for (j = k = 0; j < t->n; j++)
        if (t->items[j].val)
            t->items[k++] = t->items[j];
    t->n = k;
    return t;
}

/* Deep merge: mappings key by key (over wins; base order, then new keys);
 * the top level's `interventions` by id (merge_list); anything else is
 * replaced by `over`. `top`: base and over are whole scenarios. */
static struct ytree *merge(struct ytree_ctx *c, struct ytree *base, struct ytree *over, int top)
{
    struct ytree *t;
    struct ytree_pair *items;
    unsigned char *used;
    size_t i, j, k = 0;

    if (base->kind != YTREE_MAP || over->kind != YTREE_MAP)
        return over;
    if (!(t = ytree_alloc(c, sizeof *t)) || !(used = ytree_alloc(c, over->n + 1)) ||
        !(items = ytree_alloc(c, (base->n + over->n + 1) * sizeof *items)))
        return NULL;
    *t = *over; /* the extending file's position */
    t->items = items;
    for (i = 0; i < base->n; i++) {
        t->items[k] = base->items[i];
        for (j = 0; j < over->n; j++)
            if (!used[j] && !strcmp(over->items[j].key, base->items[i].key)) {
                used[j] = 1;
                t->items[k] = over->items[j];
                if (top && !strcmp(base->items[i].key, "interventions") &&
                    base->items[i].val->kind == YTREE_SEQ && over->items[j].val->kind == YTREE_SEQ)
                    t->items[k].val = merge_list(c, base->items[i].val, over->items[j].val);
                else
                    t->items[k].val = merge(c, base->items[i].val, over->items[j].val, 0);
                if (!t->items[k].val)
                    return NULL;
                break;
            }
        k++;
    }
    for (j = 0; j < over->n; j++)
        if (!used[j])
            t->items[k++] = over->items[j];
    t->n = k;
    return t;
}

/* The base path of `extends: target` written in `file`: relative to its folder. */
static char *join_path(struct ytree_ctx *c, const char *file, const char *target)
{
    const char *slash = strrchr(file, '/');
    size_t dir = (target[0] == '/' || !slash) ? 0 : (size_t)(slash - file) + 1;
    char *p = ytree_alloc(c, dir + strlen(target) + 1);

    if (p) {
        memcpy(p, file, dir);
        strcpy(p + dir, target);
    }
    return p;
}

/* Load `file` and, recursively, what it extends. `site` is the extends value
 * that named it (NULL for the top file); chain[0..depth) are the extenders. */
static struct ytree *load_chain(struct ytree_ctx *c, const char *file,
                                const struct ytree_mark *site, struct link *chain, int depth)
{
    const struct ytree_pair *ext = NULL;
    struct ytree *root, *val, *base;
    char *path;
    size_t i;
    int k;

    if (!(root = ytree_read(c, file, site, &chain[depth].id)))
        return NULL;
    chain[depth].file = file;
    for (k = 0; k < depth; k++)
        if (chain[k].id.dev == chain[depth].id.dev && chain[k].id.ino == chain[depth].id.ino) {
            char msg[1024], q[256];
            size_t o = 0;
            for (i = (size_t)k; i <= (size_t)depth && o + 300 < sizeof msg; i++)
                o += (size_t)snprintf(msg + o, sizeof msg - o, "%s%s", i > (size_t)k ? " -> " : "",
                                      ytree_escape(q, sizeof q, chain[i].file));
            ytree_error(c, site, "extends cycle: %s (expected a chain without loops)", msg);
            return NULL;
        }
    if (!(val = ytree_get(root, "extends", &ext)))
        return root;
    if (val->kind != YTREE_SCALAR || !val->len || strlen(val->text) != val->len) {
        ytree_error(c, &val->mark,
                    "extends: not a file name (expected a path such as "
                    "base/pilot.yaml)");
        return NULL;
    }
    if (depth + 1 >= YTREE_MAX_EXTENDS) {
        ytree_error(c, &val->mark,
                    "extends: chain longer than %d files (expected a "
                    "shorter chain)",
                    YTREE_MAX_EXTENDS);
        return NULL;
    }
    i = (size_t)(ext - root->items); /* the merged tree has no extends */
    memmove(&root->items[i], &root->items[i + 1], (root->n - i - 1) * sizeof *root->items);
    root->n--;
    if (!(path = join_path(c, file, val->text)) ||
        !(base = load_chain(c, path, &val->mark, chain, depth + 1)))
        return NULL;
    return merge(c, base, root, 1);
}

struct ytree *overlay_load(struct ytree_ctx *c, const char *path)
{
    struct link chain[YTREE_MAX_EXTENDS];
    const char *file = ytree_strdup(c, path);

    return file ? load_chain(c, file, NULL, chain, 0) : NULL;
}

/* Valid UTF-8 without control characters: --set text comes from the shell,
 * not through libyaml's reader, so it gets the reader's checks here. */
static int clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0 || (n == 1 && *p < 0xC2) || *p < 0x20 || *p == 0x7f)
            return -1;
        for (p++; n > 0; n--, p++)
            if ((*p & 0xC0) != 0x80)
                return -1;
    }
    return 0;
}

/* Append a pair to a mapping (the arena array is copied one larger). */
static struct ytree_pair *append(struct ytree_ctx *c, struct ytree *map)
{
    struct ytree_pair *items = ytree_alloc(c, (map->n + 1) * sizeof *items);

    if (!items)
        return NULL;
    if (map->n)
        memcpy(items, map->items, map->n * sizeof *items);
    map->items = items;
    return &items[map->n++];
}

/* The sequence item whose id is `step`, else the item at index `step`; -1.
 * Ids first, so that an id made of digits still names its item. */
static long seq_find(const struct ytree *seq, const char *step)
{
    size_t i;
    char *end;
    unsigned long idx;

    for (i = 0; i < seq->n; i++) {
        const struct ytree *id = ytree_get(seq->items[i].val, "id", NULL);
        if (id && id->kind == YTREE_SCALAR && !strcmp(id->text, step))
            return (long)i;
    }
    if (step[0] < '0' || step[0] > '9')
        return -1;
    idx = strtoul(step, &end, 10);
    return !*end && idx < seq->n ? (long)idx : -1;
}

/* The checks of a --set argument before anything changes: a key path, text,
 * no empty step. 0, or -1 with the error reported at m. */
static int check_set(struct ytree_ctx *c, struct ytree_mark m, const char *arg, const char *eq)
{
    char q[160];
    if (!eq || eq == arg) {
        ytree_error(c, &m, "'%s' has no key path (expected --set key.path=value)",
                    ytree_quote(q, sizeof q, arg, strlen(arg)));
        return -1;
    }
    if (clean_utf8(arg)) {
        ytree_error(c, &m, "not UTF-8 text or a control character (expected printable text)");
        return -1;
    }
    for (const char *end = arg; end <= eq; end++)
        if ((*end == '.' || end == eq) && (end == arg || end[-1] == '.')) {
            m.col = (unsigned long)(end - arg) + 1;
            ytree_error(c, &m, "empty step in key path (expected key.path=value)");
            return -1;
        }
    return 0;
}

/* The value of a --set argument as a plain scalar placed after its `=`. */
static struct ytree *set_value(struct ytree_ctx *c, struct ytree_mark m, const char *arg,
                               const char *eq)
{
    struct ytree *value = ytree_alloc(c, sizeof *value);
    if (!value)
        return NULL;
    value->kind = YTREE_SCALAR;
    value->plain = 1;
    value->len = strlen(eq + 1);
    value->mark = m;
    value->mark.col = (unsigned long)(eq - arg) + 2;
    if (!(value->text = ytree_strdup(c, eq + 1)))
        return NULL;
    return value;
}

int overlay_set(struct ytree_ctx *c, struct ytree *root, int index, const char *arg)
{
    struct ytree_mark m = {"--set", (unsigned long)index, 1};
    const char *eq = strchr(arg, '='), *seg = arg, *end;
    struct ytree *node = root, *value;
    char q[160];

    if (check_set(c, m, arg, eq) < 0 || !(value = set_value(c, m, arg, eq)))
        return -1;
    for (;;) {
        char *step;
        int last;
        for (end = seg; end < eq && *end != '.'; end++) {}
        last = end == eq;
        m.col = (unsigned long)(seg - arg) + 1;
        if (!(step = ytree_memdup(c, seg, (size_t)(end - seg))))
            return -1;
        if (node == root && !strcmp(step, "extends")) {
            ytree_error(c, &m, "extends cannot be set (expected a scenario key)");
            return -1;
        }
        if (node->kind == YTREE_MAP) {
            const struct ytree_pair *found = NULL;
            struct ytree *next = ytree_get(node, step, &found);
            struct ytree_pair *p = (struct ytree_pair *)found;
            if (!next) { /* a new key: the schema judges it */
                if (!(p = append(c, node)))
                    return -1;
                p->key = step;
                p->key_mark = m;
                p->created = 1;
                if (!last && !(p->val = ytree_alloc(c, sizeof *p->val)))
                    return -1;
                if (!last) {
                    p->val->kind = YTREE_MAP;
                    p->val->mark = m;
                }
            }
            if (last) {
                p->val = value;
                return 0;
            }
            node = p->val;
        } else if (node->kind == YTREE_SEQ) {
            long i = seq_find(node, step);
            if (i < 0) {
                ytree_error(c, &m,
                            "no item with id '%s' in '%.*s' (expected the id of a "
                            "list item)",
                            ytree_quote(q, sizeof q, step, strlen(step)), (int)(seg - arg - 1),
                            arg);
                return -1;
            }
            if (last) {
                node->items[i].val = value;
                return 0;
            }
            node = node->items[i].val;
        } else {
            ytree_error(c, &m,
                        "'%.*s' is a single value, it has no '%s' (expected a path "
                        "to a key)",
                        (int)(seg - arg - 1), arg, ytree_quote(q, sizeof q, step, strlen(step)));
            return -1;
        }
        seg = end + 1;
    }
}

/* The node at `key` (dotted steps) under root, or NULL; *other_list as in
 * overlay_number. */
static const struct ytree *walk(struct ytree_ctx *c, const struct ytree *root, const char *key,
                                int *other_list)
{
    const struct ytree *node = root;
    const char *seg = key, *end;

    *other_list = 0;
    while (node) {
        char *step;
        for (end = seg; *end && *end != '.'; end++) {}
        if (!(step = ytree_memdup(c, seg, (size_t)(end - seg))))
            return NULL;
        if (node->kind == YTREE_MAP) {
            node = ytree_get(node, step, NULL);
        } else if (node->kind == YTREE_SEQ) {
            long i = seq_find(node, step);
            *other_list |= node != ytree_get(root, "interventions", NULL);
            node = i < 0 ? NULL : node->items[i].val;
        } else {
            return NULL;
        }
        if (!*end)
            return node;
        seg = end + 1;
    }
    return NULL;
}

int overlay_number(const char *file, const char *const *sets, size_t n, const char *key,
                   double *value, int *other_list)
{
    struct ytree_ctx c;
    FILE *quiet = fopen("/dev/null", "w");
    struct ytree *root;
    const struct ytree *node = NULL;
    int rc = -1;
    size_t i;
    char *end;

    *other_list = 0;
    ytree_init(&c, quiet ? quiet : stderr);
    root = quiet ? overlay_load(&c, file) : NULL;
    for (i = 0; root && i < n; i++)
        if (overlay_set(&c, root, (int)i + 1, sets[i]) < 0)
            root = NULL;
    if (root)
        node = walk(&c, root, key, other_list);
    if (node && node->kind == YTREE_SCALAR && node->plain && node->len) {
        *value = strtod(node->text, &end);
        rc = *end ? -1 : 0;
    }
    ytree_destroy(&c);
    if (quiet)
        fclose(quiet);
    return rc;
}
