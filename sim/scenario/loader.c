/* loader.c: what the parts of one scenario load share (see loader.h). */
#include "scenario/loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void loader_warn(struct loader *L, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (warnings_add(&L->s->warnings, "%s", line) < 0)
        ytree_error(L->w.c, NULL, "pilotsim: out of memory reading the scenario");
}

int loader_check_id(struct loader *L, const struct ytree_mark *m, const char *path, const char *id)
{
    const char *p = id;
    char q[160];

    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            break;
    if (*id && !*p)
        return 0;
    schema_fail(&L->w, m, path, "bad id '%s' (expected lower-case letters, digits, '_' and '-')",
                ytree_quote(q, sizeof q, id, strlen(id)));
    return -1;
}

void loader_unknown_id(struct loader *L, const struct ytree_mark *m, const char *path,
                       const char *what, const char *id, const char *const *known, size_t n)
{
    const char *best = ytree_suggest(id, known, n);
    char q[160];

    ytree_quote(q, sizeof q, id, strlen(id));
    if (best)
        schema_fail(&L->w, m, path, "unknown %s '%s' (did you mean '%s'?)", what, q, best);
    else
        schema_fail(&L->w, m, path, "unknown %s '%s' (expected an id listed under %s:)", what, q,
                    !strcmp(what, "city") ? "cities" : "operators");
}
