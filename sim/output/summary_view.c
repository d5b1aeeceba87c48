/* summary_view: summary.json read back through ytree (summary_view.h). */
#include "output/summary_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int summary_view_open(struct summary_view *v, const char *dir, const char *name, FILE *err)
{
    char path[4096];
    ytree_init(&v->ctx, err);
    v->ctx.what = "summary";
    v->ctx.first_key = "schema_version";
    v->root = NULL;
    if (snprintf(path, sizeof path, "%s/%s", dir, name ? name : "summary.json") >=
        (int)sizeof path) {
        fprintf(err, "pilotsim: %s: path too long\n", dir);
        return -1;
    }
    /* ytree reports each error itself; one is enough for a reader. */
    struct ytree_id id;
    v->root = ytree_read(&v->ctx, path, NULL, &id);
    return v->root ? 0 : -1;
}

void summary_view_close(struct summary_view *v)
{
    ytree_destroy(&v->ctx);
    v->root = NULL;
}

const struct ytree *summary_view_get(const struct ytree *map, const char *path)
{
    char key[128];
    while (map && *path) {
        size_t n = strcspn(path, ".");
        if (map->kind != YTREE_MAP || n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        map = ytree_get(map, key, NULL);
        path += n + (path[n] == '.');
    }
    return map;
}

/* A scalar as a number; NaN for null, text or anything else. */
static double number(const struct ytree *t)
{
    if (!t || t->kind != YTREE_SCALAR || !*t->text)
        return NAN;
    char *end;
    double x = strtod(t->text, &end);
    return *end ? NAN : x;
}

double summary_view_num(const struct ytree *map, const char *path)
{
    const struct ytree *t = summary_view_get(map, path);
    /* the older layout: an object with the mean */
    if (t && t->kind == YTREE_MAP)
        t = ytree_get(t, "mean", NULL);
    return number(t);
}

int summary_view_ci(const struct ytree *map, const char *path, double *lo, double *hi)
{
    const struct ytree *t = summary_view_get(map, path);
    char name[160];
    if (t && t->kind == YTREE_MAP) {
        *lo = number(ytree_get(t, "ci_lo", NULL));
        *hi = number(ytree_get(t, "ci_hi", NULL));
    } else {
        snprintf(name, sizeof name, "%s_ci_lo", path);
        *lo = number(summary_view_get(map, name));
        snprintf(name, sizeof name, "%s_ci_hi", path);
        *hi = number(summary_view_get(map, name));
    }
    return isfinite(*lo) && isfinite(*hi) ? 0 : -1;
}

const char *summary_view_str(const struct ytree *map, const char *path, const char *fallback)
{
    const struct ytree *t = summary_view_get(map, path);
    return t && t->kind == YTREE_SCALAR ? t->text : fallback;
}
