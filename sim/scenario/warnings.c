/* warnings: an ordered list of distinct one-line warnings. */
#include "scenario/warnings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int warnings_has(const struct warnings *w, const char *line)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->lines[i], line) == 0)
            return 1;
    return 0;
}

/* Take ownership of line (freed on failure or when already listed). */
static int warnings_take(struct warnings *w, char *line)
{
    if (warnings_has(w, line)) {
        free(line);
        return 0;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 4;
        char **grown = realloc(w->lines, cap * sizeof *grown);
        if (!grown) {
            free(line);
            return -1;
        }
        w->lines = grown;
        w->cap = cap;
    }
    w->lines[w->n++] = line;
    return 0;
}

int warnings_add(struct warnings *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return -1;
    char *line = malloc((size_t)len + 1);
    if (!line)
        return -1;
    va_start(ap, fmt);
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return warnings_take(w, line);
}

int warnings_merge(struct warnings *dst, const struct warnings *src)
{
    for (size_t i = 0; i < src->n; i++) {
        char *line = strdup(src->lines[i]);
        if (!line || warnings_take(dst, line) < 0)
            return -1;
    }
    return 0;
}

void warnings_print(const struct warnings *w, FILE *err)
{
    for (size_t i = 0; i < w->n; i++)
        fprintf(err, "pilotsim: warning: %s\n", w->lines[i]);
}

void warnings_destroy(struct warnings *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->lines[i]);
    free(w->lines);
    w->lines = NULL;
    w->n = w->cap = 0;
}
